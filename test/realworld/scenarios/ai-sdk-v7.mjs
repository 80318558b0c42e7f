// Vercel AI SDK 7 (`ai` 7 with @ai-sdk/openai 4) and its OpenTelemetry integration (@ai-sdk/otel,
// passed per call as `telemetry.integrations`; installed here under the aliases ai-v7 and
// @ai-sdk/openai-v4 beside AI SDK 6). Same agent as ai-sdk.mjs, but the tool loop goes through
// the Responses API (plain):
// a generateText tool loop (the model asks for the slow and the fast tool in one turn, which the
// SDK runs concurrently, then for the sequential tool, then answers), a streamText summary on a
// reasoning model (Chat Completions streaming with include_usage), and a follow-up generateText
// that gets HTTP 500 and is handled by the agent. All under one root span, so one trace.

import { createOpenAI } from '@ai-sdk/openai-v4';
import { OpenTelemetry } from '@ai-sdk/otel';
import { SpanStatusCode } from '@opentelemetry/api';
import { generateText, stepCountIs, streamText, tool } from 'ai-v7';
import { z } from 'zod';
import { FAST, MOCK_URL, PROMPT, SEQUENTIAL, SLOW, TOOLS, USAGE, report, runTool, setPlan, toolLoopSteps, writeOtlp } from '../lib/harness.mjs';
import { startOtel, versions } from '../lib/otel.mjs';

const otel = await startOtel({ serviceName: 'ai-sdk-v7-trip-agent', captureHttp: false });
await setPlan([
  ...toolLoopSteps(USAGE.openai),
  { reply: 'text', text: 'Summary: fly LH123 BER→LIS on Friday, stay two nights at Casa Azul, pack for 21 °C and sun.', usage: USAGE.openaiReasoning },
  { reply: 'fail' },
]);

const openai = createOpenAI({ baseURL: `${MOCK_URL}/v1`, apiKey: 'sk-mock-not-a-key' });
const integration = new OpenTelemetry({ agentSpanName: 'functionId' });
const telemetry = (functionId) => ({ isEnabled: true, functionId, integrations: integration });
const tools = {
  [SLOW]: tool({ description: TOOLS[SLOW].description, inputSchema: z.object({ from: z.string(), to: z.string() }), execute: (a) => runTool(SLOW, a) }),
  [FAST]: tool({ description: TOOLS[FAST].description, inputSchema: z.object({ city: z.string() }), execute: (a) => runTool(FAST, a) }),
  [SEQUENTIAL]: tool({ description: TOOLS[SEQUENTIAL].description, inputSchema: z.object({ city: z.string(), nights: z.number() }), execute: (a) => runTool(SEQUENTIAL, a) }),
};

let traceId = '';
await otel.tracer.startActiveSpan('trip-agent', async (root) => {
  traceId = root.spanContext().traceId;
  try {
    const plan = await generateText({
      model: openai.responses('gpt-4o-mini'),
      prompt: PROMPT,
      tools,
      stopWhen: stepCountIs(5),
      maxRetries: 0,
      telemetry: telemetry('plan-trip'),
    });
    const summary = streamText({
      model: openai.chat('o4-mini'),
      prompt: `Summarise for the traveller: ${plan.text}`,
      maxRetries: 0,
      telemetry: telemetry('summarise-trip'),
    });
    let text = '';
    for await (const part of summary.textStream) text += part;
    await summary.usage;
    try {
      await generateText({ model: openai.chat('gpt-4o-mini'), prompt: `Translate to Portuguese: ${text}`, maxRetries: 0, telemetry: telemetry('translate-summary') });
    } catch (err) {
      // The agent carries on with the English summary.
      root.addEvent('translation failed, keeping English', { 'error.message': String(err?.message ?? err) });
    }
    root.setStatus({ code: SpanStatusCode.OK });
  } finally {
    root.end();
  }
});

const spans = await otel.finish();
writeOtlp(spans);
report({
  spans,
  packages: versions(['ai-v7', '@ai-sdk/openai-v4', '@ai-sdk/otel', '@opentelemetry/sdk-trace-node', '@opentelemetry/otlp-transformer']),
  traces: [{ trace_id: traceId, label: 'trip-agent: generateText tool loop, streamText summary, failed translation', calls: [0, 5], tools: true }],
  notes: [
    'Each generateText/streamText is an `invoke_agent <functionId>` span carrying gen_ai.usage.* summed over its calls (5003 in = 1412 + 1688 + 1903), above `step N` and `chat <model>` spans that carry each call\'s own usage: wrapper totals and calls on one ancestor chain, in the same attributes.',
  ],
});
