// The Anthropic SDK's own OpenTelemetry tracing (@anthropic-ai/sdk, on by default when a tracer
// provider is registered), with no instrumentation library: the agent's own spans follow the
// OTel GenAI conventions (`invoke_agent`, `execute_tool <name>`), like otel-openai.mjs.
import { createRequire } from 'node:module';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { MOCK_URL, report, setPlan, writeOtlp } from '../lib/harness.mjs';
import { startOtel, versions } from '../lib/otel.mjs';
import { anthropicLoop, plainLoopPlan } from '../lib/plain-loop.mjs';

const otel = await startOtel({ serviceName: 'anthropic-sdk-trip-agent' });
const { Anthropic } = createRequire(import.meta.url)('@anthropic-ai/sdk');
await setPlan(plainLoopPlan('anthropic'));

const client = new Anthropic({ baseURL: MOCK_URL, apiKey: 'sk-ant-mock-not-a-key', maxRetries: 0 });
const tracer = trace.getTracer('trip-agent');

async function toolSpan(name, callId, fn) {
  return tracer.startActiveSpan(`execute_tool ${name}`, { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name, 'gen_ai.tool.call.id': callId, 'gen_ai.tool.type': 'function' } }, async (span) => {
    try {
      return await fn();
    } finally {
      span.end();
    }
  });
}

let traceId = '';
await tracer.startActiveSpan('invoke_agent trip-planner', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'trip-planner', 'gen_ai.provider.name': 'anthropic' } }, async (root) => {
  traceId = root.spanContext().traceId;
  try {
    await context.with(trace.setSpan(context.active(), root), () => anthropicLoop(client, { toolSpan }));
    root.setStatus({ code: SpanStatusCode.OK });
  } finally {
    root.end();
  }
});

const spans = await otel.finish();
writeOtlp(spans);
report({
  spans,
  packages: versions(['@anthropic-ai/sdk', '@opentelemetry/sdk-trace-node', '@opentelemetry/otlp-transformer']),
  traces: [{ trace_id: traceId, label: 'invoke_agent trip-planner: 2 tool turns, streamed answer, failed review', calls: [0, 4], tools: true }],
  notes: [
    'The SDK\'s gen_ai.usage.input_tokens includes cache read and cache write (OTel GenAI convention), while the API\'s input_tokens (the truth\'s input_tokens, input_includes_cache false) excludes them: the span says 3896 where the API said 312 + 2048 read + 1536 written.',
  ],
});
