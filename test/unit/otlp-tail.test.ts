import { strict as assert } from 'assert';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ProfileSource } from '../../src/io/profile-source';

const TRACE = 'cd'.repeat(16);
const OTHER = 'ef'.repeat(16);
const EPOCH = 1_700_000_000_000_000_000n;

/** One export request line holding one span; times in ns after EPOCH. */
function request(trace: string, id: number, name: string, start: number, end: number, parent?: number): string {
  const hex = (n: number) => n.toString(16).padStart(16, '0');
  const span = {
    traceId: trace,
    spanId: hex(id),
    ...(parent === undefined ? {} : { parentSpanId: hex(parent) }),
    name,
    startTimeUnixNano: String(EPOCH + BigInt(start)),
    endTimeUnixNano: String(EPOCH + BigInt(end)),
  };
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }) + '\n';
}

describe('OTLP/JSON Collector file followed while it grows', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'otlp-tail-'));
    file = path.join(dir, 'traces.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads only appended requests: each span exactly once, a half-written request when complete', async () => {
    // Children first, as the Collector writes spans when they end.
    const first = request(TRACE, 2, 'llm:chat', 200, 400, 1);
    writeFileSync(file, first);
    const source = new ProfileSource(file, { chunkBytes: 16 });
    let polled = await source.poll();
    assert.equal(source.detectedFormat, 'otlp');
    assert.equal(polled.appendedBytes, first.length);
    assert.deepEqual(source.profile.spans.map((s) => [s.id, s.start, s.end]), [['0000000000000002', 0, 200]]);

    // The root (starts at 100, earlier than the child) and half of the next request.
    const root = request(TRACE, 1, 'agent:run', 100, 1000);
    const next = request(TRACE, 3, 'tool:search', 500, 600, 1);
    appendFileSync(file, root + next.slice(0, 40));
    polled = await source.poll();
    assert.equal(polled.appendedBytes, root.length + 40);
    assert.equal(polled.reset, false);
    // Times now relative to the root's start (100): child 200–400 → 100–300, root 0–900.
    assert.deepEqual(
      source.profile.spans.map((s) => [s.id, s.start, s.end, s.parent]),
      [
        ['0000000000000002', 100, 300, 1],
        ['0000000000000001', 0, 900, -1],
      ],
    );
    assert.equal(source.profile.run.startEpochNs, String(EPOCH + 100n));

    // The rest of the half-written request, and a span of another trace.
    appendFileSync(file, next.slice(40) + request(OTHER, 9, 'other', 0, 5));
    polled = await source.poll();
    // tool 500–600 → 400–500; no span read twice.
    assert.deepEqual(
      source.profile.spans.map((s) => [s.id, s.start, s.end]),
      [
        ['0000000000000002', 100, 300],
        ['0000000000000001', 0, 900],
        ['0000000000000003', 400, 500],
      ],
    );
    assert.deepEqual([source.profile.minTime, source.profile.maxTime], [0, 900]);
    assert.ok(source.profile.diagnostics.some((d) => d.message.startsWith('the file holds 2 traces; showing the largest (3 spans)')));

    // Nothing new: nothing read, the same spans.
    polled = await source.poll();
    assert.equal(polled.appendedBytes, 0);
    assert.equal(source.profile.spans.length, 3);

    // Input complete: every parent arrived, so no span is flagged as an orphan.
    source.endOfInput();
    assert.deepEqual(source.profile.spans.map((s) => s.orphan), [false, false, false]);
    assert.equal(source.profile.diagnostics.filter((d) => d.severity === 'warning').length, 0);
  });

  it('reads a rewritten (shorter) file again from the start', async () => {
    writeFileSync(file, request(TRACE, 1, 'a', 0, 10) + request(TRACE, 2, 'b', 0, 10, 1));
    const source = new ProfileSource(file);
    await source.poll();
    assert.equal(source.profile.spans.length, 2);
    writeFileSync(file, request(TRACE, 7, 'c', 0, 10));
    const polled = await source.poll();
    assert.equal(polled.reset, true);
    assert.deepEqual(source.profile.spans.map((s) => s.name), ['c']);
  });

  it('reads a single request without a newline whole, then goes on line by line when more are appended', async () => {
    const one = request(TRACE, 1, 'a', 0, 10);
    writeFileSync(file, one.trimEnd());
    const source = new ProfileSource(file);
    await source.poll();
    // No complete line yet: the content so far is parsed whole, a single document (line 0).
    assert.deepEqual(source.profile.spans.map((s) => [s.name, s.sourceLine]), [['a', 0]]);
    appendFileSync(file, '\n' + request(TRACE, 2, 'b', 5, 10, 1));
    await source.poll();
    // Now the Collector form: line numbers 1 and 2; span a read once.
    assert.deepEqual(source.profile.spans.map((s) => [s.name, s.sourceLine]), [['a', 1], ['b', 2]]);
  });

  it('reads a pretty-printed single request whole', async () => {
    const doc = JSON.stringify(JSON.parse(request(TRACE, 1, 'a', 0, 10)), null, 2);
    writeFileSync(file, doc);
    const source = new ProfileSource(file, { chunkBytes: 8 });
    const polled = await source.poll();
    assert.equal(polled.reset, true);
    assert.deepEqual(source.profile.spans.map((s) => [s.name, s.sourceLine]), [['a', 0]]);
  });
});
