// OpenInference's OpenAI instrumentation (@arizeai/openinference-instrumentation-openai) on the
// `openai` client. The agent's own spans follow OpenInference: an AGENT span around the run, a
// TOOL span per tool call (`tool.name`), as Arize Phoenix users write them.
import { createRequire } from 'node:module';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { MOCK_URL, report, setPlan, writeOtlp } from '../lib/harness.mjs';
import { startOtel, versions } from '../lib/otel.mjs';
import { openaiLoop, plainLoopPlan } from '../lib/plain-loop.mjs';

const otel = await startOtel({ serviceName: 'openinference-openai-trip-agent' });
registerInstrumentations({ tracerProvider: otel.provider, instrumentations: [new OpenAIInstrumentation()] });
// Loaded after the instrumentation is registered, through require, so the hook patches it.
const { OpenAI } = createRequire(import.meta.url)('openai');
await setPlan(plainLoopPlan('openai'));

const client = new OpenAI({ baseURL: `${MOCK_URL}/v1`, apiKey: 'sk-mock-not-a-key', maxRetries: 0 });
const tracer = trace.getTracer('trip-agent');

async function toolSpan(name, callId, fn) {
  return tracer.startActiveSpan(name, { attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': name, 'tool_call.id': callId } }, async (span) => {
    try {
      const out = await fn();
      span.setAttribute('output.value', JSON.stringify(out));
      span.setStatus({ code: SpanStatusCode.OK });
      return out;
    } finally {
      span.end();
    }
  });
}

let traceId = '';
await tracer.startActiveSpan('trip_planner', { attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': 'trip_planner', 'input.value': 'Plan a two-night trip from Berlin to Lisbon' } }, async (root) => {
  traceId = root.spanContext().traceId;
  try {
    await context.with(trace.setSpan(context.active(), root), () => openaiLoop(client, { toolSpan }));
    root.setStatus({ code: SpanStatusCode.OK });
  } finally {
    root.end();
  }
});

const spans = await otel.finish();
writeOtlp(spans);
report({
  spans,
  packages: versions(['@arizeai/openinference-instrumentation-openai', 'openai', '@opentelemetry/sdk-trace-node', '@opentelemetry/otlp-transformer']),
  traces: [{ trace_id: traceId, label: 'AGENT trip_planner: 2 tool turns, streamed answer, failed review', calls: [0, 4], tools: true }],
  notes: [
    'The streamed call\'s span has no token counts: the instrumentation skips chunks without choices, and the usage chunk (include_usage) has none.',
    'The failed call (HTTP 500) leaves no span: the instrumentation ends its span on success or on a synchronous throw only, so a rejected request\'s span is never exported.',
    'llm.model_name is the dated name the API answered for the calls with a response, the requested undated name for the streamed call.',
  ],
});
