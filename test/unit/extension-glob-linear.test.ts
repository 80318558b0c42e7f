/**
 * Glob matching on untrusted globs and names (issue 18): a backtracking translation of
 * `*a*a*a…ab` froze the extension host on a 45-character name. These cases are adversarial; the
 * point is "answers correctly and does not hang", so the time bound is generous (speed targets
 * belong in the benchmarks).
 */
import * as assert from 'node:assert/strict';
import { GlobSet } from '../../src/extension/glob';

/** Runs `fn`, returns its result and how long it took in milliseconds. */
function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

const matches = (glob: string, path: string) => new GlobSet([glob]).matches(path);

describe('glob matching is linear in the name (adversarial globs)', () => {
  const long = 'a'.repeat(10_000);
  const cases: Array<[glob: string, path: string, expected: boolean]> = [
    ['*a*a*a*a*a*a*a*a*a*a*ab', long, false],
    ['*a*a*a*a*a*a*a*a*a*a*ab', long + 'b', true],
    ['**/*a*a*a*a*a*a*a*a*a*a*ab', 'x/' + long, false],
    ['**a**a**a**a**a**a**a**a**a**a**ab', long, false],
    ['{*a,*aa}{*a,*aa}{*a,*aa}{*a,*aa}{*a,*aa}b', long, false],
    ['**/**/**/**/**/**/**/**/x', 'a/'.repeat(5_000), false],
    ['**/**/**/**/**/**/**/**/x', 'a/'.repeat(4_999) + 'x', true],
    ['*?*?*?*?*?*?*?*?*?*?c', long, false],
    ['[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*[!a]', long, false],
  ];
  for (const [glob, path, expected] of cases) {
    it(`${glob} on ${path.length} characters → ${expected}`, () => {
      const { value, ms } = timed(() => matches(glob, path));
      assert.equal(value, expected);
      assert.ok(ms < 200, `took ${ms.toFixed(1)} ms`);
    });
  }

  it('prunes folders in linear time too (files.watcherExclude)', () => {
    const { value, ms } = timed(() => new GlobSet(['*a*a*a*a*a*a*a*a*a*a*ab/**']).matchesFolder(long));
    assert.equal(value, false);
    assert.ok(ms < 200, `took ${ms.toFixed(1)} ms`);
  });
});

describe('glob matching answers as VS Code settings mean it (hand-made table)', () => {
  const table: Array<[glob: string, path: string, expected: boolean]> = [
    ['*.jsonl', 'a.jsonl', true],
    ['*.jsonl', 'd/a.jsonl', false],
    ['**/*.jsonl', 'a.jsonl', true],
    ['**/*.jsonl', 'd/e/a.jsonl', true],
    ['**/x/**', 'x/y', true],
    ['**/x/**', 'a/x/y/z', true],
    ['**/x/**', 'ax/y', false],
    ['a/**', 'a/b/c', true],
    ['a/**', 'b/a/c', false],
    ['a**b', 'a/c/b', true],
    ['?.txt', 'a.txt', true],
    ['?.txt', '/.txt', false],
    ['?.txt', 'ab.txt', false],
    ['[abc].txt', 'b.txt', true],
    ['[a-c].txt', 'c.txt', true],
    ['[a-c].txt', 'd.txt', false],
    ['[!a-c].txt', 'd.txt', true],
    ['[^a-c].txt', 'a.txt', false],
    ['[!a].txt', '/.txt', false],
    ['[unclosed', '[unclosed', true],
    ['{a,b{c,d}}.x', 'bd.x', true],
    ['{a,b{c,d}}.x', 'b.x', false],
    ['{a,}.x', '.x', true],
    ['a,b', 'a,b', true],
    ['a}b', 'a}b', true],
    ['*a*a*ab', 'xaxaxab', true],
    ['*a*a*ab', 'aab', false],
    ['*', '', true],
    ['.agentprof/*.agentprof.jsonl', '.agentprof/r.agentprof.jsonl', true],
    ['x'.repeat(1001), 'x'.repeat(1001), false], // longer than any setting needs: refused
  ];
  for (const [glob, path, expected] of table) {
    it(`${glob.length > 40 ? glob.slice(0, 12) + '…' : JSON.stringify(glob)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(path.slice(0, 20))}`, () => {
      assert.equal(matches(glob, path), expected);
    });
  }
});
