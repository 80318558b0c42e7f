/**
 * Rows of the waterfall: greedy lanes per depth (parallel spans never overlap in a row), spans by
 * row in start order, hit-testing, and subsets (errors, matches) kept in the same rows.
 */
import * as assert from 'node:assert/strict';
import { assignLanes, buildLayout, type LayoutInput, lowerBound, rowSubset, spanAt } from '../../src/webview/layout';

/** Spans as [start, end, depth]; the start order is computed here, ties by index. */
function input(spans: Array<[number, number, number]>): LayoutInput {
  const order = Int32Array.from(spans.map((_, i) => i)).sort((a, b) => spans[a][0] - spans[b][0] || a - b);
  return {
    count: spans.length,
    start: Float64Array.from(spans.map((s) => s[0])),
    end: Float64Array.from(spans.map((s) => s[1])),
    depth: Int32Array.from(spans.map((s) => s[2])),
    order,
  };
}

const rows = (layout: ReturnType<typeof buildLayout>) =>
  Array.from({ length: layout.rowCount }, (_, r) => [...layout.rowSpans.subarray(layout.rowOffset[r], layout.rowOffset[r + 1])]);

describe('assignLanes', () => {
  it('gives each span the lowest lane free at its start', () => {
    // 0:[0,10] → lane 0 (busy to 10). 1:[2,5] → lane 1. 2:[5,8]: lane 1 ended at 5 → lane 1.
    // 3:[6,12]: lanes 0 (to 10) and 1 (to 8) busy → lane 2. 4:[10,11]: lanes 1 (8) and 0 (10)
    // have ended → the lower, lane 0.
    const data = input([
      [0, 10, 0],
      [2, 5, 0],
      [5, 8, 0],
      [6, 12, 0],
      [10, 11, 0],
    ]);
    const lane = new Int32Array(5);
    assert.equal(assignLanes(data.order, data.start, data.end, lane), 3);
    assert.deepEqual([...lane], [0, 1, 1, 2, 0]);
  });

  it('puts spans that only touch in one lane, and zero-length spans at the same instant together', () => {
    const data = input([
      [0, 5, 0],
      [5, 5, 0],
      [5, 9, 0],
    ]);
    const lane = new Int32Array(3);
    assert.equal(assignLanes(data.order, data.start, data.end, lane), 1);
    assert.deepEqual([...lane], [0, 0, 0]);
  });

  it('takes an overlap below the clock tolerance (1 ms) for one after the other, unless the later span ends first', () => {
    // The JS SDK's whole-ms starts: [10, 20] seems to start 0.6 ms before [0, 10.6] ends → one lane.
    // [30, 31.5] and [31, 31.2]: the second would end before the first: a lane stays sorted by end → two.
    // [40, 45] and [43.5, 50]: 1.5 ms of real overlap → two lanes.
    const data = input([
      [0, 10.6, 0],
      [10, 20, 0],
      [30, 31.5, 0],
      [31, 31.2, 0],
      [40, 45, 0],
      [43.5, 50, 0],
    ]);
    const lane = new Int32Array(6);
    assert.equal(assignLanes(data.order, data.start, data.end, lane), 2);
    assert.deepEqual([...lane], [0, 0, 0, 1, 0, 1]);
  });
});

describe('buildLayout', () => {
  // Depth 0: a root. Depth 1: two overlapping children. Depth 2: one grandchild.
  const data = input([
    [0, 100, 0],
    [0, 60, 1],
    [10, 50, 1],
    [60, 90, 1],
    [20, 30, 2],
  ]);

  it('stacks depths, lanes within a depth, spans in start order within a row', () => {
    const layout = buildLayout(data, new Uint8Array(5).fill(1));
    // Depth 0: 1 lane (row 0). Depth 1: span 1 lane 0, span 2 lane 1, span 3 lane 0 (1 ended at 60) → rows 1, 2. Depth 2: row 3.
    assert.equal(layout.rowCount, 4);
    assert.deepEqual(rows(layout), [[0], [1, 3], [2], [4]]);
    assert.deepEqual([...layout.rowDepth], [0, 1, 1, 2]);
    assert.deepEqual([...layout.rowOf], [0, 1, 2, 1, 3]);
    assert.deepEqual([...layout.rowStart.subarray(1, 3)], [0, 60]);
    assert.deepEqual([...layout.rowEnd.subarray(1, 3)], [60, 90]);
    assert.equal(layout.shown, 5);
  });

  it('lays out only visible spans, so hidden ones free their lanes', () => {
    // Without span 1, span 2 takes lane 0 of depth 1 and span 3 joins it: one row for depth 1.
    const layout = buildLayout(data, Uint8Array.of(1, 0, 1, 1, 1));
    assert.deepEqual(rows(layout), [[0], [2, 3], [4]]);
    assert.equal(layout.rowOf[1], -1);
  });

  it('keeps a subset in the same rows', () => {
    const layout = buildLayout(data, new Uint8Array(5).fill(1));
    const subset = rowSubset(layout, Uint8Array.of(0, 1, 1, 1, 0));
    assert.deepEqual([...subset.offset], [0, 0, 2, 3, 3]);
    assert.deepEqual([...subset.spans], [1, 3, 2]);
    assert.deepEqual([...subset.start], [0, 60, 10]);
  });
});

describe('spanAt and lowerBound', () => {
  const layout = buildLayout(
    input([
      [0, 10, 0],
      [10, 11, 0],
      [20, 30, 0],
    ]),
    new Uint8Array(3).fill(1),
  );

  it('finds the span under a time, the earlier one where two touch', () => {
    assert.equal(spanAt(layout, 0, 5, 0), 0);
    // Span 0 ends at 10 where span 1 starts: the first span ending at or after 10 is span 0.
    assert.equal(spanAt(layout, 0, 10, 0), 0);
    assert.equal(spanAt(layout, 0, 10.5, 0), 1);
  });

  it('takes the nearest span within the slack, none beyond it', () => {
    // 12 is 1 after span 1's end and 8 before span 2's start.
    assert.equal(spanAt(layout, 0, 12, 1.5), 1);
    assert.equal(spanAt(layout, 0, 12, 0.5), -1);
    assert.equal(spanAt(layout, 0, 19, 1.5), 2);
    assert.equal(spanAt(layout, 5, 19, 1.5), -1);
  });

  it('picks a span under a pixel that touches a longer one, within the slack', () => {
    // A lens's three calls back to back: [0, 1500], [1500, 1500.02], [1500.02, 3000]. At 0.5 px/ms
    // the middle one is 0.01 px wide, drawn as a mark at pixel 750 that the third bar would hide.
    const calls = buildLayout(
      input([
        [0, 1500, 0],
        [1500, 1500.02, 0],
        [1500.02, 3000, 0],
      ]),
      new Uint8Array(3).fill(1),
    );
    const slack = 3 / 0.5;
    const thin = 1 / 0.5;
    // 1502 ms (pixel 751) is inside the third span, 1.98 ms after the thin one: within 6 ms.
    assert.equal(spanAt(calls, 0, 1502, slack, thin), 1);
    // 1498 ms is inside the first span, 2 ms before the thin one.
    assert.equal(spanAt(calls, 0, 1498, slack, thin), 1);
    // 1510 ms is 9.98 ms past it: the third span, as before.
    assert.equal(spanAt(calls, 0, 1510, slack, thin), 2);
    // Zoomed in to 100 px/ms the middle span is 2 px wide: no longer thin, plain covering wins.
    assert.equal(spanAt(calls, 0, 1500.03, 3 / 100, 1 / 100), 2);
  });

  it('binary-searches the first value not below the target', () => {
    const sorted = Float64Array.of(1, 3, 3, 7);
    assert.equal(lowerBound(sorted, 3, 0, 4), 1);
    assert.equal(lowerBound(sorted, 4, 0, 4), 3);
    assert.equal(lowerBound(sorted, 8, 0, 4), 4);
    assert.equal(lowerBound(sorted, 0, 2, 4), 2);
  });
});
