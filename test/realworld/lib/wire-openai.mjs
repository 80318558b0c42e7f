// The OpenAI wire formats the mock speaks: Chat Completions (plain, and SSE chunks with the usage
// chunk when asked for) and the Responses API (plain, and its typed SSE events). Each writer gets
// the served (dated) model, the usage to report and the tool calls or text of the planned step.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const created = () => Math.floor(Date.now() / 1000);

// ---- OpenAI Chat Completions ------------------------------------------------------------------

function chatUsage(u) {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export function chatPlain(res, { n, model, usage, calls, text }) {
  const message = calls.length
    ? { role: 'assistant', content: null, refusal: null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })) }
    : { role: 'assistant', content: text, refusal: null };
  const out = {
    id: `chatcmpl-mock${String(n).padStart(4, '0')}`,
    object: 'chat.completion',
    created: created(),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: calls.length ? 'tool_calls' : 'stop' }],
    usage: chatUsage(usage),
    service_tier: 'default',
    system_fingerprint: 'fp_mock',
  };
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_mock_${n}` });
  res.end(JSON.stringify(out));
}

export async function chatStream(res, { n, model, usage, calls, text }, withUsage) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': `req_mock_${n}` });
  const base = { id: `chatcmpl-mock${String(n).padStart(4, '0')}`, object: 'chat.completion.chunk', created: created(), model, system_fingerprint: 'fp_mock', service_tier: 'default' };
  const send = (choices, extra = {}) => res.write(`data: ${JSON.stringify({ ...base, choices, ...(withUsage ? { usage: null } : {}), ...extra })}\n\n`);
  send([{ index: 0, delta: { role: 'assistant', content: calls.length ? null : '', refusal: null }, logprobs: null, finish_reason: null }]);
  if (calls.length) {
    calls.forEach((c, i) => {
      send([{ index: 0, delta: { tool_calls: [{ index: i, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, logprobs: null, finish_reason: null }]);
      send([{ index: 0, delta: { tool_calls: [{ index: i, function: { arguments: c.args } }] }, logprobs: null, finish_reason: null }]);
    });
  } else {
    for (const piece of splitText(text)) {
      await sleep(15);
      send([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]);
    }
  }
  send([{ index: 0, delta: {}, logprobs: null, finish_reason: calls.length ? 'tool_calls' : 'stop' }]);
  if (withUsage) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: chatUsage(usage) })}\n\n`);
  res.end('data: [DONE]\n\n');
}

export function splitText(text) {
  const words = text.split(/(?<= )/);
  const out = [];
  for (let i = 0; i < words.length; i += 3) out.push(words.slice(i, i + 3).join(''));
  return out.length ? out : [''];
}

// ---- OpenAI Responses -------------------------------------------------------------------------

function responsesUsage(u) {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cacheRead },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: u.input + u.output,
  };
}

function responsesOutput({ n, calls, text }) {
  if (calls.length) {
    return calls.map((c, i) => ({ type: 'function_call', id: `fc_mock${n}_${i}`, call_id: c.id, name: c.name, arguments: c.args, status: 'completed' }));
  }
  return [{ type: 'message', id: `msg_mock${n}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] }];
}

function responseObject(ctx, status, withOutput) {
  const { n, model, usage, body } = ctx;
  return {
    id: `resp_mock${String(n).padStart(4, '0')}`,
    object: 'response',
    created_at: created(),
    status,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model,
    output: withOutput ? responsesOutput(ctx) : [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: withOutput ? responsesUsage(usage) : null,
    user: null,
    metadata: {},
  };
}

export function responsesPlain(res, ctx) {
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_mock_${ctx.n}` });
  res.end(JSON.stringify(responseObject(ctx, 'completed', true)));
}

export async function responsesStream(res, ctx) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': `req_mock_${ctx.n}` });
  let sequence = 0;
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
  send('response.created', { response: responseObject(ctx, 'in_progress', false) });
  send('response.in_progress', { response: responseObject(ctx, 'in_progress', false) });
  const items = responsesOutput(ctx);
  for (const [i, item] of items.entries()) {
    if (item.type === 'function_call') {
      send('response.output_item.added', { output_index: i, item: { ...item, arguments: '', status: 'in_progress' } });
      send('response.function_call_arguments.delta', { item_id: item.id, output_index: i, delta: item.arguments });
      send('response.function_call_arguments.done', { item_id: item.id, output_index: i, arguments: item.arguments });
      send('response.output_item.done', { output_index: i, item });
    } else {
      const text = item.content[0].text;
      send('response.output_item.added', { output_index: i, item: { ...item, status: 'in_progress', content: [] } });
      send('response.content_part.added', { item_id: item.id, output_index: i, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
      for (const piece of splitText(text)) {
        await sleep(15);
        send('response.output_text.delta', { item_id: item.id, output_index: i, content_index: 0, delta: piece, logprobs: [] });
      }
      send('response.output_text.done', { item_id: item.id, output_index: i, content_index: 0, text, logprobs: [] });
      send('response.content_part.done', { item_id: item.id, output_index: i, content_index: 0, part: { type: 'output_text', text, annotations: [] } });
      send('response.output_item.done', { output_index: i, item });
    }
  }
  send('response.completed', { response: responseObject(ctx, 'completed', true) });
  res.end();
}
