/**
 * Finding calls that repeat an earlier call's input, for the `repeated_calls` rule
 * (bottleneck-patterns.ts): grouping by (name, input hash) over every span and usage record.
 */

/** FNV-1a hash of a string's UTF-16 code units. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/**
 * Items sharing a pair of keys (name and input hash) with at least one other item, skipping items
 * whose first key is undefined. Groups come out in the order of their first item.
 *
 * Most input hashes are unique, so this is mostly "have I seen this string before?" over half a
 * million strings: an open-addressing table of item positions (plus each string's hash, for a
 * cheap reject) answers it in half the time of a `Map`, and no list is made and no key joined for
 * the many calls that never repeat.
 */
export function repeatsByKeyPair<T>(items: readonly T[], first: (item: T) => string | undefined, second: (item: T) => string): T[][] {
  let capacity = 16;
  while (capacity < 2 * items.length) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const hashes = new Int32Array(capacity);
  // First position of a repeated hash → the positions of all items with it.
  const repeated = new Map<number, number[]>();
  for (let k = 0; k < items.length; k++) {
    if (first(items[k]) === undefined) continue;
    const key = second(items[k]);
    const h = hashString(key);
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const seen = slots[slot];
      if (seen < 0) {
        slots[slot] = k;
        hashes[slot] = h;
        break;
      }
      if (hashes[slot] === h && second(items[seen]) === key) {
        const positions = repeated.get(seen);
        if (positions) positions.push(k);
        else repeated.set(seen, [seen, k]);
        break;
      }
    }
  }
  const groups: Array<{ at: number; items: T[] }> = [];
  for (const positions of repeated.values()) {
    // The same hash under different names is different calls: split by the first key.
    const byFirst = new Map<string, { at: number; items: T[] }>();
    for (const k of positions) {
      const name = first(items[k]) as string;
      const group = byFirst.get(name);
      if (group) group.items.push(items[k]);
      else byFirst.set(name, { at: k, items: [items[k]] });
    }
    for (const group of byFirst.values()) if (group.items.length >= 2) groups.push(group);
  }
  return groups.sort((a, b) => a.at - b.at).map((g) => g.items);
}
