import { strict as assert } from 'assert';
import * as api from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { criticalPath } from '../../src/core/critical-path';
import { PriceBook } from '../../src/core/prices';
import { computeTokens } from '../../src/core/tokens';
import { parseOtlp } from '../../src/ingest/otlp';
import { normaliseId, quoteNanoNumbers } from '../../src/ingest/otel-values';

const T0 = 1_700_000_000; // epoch seconds of the trace start
const at = (s: number): api.HrTime => [T0 + Math.floor(s), Math.round((s % 1) * 1e9)];

/**
 * A research agent traced with the real OpenTelemetry JS SDK and GenAI attributes:
 *   invoke_agent   0–10 s (root; nothing runs 6–10 s: root self time)
 *   chat gpt-4o    0–2 s   input 10 000 (8 000 cache read), output 500
 *   3 × execute_tool in parallel 2–3, 2–5, 2–4 s
 *   chat gpt-4o-mini 5–6 s  input 2 000, output 300
 */
function sdkTrace(): string {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('agent');
  const root = tracer.startSpan('invoke_agent research', {
    startTime: at(0),
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'research' },
  });
  const ctx = api.trace.setSpan(api.context.active(), root);
  const plan = tracer.startSpan(
    'chat gpt-4o',
    {
      startTime: at(0),
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 10_000,
        'gen_ai.usage.output_tokens': 500,
        'gen_ai.usage.cache_read.input_tokens': 8_000,
        'code.file.path': 'agent/plan.py',
        'code.line.number': 42,
      },
    },
    ctx,
  );
  plan.end(at(2));
  const tools = [3, 5, 4].map((end, i) => {
    const s = tracer.startSpan(
      'execute_tool web_search',
      { startTime: at(2), attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'web_search', i } },
      ctx,
    );
    return { s, end };
  });
  for (const { s, end } of tools) s.end(at(end));
  const summarize = tracer.startSpan(
    'chat gpt-4o-mini',
    {
      startTime: at(5),
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.response.model': 'gpt-4o-mini',
        'gen_ai.usage.prompt_tokens': 2_000,
        'gen_ai.usage.completion_tokens': 300,
      },
    },
    ctx,
  );
  summarize.setStatus({ code: api.SpanStatusCode.ERROR, message: 'rate limited once' });
  summarize.end(at(6));
  root.end(at(10));
  return new TextDecoder().decode(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans()));
}

describe('OTLP/JSON import', () => {
  it('reads a trace from the real OpenTelemetry JS SDK with GenAI attributes', () => {
    const [run, ...others] = parseOtlp(sdkTrace());
    assert.equal(others.length, 0);
    assert.equal(run.spans.length, 6);
    assert.deepEqual(run.diagnostics, []);
    assert.equal(run.run.startEpochNs, String(BigInt(T0) * 1_000_000_000n));
    assert.equal(run.run.source, 'otlp');
    // A complete trace file is a finished run: it ended with its last span (the root, at 10 s).
    assert.equal(run.run.endedAt, 10e9);
    assert.equal(run.run.exitStatus, 'ok', 'only a child failed, not the agent invocation');

    const byName = (n: string) => run.spans.filter((s) => s.name === n);
    const root = byName('invoke_agent research')[0];
    assert.equal(root.parent, -1);
    assert.equal(root.kind, 'agent');
    assert.equal(root.category, 'agent');
    const plan = byName('chat gpt-4o')[0];
    assert.equal(plan.parent, root.index);
    assert.equal(plan.kind, 'llm');
    assert.equal(plan.category, 'llm');
    assert.equal(plan.file, 'agent/plan.py');
    assert.equal(plan.line, 42);
    assert.equal(plan.start, 0);
    assert.equal(plan.end, 2e9);
    const tools = byName('execute_tool web_search');
    assert.equal(tools.length, 3);
    assert.ok(tools.every((t) => t.kind === 'tool' && t.category === 'tool' && t.parent === root.index));
    const mini = byName('chat gpt-4o-mini')[0];
    assert.equal(mini.status, 'error');
    assert.equal(mini.error, 'rate limited once');

    // Tokens: input 10 000 + 2 000 = 12 000 (8 000 of them cache reads), output 500 + 300 = 800.
    const tokens = computeTokens(run, new PriceBook({ at: new Date('2026-11-23T00:00:00Z') }));
    assert.equal(tokens.input, 12_000);
    assert.equal(tokens.cacheRead, 8_000);
    assert.equal(tokens.output, 800);
    // gpt-4o at $2.50 / $1.25 cached / $10 per MTok:
    //   2 000 × 2.5e-6 + 8 000 × 1.25e-6 + 500 × 10e-6 = 0.005 + 0.010 + 0.005 = 0.020
    // gpt-4o-mini at $0.15 / $0.60 per MTok: 2 000 × 0.15e-6 + 300 × 0.6e-6 = 0.0003 + 0.00018 = 0.00048
    const model = (m: string) => tokens.byModel.find((x) => x.model === m)!;
    assert.ok(Math.abs(model('gpt-4o').costUsd - 0.02) < 1e-12);
    assert.ok(Math.abs(model('gpt-4o-mini').costUsd - 0.00048) < 1e-12);
    assert.ok(Math.abs(tokens.costUsd - 0.02048) < 1e-12);
    assert.equal(model('gpt-4o').provider, 'openai');

    // Critical path: planning 0–2, the tool ending at 5 (2–5), mini 5–6, root self 6–10; sums to 10 s.
    const path = criticalPath(run).map((s) => [s.name, s.startMs, s.endMs]);
    assert.deepEqual(path, [
      ['chat gpt-4o', 0, 2000],
      ['execute_tool web_search', 2000, 5000],
      ['chat gpt-4o-mini', 5000, 6000],
      ['invoke_agent research', 6000, 10000],
    ]);
    const seg = criticalPath(run)[1];
    assert.equal(run.spans[seg.span].end, 5e9, 'the longest parallel tool is the one on the path');
  });

  it('keeps every digit of nanosecond times written as JSON numbers', () => {
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[
      {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"a",
       "startTimeUnixNano":1700000000123456789,"endTimeUnixNano":1700000000123457789}]}]}]}`;
    const [run] = parseOtlp(text);
    assert.equal(run.run.startEpochNs, '1700000000123456789');
    assert.equal(run.spans[0].end - run.spans[0].start, 1000); // 1 µs, exact
    assert.equal(quoteNanoNumbers('{"startTimeUnixNano": 12}'), '{"startTimeUnixNano": "12"}');
  });

  it('accepts hex ids in any case and base64 ids, and maps OpenInference attributes', () => {
    // AQIDBAUGBwg= is base64 of bytes 01..08; the child names it in upper-case hex.
    assert.equal(normaliseId('AQIDBAUGBwg=', 8), '0102030405060708');
    assert.equal(normaliseId('0102030405060708', 8), '0102030405060708');
    assert.equal(normaliseId('', 8), undefined);
    assert.equal(normaliseId('0000000000000000', 8), undefined);
    const text = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'phoenix-app' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'AQIDBAUGBwgJCgsMDQ4PEA==',
                  spanId: 'AQIDBAUGBwg=',
                  name: 'RetrievalQA',
                  startTimeUnixNano: '1000',
                  endTimeUnixNano: '5000',
                  attributes: [{ key: 'openinference.span.kind', value: { stringValue: 'CHAIN' } }],
                },
                {
                  traceId: '0102030405060708090A0B0C0D0E0F10',
                  spanId: '1112131415161718',
                  parentSpanId: '0102030405060708',
                  name: 'ChatAnthropic',
                  startTimeUnixNano: '2000',
                  endTimeUnixNano: '4000',
                  attributes: [
                    { key: 'openinference.span.kind', value: { stringValue: 'LLM' } },
                    { key: 'llm.model_name', value: { stringValue: 'claude-3-5-sonnet-20241022' } },
                    { key: 'llm.provider', value: { stringValue: 'anthropic' } },
                    { key: 'llm.token_count.prompt', value: { intValue: '3000' } },
                    { key: 'llm.token_count.completion', value: { intValue: 200 } },
                    { key: 'llm.token_count.prompt_details.cache_read', value: { intValue: '1000' } },
                    { key: 'llm.token_count.prompt_details.cache_write', value: { intValue: '1000' } },
                    { key: 'llm.cost.total', value: { doubleValue: 0.0071 } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const runs = parseOtlp(text);
    assert.equal(runs.length, 1, 'base64 and hex ids of the same trace are one run');
    const [run] = runs;
    assert.equal(run.run.name, 'phoenix-app: RetrievalQA');
    const llm = run.spans[1];
    assert.equal(llm.parent, 0);
    assert.equal(llm.kind, 'llm');
    assert.equal(run.spans[0].kind, 'other');
    // OpenInference CHAIN: the category the attribute gives (before any name prefix).
    assert.equal(run.spans[0].category, 'chain');
    const u = run.usage[0];
    assert.deepEqual(
      [u.model, u.provider, u.input, u.output, u.cacheRead, u.cacheWrite, u.reportedCostUsd],
      ['claude-3-5-sonnet-20241022', 'anthropic', 3000, 200, 1000, 1000, 0.0071],
    );
    // claude-3-5-sonnet: $3 input, $0.30 cache read, $3.75 cache write, $15 output per MTok:
    //   1 000 × 3e-6 + 1 000 × 0.3e-6 + 1 000 × 3.75e-6 + 200 × 15e-6 = 0.003 + 0.0003 + 0.00375 + 0.003 = 0.01005
    const tokens = computeTokens(run, new PriceBook({ at: new Date('2026-11-23T00:00:00Z') }));
    assert.ok(Math.abs(tokens.costUsd - 0.01005) < 1e-12, `cost ${tokens.costUsd}`);
    assert.ok(Math.abs((tokens.reportedCostUsd ?? 0) - 0.0071) < 1e-12);
  });

  it('maps OpenLLMetry attributes and adds the cached tokens an Anthropic input excludes', () => {
    const span = (id: string, name: string, attrs: Record<string, unknown>, parent?: string) => ({
      traceId: 'aa'.repeat(16),
      spanId: id,
      parentSpanId: parent ?? '',
      name,
      startTimeUnixNano: '0',
      endTimeUnixNano: '1000000',
      attributes: Object.entries(attrs).map(([key, v]) => ({
        key,
        value: typeof v === 'number' ? { intValue: v } : { stringValue: String(v) },
      })),
    });
    const text = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                span('0000000000000001', 'research.workflow', { 'traceloop.span.kind': 'workflow', 'traceloop.entity.name': 'research' }),
                span(
                  '0000000000000002',
                  'anthropic.chat',
                  {
                    'llm.request.type': 'chat',
                    'gen_ai.system': 'anthropic',
                    'gen_ai.request.model': 'claude-3-5-sonnet-20241022',
                    'gen_ai.usage.prompt_tokens': 100,
                    'gen_ai.usage.completion_tokens': 50,
                    'gen_ai.usage.cache_read_input_tokens': 400,
                    'llm.usage.total_tokens': 550,
                  },
                  '0000000000000001',
                ),
                span('0000000000000003', 'search.tool', { 'traceloop.span.kind': 'tool' }, '0000000000000001'),
              ],
            },
          ],
        },
      ],
    });
    const [run] = parseOtlp(text);
    assert.deepEqual(
      run.spans.map((s) => [s.name, s.kind, s.category]),
      [
        ['agent research', 'agent', 'agent'],
        ['chat claude-3-5-sonnet-20241022', 'llm', 'llm'],
        ['search.tool', 'tool', 'tool'],
      ],
    );
    // Anthropic's API reports input without the cache: 100 + 400 = 500 input tokens.
    assert.equal(run.usage[0].input, 500);
    assert.equal(run.usage[0].cacheRead, 400);
    assert.equal(run.spans[1].attrs?.['agentprof.original_name'], 'anthropic.chat', 'the original name stays in the details');
  });

  it('reads the Collector file-exporter form, one request per line, and reports bad lines', () => {
    const one = (trace: string, id: string) =>
      JSON.stringify({
        resourceSpans: [
          { scopeSpans: [{ spans: [{ traceId: trace, spanId: id, name: 'x', startTimeUnixNano: '0', endTimeUnixNano: '10' }] }] },
        ],
      });
    const text = [one('11'.repeat(16), '0000000000000001'), '{not json', one('22'.repeat(16), '0000000000000002'), one('22'.repeat(16), '0000000000000003')].join('\n');
    const runs = parseOtlp(text);
    assert.equal(runs.length, 2, 'two traces, two runs');
    assert.equal(runs[0].spans.length, 2, 'largest trace first');
    assert.equal(runs[1].spans.length, 1);
    const bad = runs[0].diagnostics.find((d) => d.severity === 'error');
    assert.equal(bad?.line, 2);
  });

  it('skips spans without ids or times with a diagnostic and keeps the rest', () => {
    const text = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: '11'.repeat(16), spanId: '', name: 'no id', startTimeUnixNano: '0' },
                { traceId: '11'.repeat(16), spanId: '0000000000000009', name: 'no start' },
                { traceId: '11'.repeat(16), spanId: '0000000000000001', name: 'ok', startTimeUnixNano: '5', endTimeUnixNano: '9' },
              ],
            },
          ],
        },
      ],
    });
    const [run] = parseOtlp(text);
    assert.equal(run.spans.length, 1);
    assert.equal(run.diagnostics.filter((d) => d.severity === 'warning').length, 2);
  });
});
