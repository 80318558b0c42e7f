// LangChain JS (`langchain` createAgent with @langchain/openai) traced by OpenInference's
// LangChain instrumentation, as Arize documents it (manuallyInstrument on the callback manager).
// No span of our own: every top-level invocation is its own trace, so the file holds two — the
// agent run (streaming model: the slow and the fast tool asked for in one turn and run together
// by the agent's tool node, then the sequential tool, then the answer) and a follow-up review
// call that gets HTTP 500, which the agent handles.
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';
import { ChatOpenAI } from '@langchain/openai';
import { createAgent, tool } from 'langchain';
import { z } from 'zod';
import { FAST, MOCK_URL, PROMPT, SEQUENTIAL, SLOW, TOOLS, USAGE, report, runTool, setPlan, toolLoopSteps, writeOtlp } from '../lib/harness.mjs';
import { startOtel, versions } from '../lib/otel.mjs';

const otel = await startOtel({ serviceName: 'langchain-trip-agent' });
const instrumentation = new LangChainInstrumentation({ tracerProvider: otel.provider });
instrumentation.manuallyInstrument(CallbackManagerModule);
await setPlan([...toolLoopSteps(USAGE.openai), { reply: 'fail' }]);

const model = new ChatOpenAI({ model: 'gpt-4o-mini', maxRetries: 0, apiKey: 'sk-mock-not-a-key', configuration: { baseURL: `${MOCK_URL}/v1` } });
const tools = [
  tool((a) => runTool(SLOW, a), { name: SLOW, description: TOOLS[SLOW].description, schema: z.object({ from: z.string(), to: z.string() }) }),
  tool((a) => runTool(FAST, a), { name: FAST, description: TOOLS[FAST].description, schema: z.object({ city: z.string() }) }),
  tool((a) => runTool(SEQUENTIAL, a), { name: SEQUENTIAL, description: TOOLS[SEQUENTIAL].description, schema: z.object({ city: z.string(), nights: z.number() }) }),
];
const agent = createAgent({ model, tools, systemPrompt: 'You are a travel agent.', name: 'trip_planner' });
const result = await agent.invoke({ messages: [{ role: 'user', content: PROMPT }] });
const answer = result.messages.at(-1)?.content ?? '';

const reviewer = new ChatOpenAI({ model: 'gpt-4o-mini', maxRetries: 0, apiKey: 'sk-mock-not-a-key', configuration: { baseURL: `${MOCK_URL}/v1` } });
try {
  await reviewer.invoke(`Review this plan: ${answer}`);
} catch {
  // The review is optional: the agent keeps its answer.
}

const spans = await otel.finish();
writeOtlp(spans);
// Trace ids in the order the traces started: the agent run, then the review.
const firstStart = new Map();
for (const s of spans) {
  const id = s.spanContext().traceId;
  const t = s.startTime[0] * 1e9 + s.startTime[1];
  if (!firstStart.has(id) || t < firstStart.get(id)) firstStart.set(id, t);
}
const [runId, reviewId] = [...firstStart.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
report({
  spans,
  packages: versions(['@arizeai/openinference-instrumentation-langchain', 'langchain', '@langchain/core', '@langchain/openai', '@langchain/langgraph', '@opentelemetry/sdk-trace-node', '@opentelemetry/otlp-transformer']),
  traces: [
    { trace_id: runId, label: 'createAgent trip_planner: 2 tool turns and the answer', calls: [0, 3], tools: true },
    { trace_id: reviewId, label: 'review call, HTTP 500, handled', calls: [3, 4], tools: false },
  ],
});
