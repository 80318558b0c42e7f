// OpenLLMetry (@traceloop/node-server-sdk) around the Vercel AI SDK: the AI SDK's own telemetry
// (`experimental_telemetry`) goes through the provider Traceloop registers, and Traceloop's span
// processor rewrites the AI SDK spans into its conventions. A workflow runs a generateText tool
// loop (slow and fast tool in one turn, run concurrently by the SDK; then the sequential tool;
// then the answer), a generateObject itinerary, and a generateText that gets HTTP 500, handled.
import { createRequire } from 'node:module';
import { createOpenAI } from '@ai-sdk/openai';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { trace } from '@opentelemetry/api';
import { generateObject, generateText, stepCountIs, tool } from 'ai';
import { z } from 'zod';
import { FAST, MOCK_URL, PROMPT, SEQUENTIAL, SLOW, TOOLS, USAGE, report, runTool, setPlan, toolLoopSteps, writeOtlp } from '../lib/harness.mjs';
import { versions } from '../lib/otel.mjs';

const traceloop = createRequire(import.meta.url)('@traceloop/node-server-sdk');
const exporter = new InMemorySpanExporter();
traceloop.initialize({ appName: 'traceloop-ai-sdk-trip-agent', exporter, disableBatch: true, baseUrl: MOCK_URL, traceloopSyncEnabled: false, silenceInitializationMessage: true });

const itinerary = { days: [{ day: 1, plan: 'Fly LH123, check in at Casa Azul' }, { day: 2, plan: 'Alfama walk, fado in the evening' }] };
await setPlan([
  ...toolLoopSteps(USAGE.openai),
  { reply: 'text', text: JSON.stringify(itinerary), usage: USAGE.openai[3] },
  { reply: 'fail' },
]);

const openai = createOpenAI({ baseURL: `${MOCK_URL}/v1`, apiKey: 'sk-mock-not-a-key' });
const telemetry = (functionId) => ({ isEnabled: true, functionId });
const tools = {
  [SLOW]: tool({ description: TOOLS[SLOW].description, inputSchema: z.object({ from: z.string(), to: z.string() }), execute: (a) => runTool(SLOW, a) }),
  [FAST]: tool({ description: TOOLS[FAST].description, inputSchema: z.object({ city: z.string() }), execute: (a) => runTool(FAST, a) }),
  [SEQUENTIAL]: tool({ description: TOOLS[SEQUENTIAL].description, inputSchema: z.object({ city: z.string(), nights: z.number() }), execute: (a) => runTool(SEQUENTIAL, a) }),
};

let traceId = '';
await traceloop.withWorkflow({ name: 'trip_planner' }, async () => {
  traceId = trace.getActiveSpan()?.spanContext().traceId ?? '';
  const plan = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: PROMPT, tools, stopWhen: stepCountIs(5), maxRetries: 0, experimental_telemetry: telemetry('plan-trip') });
  await generateObject({
    model: openai.chat('gpt-4o-mini'),
    schema: z.object({ days: z.array(z.object({ day: z.number(), plan: z.string() })) }),
    prompt: `Day-by-day itinerary for: ${plan.text}`,
    maxRetries: 0,
    experimental_telemetry: telemetry('itinerary'),
  });
  try {
    await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'Translate the itinerary to Portuguese.', maxRetries: 0, experimental_telemetry: telemetry('translate') });
  } catch {
    // The agent keeps the English itinerary.
  }
});
await traceloop.forceFlush();
const spans = exporter.getFinishedSpans().slice();
writeOtlp(spans);
report({
  spans,
  packages: versions(['@traceloop/node-server-sdk', 'ai', '@ai-sdk/openai', '@opentelemetry/otlp-transformer']),
  traces: [{ trace_id: traceId, label: 'workflow trip_planner: generateText tool loop, generateObject, failed translation', calls: [0, 5], tools: true }],
  notes: [
    'Traceloop renames every AI SDK span to `chat gpt-4o-mini` (wrappers ai.generateText / ai.generateObject and the calls ai.*.doGenerate alike) and tool spans to `execute_tool <name>`; ai.operationId keeps the original.',
    'The ai.generateObject wrapper carries gen_ai.usage.* equal to its single doGenerate call: the same call\'s usage on two spans of one ancestor chain. The ai.generateText wrapper carries the loop\'s ai.usage.* sums (5003 in = 1412 + 1688 + 1903).',
    'The wrapper spans carry only the undated requested model (gen_ai.request.model gpt-4o-mini); the calls also carry the dated gen_ai.response.model.',
  ],
});
