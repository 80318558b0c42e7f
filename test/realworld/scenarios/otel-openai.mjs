// The official OpenTelemetry OpenAI instrumentation (@opentelemetry/instrumentation-openai) on the
// `openai` client, GenAI semantic conventions. The agent's own spans follow the same conventions:
// `invoke_agent trip-planner` around the run, `execute_tool <name>` per tool call.
import { createRequire } from 'node:module';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { MOCK_URL, report, setPlan, writeOtlp } from '../lib/harness.mjs';
import { startOtel, versions } from '../lib/otel.mjs';
import { openaiLoop, plainLoopPlan } from '../lib/plain-loop.mjs';

const otel = await startOtel({ serviceName: 'otel-openai-trip-agent' });
registerInstrumentations({ tracerProvider: otel.provider, instrumentations: [new OpenAIInstrumentation()] });
// Loaded after the instrumentation is registered, through require, so the hook patches it.
const { OpenAI } = createRequire(import.meta.url)('openai');
await setPlan(plainLoopPlan('openai'));

const client = new OpenAI({ baseURL: `${MOCK_URL}/v1`, apiKey: 'sk-mock-not-a-key', maxRetries: 0 });
const tracer = trace.getTracer('trip-agent');

async function toolSpan(name, callId, fn) {
  return tracer.startActiveSpan(`execute_tool ${name}`, { kind: SpanKind.INTERNAL, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name, 'gen_ai.tool.call.id': callId, 'gen_ai.tool.type': 'function' } }, async (span) => {
    try {
      return await fn();
    } finally {
      span.end();
    }
  });
}

let traceId = '';
await tracer.startActiveSpan('invoke_agent trip-planner', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'trip-planner', 'gen_ai.provider.name': 'openai' } }, async (root) => {
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
  packages: versions(['@opentelemetry/instrumentation-openai', 'openai', '@opentelemetry/sdk-trace-node', '@opentelemetry/otlp-transformer']),
  traces: [{ trace_id: traceId, label: 'invoke_agent trip-planner: 2 tool turns, streamed answer, failed review', calls: [0, 4], tools: true }],
});
