import { strict as assert } from 'node:assert';
import type { SiteTiming } from '../../src/core/analysis-types';
import { compareSiteRowsFast } from '../../src/core/incremental/ordered-rows';
import { compareSiteRows } from '../../src/core/timing';

/** A site row with only the fields the order reads. */
const row = (file: string, line: number, totalMs = 5): SiteTiming => ({ file, line, totalMs }) as SiteTiming;

describe('compareSiteRowsFast', () => {
  // Each pair: [a, b, sign of the expected comparison]. The expectations are the key order of
  // `file:` + line padded to 9 digits, written out by hand.
  const cases: Array<[SiteTiming, SiteTiming, number]> = [
    [row('a.py', 1, 9), row('a.py', 2, 3), -1], // larger total first: 9 ms before 3 ms
    [row('a.py', 9), row('a.py', 10), -1], // "a.py:000000009" < "a.py:000000010"
    [row('a.py', 10), row('a.py', 10), 0],
    [row('a.py', 10), row('b.py', 1), -1], // 'a' < 'b'
    // One file a prefix of the other: "a:000000005" vs "a:b:000000001" differ at '0' (48) < 'b' (98).
    [row('a', 5), row('a:b', 1), -1],
    // "a:000000005" vs "a.py:000000001": ':' (58) > '.' (46).
    [row('a', 5), row('a.py', 1), 1],
    // Lines past 9 digits compare as digit strings: "x:1000000000" < "x:999999999" ('1' < '9').
    [row('x', 1_000_000_000), row('x', 999_999_999), -1],
  ];
  for (const [a, b, sign] of cases) {
    it(`orders ${a.file}:${a.line} (${a.totalMs} ms) against ${b.file}:${b.line} (${b.totalMs} ms) as ${sign}`, () => {
      assert.equal(Math.sign(compareSiteRowsFast(a, b)), sign);
      assert.equal(Math.sign(compareSiteRowsFast(b, a)), -sign || 0);
      // The same order as the batch table's comparator.
      assert.equal(Math.sign(compareSiteRows(a, b)), sign);
    });
  }
});
