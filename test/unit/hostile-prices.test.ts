/**
 * A profile with very many distinct model names: pricing looks up at most 10 000 of them in the
 * price library (33 µs each), the unpriced names are listed at most 100 (then "… and N more"),
 * and the incremental analysis no longer sorts the whole list again for every new name.
 */
import { strict as assert } from 'assert';
import { analyze } from '../../src/core/analyze';
import { ProfileBuilder } from '../../src/core/builder';
import { LiveAnalysis } from '../../src/core/incremental/live-analysis';
import { MAX_MODELS_LOOKED_UP, PriceBook } from '../../src/core/prices';
import { MAX_UNPRICED_LISTED, unpricedList } from '../../src/core/tokens';

describe('pricing very many distinct model names', function () {
  this.timeout(60_000);

  it('unpricedList: sorted, at most 100, then a count', () => {
    assert.deepEqual(unpricedList(new Set(['b', 'a'])), ['a', 'b']);
    const many = new Set(Array.from({ length: 250 }, (_, i) => `m${String(i).padStart(3, '0')}`));
    const list = unpricedList(many);
    assert.equal(MAX_UNPRICED_LISTED, 100);
    assert.equal(list.length, 101);
    assert.deepEqual([list[0], list[99], list[100]], ['m000', 'm099', '… and 150 more']);
  });

  it('past 10 000 distinct names no look-up is made; a known model met first is still priced', () => {
    const book = new PriceBook();
    assert.equal(book.price('gpt-4o', 'openai', { input: 1000, output: 0, cacheRead: 0, cacheWrite: 0 }).priced, true);
    for (let i = 0; i < MAX_MODELS_LOOKED_UP; i++) book.price(`junk-${i}`, undefined, { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 });
    const t = performance.now();
    for (let i = 0; i < 100_000; i++) assert.equal(book.price(`late-${i}`, undefined, { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 }).priced, false);
    const ms = performance.now() - t;
    assert.ok(ms < 1000, `100 000 names past the cap took ${ms.toFixed(0)} ms`);
    assert.equal(book.price('gpt-4o', 'openai', { input: 1000, output: 0, cacheRead: 0, cacheWrite: 0 }).priced, true, 'resolved before the cap: kept');
  });

  it('50 000 distinct names: batch and incremental analyses in seconds, the list capped', () => {
    const b = new ProfileBuilder();
    for (let i = 0; i < 50_000; i++) b.addUsage({ operation: 'llm:x', model: `junk-model-${i}`, input: 10, output: 5 }, i + 2);
    const profile = b.finish();
    let t = performance.now();
    const batch = analyze(profile, { prices: new PriceBook() });
    const batchMs = performance.now() - t;
    t = performance.now();
    const live = new LiveAnalysis({ prices: new PriceBook(), budgets: [] }).update(profile, b.takeChanges());
    const liveMs = performance.now() - t;
    for (const a of [batch, live]) {
      assert.equal(a.run.unpricedModels.length, 101);
      assert.equal(a.run.unpricedModels[100], '… and 49900 more');
      assert.equal(a.tokens.unpricedCalls, 50_000);
    }
    // Before: the incremental analysis took 131 s on 50 000 names (every new name sorted the list again).
    assert.ok(batchMs < 10_000 && liveMs < 10_000, `batch ${batchMs.toFixed(0)} ms, live ${liveMs.toFixed(0)} ms`);
  });
});
