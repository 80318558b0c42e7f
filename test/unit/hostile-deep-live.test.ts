/**
 * A deep chain on the incremental analysis's first update: every span is new, and marking the
 * spans nested under a same-name ancestor walked the subtree of every new span, quadratic in the
 * depth. At 2 million deep (a 530 MB chain cut by the memory accounting) it gathered 169 million
 * entries and V8 aborted the whole process ("invalid size error"). Only the topmost new spans are
 * walked now.
 */
import { strict as assert } from 'assert';
import { ProfileBuilder } from '../../src/core/builder';
import { LiveAnalysis } from '../../src/core/incremental/live-analysis';
import { topmostOf } from '../../src/core/incremental/live-run-index';
import { PriceBook } from '../../src/core/prices';

describe('incremental analysis of a deep chain', function () {
  this.timeout(60_000);

  it('topmostOf keeps the listed spans with no listed ancestor', () => {
    // 0 ← 1 ← 2 ← 3, and 0 ← 4 ← 5; 6 alone.
    const spans = [-1, 0, 1, 2, 0, 4, -1].map((parent) => ({ parent }));
    assert.deepEqual(topmostOf(spans, [3, 1, 5, 6]), [1, 5, 6]);
    assert.deepEqual(topmostOf(spans, [2, 3, 0]), [0]);
    assert.deepEqual(topmostOf(spans, [5]), [5]);
    assert.deepEqual(topmostOf(spans, []), []);
  });

  it('30 000 deep, open and then closed, with nesting flags right: well under the time a quadratic walk takes', () => {
    const depth = 30_000;
    const b = new ProfileBuilder();
    for (let i = 1; i <= depth; i++) b.openSpan({ id: i, parentId: i === 1 ? undefined : i - 1, name: i % 2 ? 'a:x' : 'b:y', start: i }, i + 1);
    const live = new LiveAnalysis({ prices: new PriceBook(), budgets: [] });
    const t = performance.now();
    const first = live.update(b.finish(), b.takeChanges());
    for (let i = depth; i >= 1; i--) b.closeSpan(i, 2 * depth - i + 1, depth + i + 1);
    const second = live.update(b.finish(), b.takeChanges());
    const ms = performance.now() - t;
    assert.equal(first.run.spans, depth);
    assert.equal(second.run.unfinished, 0);
    // Names alternate down the chain: half the spans each.
    const a = second.timing.byName.find((r) => r.name === 'a:x')!;
    assert.equal(a.count, depth / 2);
    assert.ok(ms < 10_000, `${ms.toFixed(0)} ms`);
  });
});
