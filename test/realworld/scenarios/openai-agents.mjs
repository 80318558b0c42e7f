// The OpenAI Agents SDK (@openai/agents, Responses API) traced by OpenInference's processor
// (@arizeai/openinference-instrumentation-openai-agents, exclusive mode: the SDK's own exporter to
// OpenAI is replaced, nothing leaves the machine). A triage agent hands off to a travel agent,
// which asks for the slow and the fast tool in one turn (the SDK runs them concurrently), then
// the sequential tool, then answers; the run is streamed. A second run (a reviewer) gets HTTP 500
// and the agent handles it. Each run is its own trace in the SDK, so the file holds two.
import * as agents from '@openai/agents';
import { OpenAIAgentsInstrumentation } from '@arizeai/openinference-instrumentation-openai-agents';
import { z } from 'zod';
import { FAST, PROMPT, SEQUENTIAL, SLOW, TOOLS, USAGE, report, runTool, setPlan, toolLoopSteps, writeOtlp } from '../lib/harness.mjs';
import { startOtel, versions } from '../lib/otel.mjs';

const otel = await startOtel({ serviceName: 'openai-agents-trip-agent' });
new OpenAIAgentsInstrumentation({ tracerProvider: otel.provider }).manuallyInstrument(agents);
// The client reads OPENAI_BASE_URL / OPENAI_API_KEY (the mock); the mock's 500 says no retry.
agents.setDefaultOpenAIKey(process.env.OPENAI_API_KEY);

const loop = toolLoopSteps(USAGE.openai);
await setPlan([
  { reply: 'tools', tools: [{ name: 'transfer_to_travel_agent', args: {} }], usage: USAGE.openai[3] },
  ...loop,
  { reply: 'fail' },
]);

const { Agent, run, tool } = agents;
const tools = [
  tool({ name: SLOW, description: TOOLS[SLOW].description, parameters: z.object({ from: z.string(), to: z.string() }), execute: (a) => runTool(SLOW, a) }),
  tool({ name: FAST, description: TOOLS[FAST].description, parameters: z.object({ city: z.string() }), execute: (a) => runTool(FAST, a) }),
  tool({ name: SEQUENTIAL, description: TOOLS[SEQUENTIAL].description, parameters: z.object({ city: z.string(), nights: z.number() }), execute: (a) => runTool(SEQUENTIAL, a) }),
];
const travel = new Agent({ name: 'travel_agent', instructions: 'You plan trips with the tools.', model: 'gpt-4o-mini', tools });
const triage = new Agent({ name: 'triage_agent', instructions: 'Hand travel questions to the travel agent.', model: 'gpt-4o-mini', handoffs: [travel] });

const stream = await run(triage, PROMPT, { stream: true });
for await (const _event of stream.toStream()) {
  // Consumed for its side effects; the answer is in finalOutput.
}
await stream.completed;

const reviewer = new Agent({ name: 'reviewer', instructions: 'Review travel plans.', model: 'gpt-4o-mini' });
try {
  await run(reviewer, `Review this plan: ${stream.finalOutput}`);
} catch {
  // The review is optional: the agent keeps its answer.
}

await agents.getGlobalTraceProvider?.().forceFlush?.();
const spans = await otel.finish();
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
  packages: versions(['@arizeai/openinference-instrumentation-openai-agents', '@openai/agents', '@openai/agents-core', '@openai/agents-openai', '@opentelemetry/sdk-trace-node', '@opentelemetry/otlp-transformer']),
  traces: [
    { trace_id: runId, label: 'triage_agent → handoff → travel_agent: 2 tool turns and the answer, streamed (Responses API)', calls: [0, 4], tools: true },
    { trace_id: reviewId, label: 'reviewer run, HTTP 500, handled', calls: [4, 5], tools: false },
  ],
});
