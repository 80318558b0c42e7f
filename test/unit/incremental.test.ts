/**
 * The incremental analysis on hand-computed appends: what one append changes, in numbers worked
 * out by hand (and, each time, the same as a full `analyze` of the same profile).
 */
import { strict as assert } from 'assert';
import { analyze } from '../../src/core/analyze';
import type { Analysis } from '../../src/core/analysis-types';
import { LiveAnalysis } from '../../src/core/incremental/live-analysis';
import { PriceBook } from '../../src/core/prices';
import { JsonlIngest } from '../../src/ingest/jsonl';

const HEADER = '{"t":"run","v":1,"name":"hand","start":"1763900000000000000","pid":1,"argv":[],"cwd":"/w","recorder":"test/0"}';
const prices = new PriceBook();

/** A reader and a live analysis fed record by record. */
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

const row = (a: Analysis, name: string) => a.timing.byName.find((r) => r.name === name)!;

describe('LiveAnalysis', () => {
  it('a child appended under an open parent changes the parent\'s self time by its clipped length', () => {
    const append = liveRun();
    // agent:run opens at 0 and stays open; tool:search runs 1–3 ms under it. The run's last time
    // is 3 ms, so agent:run lasts 3 ms, of which 2 are its child's: self 1 ms.
    let a = append([
      { t: 's', id: 1, n: 'agent:run', at: 0 },
      { t: 's', id: 2, p: 1, n: 'tool:search', at: 1_000_000 },
      { t: 'e', id: 2, at: 3_000_000 },
    ]);
    assert.equal(row(a, 'agent:run').totalMs, 3);
    assert.equal(row(a, 'agent:run').selfMs, 1);
    assert.equal(row(a, 'agent:run').unfinished, 1);
    // llm:plan runs 4–6 ms under it: agent:run now lasts 6 ms (open spans end at the last time),
    // its children cover 2 + 2 = 4 ms, self 6 − 4 = 2 ms: +1 ms (+3 duration, +2 covered).
    a = append([
      { t: 's', id: 3, p: 1, n: 'llm:plan', at: 4_000_000 },
      { t: 'e', id: 3, at: 6_000_000 },
    ]);
    assert.equal(row(a, 'agent:run').totalMs, 6);
    assert.equal(row(a, 'agent:run').selfMs, 2);
    assert.equal(row(a, 'llm:plan').selfMs, 2);
    // From the end back: llm:plan 4–6, agent:run waits 3–4, tool:search 1–3, agent:run 0–1.
    assert.deepStrictEqual(
      a.criticalPath.map((s) => [s.name, s.startMs, s.endMs]),
      [
        ['agent:run', 0, 1],
        ['tool:search', 1, 3],
        ['agent:run', 3, 4],
        ['llm:plan', 4, 6],
      ],
    );
  });

  it('prices each appended usage record once and adds it to the totals', () => {
    const append = liveRun();
    const call = { t: 'u', op: 'llm:plan', model: 'gpt-4o', prov: 'openai', in: 1000, out: 100 };
    // gpt-4o at the run's start: $2.50 per million input, $10 per million output tokens:
    // 1000 × 2.5e-6 + 100 × 1e-5 = 0.0025 + 0.001 = $0.0035 a call.
    let a = append([{ t: 's', id: 1, n: 'llm:plan', at: 0 }, { ...call, span: 1 }, { t: 'e', id: 1, at: 1_000_000 }]);
    assert.ok(Math.abs(a.tokens.costUsd - 0.0035) < 1e-12);
    assert.equal(a.run.tokens, 1100);
    a = append([{ t: 's', id: 2, n: 'llm:plan', at: 2_000_000 }, { ...call, span: 2 }, { t: 'e', id: 2, at: 3_000_000 }]);
    assert.ok(Math.abs(a.tokens.costUsd - 0.007) < 1e-12);
    assert.equal(a.tokens.byOperation[0].calls, 2);
    assert.equal(a.run.tokens, 2200);
  });

  it('an orphan is adopted when its parent arrives later', () => {
    const append = liveRun();
    // Span 2 names parent 9, not yet in the file: shown at the top level, flagged.
    let a = append([{ t: 's', id: 2, p: 9, n: 'tool:x', at: 1_000_000 }, { t: 'e', id: 2, at: 2_000_000 }]);
    assert.equal(a.run.orphans, 1);
    // Span 9 arrives covering 0–4 ms: span 2 is its child now; 9's self time is 4 − 1 = 3 ms.
    a = append([{ t: 's', id: 9, n: 'agent:step', at: 0 }, { t: 'e', id: 9, at: 4_000_000 }]);
    assert.equal(a.run.orphans, 0);
    assert.equal(row(a, 'agent:step').selfMs, 3);
  });

  it('starts over on another profile', () => {
    const live = new LiveAnalysis({ prices });
    const read = (text: string) => {
      const ingest = new JsonlIngest();
      ingest.push(new TextEncoder().encode(text));
      return ingest;
    };
    const one = read(`${HEADER}\n{"t":"s","id":1,"n":"a","at":0}\n{"t":"e","id":1,"at":5000000}\n`);
    const p1 = one.builder.finish();
    assert.equal(live.update(p1, one.builder.takeChanges()).timing.byName[0].totalMs, 5);
    const two = read(`${HEADER}\n{"t":"s","id":1,"n":"b","at":0}\n{"t":"e","id":1,"at":7000000}\n`);
    const p2 = two.builder.finish();
    const a = live.update(p2, two.builder.takeChanges());
    // Only span b (7 ms): nothing of the first profile is left.
    assert.deepStrictEqual(a.timing.byName.map((r) => [r.name, r.totalMs]), [['b', 7]]);
  });
});

describe('LiveAnalysis percentiles', () => {
  it('takes many spans of one name in one append (the sorted durations grow past their first capacity)', () => {
    const append = liveRun();
    // 100 closed spans of 1, 2, …, 100 ms: p50 at rank 0.5 × 99 = 49.5, between 50 and 51 ms → 50.5;
    // p95 at rank 94.05 → 95 + 0.05 × 1 = 95.05 ms; p99 at rank 98.01 → 99.01 ms.
    const records: object[] = [];
    for (let k = 1; k <= 100; k++) {
      records.push({ t: 's', id: k, n: 'tool:x', at: 0 }, { t: 'e', id: k, at: k * 1_000_000 });
    }
    let a = append(records);
    assert.equal(row(a, 'tool:x').p50Ms, 50.5);
    assert.ok(Math.abs(row(a, 'tool:x').p95Ms - 95.05) < 1e-9);
    assert.ok(Math.abs(row(a, 'tool:x').p99Ms - 99.01) < 1e-9);
    // One more of 101 ms: 101 samples, p50 at rank 50 → 51 ms exactly.
    a = append([{ t: 's', id: 101, n: 'tool:x', at: 0 }, { t: 'e', id: 101, at: 101_000_000 }]);
    assert.equal(row(a, 'tool:x').p50Ms, 51);
  });
});
