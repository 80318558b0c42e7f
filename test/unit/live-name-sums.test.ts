/**
 * The kept `many_calls` sums of the incremental analysis: a name's total duration and heaviest
 * call site follow spans that were open when the sums were last taken, in numbers worked out by
 * hand (and, each time, the same as a full `analyze` of the same profile).
 */
import { strict as assert } from 'assert';
import { analyze, type AnalyzeOptions } from '../../src/core/analyze';
import type { Analysis, Bottleneck } from '../../src/core/analysis-types';
import { LiveAnalysis } from '../../src/core/incremental/live-analysis';
import { PriceBook } from '../../src/core/prices';
import { JsonlIngest } from '../../src/ingest/jsonl';

const HEADER = '{"t":"run","v":1,"name":"hand","start":"1763900000000000000","pid":1,"argv":[],"cwd":"/w","recorder":"test/0"}';
const prices = new PriceBook();
// Slow rules out of the way (no tool averages an hour), many_calls from 3 calls.
const options: AnalyzeOptions = { prices, thresholds: { manyCalls: 2, slowToolAvgMs: 3_600_000, slowLlmAvgMs: 3_600_000 } };
const MS = 1_000_000;

function liveRun(): (records: object[]) => Analysis {
  const ingest = new JsonlIngest();
  const live = new LiveAnalysis(options);
  ingest.push(new TextEncoder().encode(HEADER + '\n'));
  return (records) => {
    ingest.push(new TextEncoder().encode(records.map((r) => JSON.stringify(r) + '\n').join('')));
    const profile = ingest.builder.finish();
    const result = live.update(profile, ingest.builder.takeChanges());
    assert.deepStrictEqual(result, analyze(profile, options));
    return result;
  };
}

const manyCalls = (a: Analysis, name: string): Bottleneck | undefined =>
  a.bottlenecks.find((b) => b.kind === 'many_calls' && b.component === name);

describe('LiveAnalysis many_calls sums', () => {
  it('a span open when the sums were taken counts with its final duration', () => {
    const append = liveRun();
    // tool:fetch #1 at a.py:1 opens at 0; #2 (a.py:1) runs 1–2 ms; #3 (b.py:1) runs 2–5 ms. The
    // run's last time is 5 ms, so #1 lasts 5 ms: total 5 + 1 + 3 = 9 ms; a.py:1 has 6 ms, b.py:1 3.
    let a = append([
      { t: 's', id: 1, n: 'tool:fetch', at: 0, f: 'a.py', l: 1 },
      { t: 's', id: 2, n: 'tool:fetch', at: 1 * MS, f: 'a.py', l: 1 },
      { t: 'e', id: 2, at: 2 * MS },
      { t: 's', id: 3, n: 'tool:fetch', at: 2 * MS, f: 'b.py', l: 1 },
      { t: 'e', id: 3, at: 5 * MS },
    ]);
    let item = manyCalls(a, 'tool:fetch')!;
    assert.match(item.suggestion, /ran 3 times \(limit 2\), 9 ms in all/);
    assert.deepEqual([item.file, item.line], ['a.py', 1]);
    // #4 (b.py:1) runs 5–100 ms, and #1 ends at 6 ms: total 6 + 1 + 3 + 95 = 105 ms; a.py:1 has
    // 7 ms, b.py:1 98 ms, now the heaviest.
    a = append([
      { t: 'e', id: 1, at: 6 * MS },
      { t: 's', id: 4, n: 'tool:fetch', at: 5 * MS, f: 'b.py', l: 1 },
      { t: 'e', id: 4, at: 100 * MS },
    ]);
    item = manyCalls(a, 'tool:fetch')!;
    assert.match(item.suggestion, /ran 4 times \(limit 2\), 105 ms in all/);
    assert.deepEqual([item.file, item.line], ['b.py', 1]);
    // #5 (a.py:1) runs 100–300 ms: 105 + 200 = 305 ms; a.py:1 has 207 ms, the heaviest again.
    a = append([
      { t: 's', id: 5, n: 'tool:fetch', at: 100 * MS, f: 'a.py', l: 1 },
      { t: 'e', id: 5, at: 300 * MS },
    ]);
    item = manyCalls(a, 'tool:fetch')!;
    assert.match(item.suggestion, /ran 5 times \(limit 2\), 305 ms in all/);
    assert.deepEqual([item.file, item.line], ['a.py', 1]);
  });
});
