import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/core/analyze';
import { criticalPath } from '../../src/core/critical-path';
import { PriceBook } from '../../src/core/prices';
import { computeTokens } from '../../src/core/tokens';
import { isoToEpochNs, parseOtelConsole } from '../../src/ingest/otel-console';

const FIXTURE = path.join(__dirname, '../fixtures/interop/otel-console.txt');
/** 2024-05-01T10:00:00Z in epoch ns: Date.UTC(2024, 4, 1, 10) = 1 714 557 600 000 ms. */
const T0 = 1_714_557_600_000_000_000n;

/** A console span object as the Python exporter prints it (json.dumps, indent 4). */
function consoleSpan(name: string, spanId: string, start: string, end: string, extra: Record<string, unknown> = {}): string {
  const span = {
    name,
    context: { trace_id: '0x' + 'ab'.repeat(16), span_id: '0x' + spanId, trace_state: '[]' },
    kind: 'SpanKind.INTERNAL',
    parent_id: null,
    start_time: start,
    end_time: end,
    status: { status_code: 'UNSET' },
    attributes: {},
    events: [],
    links: [],
    resource: { attributes: { 'service.name': 'svc' }, schema_url: '' },
    ...extra,
  };
  return JSON.stringify(span, null, 4);
}

describe('OpenTelemetry console (ConsoleSpanExporter) import', () => {
  it('reads the concatenated pretty-printed spans of two traces, with program output in between', () => {
    const runs = parseOtelConsole(fs.readFileSync(FIXTURE, 'utf8'));
    assert.equal(runs.length, 2, 'two trace ids, two runs');
    const [run, health] = runs;
    assert.equal(run.spans.length, 5, 'largest trace first');
    assert.equal(health.spans.length, 1);
    assert.equal(run.run.name, 'research-agent: invoke_agent research');
    assert.equal(run.run.source, 'otel-console');
    assert.equal(run.run.startEpochNs, T0.toString());
    // 10:01:00.000000 → 10:01:00.002500: 2.5 ms.
    assert.equal(health.run.startEpochNs, (T0 + 60_000_000_000n).toString());
    assert.equal(health.spans[0].end, 2_500_000);

    const rows = run.spans.map((s) => [s.name, s.parent >= 0 ? run.spans[s.parent].name : null, s.kind, s.category, s.start, s.end, s.status]);
    // The exporter prints spans as they end: children before their parent.
    assert.deepEqual(rows, [
      ['chat gpt-4o', 'invoke_agent research', 'llm', 'llm', 100_000_000, 2_100_000_000, 'ok'],
      ['execute_tool web_search', 'invoke_agent research', 'tool', 'tool', 2_200_000_000, 3_200_000_000, 'ok'],
      // end 10:00:04.700001: the microsecond survives.
      ['execute_tool web_search', 'invoke_agent research', 'tool', 'tool', 2_200_000_000, 4_700_001_000, 'error'],
      ['chat claude-3-5-sonnet-20241022', 'invoke_agent research', 'llm', 'llm', 4_800_000_000, 5_800_000_000, 'ok'],
      ['invoke_agent research', null, 'agent', 'agent', 0, 6_000_000_000, 'ok'],
    ]);
    assert.equal(run.spans[2].error, 'TimeoutError: search timed out');
    assert.equal(run.spans[0].file, 'agent/plan.py');
    assert.equal(run.spans[0].line, 42);
    assert.equal(run.spans[1].attrs?.query, 'pgvector');
    // "Starting…", "Searching the web for {…}…" (a brace, but not at the start of a line) and "Done.".
    assert.deepEqual(run.diagnostics, [{ line: 1, severity: 'info', message: '3 lines of other output between the spans skipped (first at this line)' }]);
  });

  it('counts tokens and prices cache reads at the cache rate', () => {
    const [run] = parseOtelConsole(fs.readFileSync(FIXTURE, 'utf8'));
    const tokens = computeTokens(run, new PriceBook({ at: new Date('2026-11-23T00:00:00Z') }));
    // input 10 000 (GenAI) + 3 000 (OpenInference) = 13 000; cache read 8 000 + 1 000; write 1 000.
    assert.equal(tokens.input, 13_000);
    assert.equal(tokens.cacheRead, 9_000);
    assert.equal(tokens.cacheWrite, 1_000);
    assert.equal(tokens.output, 700);
    // gpt-4o at $2.50 / $1.25 cached / $10 per MTok: 2 000 × 2.5e-6 + 8 000 × 1.25e-6 + 500 × 10e-6 = 0.020
    // claude-3-5-sonnet at $3 / $0.30 cache read / $3.75 cache write / $15 per MTok:
    //   1 000 × 3e-6 + 1 000 × 0.3e-6 + 1 000 × 3.75e-6 + 200 × 15e-6 = 0.01005
    const model = (m: string) => tokens.byModel.find((x) => x.model === m)!;
    assert.ok(Math.abs(model('gpt-4o').costUsd - 0.02) < 1e-12, `gpt-4o ${model('gpt-4o').costUsd}`);
    assert.ok(Math.abs(model('claude-3-5-sonnet-20241022').costUsd - 0.01005) < 1e-12);
    assert.ok(Math.abs(tokens.costUsd - 0.03005) < 1e-12, `total ${tokens.costUsd}`);
  });

  it('finds the critical path through the parallel tools', () => {
    const [run] = parseOtelConsole(fs.readFileSync(FIXTURE, 'utf8'));
    // Back from 6 s: the Claude chat (ChatAnthropic in the file) ends last (5.8), then the slower tool (ends 4.700001), then the
    // chat (ends 2.1); the gaps between are the root's own time. 0.1 + 2 + 0.1 + 2.500001 + 0.099999
    // + 1 + 0.2 = 6 s.
    assert.deepEqual(
      criticalPath(run).map((s) => [s.name, s.startMs, s.endMs]),
      [
        ['invoke_agent research', 0, 100],
        ['chat gpt-4o', 100, 2100],
        ['invoke_agent research', 2100, 2200],
        ['execute_tool web_search', 2200, 4700.001],
        ['invoke_agent research', 4700.001, 4800],
        ['chat claude-3-5-sonnet-20241022', 4800, 5800],
        ['invoke_agent research', 5800, 6000],
      ],
    );
    const a = analyze(run, { prices: new PriceBook({ at: new Date('2026-11-23T00:00:00Z') }) });
    assert.equal(a.run.wallMs, 6000);
    assert.equal(a.run.errors, 1);
  });

  it('reports a span object that does not parse by its line and keeps going', () => {
    const good1 = consoleSpan('first', '0000000000000001', '2024-05-01T10:00:00.000000Z', '2024-05-01T10:00:01.000000Z');
    const bad = `{\n    "name": 'single quotes',\n    "context": {}\n}`;
    const good2 = consoleSpan('second', '0000000000000002', '2024-05-01T10:00:01.000000Z', '2024-05-01T10:00:02.000000Z');
    const text = [good1, bad, good2].join('\n') + '\n';
    const badLine = good1.split('\n').length + 1;
    const [run] = parseOtelConsole(text);
    assert.deepEqual(run.spans.map((s) => s.name), ['first', 'second']);
    const problem = run.diagnostics.find((d) => d.severity === 'error')!;
    assert.equal(problem.line, badLine);
    assert.match(problem.message, /not valid JSON/);
  });

  it('reports a cut object (a killed process) and reads the object after it', () => {
    const whole = consoleSpan('kept', '0000000000000003', '2024-05-01T10:00:00.000000Z', '2024-05-01T10:00:00.500000Z');
    const cut = consoleSpan('cut', '0000000000000004', '2024-05-01T10:00:00.000000Z', '2024-05-01T10:00:01.000000Z').split('\n').slice(0, 6).join('\n');
    const text = `${cut}\n${whole}\n${cut}`;
    const [run] = parseOtelConsole(text);
    assert.deepEqual(run.spans.map((s) => s.name), ['kept']);
    const cuts = run.diagnostics.filter((d) => /incomplete/.test(d.message));
    // The first cut ends where the next object starts at column 0; the second at the end of the text.
    assert.deepEqual(cuts.map((d) => d.line), [1, 7 + whole.split('\n').length]);
  });

  it('takes the error from the exception event when the status has no description, and skips spans without ids', () => {
    const failed = consoleSpan('tool', '0000000000000005', '2024-05-01T10:00:00Z', '2024-05-01T10:00:00.25Z', {
      status: { status_code: 'ERROR' },
      events: [{ name: 'exception', timestamp: '2024-05-01T10:00:00.25Z', attributes: { 'exception.type': 'KeyError', 'exception.message': "'q'" } }],
    });
    const noId = consoleSpan('no id', '', '2024-05-01T10:00:00Z', '2024-05-01T10:00:01Z');
    const [run] = parseOtelConsole(`${failed}\n${noId}\n`);
    assert.equal(run.spans.length, 1);
    assert.equal(run.spans[0].error, "KeyError: 'q'");
    assert.equal(run.spans[0].end, 250_000_000);
    assert.ok(run.diagnostics.some((d) => d.severity === 'warning' && /context\.span_id/.test(d.message)));
  });

  it('parses ISO-8601 times into epoch nanoseconds without float loss', () => {
    assert.equal(isoToEpochNs('2024-05-01T10:00:00.123456Z'), T0 + 123_456_000n);
    assert.equal(isoToEpochNs('2024-05-01T10:00:00Z'), T0);
    assert.equal(isoToEpochNs('2024-05-01T10:00:00.123456789Z'), T0 + 123_456_789n);
    // 12:00 at +02:00 is 10:00 UTC; no zone is UTC, as the exporter writes.
    assert.equal(isoToEpochNs('2024-05-01T12:00:00.5+02:00'), T0 + 500_000_000n);
    assert.equal(isoToEpochNs('2024-05-01T10:00:00.000001'), T0 + 1_000n);
    assert.equal(isoToEpochNs('2024-13-01T10:00:00Z'), undefined);
    assert.equal(isoToEpochNs('yesterday'), undefined);
    assert.equal(isoToEpochNs(1714557600), undefined);
    const empty = parseOtelConsole('nothing here\n')[0];
    assert.ok(empty.diagnostics.some((d) => d.severity === 'error' && d.message === 'no OpenTelemetry console spans found'));
  });
});
