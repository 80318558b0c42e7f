// The hand-written agent loop of the plain-SDK scenarios (openai or @anthropic-ai/sdk, traced by
// an instrumentation of the client): call 1 asks for the slow and the fast tool, which the agent
// runs with Promise.all; call 2 asks for the sequential tool; call 3 (streamed) answers; call 4
// (a review) gets HTTP 500 and the agent keeps the answer. Tool spans come from `toolSpan`, as the
// user of each convention would write them.
import { FAST, PROMPT, SEQUENTIAL, SLOW, TOOLS, USAGE, runTool, toolLoopSteps } from './harness.mjs';

const schemas = {
  [SLOW]: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } }, required: ['from', 'to'] },
  [FAST]: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  [SEQUENTIAL]: { type: 'object', properties: { city: { type: 'string' }, nights: { type: 'number' } }, required: ['city', 'nights'] },
};

/** The mock's plan for the plain loop, with the usage table of `provider`. */
export function plainLoopPlan(provider) {
  return [...toolLoopSteps(USAGE[provider]), { reply: 'fail' }];
}

/** Runs the tool calls of one model turn: all at once when the model asked for several. */
async function runCalls(calls, toolSpan) {
  return Promise.all(calls.map((c) => toolSpan(c.name, c.id, () => runTool(c.name, c.args))));
}

/**
 * OpenAI Chat Completions loop. `streamLast`: the answering call streams with include_usage.
 * Returns the final text.
 */
export async function openaiLoop(client, { model = 'gpt-4o-mini', toolSpan, streamLast = true }) {
  const tools = Object.keys(TOOLS).map((name) => ({ type: 'function', function: { name, description: TOOLS[name].description, parameters: schemas[name] } }));
  const messages = [{ role: 'system', content: 'You are a travel agent.' }, { role: 'user', content: PROMPT }];
  for (let turn = 0; turn < 2; turn++) {
    const res = await client.chat.completions.create({ model, messages, tools });
    const msg = res.choices[0].message;
    messages.push(msg);
    const calls = (msg.tool_calls ?? []).map((tc) => ({ id: tc.id, name: tc.function.name, args: JSON.parse(tc.function.arguments) }));
    const results = await runCalls(calls, toolSpan);
    calls.forEach((c, i) => messages.push({ role: 'tool', tool_call_id: c.id, content: JSON.stringify(results[i]) }));
  }
  let text = '';
  if (streamLast) {
    const stream = await client.chat.completions.create({ model, messages, tools, stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  } else {
    const res = await client.chat.completions.create({ model, messages, tools });
    text = res.choices[0].message.content ?? '';
  }
  try {
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: `Review this plan: ${text}` }] });
  } catch {
    // The review is optional: the agent keeps its answer.
  }
  return text;
}

/** Anthropic Messages loop, same shape; the answering call streams. */
export async function anthropicLoop(client, { model = 'claude-sonnet-4-5', toolSpan, streamLast = true }) {
  const tools = Object.keys(TOOLS).map((name) => ({ name, description: TOOLS[name].description, input_schema: schemas[name] }));
  const system = [{ type: 'text', text: 'You are a travel agent.', cache_control: { type: 'ephemeral' } }];
  const messages = [{ role: 'user', content: PROMPT }];
  for (let turn = 0; turn < 2; turn++) {
    const res = await client.messages.create({ model, max_tokens: 1024, system, messages, tools });
    messages.push({ role: 'assistant', content: res.content });
    const calls = res.content.filter((b) => b.type === 'tool_use').map((b) => ({ id: b.id, name: b.name, args: b.input }));
    const results = await runCalls(calls, toolSpan);
    messages.push({ role: 'user', content: calls.map((c, i) => ({ type: 'tool_result', tool_use_id: c.id, content: JSON.stringify(results[i]) })) });
  }
  let text = '';
  if (streamLast) {
    const stream = await client.messages.create({ model, max_tokens: 1024, system, messages, tools, stream: true });
    for await (const ev of stream) if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
  } else {
    const res = await client.messages.create({ model, max_tokens: 1024, system, messages, tools });
    text = res.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
  }
  try {
    await client.messages.create({ model, max_tokens: 512, messages: [{ role: 'user', content: `Review this plan: ${text}` }] });
  } catch {
    // The review is optional: the agent keeps its answer.
  }
  return text;
}
