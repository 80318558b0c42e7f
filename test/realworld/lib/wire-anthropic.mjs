// The Anthropic Messages wire format the mock speaks, plain and streamed (message_start with the
// input-side usage, content blocks, message_delta with the output tokens). Anthropic reports
// input_tokens without the cache; cache reads and writes are reported beside it.
import { splitText } from './wire-openai.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

export function messagesPlain(res, ctx) {
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

export async function messagesStream(res, ctx) {
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
