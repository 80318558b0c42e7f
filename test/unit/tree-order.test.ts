import { strict as assert } from 'assert';
import fc from 'fast-check';
import { childLists, orderBy, preorder } from '../../src/core/tree-order';
import { makeProfile } from './helpers/profile-fixtures';

/** Reference: a stable comparison sort of the initial order. */
function referenceOrder(keys: number[], initial: number[] | undefined, descending: boolean): number[] {
  const order = initial ?? keys.map((_, i) => i);
  return order.slice().sort((a, b) => (descending ? keys[b] - keys[a] : keys[a] - keys[b]));
}

describe('orderBy', () => {
  it('orders indices by key, ties in index order', () => {
    // keys 5, 1, 5, 0 → 0 (index 3), 1 (index 1), then the two 5s in index order 0, 2.
    assert.deepEqual(Array.from(orderBy(Float64Array.from([5, 1, 5, 0]))), [3, 1, 0, 2]);
    // Ties keep the given initial order instead.
    assert.deepEqual(Array.from(orderBy(Float64Array.from([5, 1, 5, 0]), Int32Array.from([2, 1, 0, 3]))), [3, 1, 2, 0]);
    assert.deepEqual(Array.from(orderBy(new Float64Array(0))), []);
    // Descending: 5 (index 0), 5 (index 2), 1, 0 — ties still in index order.
    assert.deepEqual(Array.from(orderBy(Float64Array.from([5, 1, 5, 0]), undefined, true)), [0, 2, 1, 3]);
  });

  // 600+ keys take the radix path; ranges past 2^16 and 2^32 need 2, 3 and 4 passes.
  const cases: Array<[string, fc.Arbitrary<number>]> = [
    ['small integer range (radix, 1 pass)', fc.integer({ min: 0, max: 1000 })],
    ['32-bit range (radix, 2 passes)', fc.integer({ min: -2_000_000_000, max: 2_000_000_000 })],
    ['ranges just past 2^16, 2^32 and 2^48 (radix, 2, 3 and 4 passes)', fc.constantFrom(0, 1, 2 ** 16, 2 ** 32, 2 ** 48, 2 ** 48 - 1, 5)],
    ['53-bit range (radix, 4 passes)', fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })],
    ['beyond 2^53 (comparison sort)', fc.maxSafeInteger()],
    ['fractional keys (comparison sort)', fc.double({ min: -1e6, max: 1e6, noNaN: true })],
  ];
  for (const [what, key] of cases) {
    it(`matches a stable sort: ${what}`, () => {
      fc.assert(
        fc.property(fc.array(key, { minLength: 600, maxLength: 1500 }), fc.boolean(), fc.boolean(), (keys, withInitial, descending) => {
          // Repeat some keys so ties matter.
          for (let i = 0; i < keys.length; i += 7) keys[i] = keys[(i * 31) % keys.length];
          const initial = withInitial ? keys.map((_, i) => keys.length - 1 - i) : undefined;
          const actual = orderBy(Float64Array.from(keys), initial && Int32Array.from(initial), descending);
          const expected = referenceOrder(keys, initial, descending);
          // Compared element by element: a diff of two long arrays per shrink step is slow.
          assert.equal(actual.length, expected.length);
          const bad = expected.findIndex((x, k) => actual[k] !== x);
          assert.equal(bad, -1, `first difference at ${bad}: ${actual[bad]} instead of ${expected[bad]}`);
        }),
        { numRuns: 40, endOnFailure: true },
      );
    });
  }
});

describe('childLists and preorder', () => {
  it('groups children under their parent, top-level spans under the run slot', () => {
    // Spans 0..4: parents -1, 0, 0, -1, 1.
    const lists = childLists(Int32Array.from([-1, 0, 0, -1, 1]), Int32Array.from([0, 1, 2, 3, 4]));
    const of = (slot: number) => Array.from(lists.list.subarray(lists.offset[slot], lists.offset[slot + 1]));
    assert.deepEqual([of(0), of(1), of(2), of(3), of(4), of(5)], [[1, 2], [4], [], [], [], [0, 3]]);
  });

  it('visits parents before children, siblings by start', () => {
    const profile = makeProfile([
      { id: 'b', parent: 'r', name: 'b', start: 50, end: 60 },
      { id: 'r', name: 'r', start: 0, end: 100 },
      { id: 'a', parent: 'r', name: 'a', start: 10, end: 20 },
      { id: 'a1', parent: 'a', name: 'a1', start: 12, end: 15 },
    ]);
    const { order, depth } = preorder(profile);
    // Indices: b 0, r 1, a 2, a1 3 → r, a, a1, b.
    assert.deepEqual(Array.from(order), [1, 2, 3, 0]);
    assert.deepEqual(Array.from(depth), [0, 1, 2, 1]);
  });
});
