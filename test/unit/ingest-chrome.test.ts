import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { criticalPath } from '../../src/core/critical-path';
import { parseChrome } from '../../src/ingest/chrome';
import { microsToNs, readTraceEvents } from '../../src/ingest/chrome-read';

const FIXTURE = path.join(__dirname, '../fixtures/interop/chrome-crashed.json');

describe('Chrome trace import', () => {
  it('reads a crashed tracer\'s file: B/E pairs, X events, thread names, no closing bracket', () => {
    const run = parseChrome(fs.readFileSync(FIXTURE, 'utf8'));
    assert.equal(run.run.name, 'support-bot', 'the process_name metadata names the run');
    assert.equal(run.run.source, 'chrome');
    // The first event is at 1 000 µs on a monotonic clock: times are relative to it, the date unknown.
    assert.equal(run.run.startEpochNs, '0');
    const rows = run.spans.map((s) => [s.name, s.parent >= 0 ? run.spans[s.parent].name : null, s.start, s.end, s.thread, s.kind]);
    assert.deepEqual(rows, [
      // B at 1 000 µs with no E: unfinished.
      ['agent:handle_ticket', null, 0, NaN, 'main', 'agent'],
      // X at 1 100.5 µs for 250 000.25 µs: 100 500 ns to 100 500 + 250 000 250 = 250 100 750 ns.
      ['llm:classify', 'agent:handle_ticket', 100_500, 250_100_750, 'main', 'llm'],
      // B 260 000 / E 460 000 µs, less the 1 000 µs base.
      ['tool:search_kb', 'agent:handle_ticket', 259_000_000, 459_000_000, 'main', 'tool'],
      // Inside tool:search_kb by time on the same thread.
      ['retrieval:embed', 'tool:search_kb', 260_000_000, 269_000_000, 'main', 'retrieval'],
      // Another thread: nothing there contains it.
      ['tool:send_email', null, 299_000_000, 349_000_000, 'worker', 'tool'],
      // E at 1 470 000.001 µs: 1 469 000 001 ns, the nanosecond kept.
      ['llm:answer', 'agent:handle_ticket', 469_000_000, 1_469_000_001, 'main', 'llm'],
    ]);
    // The E event's args are merged into the B event's.
    assert.deepEqual({ ...run.spans[2].attrs }, { query: 'refund', hits: 3 });
    assert.equal(run.maxTime, 1_469_000_001, 'the open span lasts to the last time seen');

    // GenAI attributes in args are token usage, as in OTLP.
    assert.equal(run.usage.length, 1);
    const u = run.usage[0];
    assert.deepEqual([u.model, u.provider, u.input, u.output, u.span, u.time], ['gpt-4o-mini', 'openai', 1000, 100, 1, 250_100_750]);

    const messages = run.diagnostics.map((d) => `${d.line}:${d.severity}:${d.message}`);
    assert.ok(messages.some((m) => /^14:warning:the last trace event is incomplete/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^0:info:the trace has no closing "\]".*read 12 complete events/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /1 span began \(B\) and never ended/.test(m)));
    assert.ok(messages.some((m) => /1 "C"/.test(m)), 'the counter event is counted, not read');
    assert.ok(run.diagnostics.every((d) => d.severity !== 'error'));

    // Critical path: the open root runs to 1 469.000001 ms; llm:answer ends then.
    assert.deepEqual(
      criticalPath(run).map((s) => [s.name, s.startMs, s.endMs]),
      [
        ['agent:handle_ticket', 0, 0.1005],
        ['llm:classify', 0.1005, 250.10075],
        ['agent:handle_ticket', 250.10075, 259],
        ['tool:search_kb', 259, 260],
        ['retrieval:embed', 260, 269],
        ['tool:search_kb', 269, 459],
        ['agent:handle_ticket', 459, 469],
        ['llm:answer', 469, 1469.000001],
      ],
    );
  });

  it('converts microseconds to nanoseconds exactly, from numbers and from long decimal text', () => {
    assert.equal(microsToNs(1100.5), 1_100_500n);
    assert.equal(microsToNs('1714557600123456.789'), 1_714_557_600_123_456_789n);
    assert.equal(microsToNs('1e3'), 1_000_000n);
    assert.equal(microsToNs('2.5e-3'), 3n, '2.5 ns rounds half away from zero');
    assert.equal(microsToNs(-2.0005), -2001n);
    assert.equal(microsToNs(0), 0n);
    assert.equal(microsToNs('abc'), undefined);
    assert.equal(microsToNs(Infinity), undefined);
    assert.equal(microsToNs(null), undefined);
  });

  it('keeps every digit of epoch-microsecond timestamps and takes them as the run\'s date', () => {
    // 16+ significant digits do not survive a double; they are read as text.
    const text = '[{"name":"a","ph":"X","ts":1714557600123456.789,"dur":1.001,"pid":1,"tid":1}]';
    const run = parseChrome(text);
    assert.equal(run.run.startEpochNs, '1714557600123456789');
    assert.equal(run.spans[0].end - run.spans[0].start, 1001);
    assert.deepEqual(run.diagnostics, []);
  });

  it('nests by time per thread: longer first on equal starts, partial overlaps stay siblings', () => {
    const ev = (name: string, ts: number, dur: number, tid = 1) => ({ name, ph: 'X', ts, dur, pid: 1, tid });
    const text = JSON.stringify({
      traceEvents: [
        ev('inner', 0, 5), // same start as outer, shorter: its child
        ev('outer', 0, 10),
        ev('overlap', 8, 10), // starts inside outer but ends after it: not its child
        ev('after', 10, 2), // starts exactly when outer ends: not its child, but inside overlap
        ev('other-thread', 1, 1, 2),
      ],
      displayTimeUnit: 'ms',
    });
    const run = parseChrome(text);
    const parentOf = (n: string) => {
      const s = run.spans.find((x) => x.name === n)!;
      return s.parent >= 0 ? run.spans[s.parent].name : null;
    };
    assert.deepEqual(
      ['outer', 'inner', 'overlap', 'after', 'other-thread'].map(parentOf),
      [null, 'outer', null, 'overlap', null],
    );
    assert.equal(run.run.name, 'Chrome trace');
  });

  it('reports ends without begins, bad times, and events of other phases', () => {
    const text = JSON.stringify([
      { name: 'x', ph: 'E', ts: 5, pid: 1, tid: 1 },
      { name: 'y', ph: 'X', ts: 'soon', dur: 1, pid: 1, tid: 1 },
      { name: 'z', ph: 'X', ts: 1, dur: -4, pid: 1, tid: 1 },
      { name: 'flow', ph: 's', ts: 1, pid: 1, tid: 1, id: 1 },
    ]);
    const run = parseChrome(text);
    assert.deepEqual(run.spans.map((s) => [s.name, s.end - s.start]), [['z', 0]]);
    const text2 = run.diagnostics.map((d) => d.message).join('\n');
    assert.match(text2, /1 end event \(E\) without a begin/);
    assert.match(text2, /2 events with a missing or invalid "ts"\/"dur"/);
    assert.match(text2, /1 "s"/);
  });

  it('reads an object-format trace cut before its end, and rejects what is not a trace', () => {
    const cut = '{"traceEvents":[\n{"name":"a","ph":"X","ts":0,"dur":3,"pid":1,"tid":1},\n{"name":"b","ph":"X","ts":1,"dur":1,"pid":1,"tid":1},\n';
    const read = readTraceEvents(cut);
    assert.equal(read.events.length, 2);
    assert.deepEqual(read.lines, [2, 3]);
    const run = parseChrome(cut);
    assert.deepEqual(run.spans.map((s) => [s.name, s.parent]), [['a', -1], ['b', 0]]);

    const notTrace = parseChrome('{"foo": 1}');
    assert.equal(notTrace.spans.length, 0);
    assert.match(notTrace.diagnostics[0].message, /no "traceEvents" array/);
    assert.equal(notTrace.diagnostics[0].severity, 'error');
    assert.match(parseChrome('hello').diagnostics[0].message, /not a Chrome trace/);
  });
});
