/**
 * A seeded sample of the fuzz run (bench/fuzz.ts runs 100 000 cases): 2 000 mutated real profiles
 * through the native reader, the OTLP, Chrome and console importers and the loader's detection,
 * each followed by analyze() and the reports, in worker threads under a 10 s watchdog. No case
 * may crash, hang, break an invariant, or lose a valid span (native and OTLP, which have an oracle).
 */
import { strict as assert } from 'assert';
import { nativeSpanOracle } from '../fixtures/hostile/fuzz-case';
import { loadSeeds, runFuzz } from '../fixtures/hostile/fuzz-harness';
import { mutateCase } from '../fixtures/hostile/fuzz-mutate';

describe('fuzz smoke (seeded sample of bench/fuzz.ts)', function () {
  this.timeout(300_000);

  it('the span oracle counts what the format says is valid', () => {
    const header = '{"t":"run","v":1,"name":"o","start":"1"}\n';
    const text =
      header +
      '{"t":"s","id":1,"n":"ok","at":0}\n' + // valid
      '{"t":"s","id":-1,"n":"bad id","at":0}\n' +
      '{"t":"s","id":2,"n":"bad time","at":1e999}\n' +
      '{"t":"s","id":"x","n":"ok","at":9007199254740992}\n' + // valid
      '{"t":"s","id":3,"n":"cut","at":1'; // unterminated last line, not JSON
    assert.equal(nativeSpanOracle(new TextEncoder().encode(text)), 2);
    // A second header starts a new run: only spans after it count.
    assert.equal(nativeSpanOracle(new TextEncoder().encode(text + '\n' + header + '{"t":"s","id":1,"n":"new","at":0}\n')), 1);
  });

  it('mutations are deterministic in (seed, index)', () => {
    const seeds = loadSeeds().native;
    assert.deepEqual(mutateCase(7, 42, seeds), mutateCase(7, 42, seeds));
    assert.notDeepEqual(mutateCase(7, 42, seeds).bytes, mutateCase(7, 43, seeds).bytes);
  });

  it('2 000 cases: no crash, no hang, no invariant broken, no valid span lost', async () => {
    const report = await runFuzz({ seed: 1, cases: 2000, workers: 2, timeoutMs: 10_000 });
    const shown = report.failures.slice(0, 5).map((f) => `${f.kind} ${f.target} #${f.index} (${f.mutations.join(',')}): ${f.detail.slice(0, 400)}`);
    let tried = 0;
    for (const [target, s] of Object.entries(report.stats)) {
      tried += s.tried;
      assert.deepEqual([s.crashes, s.hangs, s.violations, s.spansLost, s.spansExtra], [0, 0, 0, 0, 0], `${target}:\n${shown.join('\n')}`);
    }
    assert.equal(tried, 2000);
    // The oracle saw real spans: the native and OTLP cases are not all broken beyond reading.
    assert.ok(report.stats.native.spansExpected > 1000 && report.stats.otlp.spansExpected > 1000);
  });
});
