/**
 * The hostile Chrome-trace and OpenTelemetry-console corpus (test/fixtures/hostile/chrome and
 * console, made by generate.ts) through their importers and the analysis pipeline: bad events
 * reported, tree faults cut and flagged, hostile attribute values contained, never a throw.
 */
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import type { Profile } from '../../src/core/model';
import { parseChrome } from '../../src/ingest/chrome';
import { parseOtelConsole } from '../../src/ingest/otel-console';
import { prototypeIntact, runPipeline } from '../fixtures/hostile/pipeline';

const DIR = path.join(__dirname, '../fixtures/hostile');
const text = (name: string) => readFileSync(path.join(DIR, name), 'utf8');
const checked = (p: Profile) => {
  assert.deepEqual(runPipeline(p).problems, []);
  return p;
};
const byName = (p: Profile, name: string) => p.spans.find((s) => s.name === name)!;

describe('hostile Chrome traces', () => {
  it('bad events reported, unfinished and stray ones handled, a cycle in our own parent ids cut', () => {
    const p = checked(parseChrome(text('chrome/hostile.chrome.json')));
    // µs → ns. "nan-ts" (no valid ts) is skipped; "stray-end" (E without B) ignored.
    assert.deepEqual(
      ['root', 'negative-dur', 'open', '__proto__', 'cycle-a', 'cycle-b'].map((n) => [n, byName(p, n)?.start, byName(p, n)?.end]),
      [
        ['root', 0, 1_000_000],
        ['negative-dur', 10_000, 10_000],
        ['open', 20_000, NaN],
        ['__proto__', 40_000, 45_000],
        ['cycle-a', 50_000, 55_000],
        ['cycle-b', 51_000, 54_000],
      ],
    );
    assert.equal(byName(p, 'nan-ts'), undefined);
    assert.equal(byName(p, 'stray-end'), undefined);
    // ts 1e300 µs is far past 2^53 ns: skipped, so the wall time stays the 1 ms of "root".
    assert.equal(byName(p, 'huge-ts'), undefined);
    assert.equal(p.maxTime, 1_000_000);
    assert.ok(byName(p, 'cycle-a').orphan);
    assert.equal(byName(p, 'cycle-b').parent, byName(p, 'cycle-a').index);
    const messages = p.diagnostics.map((d) => d.message).join('\n');
    assert.match(messages, /never ended \(E\)/);
    assert.match(messages, /end event \(E\) without a begin/);
    assert.match(messages, /2 events with a missing or invalid "ts"\/"dur"/);
    assert.match(messages, /parent cycle through span a/);
    assert.match(messages, /span "huge-ts" lies more than 2\^53 ns \(104 days\) after the trace's start; skipped/);
  });

  it('hostile args: null-prototype attributes, deep values dropped, Object.prototype untouched', () => {
    const p = checked(parseChrome(text('chrome/hostile.chrome.json')));
    const attrs = byName(p, '__proto__').attrs!;
    assert.equal(Object.getPrototypeOf(attrs), null);
    assert.deepEqual({ ...(attrs.__proto__ as object) }, { polluted: 'yes' });
    let depth = 0;
    for (let v = attrs.deep; Array.isArray(v); v = v[0]) depth++;
    assert.ok(depth < 10, `kept ${depth} levels of a 5 000-deep value`);
    assert.ok(prototypeIntact());
  });

  it('a trace cut off mid-event: the complete events kept, the cut one reported at its line', () => {
    const p = checked(parseChrome(text('chrome/truncated.chrome.json')));
    assert.deepEqual(p.spans.map((s) => [s.name, s.start, s.end, s.parent]), [['a', 0, 10_000, -1], ['b', 2_000, 5_000, 0]]);
    assert.deepEqual(p.diagnostics.map((d) => [d.line, d.severity]), [[4, 'warning'], [0, 'info']]);
  });
});

describe('hostile OpenTelemetry console output', () => {
  it('tree faults flagged, bad times and cut objects reported at their lines, hostile attributes contained', () => {
    const [p, ...others] = parseOtelConsole(text('console/hostile.console.txt'));
    assert.equal(others.length, 0);
    checked(p);
    const S = 1e9;
    assert.deepEqual(
      p.spans.map((s) => [s.name, s.start / S, s.end / S, s.parent, s.orphan]),
      [
        ['root', 0, 10, -1, false],
        ['orphan', 1, 2, -1, true],
        ['self', 1, 2, -1, true],
        ['backwards', 5, 5, 0, false],
        ['__proto__', 6, 7, 0, false],
      ],
    );
    // Objects start on lines 1, 26, 50, 74, 98 (24 lines each; line 25 is program output), 122 (the
    // __proto__ span, 32 lines with its attributes) and 154 (the cut one).
    assert.deepEqual(
      p.diagnostics.map((d) => [d.line, d.severity]).sort((a, b) => (a[0] as number) - (b[0] as number)),
      [[25, 'info'], [26, 'warning'], [50, 'warning'], [74, 'warning'], [98, 'warning'], [154, 'warning']],
    );
    const attrs = byName(p, '__proto__').attrs!;
    assert.equal(Object.getPrototypeOf(attrs), null);
    assert.deepEqual({ ...(attrs.__proto__ as object) }, { polluted: 'yes' });
    // Input tokens 2^64 are no count and a model that is an object is no text: no usage at all.
    assert.deepEqual(p.usage, []);
    assert.ok(prototypeIntact());
  });
});
