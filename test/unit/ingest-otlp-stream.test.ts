import { strict as assert } from 'assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Profile } from '../../src/core/model';
import { readConventions } from '../../src/ingest/genai-conventions';
import { attributesOf, normaliseId, quoteNanoNumbers } from '../../src/ingest/otel-values';
import { parseOtlp } from '../../src/ingest/otlp';
import { OtlpIngest } from '../../src/ingest/otlp-stream';
import { loadRuns } from '../../src/io/load-profile';

const TRACE_A = 'aa'.repeat(16);
const TRACE_B = 'bb'.repeat(16);
const EPOCH = 1_700_000_000_000_000_000n;

/** One span; times in ns after EPOCH, written as strings like the Collector does. */
function span(trace: string, id: number, name: string, start: number, end: number, parent?: number, attributes: object[] = []): object {
  const hex = (n: number) => n.toString(16).padStart(16, '0');
  return {
    traceId: trace,
    spanId: hex(id),
    ...(parent === undefined ? {} : { parentSpanId: hex(parent) }),
    name,
    startTimeUnixNano: String(EPOCH + BigInt(start)),
    endTimeUnixNano: String(EPOCH + BigInt(end)),
    attributes,
  };
}

/** One export request (one Collector line). */
function request(...spans: object[]): string {
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }],
  });
}

const usage = [
  { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
  { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
  { key: 'gen_ai.usage.input_tokens', value: { intValue: '120' } },
  { key: 'gen_ai.usage.output_tokens', value: { intValue: 30 } },
];

/**
 * Trace A as a Collector writes it, children first: tool 300–700 and llm 100–250 (line 1), then
 * the root 50–1000 (line 2); trace B's only span 0–10 (line 3). Relative to A's earliest start
 * (50): root 0–950, llm 50–200, tool 250–650.
 */
const LINES = [
  request(span(TRACE_A, 3, 'tool:search', 300, 700, 1), span(TRACE_A, 2, 'llm:chat', 100, 250, 1, usage)),
  request(span(TRACE_A, 1, 'agent:run', 50, 1000)),
  request(span(TRACE_B, 9, 'other', 0, 10)),
];

const bytesOf = (text: string) => new TextEncoder().encode(text);

/** Feeds `bytes` to a fresh ingest in chunks of `size` bytes. */
function ingestInChunks(bytes: Uint8Array, size: number): Profile[] {
  const ingest = new OtlpIngest();
  for (let at = 0; at < bytes.length; at += size) ingest.push(bytes.subarray(at, Math.min(bytes.length, at + size)));
  return ingest.finish();
}

/** The parts of runs a test compares: spans, usage, diagnostics and the run header. */
function summary(runs: Profile[]): unknown {
  return runs.map((r) => ({
    run: [r.run.name, r.run.startEpochNs],
    spans: r.spans.map((s) => [s.id, s.name, s.start, s.end, s.parent, s.kind, s.sourceLine]),
    usage: r.usage.map((u) => [u.spanId, u.model, u.input, u.output, u.time]),
    diagnostics: r.diagnostics.map((d) => [d.line, d.severity, d.message]),
    times: [r.minTime, r.maxTime],
  }));
}

describe('OTLP/JSON read as a stream of chunks', () => {
  it('reads the Collector file form line by line: times relative to the earliest start, one run per trace', () => {
    const runs = ingestInChunks(bytesOf(LINES.join('\n') + '\n'), 64 * 1024);
    assert.equal(runs.length, 2);
    const [a, b] = runs;
    // Root 50–1000 → 0–950; llm 100–250 → 50–200; tool 300–700 → 250–650 (minus 50 each).
    assert.deepEqual(
      a.spans.map((s) => [s.name, s.start, s.end, s.sourceLine]),
      [
        ['tool:search', 250, 650, 1],
        ['llm:chat', 50, 200, 1],
        ['agent:run', 0, 950, 2],
      ],
    );
    // The children arrived before their parent (index 2) and are adopted by it.
    assert.deepEqual(a.spans.map((s) => s.parent), [2, 2, -1]);
    assert.equal(a.run.name, 'svc: agent:run');
    assert.equal(a.run.startEpochNs, String(EPOCH + 50n));
    assert.deepEqual([a.minTime, a.maxTime], [0, 950]);
    // Usage at the llm span's end, 200; input 120, output 30.
    assert.deepEqual(a.usage.map((u) => [u.model, u.input, u.output, u.time]), [['gpt-4o', 120, 30, 200]]);
    assert.deepEqual(b.spans.map((s) => [s.name, s.start, s.end, s.sourceLine]), [['other', 0, 10, 3]]);
  });

  it('gives the same runs whatever the chunk size, down to one byte (a request split anywhere)', () => {
    const bytes = bytesOf(LINES.join('\n') + '\n');
    const expected = summary(parseOtlp(LINES.join('\n') + '\n'));
    for (const size of [1, 2, 3, 7, 64, 100, 333, bytes.length - 1, bytes.length]) {
      assert.deepEqual(summary(ingestInChunks(bytes, size)), expected, `chunks of ${size} bytes`);
    }
    // And every single split point: the first chunk ends at byte k.
    for (let k = 1; k < bytes.length; k++) {
      const ingest = new OtlpIngest();
      ingest.push(bytes.subarray(0, k));
      ingest.push(bytes.subarray(k));
      assert.deepEqual(summary(ingest.finish()), expected, `split at byte ${k}`);
    }
  });

  it('accepts CRLF line ends, a BOM, blank lines and no newline after the last request', () => {
    const text = '\uFEFF' + LINES[0] + '\r\n\r\n' + LINES[1] + '\r\n' + LINES[2];
    const runs = ingestInChunks(bytesOf(text), 5);
    assert.deepEqual(summary(runs), summary(parseOtlp(text)));
    // Line numbers count the blank line: the root is on line 3, trace B's span on line 4.
    assert.deepEqual(runs[0].spans.map((s) => s.sourceLine), [1, 1, 3]);
    assert.deepEqual(runs[1].spans.map((s) => s.sourceLine), [4]);
    assert.equal(runs[0].diagnostics.length, 0);
  });

  it('reports a malformed line with its line number, skips it, and keeps the lines around it', () => {
    const text = [LINES[0], '{"resourceSpans":[{"scopeSpans":', LINES[1], LINES[2]].join('\n');
    const runs = ingestInChunks(bytesOf(text), 10);
    assert.deepEqual(
      runs[0].diagnostics.map((d) => [d.line, d.severity, d.message.startsWith('not valid JSON')]),
      [[2, 'error', true]],
    );
    // Trace A is whole (3 spans; the root on line 3 now), trace B has its span from line 4.
    assert.deepEqual(runs[0].spans.map((s) => s.sourceLine), [1, 1, 3]);
    assert.deepEqual(runs[1].spans.map((s) => s.sourceLine), [4]);
    assert.deepEqual(summary(runs), summary(parseOtlp(text)));
  });

  it('reports a line of invalid UTF-8 by its number and reads the others', () => {
    const bad = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]); // `{`, two bytes no UTF-8 text has, `}`
    const first = bytesOf(LINES[0] + '\n');
    const rest = bytesOf('\n' + LINES[2] + '\n');
    const bytes = new Uint8Array(first.length + bad.length + rest.length);
    bytes.set(first);
    bytes.set(bad, first.length);
    bytes.set(rest, first.length + bad.length);
    const runs = ingestInChunks(bytes, 4096);
    // Lines 1 and 3 read: trace A's two children (orphans: their root, on line 2, is missing), trace B.
    assert.deepEqual(runs.map((r) => r.spans.length), [2, 1]);
    assert.deepEqual(
      runs[0].diagnostics.map((d) => [d.line, d.message]),
      [
        [2, 'not valid UTF-8; skipped'],
        [1, 'span 0000000000000003 names parent 0000000000000001, which is not in the file; shown at the top level'],
        [1, 'span 0000000000000002 names parent 0000000000000001, which is not in the file; shown at the top level'],
      ],
    );
  });

  it('reads a pretty-printed single request whole, as line 0, in any chunks', () => {
    const text = JSON.stringify(JSON.parse(LINES[0]), null, 2);
    const expected = summary(parseOtlp(text));
    for (const size of [1, 16, 1 << 20]) {
      const runs = ingestInChunks(bytesOf(text), size);
      assert.deepEqual(summary(runs), expected);
      assert.deepEqual(runs[0].spans.map((s) => s.sourceLine), [0, 0]);
    }
  });

  it('reads a single request on a single line as one document (line 0), like the whole-text parser', () => {
    const runs = ingestInChunks(bytesOf(LINES[1] + '\n\n'), 7);
    assert.deepEqual(runs[0].spans.map((s) => [s.name, s.sourceLine]), [['agent:run', 0]]);
    assert.deepEqual(summary(runs), summary(parseOtlp(LINES[1] + '\n\n')));
  });

  it('gives one empty run for empty input', () => {
    const runs = new OtlpIngest().finish();
    assert.deepEqual(runs.map((r) => [r.spans.length, r.diagnostics.length]), [[0, 0]]);
  });

  it('loadRuns streams an OTLP .jsonl file to the same runs as parsing its text', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otlp-stream-'));
    try {
      const file = path.join(dir, 'traces.jsonl');
      const text = LINES.join('\n') + '\n';
      writeFileSync(file, text);
      const { format, runs } = await loadRuns(file);
      assert.equal(format, 'otlp');
      assert.deepEqual(summary(runs), summary(parseOtlp(text)));
      assert.deepEqual(runs.map((r) => r.spans.length), [3, 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OTLP value fast paths give the general results', () => {
  it('quotes bare nanosecond numbers after any white space the regex allows, and leaves strings alone', () => {
    assert.equal(quoteNanoNumbers('{"endTimeUnixNano" :\u00a0-5 }'), '{"endTimeUnixNano" :\u00a0"-5" }');
    assert.equal(quoteNanoNumbers('{"timeUnixNano":\n7,"x":1}'), '{"timeUnixNano":\n"7","x":1}');
    const strings = '{"startTimeUnixNano":"12","name":"UnixNano\\":1"}';
    assert.equal(quoteNanoNumbers(strings), strings);
  });

  it('normalises ids: lowercase hex as is, other case lowered, all zeros no id', () => {
    assert.equal(normaliseId('00000000000000ab', 8), '00000000000000ab');
    assert.equal(normaliseId('ABCDEF0123456789', 8), 'abcdef0123456789');
    assert.equal(normaliseId('0000000000000000', 8), undefined);
    // Short hex is padded to 16 digits; 'ab' → 14 zeros + 'ab'.
    assert.equal(normaliseId('ab', 8), '00000000000000ab');
  });

  it('reads conventions from the attribute keys as from the alias table: first usable name wins, last value of a key', () => {
    const keys: string[] = [];
    const attrs = attributesOf(
      [
        { key: 'llm.model_name', value: { stringValue: 'oi-model' } },
        { key: 'gen_ai.response.model', value: { stringValue: '' } }, // empty: not usable
        { key: 'gen_ai.request.model', value: { stringValue: 'first' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'req-model' } }, // repeated key: last value kept
        { key: 'llm.token_count.prompt', value: { intValue: '70' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: 50 } },
        { key: 'llm.usage.total_tokens', value: { intValue: 80 } },
        { key: 'unrelated', value: { boolValue: true } },
      ],
      0,
      keys,
    );
    const fast = readConventions(attrs, keys);
    assert.deepEqual(fast, readConventions(attrs));
    // Model: response.model is empty, so request.model (rank 2) beats llm.model_name (rank 3).
    // Input: gen_ai.usage.input_tokens (50) beats llm.token_count.prompt; output = total 80 − 50 = 30.
    assert.equal(fast.model, 'req-model');
    assert.deepEqual([fast.usage?.input, fast.usage?.output, fast.kind], [50, 30, 'llm']);
  });
});
