/**
 * A filter in front of the MCP SDK's stdio transport. The SDK drops a line that is not JSON or not
 * a JSON-RPC message without a word to the client, which then waits forever. JSON-RPC 2.0 says
 * such a line gets an error response (-32700 parse error, -32600 invalid request, id null when
 * none can be read), so this filter answers those lines itself and passes only well-formed
 * messages on. Lines are bounded: an endless line is dropped once it passes the cap.
 */
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';

/** A line longer than this (4 MiB) is not read; the client gets an invalid-request error. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;

export interface RpcError {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

function isId(v: unknown): v is string | number {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/** Why `line` is not a JSON-RPC message, as the error response to send; undefined when it is one. */
export function checkLine(line: string): RpcError | undefined {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch (err) {
    return { jsonrpc: '2.0', id: null, error: { code: PARSE_ERROR, message: `Parse error: ${(err as Error).message.slice(0, 200)}` } };
  }
  const invalid = (why: string, id: unknown = null): RpcError => ({
    jsonrpc: '2.0',
    id: isId(id) ? id : null,
    error: { code: INVALID_REQUEST, message: `Invalid request: ${why}` },
  });
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    return invalid(Array.isArray(msg) ? 'batches are not supported; send one JSON-RPC object per line' : 'a message must be a JSON object');
  }
  const m = msg as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return invalid('"jsonrpc" must be "2.0"', m.id);
  if ('method' in m) {
    if (typeof m.method !== 'string') return invalid('"method" must be a string', m.id);
    if ('id' in m && !isId(m.id)) return invalid('"id" must be a string or a number');
    if ('params' in m && (typeof m.params !== 'object' || m.params === null || Array.isArray(m.params))) return invalid('"params" must be an object', m.id);
    if (m.method === 'tools/call') return checkToolCall(m.params as Record<string, unknown> | undefined, m.id);
    return undefined;
  }
  // A response to one of the server's own requests.
  if (isId(m.id) && ('result' in m || 'error' in m)) return undefined;
  return invalid('neither a request, a notification nor a response', m.id);
}

/**
 * The SDK answers a tools/call whose params fail its schema with an internal error (-32603) that
 * dumps the schema check; the shape is the client's mistake, so it gets invalid params (-32602)
 * and one sentence.
 */
function checkToolCall(params: Record<string, unknown> | undefined, id: unknown): RpcError | undefined {
  const why =
    typeof params?.name !== 'string'
      ? '"params.name" must be the name of a tool (a string)'
      : params.arguments !== undefined && (typeof params.arguments !== 'object' || params.arguments === null || Array.isArray(params.arguments))
        ? '"params.arguments" must be an object'
        : undefined;
  return why === undefined ? undefined : { jsonrpc: '2.0', id: isId(id) ? id : null, error: { code: INVALID_PARAMS, message: `Invalid params: ${why}` } };
}

/**
 * Splits input into lines; passes well-formed ones through and hands each error response for a
 * malformed one to `reject`.
 */
export class LineGuard extends Transform {
  private pending = '';
  private overflowing = false;
  /** Keeps a UTF-8 sequence split between two chunks whole. */
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly reject: (response: RpcError) => void) {
    super();
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    for (let nl = this.pending.indexOf('\n'); nl >= 0; nl = this.pending.indexOf('\n')) {
      const line = this.pending.slice(0, nl).replace(/\r$/, '');
      this.pending = this.pending.slice(nl + 1);
      if (this.overflowing) {
        // The tail of a line already answered as too long.
        this.overflowing = false;
        continue;
      }
      this.handle(line);
    }
    if (this.pending.length > MAX_LINE_BYTES) {
      this.pending = '';
      if (!this.overflowing) this.reject({ jsonrpc: '2.0', id: null, error: { code: INVALID_REQUEST, message: `Invalid request: a message is longer than ${MAX_LINE_BYTES} bytes` } });
      this.overflowing = true;
    }
    done();
  }

  private handle(line: string): void {
    if (line.trim() === '') return;
    const error = checkLine(line);
    if (error) this.reject(error);
    // The SDK's reader appends Buffers.
    else this.push(Buffer.from(`${line}\n`, 'utf8'));
  }
}
