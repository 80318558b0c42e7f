/**
 * The hostile OTLP corpus (test/fixtures/hostile/otlp, made by generate.ts) through parseOtlp and
 * the analysis pipeline: bad spans skipped with a diagnostic, tree faults cut and flagged as in the
 * native format, hostile attribute values (prototype keys, objects where text belongs, 2^64 token
 * counts, deep kvlists) contained.
 */
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import type { Profile } from '../../src/core/model';
import { parseOtlp } from '../../src/ingest/otlp';
import { OTLP_KV_DEPTH } from '../fixtures/hostile/generate';
import { prototypeIntact, runPipeline } from '../fixtures/hostile/pipeline';

const DIR = path.join(__dirname, '../fixtures/hostile/otlp');
const parse = (name: string): Profile[] => {
  const runs = parseOtlp(readFileSync(path.join(DIR, name), 'utf8'));
  for (const run of runs) assert.deepEqual(runPipeline(run).problems, []);
  return runs;
};
const S = 1e9;
const KINDS = new Set(['llm', 'tool', 'memory', 'retrieval', 'agent', 'other']);

describe('hostile OTLP corpus', () => {
  it('tree faults and bad spans: skipped or cut, each with a diagnostic; everything valid kept', () => {
    const [run, ...others] = parse('hostile.otlp.json');
    assert.equal(others.length, 0);
    // Times are ns after the earliest start (1 700 000 000 s); span 8 never ended.
    assert.deepEqual(
      run.spans.map((s) => [s.name, s.start / S, s.end / S, s.parent, s.orphan]),
      [
        ['invoke_agent', 0, 10, -1, false],
        ['orphan', 1, 2, -1, true],
        ['cycle-a', 1, 2, -1, true],
        ['cycle-b', 1, 2, 2, false],
        ['self', 1, 2, -1, true],
        ['dup-first', 1, 2, 0, false],
        ['dup-second', 3, 4, 0, false],
        ['backwards', 5, 5, 0, false],
        ['unfinished', 6, NaN, 0, false],
        ['hostile-attributes', 7, 8, 0, false],
        ['chat gpt-4o', 8, 9, 0, false],
      ],
    );
    const messages = run.diagnostics.map((d) => d.message);
    const expected = [
      /skipped.*no valid startTimeUnixNano/, // "no-time": start "NaN"
      /skipped.*no valid startTimeUnixNano/, // "negative": start "-5"
      /parent cycle through span 0000000000000003/,
      /span 0000000000000005 names itself as parent/,
      /duplicate span id 0000000000000006/,
      /span 0000000000000007 ends before it starts/,
      /span 0000000000000002 names parent 0000000000000063, which is not in the file/,
    ];
    assert.equal(messages.length, expected.length, messages.join('\n'));
    expected.forEach((re, k) => assert.match(messages[k], re));
    assert.equal(runPipeline(run).analysis.run.orphans, 3);
  });

  it('hostile attribute values: no prototype reached, no object taken as text, no count beyond 2^53', () => {
    const [run] = parse('hostile.otlp.json');
    assert.ok(prototypeIntact());
    const hostile = run.spans.find((s) => s.name === 'hostile-attributes')!;
    const attrs = hostile.attrs!;
    assert.equal(Object.getPrototypeOf(attrs), null);
    // `__proto__` and `constructor` are plain keys holding their kvlists.
    assert.deepEqual({ ...(attrs.__proto__ as object) }, { polluted: 'yes' });
    assert.deepEqual({ ...(attrs.constructor as object) }, { prototype: 'yes' });
    // A stringValue that is an object and a bytesValue that is not text are dropped, not thrown on.
    assert.equal('to-string' in attrs, false);
    assert.equal('bytes' in attrs, false);
    // The 60-deep kvlist keeps at most 9 levels (depth 0…8).
    let level = attrs.deep as Record<string, unknown>;
    let depth = 1;
    while (level && typeof level === 'object' && level.k !== undefined) {
      level = level.k as Record<string, unknown>;
      depth++;
    }
    assert.ok(OTLP_KV_DEPTH > 9 && depth <= 9, `depth ${depth}`);
    // gen_ai.operation.name "__proto__" and traceloop kind "constructor" are no kinds.
    for (const s of run.spans) assert.ok(KINDS.has(s.kind), `${s.name}: kind ${String(s.kind)}`);
    // 2^64 input and −5 output are no counts: the span has no usage; the chat span's is kept.
    assert.deepEqual(
      run.usage.map((u) => [run.spans[u.span].name, u.model, u.input, u.output]),
      [['chat gpt-4o', 'gpt-4o', 1200, 40]],
    );
  });

  it('the Collector file form: CRLF accepted, a truncated last request reported at its line', () => {
    const [run] = parse('collector-truncated.otlp.jsonl');
    assert.deepEqual(run.spans.map((s) => [s.name, s.parent]), [['first', -1], ['second', 0]]);
    assert.equal(run.diagnostics.length, 1);
    assert.equal(run.diagnostics[0].line, 3);
    assert.equal(run.diagnostics[0].severity, 'error');
  });

  it('empty input and a JSON document that is not OTLP: one empty run, the latter with an error', () => {
    const [empty] = parse('empty.otlp.json');
    assert.deepEqual([empty.spans.length, empty.diagnostics.length], [0, 0]);
    const [other] = parse('not-otlp.otlp.json');
    assert.equal(other.spans.length, 0);
    assert.deepEqual(other.diagnostics.map((d) => [d.line, d.severity]), [[0, 'error']]);
    assert.match(other.diagnostics[0].message, /no resourceSpans/);
  });
});
