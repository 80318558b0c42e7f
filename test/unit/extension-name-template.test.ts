/**
 * Timer-name templates against recorded span names without backtracking (issue 18): the old
 * `^.*?x.*?x…xy$` froze the host on a span named `x`×42. Adversarial cases must answer correctly and
 * finish (a generous bound: speed targets live in the benchmarks); a hand-made table pins the meaning.
 */
import * as assert from 'node:assert/strict';
import { buildSiteIndex, matchCalls } from '../../src/extension/lens-index';
import { scanTimerCalls } from '../../src/extension/timer-scan';
import { analysis, nameTiming, runResult, site } from './extension-fixtures';
import * as path from 'node:path';

function patternOf(source: string) {
  const calls = scanTimerCalls(source);
  assert.equal(calls.length, 1, `one call in ${source}`);
  return calls[0].pattern;
}

function timedTest(source: string, name: string): { value: boolean; ms: number } {
  const pattern = patternOf(source);
  const t0 = performance.now();
  const value = pattern.test(name);
  return { value, ms: performance.now() - t0 };
}

describe('timer-name templates match without backtracking', () => {
  const holes = Array.from({ length: 12 }, (_, i) => `{a${i}}`).join('x');
  const cases: Array<[source: string, name: string, expected: boolean]> = [
    [`timer(f"${holes}xy")`, 'x'.repeat(10_000), false],
    [`timer(f"${holes}xy")`, 'x'.repeat(10_000) + 'y', true],
    [`timer(f"${holes}xy")`, 'x'.repeat(42), false],
    ['timer(`' + Array.from({ length: 12 }, (_, i) => '${a' + i + '}').join('x') + 'xy`)', 'x'.repeat(10_000), false],
    [`timer(f"a{b}a{c}a{d}a{e}a{f}ab")`, 'a'.repeat(10_000), false],
  ];
  for (const [source, name, expected] of cases) {
    it(`${source.slice(0, 30)}… on ${name.length} characters → ${expected}`, () => {
      const { value, ms } = timedTest(source, name);
      assert.equal(value, expected);
      assert.ok(ms < 200, `took ${ms.toFixed(1)} ms`);
    });
  }

  it('a code lens over an adversarial template and profile is computed promptly', () => {
    const source = `with timer(f"${holes}xy"):`;
    const calls = scanTimerCalls(source);
    const names = Array.from({ length: 50 }, (_, i) => 'x'.repeat(1_000 + i));
    const base = analysis();
    const result = runResult(analysis({ timing: { ...base.timing, bySite: [site('other.py', 9, names)], byName: names.map((n) => nameTiming(n)) } }));
    const index = buildSiteIndex(result, 1, '/w', { path: path.posix, caseInsensitive: false });
    const t0 = performance.now();
    const matches = matchCalls(calls, index, '/w/agent.py');
    const ms = performance.now() - t0;
    assert.equal(matches.length, 0);
    assert.ok(ms < 200, `took ${ms.toFixed(1)} ms`);
  });
});

describe('timer-name templates: hand-made table', () => {
  const table: Array<[source: string, name: string, expected: boolean]> = [
    ['timer("plain")', 'plain', true],
    ['timer("plain")', 'plain2', false],
    ['timer("a.b(c)+")', 'a.b(c)+', true],
    ['timer("a.b(c)+")', 'aXb(c)+', false],
    ['timer(f"step_{i}")', 'step_', true],
    ['timer(f"step_{i}")', 'step_7', true],
    ['timer(f"step_{i}")', 'xstep_7', false],
    ['timer(f"{i}_end")', 'a_end', true],
    ['timer(f"{i}_end")', 'a_end_', false],
    ['timer(f"ab{i}ba")', 'aba', false], // the first and last piece may not overlap
    ['timer(f"ab{i}ba")', 'abba', true],
    ['timer(f"a{i}b{j}c")', 'abc', true],
    ['timer(f"a{i}b{j}c")', 'acbc', true],
    ['timer(f"a{i}b{j}c")', 'acb', false],
    ['timer(f"a{i}bc{j}c")', 'abcc', true],
    ['timer(f"a{i}bc{j}c")', 'abc', false], // `bc` may not reuse the final `c`
    ['timer(f"{i}{j}")', '', true],
    ['timer(f"x{i}\\n{j}y")', 'x\n\ny', false], // a raw backslash-n in source is the two characters
    ['timer(f"line{i}")', 'line\nbreak', true], // holes match line breaks too
  ];
  for (const [source, name, expected] of table) {
    it(`${source} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(name)}`, () => {
      assert.equal(patternOf(source).test(name), expected);
    });
  }
});
