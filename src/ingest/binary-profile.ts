/**
 * Profiles that are not text: OTLP protobuf (one `ExportTraceServiceRequest`, as an exporter sends
 * it, or the Collector `file` exporter's protobuf form, each message after a 4-byte big-endian
 * length) and, for messages, saying what content that is no profile looks like. Pure: bytes in,
 * OTLP/JSON lines or a description out; gzip is undone by the caller (src/io), which has zlib.
 */
import { decodeTraceRequest } from './otlp-protobuf';

/** True for the gzip magic number at the start. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * True when the start is not text: a NUL byte, or bytes that are not UTF-8 (a sequence cut by the
 * end of the head is not held against it). Protobuf nearly always has both within a few bytes.
 */
export function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 4096);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  // Up to 3 trailing bytes may belong to a character the head cut in two.
  let end = n;
  for (let k = 0; k < 3 && end > 0 && (head[end - 1] & 0xc0) === 0x80; k++) end--;
  if (end > 0 && head[end - 1] >= 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return false;
  } catch {
    return true;
  }
}

/** OTLP/JSON lines made from protobuf, or why the bytes are not OTLP protobuf. */
export type ProtobufRead = { ok: true; text: string; requests: number; spans: number; framed: boolean } | { ok: false; message: string };

/** The messages of the Collector's framed form, or undefined when the bytes are not framed. */
function frames(bytes: Uint8Array): Uint8Array[] | undefined {
  // A message never starts with byte 0 (field number 0 is invalid), a 4-byte length under 16 MiB does.
  if (bytes.length < 4 || bytes[0] !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (at + 4 > bytes.length) return undefined;
    const length = view.getUint32(at, false);
    if (at + 4 + length > bytes.length) return undefined;
    out.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}

function countSpans(request: Record<string, unknown>): number {
  let n = 0;
  for (const rs of (request.resourceSpans ?? []) as Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }>) {
    for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0;
  }
  return n;
}

/** Decodes OTLP protobuf trace content (single message or framed) into OTLP/JSON lines. */
export function readOtlpProtobuf(bytes: Uint8Array): ProtobufRead {
  const framed = frames(bytes);
  const messages = framed ?? [bytes];
  const lines: string[] = [];
  let spans = 0;
  for (let i = 0; i < messages.length; i++) {
    const decoded = decodeTraceRequest(messages[i]);
    if (!decoded.ok) {
      const where = framed ? ` (message ${i + 1} of ${messages.length})` : '';
      return { ok: false, message: `OTLP protobuf with an unknown field layout${where}: ${decoded.error}` };
    }
    spans += countSpans(decoded.request);
    lines.push(JSON.stringify(decoded.request));
  }
  if (spans === 0) {
    return {
      ok: false,
      message: 'OTLP protobuf with an unknown field layout: it decodes as a trace export without spans (is it a metrics or logs export, or another protobuf message?)',
    };
  }
  return { ok: true, text: lines.join('\n') + '\n', requests: messages.length, spans, framed: framed !== undefined };
}

/**
 * What text that is no known format looks like, for the "not a profile" message; undefined when
 * there is nothing more to say than that (plain text).
 */
export function describeText(text: string): string | undefined {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t === '') return 'empty';
  const firstLine = t.split('\n', 1)[0].trim();
  for (const candidate of [t, firstLine]) {
    try {
      const doc = JSON.parse(candidate) as unknown;
      const kind = Array.isArray(doc) ? 'an array' : doc === null ? 'null' : typeof doc === 'object' ? `an object with keys ${Object.keys(doc as object).slice(0, 5).map((k) => k.slice(0, 40)).join(', ') || '(none)'}` : `a ${typeof doc}`;
      return `JSON but not a trace (${candidate === t ? '' : 'the first line is '}${kind})`;
    } catch {
      // not JSON: try the first line alone, then fall through
    }
  }
  return undefined;
}
