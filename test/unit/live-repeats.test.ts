/**
 * `repeated_calls` in the live analysis: an item's impact weighs its saving against the wall
 * time, which grows with appends that do not touch the repeated calls at all; a live analysis
 * that keeps items across updates must still follow, as a full `analyze` of the same profile does.
 */
import { strict as assert } from 'assert';
import { analyze } from '../../src/core/analyze';
import type { Analysis } from '../../src/core/analysis-types';
import { LiveAnalysis } from '../../src/core/incremental/live-analysis';
import { PriceBook } from '../../src/core/prices';
import { JsonlIngest } from '../../src/ingest/jsonl';

const HEADER = '{"t":"run","v":1,"name":"repeats","start":"1763900000000000000","pid":1,"argv":[],"cwd":"/w","recorder":"test/0"}';
const prices = new PriceBook();
const MS = 1_000_000;

/** A reader and a live analysis fed record by record; each result checked against `analyze`. */
function liveRun(): (records: object[]) => Analysis {
  const ingest = new JsonlIngest();
  const live = new LiveAnalysis({ prices });
  ingest.push(new TextEncoder().encode(HEADER + '\n'));
  return (records) => {
    ingest.push(new TextEncoder().encode(records.map((r) => JSON.stringify(r) + '\n').join('')));
    const profile = ingest.builder.finish();
    const result = live.update(profile, ingest.builder.takeChanges());
    assert.deepStrictEqual(result, analyze(profile, { prices }));
    return result;
  };
}

const repeated = (a: Analysis) => a.bottlenecks.filter((b) => b.kind === 'repeated_calls');

describe('LiveRepeats', () => {
  it('renews the impact of an unchanged repeat group as the wall time grows', () => {
    const append = liveRun();
    // tool:fetch with key k1 runs 0–10 ms, then again 10–20 ms: one repeat, 10 ms on the critical
    // path (the two run one after the other). Wall 20 ms: 10 ≥ 0.25 × 20 = 5, so high.
    let a = append([
      { t: 's', id: 1, n: 'tool:fetch', at: 0, k: 'k1' },
      { t: 'e', id: 1, at: 10 * MS },
      { t: 's', id: 2, n: 'tool:fetch', at: 10 * MS, k: 'k1' },
      { t: 'e', id: 2, at: 20 * MS },
    ]);
    assert.deepStrictEqual(repeated(a).map((b) => [b.component, b.value, b.savingsMs, b.impact]), [['tool:fetch', 1, 10, 'high']]);
    // An unrelated span 20–100 ms: wall 100 ms; 10 < 0.25 × 100 = 25 but ≥ 0.05 × 100 = 5: medium.
    a = append([
      { t: 's', id: 3, n: 'agent:other', at: 20 * MS },
      { t: 'e', id: 3, at: 100 * MS },
    ]);
    assert.deepStrictEqual(repeated(a).map((b) => [b.component, b.value, b.savingsMs, b.impact]), [['tool:fetch', 1, 10, 'medium']]);
    // Another 100–300 ms: wall 300 ms; 10 < 0.05 × 300 = 15: low.
    a = append([
      { t: 's', id: 4, n: 'agent:more', at: 100 * MS },
      { t: 'e', id: 4, at: 300 * MS },
    ]);
    assert.deepStrictEqual(repeated(a).map((b) => [b.component, b.value, b.savingsMs, b.impact]), [['tool:fetch', 1, 10, 'low']]);
  });
  it('follows groups whose earliest member leaves (a parent of the same name arrives late)', () => {
    const append = liveRun();
    // In arrival order: tool:a span 1 (0–10 ms, child of span 9, not here yet), tool:b spans 3
    // (20–30 ms) and 4 (30–40 ms), tool:a span 2 (10–20 ms), all with key k. Two repeat groups;
    // tool:a's earliest member (span 1) arrived first.
    let a = append([
      { t: 's', id: 1, p: 9, n: 'tool:a', at: 0, k: 'k' },
      { t: 'e', id: 1, at: 10 * MS },
      { t: 's', id: 3, n: 'tool:b', at: 20 * MS, k: 'k' },
      { t: 'e', id: 3, at: 30 * MS },
      { t: 's', id: 4, n: 'tool:b', at: 30 * MS, k: 'k' },
      { t: 'e', id: 4, at: 40 * MS },
      { t: 's', id: 2, n: 'tool:a', at: 10 * MS, k: 'k' },
      { t: 'e', id: 2, at: 20 * MS },
    ]);
    assert.deepStrictEqual(repeated(a).map((b) => [b.component, b.value]).sort(), [['tool:a', 1], ['tool:b', 1]]);
    // Span 9 (tool:a, key k, 0–10 ms) arrives: span 1 is nested in a span of its name and leaves
    // the group, which now holds spans 2 and 9 (still one repeat); its earliest member now arrived
    // after tool:b's. Span 5 (tool:b, 40–50 ms): tool:b has 3 spans, two repeats. (liveRun also
    // checks the whole analysis against analyze.)
    a = append([
      { t: 's', id: 9, n: 'tool:a', at: 0, k: 'k' },
      { t: 'e', id: 9, at: 10 * MS },
      { t: 's', id: 5, n: 'tool:b', at: 40 * MS, k: 'k' },
      { t: 'e', id: 5, at: 50 * MS },
    ]);
    assert.deepStrictEqual(repeated(a).map((b) => [b.component, b.value]).sort(), [['tool:a', 1], ['tool:b', 2]]);
  });
});
