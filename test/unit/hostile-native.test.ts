/**
 * The hostile native corpus (test/fixtures/hostile/native, made by generate.ts; outcomes listed
 * in its README.md) through the core: parseJsonl, ProfileTail reading the file in 7-byte chunks,
 * and the whole analysis pipeline. Each file must give its diagnostics at the right lines, keep
 * every valid record, and never throw.
 */
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import type { Profile } from '../../src/core/model';
import { parseJsonl } from '../../src/ingest/jsonl';
import { ProfileTail, readProfileFile } from '../../src/io/profile-file';
import { NESTED_ATTR_DEPTH } from '../fixtures/hostile/generate';
import { prototypeIntact, runPipeline } from '../fixtures/hostile/pipeline';

const DIR = path.join(__dirname, '../fixtures/hostile/native');
const file = (name: string) => path.join(DIR, name);
const read = (name: string) => readFileSync(file(name));

/** [id, start, end (NaN = open), parent index, orphan] of each span. */
const spansOf = (p: Profile) => p.spans.map((s) => [s.id, s.start, s.end, s.parent, s.orphan]);
/** [line, severity, message] of each diagnostic. */
const diagsOf = (p: Profile) => p.diagnostics.map((d) => [d.line, d.severity, d.message]);

/** Parses the file in one go and through the tail in tiny chunks: both must agree. Then analyses. */
async function load(name: string): Promise<Profile> {
  const batch = parseJsonl(read(name));
  const viaFile = await readProfileFile(file(name));
  const tail = new ProfileTail(file(name), { chunkBytes: 7 });
  await tail.poll();
  tail.endOfInput();
  for (const p of [viaFile, tail.profile]) {
    assert.deepEqual(spansOf(p), spansOf(batch));
    assert.deepEqual(diagsOf(p), diagsOf(batch));
    assert.deepEqual(p.usage, batch.usage);
  }
  const { problems } = runPipeline(batch);
  assert.deepEqual(problems, []);
  return batch;
}

describe('hostile native corpus', () => {
  it('empty file: nothing, and no complaint', async () => {
    const p = await load('empty.agentprof.jsonl');
    assert.deepEqual([p.spans.length, p.usage.length, p.diagnostics.length], [0, 0, 0]);
  });

  it('only a header: the run is named, nothing else', async () => {
    const p = await load('header-only.agentprof.jsonl');
    assert.equal(p.run.name, 'only-a-header');
    assert.deepEqual([p.spans.length, p.diagnostics.length], [0, 0]);
  });

  it('binary garbage: one error per non-empty line, in line order, nothing kept', async () => {
    const bytes = read('binary-garbage.agentprof.jsonl');
    const p = await load('binary-garbage.agentprof.jsonl');
    // Expected lines: split the bytes on 0x0A ourselves; every non-empty piece is a bad line.
    const expected: number[] = [];
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 10) {
        const piece = bytes.subarray(start, i);
        if (piece.length > 0 && new TextDecoder().decode(piece).trim() !== '') expected.push(line);
        line++;
        start = i + 1;
      }
    }
    assert.ok(expected.length > 5);
    assert.deepEqual(p.diagnostics.map((d) => d.line), expected);
    assert.ok(p.diagnostics.every((d) => d.severity === 'error' && /^(not valid UTF-8|not valid JSON|not a JSON object)/.test(d.message)));
    assert.equal(p.spans.length, 0);
  });

  it('invalid UTF-8 (a stray byte, an overlong encoding, an encoded surrogate): those lines only', async () => {
    const p = await load('invalid-utf8.agentprof.jsonl');
    assert.deepEqual(spansOf(p), [[1, 0, 1000, -1, false], [5, 8, 9, -1, false]]);
    assert.deepEqual(diagsOf(p), [4, 5, 6].map((line) => [line, 'error', 'not valid UTF-8; line skipped']));
  });

  it('a truncated last line: a warning at its line; a live reader waits for the rest instead', async () => {
    const p = await load('truncated-last-line.agentprof.jsonl');
    assert.deepEqual(spansOf(p), [[1, 0, 1000, -1, false], [2, 10, NaN, -1, false]]);
    assert.equal(p.diagnostics.length, 1);
    assert.deepEqual(p.diagnostics[0].line, 5);
    assert.match(p.diagnostics[0].message, /^last line is incomplete \(no newline\) and not valid JSON; skipped/);
    const live = new ProfileTail(file('truncated-last-line.agentprof.jsonl'));
    await live.poll();
    assert.deepEqual(live.profile.diagnostics, []);
  });

  it('CRLF line ends and a BOM read like plain LF', async () => {
    const crlf = await load('crlf.agentprof.jsonl');
    assert.deepEqual(spansOf(crlf), [[1, 0, 1000, -1, false], [2, 10, 20, 0, false]]);
    assert.deepEqual(crlf.diagnostics, []);
    const bom = await load('bom.agentprof.jsonl');
    assert.equal(bom.run.name, 'hostile');
    assert.deepEqual(spansOf(bom), [[1, 0, 1000, -1, false], [2, 10, 20, -1, false]]);
    assert.deepEqual(bom.diagnostics, []);
  });

  it('a missing parent: shown at the top level, flagged, counted as an orphan', async () => {
    const p = await load('missing-parent.agentprof.jsonl');
    assert.deepEqual(spansOf(p), [[1, 0, 1000, -1, false], [2, 10, 20, -1, true]]);
    assert.deepEqual(diagsOf(p), [[4, 'warning', 'span 2 names parent 99, which is not in the file; shown at the top level']]);
    assert.equal(runPipeline(p).analysis.run.orphans, 1);
  });

  it('a parent cycle A→B→A and a self-parent: cut, both flagged', async () => {
    const p = await load('parent-cycle.agentprof.jsonl');
    // B (index 2) arrives with A present and is linked under it; A then closes the cycle: cut.
    assert.deepEqual(spansOf(p), [
      [1, 0, 1000, -1, false],
      ['A', 10, 20, -1, true],
      ['B', 11, 21, 1, false],
      ['C', 12, 22, -1, true],
    ]);
    assert.deepEqual(diagsOf(p), [
      [4, 'warning', 'parent cycle through span A; the cycle is cut and the span shown at the top level'],
      [6, 'warning', 'span C names itself as parent; shown at the top level'],
    ]);
  });

  it('a duplicate id: kept as a second span; the end binds to the later one', async () => {
    const p = await load('duplicate-ids.agentprof.jsonl');
    assert.deepEqual(spansOf(p), [[1, 0, 1000, -1, false], [1, 2000, 2500, -1, false]]);
    assert.deepEqual(diagsOf(p), [[4, 'warning', 'duplicate span id 1 (first at line 2); kept as a separate span']]);
  });

  it('an end before the start: zero duration with a warning', async () => {
    const p = await load('end-before-start.agentprof.jsonl');
    assert.deepEqual(spansOf(p)[1], [2, 500, 500, -1, false]);
    assert.deepEqual(diagsOf(p), [[5, 'warning', 'span 2 ends before it starts; duration set to 0']]);
  });

  it('negative, infinite, NaN and 2^64 times and tokens: records skipped or values zeroed, each reported', async () => {
    const p = await load('hostile-numbers.agentprof.jsonl');
    const TIME = 'must be an integer number of ns in [0, 2^53]';
    assert.deepEqual(diagsOf(p), [
      [4, 'error', `"s" record skipped: "at" ${TIME}, got -1`],
      [5, 'error', `"s" record skipped: "at" ${TIME}, got Infinity`],
      [6, 'error', `"s" record skipped: "at" ${TIME}, got 18446744073709552000`],
      [7, 'error', `not valid JSON; line skipped: Unexpected token 'N', ..."nan","at":NaN}" is not valid JSON`],
      [8, 'error', '"s" record skipped: "id" must be an integer >= 0 or a non-empty string, got -3'],
      [10, 'warning', '"u" record: "in" must be a token count >= 0, got -5; taken as 0'],
      [10, 'warning', '"u" record: "out" must be a token count >= 0, got Infinity; taken as 0'],
      [11, 'warning', '"u" record: "in" must be a token count >= 0, got 18446744073709552000; taken as 0'],
      [11, 'warning', '"u" record: "cost" ignored, it must be a number of USD >= 0, got -1'],
      [12, 'error', '"u" record skipped: "cr" must be a token count, got "NaN"'],
      [13, 'warning', '"b" record: "tokens" ignored, it must be a number >= 0, got -1'],
      [13, 'warning', '"b" record: "ms" ignored, it must be a number >= 0, got Infinity'],
    ]);
    // Span 6 at exactly 2^53 ns is valid (and open).
    assert.deepEqual(spansOf(p), [[1, 0, 1000, -1, false], [6, 9007199254740992, NaN, -1, false]]);
    assert.deepEqual(p.usage.map((u) => [u.input, u.output, u.reportedCostUsd]), [[0, 0, undefined], [0, 7, undefined]]);
    assert.deepEqual(p.budgets, [{ target: 'llm', maxTokens: undefined, maxCostUsd: undefined, maxMs: undefined, source: 'profile' }]);
    const { analysis } = runPipeline(p);
    // Wall time 2^53 ns = 9 007 199 254.740992 ms; tokens 0 + 0 + 0 + 7.
    assert.equal(analysis.run.wallMs, 9007199254.740992);
    assert.equal(analysis.run.tokens, 7);
    assert.equal(analysis.run.unfinished, 1);
  });

  it('times far in the past and the future: analysed without error', async () => {
    const past = await load('far-past.agentprof.jsonl');
    assert.equal(past.run.startEpochNs, '0');
    assert.deepEqual(spansOf(past), [[1, 0, 9007199254740992, -1, false]]);
    const future = await load('far-future.agentprof.jsonl');
    assert.equal(future.run.startEpochNs, '99999999999999999999');
    for (const p of [past, future]) {
      assert.deepEqual(p.diagnostics, []);
      // 1000 in + 100 out.
      assert.equal(runPipeline(p).analysis.run.tokens, 1100);
    }
  });

  it(`attributes nested ${NESTED_ATTR_DEPTH} deep: the deep part dropped with a warning, the rest kept`, async () => {
    const p = await load('nested-attrs.agentprof.jsonl');
    const attrs = p.spans[0].attrs!;
    assert.equal(attrs.ok, 1);
    // "deep" is level 2; arrays down to level 8 are kept, the array at level 9 is dropped.
    let level = attrs.deep as unknown[];
    let depth = 2;
    while (level.length > 0) {
      level = level[0] as unknown[];
      depth++;
    }
    assert.equal(depth, 8);
    assert.deepEqual(diagsOf(p), [[2, 'warning', '"s" record: 1 attribute value(s) nested deeper than 8 levels dropped']]);
  });

  it('__proto__ and constructor as ids, names, keys, models and record types: plain data, Object.prototype untouched', async () => {
    const p = await load('proto-pollution.agentprof.jsonl');
    assert.ok(prototypeIntact());
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(spansOf(p), [
      ['__proto__', 0, 9, -1, false],
      ['constructor', 1, 5, 0, false],
      ['hasOwnProperty', 2, NaN, -1, false],
    ]);
    assert.equal(Object.getPrototypeOf(p.spans[0].attrs), null);
    assert.deepEqual(Object.keys(p.spans[0].attrs!).sort(), ['__proto__', 'constructor']);
    assert.deepEqual(diagsOf(p), [[9, 'info', 'unknown record type "__proto__" ignored (first at this line; a newer recorder?)']]);
    const { analysis } = runPipeline(p);
    // Grouping by these names works like any other: 20 + 1 tokens for toString, 10 + 5 for __proto__.
    assert.deepEqual(analysis.tokens.byOperation.map((o) => [o.operation, o.input, o.output]), [['toString', 20, 1], ['__proto__', 10, 5]]);
    assert.deepEqual(analysis.tokens.byModel.map((m) => [m.model, m.input]), [['hasOwnProperty', 20], ['constructor', 10]]);
    assert.deepEqual(analysis.timing.byCategory.map((c) => c.category).sort(), ['__proto__', 'constructor', 'valueOf']);
    // The budget on "__proto__" counts operation __proto__: 15 tokens of 1.
    assert.deepEqual(analysis.budgets.map((b) => [b.target, b.used, b.breached]), [['__proto__', 15, true]]);
    assert.ok(prototypeIntact());
  });
});
