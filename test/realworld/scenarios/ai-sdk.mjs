// Vercel AI SDK (`ai` with @ai-sdk/openai) and its built-in telemetry (`experimental_telemetry`):
// a generateText tool loop (the model asks for the slow and the fast tool in one turn, which the
// SDK runs concurrently, then for the sequential tool, then answers), a streamText summary on a
// reasoning model (Chat Completions streaming with include_usage), and a follow-up generateText
// that gets HTTP 500 and is handled by the agent. All under one root span, so one trace.
// The spans are also exported through OTLP/HTTP JSON and protobuf, whose bodies are kept.
import { createOpenAI } from '@ai-sdk/openai';
import { SpanStatusCode } from '@opentelemetry/api';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { FAST, MOCK_URL, PROMPT, SEQUENTIAL, SLOW, TOOLS, USAGE, report, runTool, setPlan, toolLoopSteps, writeOtlp } from '../lib/harness.mjs';
import { startOtel, versions } from '../lib/otel.mjs';

const otel = await startOtel({ serviceName: 'ai-sdk-trip-agent', captureHttp: true });
await setPlan([
  ...toolLoopSteps(USAGE.openai),
  { reply: 'text', text: 'Summary: fly LH123 BER→LIS on Friday, stay two nights at Casa Azul, pack for 21 °C and sun.', usage: USAGE.openaiReasoning },
  { reply: 'fail' },
]);

const openai = createOpenAI({ baseURL: `${MOCK_URL}/v1`, apiKey: 'sk-mock-not-a-key' });
const telemetry = (functionId) => ({ isEnabled: true, functionId, metadata: { scenario: 'ai-sdk' } });
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
      model: openai.chat('gpt-4o-mini'),
      prompt: PROMPT,
      tools,
      stopWhen: stepCountIs(5),
      maxRetries: 0,
      experimental_telemetry: telemetry('plan-trip'),
    });
    const summary = streamText({
      model: openai.chat('o4-mini'),
      prompt: `Summarise for the traveller: ${plan.text}`,
      maxRetries: 0,
      experimental_telemetry: telemetry('summarise-trip'),
    });
    let text = '';
    for await (const part of summary.textStream) text += part;
    await summary.usage;
    try {
      await generateText({ model: openai.chat('gpt-4o-mini'), prompt: `Translate to Portuguese: ${text}`, maxRetries: 0, experimental_telemetry: telemetry('translate-summary') });
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
  packages: versions(['ai', '@ai-sdk/openai', '@opentelemetry/sdk-trace-node', '@opentelemetry/otlp-transformer', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/exporter-trace-otlp-proto']),
  traces: [{ trace_id: traceId, label: 'trip-agent: generateText tool loop, streamText summary, failed translation', calls: [0, 5], tools: true }],
});
