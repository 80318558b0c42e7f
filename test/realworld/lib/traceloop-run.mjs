// OpenLLMetry (@traceloop/node-server-sdk) as its README sets it up: `initialize` with the client
// module to instrument, an exporter of our choosing (in memory, no batching), no Traceloop cloud
// (no API key, sync off, base URL on the loopback). The run is a `withWorkflow`, each tool a
// `withTool`, as OpenLLMetry users write them.
import { createRequire } from 'node:module';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { trace } from '@opentelemetry/api';
import { MOCK_URL, report, setPlan, writeOtlp } from './harness.mjs';
import { versions } from './otel.mjs';
import { anthropicLoop, openaiLoop, plainLoopPlan } from './plain-loop.mjs';

const require = createRequire(import.meta.url);

/** `provider`: 'anthropic' (with @anthropic-ai/sdk) or 'openai' (with openai). */
export async function traceloopScenario(provider) {
  const traceloop = require('@traceloop/node-server-sdk');
  const exporter = new InMemorySpanExporter();
  const sdkModule = provider === 'anthropic' ? require('@anthropic-ai/sdk') : require('openai');
  traceloop.initialize({
    appName: `traceloop-${provider}-trip-agent`,
    exporter,
    disableBatch: true,
    baseUrl: MOCK_URL,
    traceloopSyncEnabled: false,
    silenceInitializationMessage: true,
    instrumentModules: provider === 'anthropic' ? { anthropic: sdkModule } : { openAI: sdkModule.OpenAI },
  });
  await setPlan(plainLoopPlan(provider));
  const client = provider === 'anthropic'
    ? new sdkModule.Anthropic({ baseURL: MOCK_URL, apiKey: 'sk-ant-mock-not-a-key', maxRetries: 0 })
    : new sdkModule.OpenAI({ baseURL: `${MOCK_URL}/v1`, apiKey: 'sk-mock-not-a-key', maxRetries: 0 });
  const toolSpan = (name, _callId, fn) => traceloop.withTool({ name }, fn);
  let traceId = '';
  await traceloop.withWorkflow({ name: 'trip_planner' }, async () => {
    traceId = trace.getActiveSpan()?.spanContext().traceId ?? '';
    await (provider === 'anthropic' ? anthropicLoop(client, { toolSpan }) : openaiLoop(client, { toolSpan }));
  });
  await traceloop.forceFlush();
  const spans = exporter.getFinishedSpans().slice();
  writeOtlp(spans);
  report({
    spans,
    packages: versions(['@traceloop/node-server-sdk', provider === 'anthropic' ? '@anthropic-ai/sdk' : 'openai', '@traceloop/node-server-sdk/node_modules/@opentelemetry/sdk-trace-base', '@opentelemetry/otlp-transformer'].filter(exists)),
    traces: [{ trace_id: traceId, label: 'workflow trip_planner: 2 tool turns, streamed answer, failed review', calls: [0, 4], tools: true }],
    notes: provider === 'openai' ? [
      'OpenLLMetry counts the streamed call\'s tokens itself (tiktoken) instead of reading the usage chunk the API sent: the span carries other figures than the mock served.',
      'The failed call (HTTP 500) leaves no span: OpenLLMetry\'s OpenAI instrumentation ends its span only when the request succeeds, so the span of a rejected request is never exported.',
    ] : provider === 'anthropic' ? [
      'Each call has two LLM spans on one ancestor chain: OpenLLMetry\'s `chat claude-sonnet-4-5` and, inside it, the Anthropic SDK\'s own `anthropic.messages.create` (scope com.anthropic.sdk.typescript). Exactly one of them is the call.',
      'The two spans spell input differently for the same call: OpenLLMetry\'s gen_ai.usage.input_tokens is the API\'s input_tokens (cache excluded, e.g. 312), the SDK span\'s gen_ai.usage.input_tokens includes cache read and write (e.g. 312 + 2048 + 1536 = 3896), as the OTel GenAI convention defines it.',
    ] : [],
  });
}

function exists(name) {
  try {
    versions([name]);
    return true;
  } catch {
    return false;
  }
}
