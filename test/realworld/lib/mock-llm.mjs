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
import { messagesPlain, messagesStream } from './wire-anthropic.mjs';
import { chatPlain, chatStream, responsesPlain, responsesStream } from './wire-openai.mjs';

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
