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
});
