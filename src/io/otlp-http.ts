/**
 * OTLP/HTTP trace receiver (node-only): `POST /v1/traces` (and `/runs/<id>/v1/traces`, a run's
 * own endpoint) with `application/x-protobuf` or `application/json`, optionally gzip-compressed.
 * Replies follow the OTLP/HTTP specification, in the encoding the client sent.
 *
 * A web page can make the browser POST to localhost, so requests a page could make are refused:
 * an `Origin` that is present and not loopback (cross-origin POST, 403) and a `Host` that is not
 * loopback (a DNS-rebinding page reaches us under its own host name, 403). Bodies are bounded
 * before and after decompression (413), so a gzip bomb inflates to at most the limit.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { readExportBody, type ExportLine, type OtlpEncoding } from '../ingest/otlp-export';
import { Turns } from './turns';
import { encodeRpcStatus, encodeTraceResponse, RPC_INVALID_ARGUMENT } from '../ingest/otlp-protobuf';

/** Limits and callbacks of {@link startHttpReceiver}. */
export interface HttpReceiverOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Largest body as sent (compressed or not). */
  maxBodyBytes: number;
  /** Largest body after decompression. */
  maxDecodedBytes: number;
  /** Stores the lines of one accepted request (`run` from a `/runs/<id>/` path); resolves when written. */
  accept(lines: ExportLine[], run: string | undefined): Promise<void>;
  /** A refused or failed request, for the log. */
  onRefused?(status: number, reason: string): void;
  /** Shared with the gRPC receiver so both take turns on the one thread. */
  turns?: Turns;
}

/** Defaults: generous for exporters' batches (512 spans is a few hundred KB), bounded for bombs. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_DECODED_BYTES = 128 * 1024 * 1024;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The host part of a `Host` header or URL authority (`[::1]:4318` → `[::1]`), lowercased. */
function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) {
    const end = a.indexOf(']');
    return end < 0 ? a : a.slice(0, end + 1);
  }
  const colon = a.indexOf(':');
  return colon < 0 ? a : a.slice(0, colon);
}

/** True for a `Host` header naming this machine's loopback. */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOSTS.has(hostName(host));
}

/** True when no `Origin` was sent (not a browser page) or it is a loopback http(s) origin. */
export function isAllowedOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null" of sandboxed frames and files
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
}

/** `/v1/traces` → `{}`; `/runs/<id>/v1/traces` → `{ run: id }`; anything else → undefined. */
export function routeOf(url: string | undefined): { run?: string } | undefined {
  const pathname = (url ?? '').split('?')[0];
  if (pathname === '/v1/traces') return {};
  const prefix = '/runs/';
  if (pathname.startsWith(prefix) && pathname.endsWith('/v1/traces')) {
    const id = pathname.slice(prefix.length, -'/v1/traces'.length);
    if (/^[A-Za-z0-9_-]{1,64}$/.test(id)) return { run: id };
  }
  return undefined;
}

function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (media === 'application/x-protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

class BodyTooLarge extends Error {}

/** Reads the body up to `max` bytes; a larger one stops the read. */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new BodyTooLarge(`the body is over ${max} bytes`));
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** Gunzips on the thread pool, stopping at `max` output bytes. */
function gunzip(body: Buffer, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zlib.gunzip(body, { maxOutputLength: max }, (err, out) => {
      if (!err) resolve(out);
      else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') reject(new BodyTooLarge(`the decompressed body is over ${max} bytes`));
      else reject(err);
    });
  });
}

function send(res: http.ServerResponse, status: number, contentType: string, body: Uint8Array | string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** An error in the client's encoding: `google.rpc.Status` for protobuf, its JSON form for JSON. */
function sendError(res: http.ServerResponse, status: number, message: string, encoding: OtlpEncoding | undefined): void {
  if (encoding === 'protobuf') send(res, status, 'application/x-protobuf', encodeRpcStatus(RPC_INVALID_ARGUMENT, message));
  else if (encoding === 'json') send(res, status, 'application/json', JSON.stringify({ code: RPC_INVALID_ARGUMENT, message }));
  else send(res, status, 'text/plain; charset=utf-8', `${message}\n`);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, o: HttpReceiverOptions, turns: Turns): Promise<void> {
  const refuse = (status: number, reason: string, encoding?: OtlpEncoding) => {
    o.onRefused?.(status, reason);
    // The rest of a refused body is not read: the connection closes once the reply is out.
    res.setHeader('Connection', 'close');
    res.on('finish', () => {
      if (!req.complete) req.socket.end();
    });
    sendError(res, status, reason, encoding);
  };
  if (!isLoopbackHost(req.headers.host)) return refuse(403, 'the Host header must name the loopback address');
  if (!isAllowedOrigin(req.headers.origin)) return refuse(403, 'cross-origin requests are refused');
  const route = routeOf(req.url);
  if (!route) return refuse(404, 'not found: send traces to /v1/traces');
  if (req.method !== 'POST') return refuse(405, 'only POST is accepted');
  const encoding = encodingOf(req.headers['content-type']);
  if (!encoding) return refuse(415, 'the Content-Type must be application/x-protobuf or application/json');
  const contentEncoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (contentEncoding !== 'gzip' && contentEncoding !== 'identity') return refuse(415, `the Content-Encoding ${contentEncoding} is not supported (gzip is)`, encoding);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > o.maxBodyBytes) return refuse(413, `the body is over ${o.maxBodyBytes} bytes`, encoding);

  let body: Buffer;
  try {
    body = await readBody(req, o.maxBodyBytes);
    if (contentEncoding === 'gzip') body = await gunzip(body, o.maxDecodedBytes);
  } catch (err) {
    if (err instanceof BodyTooLarge) return refuse(413, err.message, encoding);
    return refuse(400, `the body could not be read: ${err instanceof Error ? err.message : String(err)}`, encoding);
  }
  if (body.length > o.maxDecodedBytes) return refuse(413, `the body is over ${o.maxDecodedBytes} bytes`, encoding);
  const decoded = body;
  const outcome = await turns.run(() => readExportBody(decoded, encoding));
  if (!outcome.ok) return refuse(400, outcome.error, encoding);
  try {
    if (outcome.lines.length) await o.accept(outcome.lines, route.run);
  } catch (err) {
    // Retryable on the client's side (OTLP/HTTP: 503), so the spans are sent again, not lost.
    o.onRefused?.(503, `could not write: ${err instanceof Error ? err.message : String(err)}`);
    send(res, 503, 'text/plain; charset=utf-8', 'the receiver could not store the spans\n');
    return;
  }
  if (encoding === 'protobuf') send(res, 200, 'application/x-protobuf', encodeTraceResponse(outcome.rejected, outcome.errorMessage));
  else {
    const partial = outcome.rejected ? { partialSuccess: { rejectedSpans: String(outcome.rejected), errorMessage: outcome.errorMessage } } : {};
    send(res, 200, 'application/json', JSON.stringify(partial));
  }
}

/** A listening receiver. */
export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the receiver on 127.0.0.1; rejects with the `listen` error (EADDRINUSE, EACCES). */
export function startHttpReceiver(o: HttpReceiverOptions): Promise<RunningServer> {
  const turns = o.turns ?? new Turns();
  const server = http.createServer((req, res) => {
    handle(req, res, o, turns).catch((err) => {
      o.onRefused?.(500, String(err));
      send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
    });
  });
  // Exporters keep connections alive between batches; idle ones are closed after a while.
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Idle keep-alive connections go now; requests in flight get a moment to finish.
            server.closeIdleConnections();
            setTimeout(() => server.closeAllConnections(), 2000).unref();
          }),
      });
    });
  });
}
