/**
 * No regular expression is built at run time in the product (issue 18): one built from a glob, a
 * timer template or a budget target can backtrack for minutes on a hostile name. Constant
 * expressions written as literals (`/…/`) are reviewed like any code; `new RegExp(` and `RegExp(`
 * calls are refused in src/ unless listed here with the reason their pattern is a constant.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `file: reason` — a file allowed to call the RegExp constructor with constant text. Empty today. */
const ALLOWED: Record<string, string> = {};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [full] : [];
  });
}

describe('no RegExp built at run time in src/', () => {
  it('finds no RegExp constructor call outside the allow-list', () => {
    const root = path.resolve(__dirname, '../../src');
    const offenders: string[] = [];
    for (const file of sources(root)) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      if (rel in ALLOWED) continue;
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/(?<![\w$.])(?:new\s+)?RegExp\s*\(/.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(offenders, []);
  });

  it('recognises the forms it forbids (the check itself can fail)', () => {
    const forbidden = /(?<![\w$.])(?:new\s+)?RegExp\s*\(/;
    assert.ok(forbidden.test('const re = new RegExp(`^${x}$`);'));
    assert.ok(forbidden.test('return RegExp(src, "g")'));
    assert.ok(forbidden.test('x = new  RegExp (a)'));
    assert.ok(!forbidden.test('const re: RegExp = /abc/;'));
    assert.ok(!forbidden.test('escapeRegExp(s)'));
  });
});
