/**
 * The native JSON Lines reader. Fixture test/fixtures/native/sample.agentprof.jsonl (31 lines) is a
 * hand-written research-agent run, usable by every test suite:
 *   - header: run "research_agent", start "1763900000123456789", pid 4242, cwd /home/me/agent
 *   - 2 budgets: llm (50 000 tokens, $0.5, 30 000 ms) and call site agent.py:42 (1 000 ms)
 *   - root span 1 agent:research 0–9.1 s, error "RuntimeError: agent gave up"
 *   - 2 llm:planning 1 ms–1.502 s, key p1a2b3, usage gpt-4o-mini in 1200 out 340 cr 800, cost 0.00041
 *   - a parallel pair under 1: 3 step_1:tool_call 1.510–2.523 s (child 5 memory:lookup 1.515–1.530 s)
 *     and 4 step_2:tool_call 1.512–2.600 s, error TimeoutError (child 11 retrieval:http_get
 *     1.520–2.590 s, error); both at agent.py:42
 *   - 6 retrieval:embed 2.610–2.710 s, usage text-embedding-3-small in 5000 out 0
 *   - 7 llm:synthesis 2.720–6.720 s with child 8 tool:calculator 3.000–3.004 s (thread worker-1);
 *     usage claude-sonnet-4-5 in 9000 out 1200 cr 6000 cw 1000 rs 300
 *   - 9 llm:planning again 6.730–7.910 s, same key p1a2b3 (a cacheable repeat), usage cr 1152
 *   - 10 tool:write_report 7.920–8.950 s, error PermissionError
 *   - a usage without span (llm:summary, in 300 out 50) and an end record at 9.12 s, status error
 * 11 spans (4 failed), 5 usage records, no diagnostics.
 */
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { parseJsonl } from '../../src/ingest/jsonl';
import type { Profile } from '../../src/core/model';

const SAMPLE = path.join(__dirname, '../fixtures/native/sample.agentprof.jsonl');
const HEADER = '{"t":"run","v":1,"name":"r","start":"1000","pid":1,"argv":[],"cwd":"/w","recorder":"test/0"}';
const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

function diag(p: Profile): string[] {
  return p.diagnostics.map((d) => `${d.line} ${d.severity} ${d.message}`);
}

describe('parseJsonl: native format', () => {
  it('reads the sample fixture: every record type', () => {
    const p = parseJsonl(readFileSync(SAMPLE));
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(p.run, {
      name: 'research_agent',
      startEpochNs: '1763900000123456789',
      pid: 4242,
      argv: ['agent.py', '--fast'],
      cwd: '/home/me/agent',
      formatVersion: 1,
      recorder: 'agentprof-python/0.1.0',
      source: 'agentprof',
      endedAt: 9_120_000_000,
      exitStatus: 'error',
      exitError: 'RuntimeError: agent gave up',
    });
    assert.deepEqual(
      p.budgets,
      [
        { target: 'llm', maxTokens: 50000, maxCostUsd: 0.5, maxMs: 30000, source: 'profile' },
        { target: 'agent.py:42', maxTokens: undefined, maxCostUsd: undefined, maxMs: 1000, source: 'profile' },
      ],
    );
    // [id, parent index, start, end, status, kind, source line]
    assert.deepEqual(
      p.spans.map((s) => [s.id, s.parent, s.start, s.end, s.status, s.kind, s.sourceLine]),
      [
        [1, -1, 0, 9_100_000_000, 'error', 'agent', 4],
        [2, 0, 1_000_000, 1_502_000_000, 'ok', 'llm', 5],
        [3, 0, 1_510_000_000, 2_523_000_000, 'ok', 'other', 8],
        [4, 0, 1_512_000_000, 2_600_000_000, 'error', 'other', 9],
        [5, 2, 1_515_000_000, 1_530_000_000, 'ok', 'memory', 10],
        [11, 3, 1_520_000_000, 2_590_000_000, 'error', 'retrieval', 11],
        [6, 0, 2_610_000_000, 2_710_000_000, 'ok', 'retrieval', 16],
        [7, 0, 2_720_000_000, 6_720_000_000, 'ok', 'llm', 19],
        [8, 7, 3_000_000_000, 3_004_000_000, 'ok', 'tool', 20],
        [9, 0, 6_730_000_000, 7_910_000_000, 'ok', 'llm', 24],
        [10, 0, 7_920_000_000, 8_950_000_000, 'error', 'tool', 27],
      ],
    );
    const s3 = p.spans[2];
    assert.deepEqual([s3.file, s3.line, s3.thread, s3.task, s3.key], ['agent.py', 42, 'MainThread', 'Task-2', '9f2c1e']);
    // End attributes merge into the start's: {tool, query} + {results}.
    assert.deepEqual({ ...s3.attrs }, { tool: 'web_search', query: 'pgvector', results: 5 });
    assert.equal(Object.getPrototypeOf(s3.attrs), null);
    assert.equal(p.spans[3].error, 'TimeoutError: search timed out');
    assert.deepEqual(p.spans[0].children, [1, 2, 3, 6, 7, 9, 10]);

    assert.deepEqual(
      p.usage.map((u) => [u.span, u.operation, u.model, u.provider, u.input, u.output, u.cacheRead, u.cacheWrite, u.reasoning, u.reportedCostUsd, u.time, u.file, u.line]),
      [
        [1, 'llm:planning', 'gpt-4o-mini', 'openai', 1200, 340, 800, 0, 0, 0.00041, 1_501_000_000, 'agent.py', 24],
        // No f/l of its own: the span's call site (rag.py:8).
        [6, 'retrieval:embed', 'text-embedding-3-small', 'openai', 5000, 0, 0, 0, 0, undefined, 2_700_000_000, 'rag.py', 8],
        [7, 'llm:synthesis', 'claude-sonnet-4-5', 'anthropic', 9000, 1200, 6000, 1000, 300, undefined, 6_700_000_000, 'agent.py', 64],
        [9, 'llm:planning', 'gpt-4o-mini', 'openai', 1200, 340, 1152, 0, 0, undefined, 7_900_000_000, 'agent.py', 24],
        [-1, 'llm:summary', 'gpt-4o-mini', 'openai', 300, 50, 0, 0, 0, undefined, 9_110_000_000, undefined, undefined],
      ],
    );
    assert.equal(p.minTime, 0);
    assert.equal(p.maxTime, 9_120_000_000); // the end record
  });

  it('reports a malformed line in the middle with its line number and keeps the rest', () => {
    const text = [
      HEADER,
      '{"t":"s","id":1,"n":"a","at":10,"f":"x.py","l":1}',
      '{"t":"s","id":2,"n":"b","at":',
      '[1,2]',
      '{"t":"e","id":1,"at":20}',
      '',
    ].join('\n');
    const p = parseJsonl(text);
    assert.equal(p.spans.length, 1);
    assert.equal(p.spans[0].end, 20);
    assert.deepEqual(p.diagnostics.map((d) => [d.line, d.severity]), [
      [3, 'error'],
      [4, 'error'],
    ]);
    assert.match(p.diagnostics[0].message, /^not valid JSON; line skipped/);
    assert.equal(p.diagnostics[1].message, 'not a JSON object; line skipped');
  });

  it('skips records with missing or invalid required keys, reporting each', () => {
    const lines = [
      HEADER,
      '{"t":"s","n":"no id","at":1}', // 2
      '{"t":"s","id":1,"at":1}', // 3 no name
      '{"t":"s","id":1,"n":"a","at":-5}', // 4 negative time
      '{"t":"s","id":1,"n":"a","at":1e300}', // 5 beyond 2^53
      '{"t":"s","id":1,"n":"a","at":"12"}', // 6 time as string
      '{"t":"s","id":1.5,"n":"a","at":1}', // 7 fractional id
      '{"t":"e","id":1}', // 8 end without time
      '{"t":"u","model":"m","in":1,"out":1}', // 9 usage without op
      '{"t":"u","op":"o","model":"m","in":"many","out":1}', // 10 tokens as string
      '{"t":"b","tokens":5}', // 11 budget without target
      '{"t":"end","status":"ok"}', // 12 end without time
      '{"id":3}', // 13 no t
      '{"t":"s","id":1,"n":"a","at":9007199254740992}', // 14: exactly 2^53 is accepted
    ];
    const p = parseJsonl(lines.join('\n'));
    assert.equal(p.spans.length, 1);
    assert.equal(p.spans[0].start, 2 ** 53);
    assert.deepEqual(diag(p), [
      '2 error "s" record skipped: "id" must be an integer >= 0 or a non-empty string, got nothing',
      '3 error "s" record skipped: "n" must be a string, got nothing',
      '4 error "s" record skipped: "at" must be an integer number of ns in [0, 2^53], got -5',
      '5 error "s" record skipped: "at" must be an integer number of ns in [0, 2^53], got 1e+300',
      '6 error "s" record skipped: "at" must be an integer number of ns in [0, 2^53], got "12"',
      '7 error "s" record skipped: "id" must be an integer >= 0 or a non-empty string, got 1.5',
      '8 error "e" record skipped: "at" must be an integer number of ns in [0, 2^53], got nothing',
      '9 error "u" record skipped: "op" must be a string, got nothing',
      '10 error "u" record skipped: "in" must be a token count, got "many"',
      '11 error "b" record skipped: "target" must be a non-empty string, got nothing',
      '12 error "end" record skipped: "at" must be an integer number of ns in [0, 2^53], got nothing',
      '13 error record without a string "t" (record type); line skipped',
    ]);
  });

  it('keeps a record whose optional field is invalid, dropping the field with a warning', () => {
    const p = parseJsonl([HEADER, '{"t":"s","id":1,"n":"a","at":1,"f":7,"l":0,"a":[1]}'].join('\n'));
    assert.equal(p.spans.length, 1);
    assert.deepEqual([p.spans[0].file, p.spans[0].line, p.spans[0].attrs], [undefined, undefined, undefined]);
    assert.deepEqual(diag(p), [
      '2 warning "s" record: "f" ignored, it must be a string, got 7',
      '2 warning "s" record: "l" ignored, it must be an integer >= 1, got 0',
      '2 warning "s" record: "a" ignored, it must be an object, got [1]',
    ]);
  });

  it('sets invalid token counts to 0 with a warning', () => {
    const p = parseJsonl([HEADER, '{"t":"u","op":"o","model":"m","in":-3,"out":12.6,"cr":1e999}'].join('\n'));
    // -3 → 0 (warned); 12.6 rounds to 13; 1e999 parses as Infinity → 0 (warned).
    assert.deepEqual([p.usage[0].input, p.usage[0].output, p.usage[0].cacheRead], [0, 13, 0]);
    assert.deepEqual(diag(p), [
      '2 warning "u" record: "in" must be a token count >= 0, got -3; taken as 0',
      '2 warning "u" record: "cr" must be a token count >= 0, got Infinity; taken as 0',
    ]);
  });

  it('maps the header: a newer format version warns, a bad start falls back to 0', () => {
    const p = parseJsonl('{"t":"run","v":2,"name":"n","start":"12ab","lang":"node","future":{"x":1}}\n');
    assert.equal(p.run.formatVersion, 2);
    assert.equal(p.run.startEpochNs, '0');
    assert.deepEqual(diag(p), [
      '1 warning written in format version 2; this reader knows version 1 and reads what it can',
      '1 warning "run" record: "start" ignored, it must be a string of decimal digits (epoch ns), got "12ab"',
    ]);
  });

  it('warns once when the file does not start with a header', () => {
    const p = parseJsonl('{"t":"s","id":1,"n":"a","at":5}\n{"t":"e","id":1,"at":6}\n');
    assert.equal(p.run.startEpochNs, '0');
    assert.deepEqual(diag(p), ['1 warning the file does not start with a "run" header; the run start is taken as 0']);
  });

  it('accepts a BOM at the start, CRLF line ends, and blank lines', () => {
    const text = `\uFEFF${HEADER}\r\n\r\n   \r\n{"t":"s","id":1,"n":"a","at":1}\r\n{"t":"e","id":1,"at":3}\r\n`;
    const p = parseJsonl(text);
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.run.name, 'r');
    assert.deepEqual([p.spans[0].start, p.spans[0].end, p.spans[0].sourceLine], [1, 3, 4]);
  });

  it('rejects a BOM that is not at the start of the file', () => {
    const p = parseJsonl(`${HEADER}\n\uFEFF{"t":"s","id":1,"n":"a","at":1}\n`);
    assert.equal(p.spans.length, 0);
    assert.deepEqual(p.diagnostics.map((d) => d.line), [2]);
  });

  it('reports invalid UTF-8 per line and keeps the lines around it', () => {
    const bytes = new Uint8Array([
      ...enc(`${HEADER}\n{"t":"s","id":1,"n":"`),
      0xff, 0xfe, // never valid in UTF-8
      ...enc('","at":1}\n{"t":"s","id":2,"n":"caf\u00e9","at":2}\n'),
    ]);
    const p = parseJsonl(bytes);
    assert.deepEqual(p.spans.map((s) => [s.id, s.name]), [[2, 'caf\u00e9']]);
    assert.deepEqual(diag(p), ['2 error not valid UTF-8; line skipped']);
  });

  it('reports an unknown record type once per type name, as info', () => {
    const p = parseJsonl([HEADER, '{"t":"x"}', '{"t":"y"}', '{"t":"x"}', '{"t":"s","id":1,"n":"a","at":1}'].join('\n'));
    assert.equal(p.spans.length, 1);
    assert.deepEqual(diag(p), [
      '2 info unknown record type "x" ignored (first at this line; a newer recorder?)',
      '3 info unknown record type "y" ignored (first at this line; a newer recorder?)',
    ]);
  });

  it('copies attributes prototype-free: a __proto__ key cannot pollute', () => {
    const text = [
      HEADER,
      '{"t":"s","id":1,"n":"a","at":1,"a":{"__proto__":{"polluted":1},"ok":true}}',
      '{"t":"e","id":1,"at":2,"a":{"__proto__":{"polluted":2},"nested":{"__proto__":{"polluted":3}}}}',
    ].join('\n');
    const p = parseJsonl(text);
    const attrs = p.spans[0].attrs!;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(attrs), null);
    // The end's __proto__ value replaced the start's as an ordinary own key.
    assert.deepEqual(Object.keys(attrs).sort(), ['__proto__', 'nested', 'ok']);
    assert.deepEqual({ ...(attrs.__proto__ as object) }, { polluted: 2 });
    assert.equal(Object.getPrototypeOf(attrs.nested), null);
    // Merging the copy into an ordinary object later still cannot reach Object.prototype.
    Object.assign({}, attrs);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('drops attribute values nested deeper than 8 levels, with a warning', () => {
    // 10 nested objects: a(1) > l2 > ... The object at level 9 and below are dropped.
    let nested = '{"leaf":1}';
    for (let i = 0; i < 9; i++) nested = `{"n":${nested}}`;
    const p = parseJsonl(`${HEADER}\n{"t":"s","id":1,"n":"a","at":1,"a":${nested}}\n`);
    let level = p.spans[0].attrs as Record<string, unknown>;
    let levels = 1;
    while (level.n) {
      level = level.n as Record<string, unknown>;
      levels++;
    }
    assert.equal(levels, 8);
    assert.deepEqual(diag(p), ['2 warning "s" record: 1 attribute value(s) nested deeper than 8 levels dropped']);
  });

  it('returns the last run when a header appears again, saying where it starts', () => {
    const text = [HEADER, '{"t":"s","id":1,"n":"old","at":1}', HEADER.replace('"r"', '"second"'), '{"t":"s","id":1,"n":"new","at":2}', ''].join('\n');
    const p = parseJsonl(text);
    assert.equal(p.run.name, 'second');
    assert.deepEqual(p.spans.map((s) => [s.name, s.sourceLine]), [['new', 4]]);
    assert.deepEqual(diag(p), ['3 info the file holds a new run from line 3; earlier lines are not shown']);
  });

  it('parses 100 000-deep nesting without a stack overflow', () => {
    const depth = 100_000;
    const lines = [HEADER];
    // Span i (1-based) is the parent of span i+1; all end in reverse order.
    for (let i = 1; i <= depth; i++) lines.push(`{"t":"s","id":${i}${i > 1 ? `,"p":${i - 1}` : ''},"n":"step:${i}","at":${i}}`);
    for (let i = depth; i >= 1; i--) lines.push(`{"t":"e","id":${i},"at":${3 * depth - i}}`);
    const p = parseJsonl(lines.join('\n') + '\n');
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.spans.length, depth);
    assert.equal(p.spans[depth - 1].parent, depth - 2);
    assert.equal(p.spans[0].end, 3 * depth - 1);
  });
});
