// A mock LLM server on 127.0.0.1 that speaks the three wire formats the corpus needs: OpenAI Chat
// Completions (plain and SSE streaming, with the usage chunk when `stream_options.include_usage`
// is set), the OpenAI Responses API (plain and streaming) and Anthropic Messages (plain and
// streaming). It serves a scripted plan, one step per request in order, and logs what it served:
// the ground truth is written from that log, never from the trace.
//
// Like the real APIs it answers an undated model name with the dated snapshot it ran
// (gpt-4o-mini → gpt-4o-mini-2024-07-18), and it reports usage the way each API defines it:
// OpenAI's input counts include the cached tokens, Anthropic's input excludes cache reads and
// cache writes, which are reported beside it.
import * as http from 'node:http';

/** Undated alias → the dated snapshot the real API reports (all known to @pydantic/genai-prices). */
export const DATED = {
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-4o': 'gpt-4o-2024-08-06',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'o4-mini': 'o4-mini-2025-04-16',
  'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {{ input: number, output: number, cacheRead?: number, cacheWrite?: number, reasoning?: number }} Usage
 * @typedef {{ reply: 'tools', tools: { name: string, args: object }[], usage: Usage, latencyMs?: number }
 *   | { reply: 'text', text: string, usage: Usage, latencyMs?: number }
 *   | { reply: 'fail', latencyMs?: number }} Step
 */

/** Starts the server on an ephemeral port. `plan` is the list of steps, served in order. */
export async function startMock() {
  let steps = [];
  let served = [];
  let seq = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err) => {
        console.error('[mock] handler error', err);
        if (!res.headersSent) res.writeHead(599);
        res.end();
      });
    });
  });

  async function handle(req, res, raw) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/_mock/plan' && req.method === 'POST') {
      // The agent sends its plan before its first call (over plain node:http, which no
      // scenario instruments); the log starts afresh.
      steps = JSON.parse(raw);
      served = [];
      res.writeHead(204);
      res.end();
      return;
    }
    let api;
    if (path.endsWith('/chat/completions')) api = 'chat';
    else if (path.endsWith('/responses')) api = 'responses';
    else if (path.endsWith('/messages')) api = 'messages';
    else {
      served.push({ unexpected: true, method: req.method, path });
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `mock: no route ${req.method} ${path}` } }));
      return;
    }
    const body = raw ? JSON.parse(raw) : {};
    const index = served.length;
    const step = steps[index];
    const modelRequested = String(body.model ?? '');
    const modelServed = DATED[modelRequested] ?? modelRequested;
    const provider = api === 'messages' ? 'anthropic' : 'openai';
    const streamed = body.stream === true;
    const usageRequested = api !== 'chat' || !streamed || body.stream_options?.include_usage === true;
    const record = {
      index,
      api,
      path,
      model_requested: modelRequested,
      model_served: modelServed,
      provider,
      streamed,
      failed: false,
      status: 200,
      usage_reported: false,
      usage: null,
      tool_calls: [],
      tools_offered: toolNames(api, body),
      started_ms: Date.now(),
      ended_ms: 0,
    };
    served.push(record);
    if (!step) {
      record.failed = true;
      record.status = 500;
      record.unplanned = true;
      sendError(res, api, 'mock: no step planned for this request');
      record.ended_ms = Date.now();
      return;
    }
    await sleep(step.latencyMs ?? 120);
    if (step.reply === 'fail') {
      record.failed = true;
      record.status = 500;
      sendError(res, api, 'The server had an error while processing your request.');
      record.ended_ms = Date.now();
      return;
    }
    const usage = {
      input: step.usage.input,
      output: step.usage.output,
      cacheRead: step.usage.cacheRead ?? 0,
      cacheWrite: provider === 'anthropic' ? (step.usage.cacheWrite ?? 0) : 0,
      reasoning: provider === 'openai' ? (step.usage.reasoning ?? 0) : 0,
    };
    record.usage = usage;
    record.usage_reported = usageRequested;
    record.tool_calls = step.reply === 'tools' ? step.tools.map((t) => t.name) : [];
    const n = ++seq;
    const calls = step.reply === 'tools' ? step.tools.map((t, i) => ({ id: `call_${n}_${i}_${t.name}`, name: t.name, args: JSON.stringify(t.args) })) : [];
    const text = step.reply === 'text' ? step.text : '';
    const ctx = { n, model: modelServed, usage, calls, text, body };
    if (api === 'chat') await (streamed ? chatStream(res, ctx, usageRequested) : chatPlain(res, ctx));
    else if (api === 'responses') await (streamed ? responsesStream(res, ctx) : responsesPlain(res, ctx));
    else await (streamed ? messagesStream(res, ctx) : messagesPlain(res, ctx));
    record.ended_ms = Date.now();
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    /** Replaces the plan and clears the log. */
    setPlan(plan) {
      steps = plan;
      served = [];
    },
    served: () => served,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

function toolNames(api, body) {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return tools.map((t) => (api === 'chat' ? t.function?.name : t.name)).filter((n) => typeof n === 'string');
}

function sendError(res, api, message) {
  // `x-should-retry: false` is the header the OpenAI and Anthropic SDKs honour; the agent handles
  // the failure, so one failed request is one served call.
  const body = api === 'messages'
    ? { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }
    : { error: { message, type: 'server_error', param: null, code: null } };
  res.writeHead(500, { 'content-type': 'application/json', 'x-should-retry': 'false' });
  res.end(JSON.stringify(body));
}

const created = () => Math.floor(Date.now() / 1000);

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

function chatPlain(res, { n, model, usage, calls, text }) {
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

async function chatStream(res, { n, model, usage, calls, text }, withUsage) {
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

function splitText(text) {
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

function responsesPlain(res, ctx) {
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_mock_${ctx.n}` });
  res.end(JSON.stringify(responseObject(ctx, 'completed', true)));
}

async function responsesStream(res, ctx) {
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

// ---- Anthropic Messages -----------------------------------------------------------------------

function anthropicUsage(u) {
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cacheRead,
    output_tokens: u.output,
    service_tier: 'standard',
  };
}

function anthropicContent({ calls, text }) {
  if (calls.length) return calls.map((c) => ({ type: 'tool_use', id: c.id.replace(/^call_/, 'toolu_'), name: c.name, input: JSON.parse(c.args) }));
  return [{ type: 'text', text }];
}

function messagesPlain(res, ctx) {
  const { n, model, usage, calls } = ctx;
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_mock_${n}` });
  res.end(JSON.stringify({
    id: `msg_mock${String(n).padStart(4, '0')}`,
    type: 'message',
    role: 'assistant',
    model,
    content: anthropicContent(ctx),
    stop_reason: calls.length ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: anthropicUsage(usage),
  }));
}

async function messagesStream(res, ctx) {
  const { n, model, usage, calls } = ctx;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': `req_mock_${n}` });
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', {
    message: {
      id: `msg_mock${String(n).padStart(4, '0')}`, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null,
      usage: { ...anthropicUsage(usage), output_tokens: 1 },
    },
  });
  const blocks = anthropicContent(ctx);
  for (const [i, block] of blocks.entries()) {
    if (block.type === 'tool_use') {
      send('content_block_start', { index: i, content_block: { ...block, input: {} } });
      send('content_block_delta', { index: i, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
    } else {
      send('content_block_start', { index: i, content_block: { type: 'text', text: '' } });
      for (const piece of splitText(block.text)) {
        await sleep(15);
        send('content_block_delta', { index: i, delta: { type: 'text_delta', text: piece } });
      }
    }
    send('content_block_stop', { index: i });
  }
  // The final delta repeats the input-side counts, as the current API does.
  send('message_delta', {
    delta: { stop_reason: calls.length ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { input_tokens: usage.input, cache_creation_input_tokens: usage.cacheWrite, cache_read_input_tokens: usage.cacheRead, output_tokens: usage.output },
  });
  send('message_stop', {});
  res.end();
}
