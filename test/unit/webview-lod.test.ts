/**
 * Level of detail: wide spans are drawn as themselves, thin ones merge into whole-pixel blocks,
 * and the work per row follows the pixels, not the number of spans.
 */
import * as assert from 'node:assert/strict';
import { Blocks, rowBlocks } from '../../src/webview/lod';

function blocksOf(starts: number[], ends: number[], t0: number, pxPerMs: number, width: number) {
  const out = new Blocks();
  const steps = rowBlocks(Float64Array.from(starts), Float64Array.from(ends), 0, starts.length, { t0, pxPerMs, width }, out);
  const list = Array.from({ length: out.count }, (_, k) => [out.x0[k], out.x1[k], out.first[k], out.spans[k]]);
  return { list, steps };
}

/** `n` spans 0.01 ms long, one every 0.02 ms: span k covers [0.02k, 0.02k + 0.01]. */
function comb(n: number) {
  const starts = Array.from({ length: n }, (_, k) => k * 0.02);
  return { starts, ends: starts.map((s) => s + 0.01) };
}

describe('rowBlocks', () => {
  it('draws spans at least a pixel wide as themselves', () => {
    // 10 px per ms: [0,5] → 0…50 px, [10,20] → 100…200 px.
    const { list } = blocksOf([0, 10], [5, 20], 0, 10, 1000);
    assert.deepEqual(list, [
      [0, 50, 0, 1],
      [100, 200, 1, 1],
    ]);
  });

  it('skips spans outside the view', () => {
    // View 100…200 ms at 1 px/ms: span 0 ends before it, span 2 starts after it.
    const { list } = blocksOf([0, 150, 300], [50, 160, 310], 100, 1, 100);
    assert.deepEqual(list, [[50, 60, 1, 1]]);
  });

  it('merges spans that share a pixel column into one block', () => {
    // 1 px per ms: three spans inside [0, 1) px → one block of pixel 0 standing for 3 spans.
    const { list } = blocksOf([0.1, 0.3, 0.5], [0.2, 0.4, 0.6], 0, 1, 100);
    assert.deepEqual(list, [[0, 1, 0, 3]]);
  });

  it('merges a dense run into one block at a cost of about one step per pixel', () => {
    // 1000 spans at 10 px/ms: each 0.1 px wide, 0.2 px apart, the last ending at 19.99 ms = 199.9 px.
    // One block [0, ceil(199.9) = 200) for all 1000; the block grows a pixel per step: ~200 steps.
    const { starts, ends } = comb(1000);
    const { list, steps } = blocksOf(starts, ends, 0, 10, 1000);
    assert.deepEqual(list, [[0, 200, 0, 1000]]);
    assert.ok(steps <= 205, `steps ${steps}`);
  });

  it('draws the same spans one by one when zoomed in, only those on screen', () => {
    // 1000 px per ms: each span 10 px wide. View [0, 1] ms: spans with start ≤ 1 are k = 0…50 → 51 bars,
    // plus one step that meets span 51 (start 1.02 > 1) and stops.
    const { starts, ends } = comb(1000);
    const { list, steps } = blocksOf(starts, ends, 0, 1000, 1000);
    assert.equal(list.length, 51);
    assert.deepEqual(list[1], [20, 30, 1, 1]);
    assert.equal(steps, 52);
  });

  it('colours a merged block by the longest span its walk looked at', () => {
    // 1 px per ms: span 0 [0.1, 0.2] opens block [0, 1); span 1 [1.1, 1.4] starts right after and
    // extends it to [0, 2) — at 0.3 ms it is longer than span 0 (0.1), so it leads; span 2
    // [1.5, 1.6] ends inside the block and is skipped unseen.
    const out = new Blocks();
    rowBlocks(Float64Array.of(0.1, 1.1, 1.5), Float64Array.of(0.2, 1.4, 1.6), 0, 3, { t0: 0, pxPerMs: 1, width: 100 }, out);
    assert.deepEqual([out.count, out.x0[0], out.x1[0], out.spans[0], out.lead[0]], [1, 0, 2, 3, 1]);
  });

  it('keeps thin spans apart when a pixel of gap separates them', () => {
    // 1 px per ms: thin spans at 0.2 and 0.5 (pixel 0) and at 5.2 (pixel 5): two blocks.
    const { list } = blocksOf([0.2, 0.5, 5.2], [0.3, 0.6, 5.3], 0, 1, 100);
    assert.deepEqual(list, [
      [0, 1, 0, 2],
      [5, 6, 2, 1],
    ]);
  });
});
