// Mastra (@mastra/core Agent with an AI SDK OpenAI model) and its OpenTelemetry exporter
// (@mastra/otel-exporter through @mastra/observability), given our in-memory span exporter.
// Run 1: the agent asks for the slow and the fast tool in one turn (Mastra runs them
// concurrently), then the sequential tool, then answers. Run 2: a review that gets HTTP 500,
// handled. Each `generate` is its own trace.
import { createOpenAI } from '@ai-sdk/openai';
import { Mastra } from '@mastra/core';
import { Agent } from '@mastra/core/agent';
import { createTool } from '@mastra/core/tools';
import { Observability } from '@mastra/observability';
import { OtelExporter } from '@mastra/otel-exporter';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import { FAST, MOCK_URL, PROMPT, SEQUENTIAL, SLOW, TOOLS, USAGE, report, runTool, setPlan, toolLoopSteps, writeOtlp } from '../lib/harness.mjs';
import { versions } from '../lib/otel.mjs';

// Mastra shuts its provider down at the end, and the SDK's in-memory exporter forgets its spans
// on shutdown: keep them.
class KeepingExporter extends InMemorySpanExporter {
  shutdown() {
    return Promise.resolve();
  }
}
const exporter = new KeepingExporter();
await setPlan([...toolLoopSteps(USAGE.openai), { reply: 'fail' }]);

const openai = createOpenAI({ baseURL: `${MOCK_URL}/v1`, apiKey: 'sk-mock-not-a-key' });
const mk = (name, schema) => createTool({ id: name, description: TOOLS[name].description, inputSchema: schema, execute: async (input) => runTool(name, input?.context ?? input) });
const tripAgent = new Agent({
  id: 'trip-agent',
  name: 'trip-agent',
  instructions: 'You are a travel agent.',
  model: openai.chat('gpt-4o-mini'),
  tools: {
    [SLOW]: mk(SLOW, z.object({ from: z.string(), to: z.string() })),
    [FAST]: mk(FAST, z.object({ city: z.string() })),
    [SEQUENTIAL]: mk(SEQUENTIAL, z.object({ city: z.string(), nights: z.number() })),
  },
  maxRetries: 0,
});
const reviewer = new Agent({ id: 'reviewer', name: 'reviewer', instructions: 'Review travel plans.', model: openai.chat('gpt-4o-mini'), maxRetries: 0 });

const mastra = new Mastra({
  agents: { tripAgent, reviewer },
  logger: false,
  observability: new Observability({
    configs: { otel: { serviceName: 'mastra-trip-agent', exporters: [new OtelExporter({ exporter, provider: { custom: { endpoint: `${MOCK_URL}/unused/v1/traces`, protocol: 'http/json' } }, signals: { logs: false } })] } },
  }),
});

const result = await mastra.getAgent('tripAgent').generate(PROMPT, { maxSteps: 5 });
try {
  await mastra.getAgent('reviewer').generate(`Review this plan: ${result.text}`);
} catch {
  // The review is optional: the agent keeps its answer.
}
await mastra.shutdown?.();

const spans = exporter.getFinishedSpans().slice();
writeOtlp(spans);
const firstStart = new Map();
for (const s of spans) {
  const id = s.spanContext().traceId;
  const t = s.startTime[0] * 1e9 + s.startTime[1];
  if (!firstStart.has(id) || t < firstStart.get(id)) firstStart.set(id, t);
}
const [runId, reviewId] = [...firstStart.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
report({
  spans,
  packages: versions(['@mastra/otel-exporter', '@mastra/core', '@mastra/observability', '@ai-sdk/openai', '@opentelemetry/otlp-transformer']),
  traces: [
    { trace_id: runId, label: 'trip-agent generate: 2 tool turns and the answer', calls: [0, 3], tools: true },
    { trace_id: reviewId, label: 'reviewer generate, HTTP 500, handled', calls: [3, 4], tools: false },
  ],
  notes: [
    'The HTTP calls are plain Chat Completions (not streamed); the `model_chunk` spans are Mastra\'s own, made from the response.',
    'The failed call\'s `chat gpt-4o-mini` span has status OK and no usage; only the reviewer\'s `invoke_agent` span carries the error.',
  ],
});
