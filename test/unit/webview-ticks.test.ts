/**
 * The time axis: 1-2-5 steps, exact tick values, labels in the unit the step calls for; and the
 * durations of tooltips, plus the zoom and pan arithmetic of the view.
 */
import * as assert from 'node:assert/strict';
import { formatCursor, formatDuration, formatTick, niceStep, tickLabelLeft, timeTicks } from '../../src/webview/ticks';
import { clampView, fitView, isFitted, MIN_RANGE_MS, panBy, viewOf, zoomAt } from '../../src/webview/viewport';

describe('niceStep and timeTicks', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    assert.equal(niceStep(0.3), 0.5);
    assert.equal(niceStep(1), 1);
    assert.equal(niceStep(1.1), 2);
    assert.equal(niceStep(2.5), 5);
    assert.equal(niceStep(7), 10);
    assert.equal(niceStep(180), 200);
    assert.equal(niceStep(0.0012), 0.002);
  });

  it('spaces ticks at least the minimum apart', () => {
    // 1000 ms over 1000 px, 90 px apart → at least 90 ms → step 100: 0, 100, …, 1000.
    const t = timeTicks(0, 1000, 1000, 90);
    assert.equal(t.step, 100);
    assert.deepEqual(t.values, [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('starts at the first multiple of the step inside the range', () => {
    // 250…1250 ms over 500 px, 90 px apart → ≥ 180 ms → step 200: 400, 600, …, 1200.
    assert.deepEqual(timeTicks(250, 1250, 500, 90).values, [400, 600, 800, 1000, 1200]);
  });

  it('computes values as index × step, without drift', () => {
    // Step 0.1: the fourth tick is 3 × 0.1 (0.30000000000000004), labelled 0.3 ms.
    const t = timeTicks(0, 1, 1000, 90);
    assert.equal(t.step, 0.1);
    assert.equal(t.values[3], 3 * 0.1);
    assert.equal(formatTick(t.values[3], t.step), '0.3 ms');
  });
});

describe('formatTick', () => {
  it('labels in µs, ms, s or minutes by the step', () => {
    assert.equal(formatTick(0, 100), '0');
    assert.equal(formatTick(40, 20), '40 ms');
    assert.equal(formatTick(0.25, 0.05), '0.25 ms');
    assert.equal(formatTick(0.004, 0.002), '4 µs');
    assert.equal(formatTick(1500, 500), '1.5 s');
    assert.equal(formatTick(3000, 1000), '3 s');
    assert.equal(formatTick(200, 100), '0.2 s');
    assert.equal(formatTick(150_000, 60_000), '2 m 30 s');
    assert.equal(formatTick(120_000, 60_000), '2 m');
  });

  it('gives the cursor two more decimals than the axis', () => {
    assert.equal(formatCursor(1234.5, 1000), '1.23 s');
    assert.equal(formatCursor(12.345, 5), '12.35 ms');
  });
});

describe('formatDuration', () => {
  it('reads well from microseconds to hours', () => {
    assert.equal(formatDuration(0.005), '5.0 µs');
    assert.equal(formatDuration(0.42), '0.42 ms');
    assert.equal(formatDuration(12.34), '12.3 ms');
    assert.equal(formatDuration(812.4), '812 ms');
    assert.equal(formatDuration(1234), '1.23 s');
    assert.equal(formatDuration(12_340), '12.3 s');
    assert.equal(formatDuration(123_000), '2 m 03 s');
    assert.equal(formatDuration(3_723_000), '1 h 02 m');
  });
});

describe('viewport', () => {
  it('fits the run with a 1 % margin', () => {
    assert.deepEqual(fitView(1000), { t0: -10, t1: 1010 });
    assert.ok(isFitted(fitView(1000), 1000));
  });

  it('zooms around the anchor, which keeps its place', () => {
    // View 0…100, anchor 25 (a quarter in), zoom ×0.5 → range 50, anchor still a quarter in: 12.5…62.5.
    const v = zoomAt({ t0: 0, t1: 100 }, 25, 0.5, 1000);
    assert.deepEqual(v, { t0: 12.5, t1: 62.5 });
  });

  it('never zooms in below a microsecond nor out past the whole run', () => {
    const tiny = zoomAt({ t0: 10, t1: 10.002 }, 10, 0.001, 1000);
    assert.ok(Math.abs(tiny.t1 - tiny.t0 - MIN_RANGE_MS) < 1e-12);
    assert.deepEqual(zoomAt({ t0: 0, t1: 500 }, 250, 10, 1000), fitView(1000));
  });

  it('pans within the run', () => {
    assert.deepEqual(panBy({ t0: 0, t1: 100 }, 50, 1000), { t0: 50, t1: 150 });
    // Past the end: stops at the fitted end, 1010.
    assert.deepEqual(panBy({ t0: 900, t1: 1000 }, 500, 1000), { t0: 910, t1: 1010 });
    assert.deepEqual(clampView({ t0: -500, t1: -400 }, 1000), { t0: -10, t1: 90 });
  });

  it('shows a span with 10 % of its length on each side', () => {
    assert.deepEqual(viewOf(100, 200, 1000), { t0: 90, t1: 210 });
  });
});

describe('tick labels at the right edge', () => {
  it('puts the last label left of its tick when it would be cut at the edge', () => {
    // A 400 px chart, label 30 px wide: at x 100 it starts at 104; at x 390 it would end at 424,
    // so it ends 4 px left of the tick: 390 − 4 − 30 = 356.
    assert.equal(tickLabelLeft(100, 30, 400), 104);
    assert.equal(tickLabelLeft(390, 30, 400), 356);
    assert.equal(tickLabelLeft(10, 30, 20), 0);
  });
});
