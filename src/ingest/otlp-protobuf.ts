/**
 * OTLP protobuf through protobufjs and the vendored official definitions (otlp-proto-schema.ts,
 * generated from proto/opentelemetry-proto): an `ExportTraceServiceRequest` decoded into the
 * OTLP/JSON form the rest of the reader already understands (lowercase hex ids, 64-bit numbers as
 * decimal strings, enums as numbers), and the responses a receiver sends. Pure: bytes in, values
 * out; a malformed message is an error value, never a throw.
 */
import * as protobuf from 'protobufjs/light';
import { OTLP_TRACE_DESCRIPTOR } from './otlp-proto-schema';

const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR as protobuf.INamespace);
const RequestType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const ResponseType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');

/**
 * `google.rpc.Status`, the body of an OTLP/HTTP error response. Its three fields are declared here
 * with the library (the full googleapis definition would be a second vendored tree for two fields).
 */
const StatusType = new protobuf.Type('Status')
  .add(new protobuf.Field('code', 1, 'int32'))
  .add(new protobuf.Field('message', 2, 'string'));
new protobuf.Root().define('google.rpc').add(StatusType);

/** gRPC / google.rpc status codes used in error bodies. */
export const RPC_INVALID_ARGUMENT = 3;

/** An OTLP/JSON object (what `JSON.parse` of an OTLP/JSON body gives). */
export type JsonObject = Record<string, unknown>;

/** A 64-bit integer as protobufjs gives it: a `Long` (two 32-bit halves and a sign flag) or a number. */
interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
}

/**
 * A 64-bit integer as the decimal string of the JSON mapping. Through BigInt rather than
 * `Long.toString` (a division loop): two timestamps per span make this a hot spot.
 */
function u64(v: unknown): string {
  if (v === undefined || v === null) return '0';
  if (typeof v === 'number') return String(v);
  const l = v as LongLike;
  const big = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
  return (l.unsigned ? big : BigInt.asIntN(64, big)).toString();
}

/** Lowercase hex of bytes: the OTLP/JSON encoding of trace and span ids (a view, no copy). */
export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `AnyValue` in its JSON mapping; the `value` oneof names the field that is set. */
function anyValueJson(v: Msg | null | undefined): JsonObject {
  if (!v) return {};
  switch (v.value as string | undefined) {
    case 'stringValue':
      return { stringValue: v.stringValue };
    case 'boolValue':
      return { boolValue: v.boolValue };
    case 'intValue':
      return { intValue: u64(v.intValue) };
    case 'doubleValue':
      return { doubleValue: v.doubleValue };
    case 'bytesValue':
      return { bytesValue: base64Of(v.bytesValue) };
    case 'arrayValue':
      return { arrayValue: { values: ((v.arrayValue?.values ?? []) as Msg[]).map(anyValueJson) } };
    case 'kvlistValue':
      return { kvlistValue: { values: attributesJson(v.kvlistValue?.values) } };
    default:
      return {};
  }
}

function attributesJson(list: Msg[] | undefined): JsonObject[] {
  if (!list || list.length === 0) return [];
  const out = new Array<JsonObject>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = { key: list[i].key, value: anyValueJson(list[i].value) };
  return out;
}

/** Adds `key: value` unless the value is the protobuf default (the JSON mapping omits defaults). */
function put(o: JsonObject, key: string, value: unknown): void {
  if (value === undefined || value === null || value === '' || value === 0) return;
  if (Array.isArray(value) && value.length === 0) return;
  o[key] = value;
}

/** An id of exactly `size` bytes as hex; any other length gives "" (invalid, so the span is rejected). */
function idOf(bytes: Uint8Array | undefined, size: number): string {
  return bytes && bytes.length === size ? hexOf(bytes) : '';
}

function spanJson(s: Msg): JsonObject {
  const o: JsonObject = { traceId: idOf(s.traceId, 16), spanId: idOf(s.spanId, 8) };
  put(o, 'traceState', s.traceState);
  if (s.parentSpanId && s.parentSpanId.length) o.parentSpanId = hexOf(s.parentSpanId);
  put(o, 'flags', s.flags);
  o.name = s.name;
  put(o, 'kind', s.kind);
  o.startTimeUnixNano = u64(s.startTimeUnixNano);
  o.endTimeUnixNano = u64(s.endTimeUnixNano);
  put(o, 'attributes', attributesJson(s.attributes));
  put(o, 'droppedAttributesCount', s.droppedAttributesCount);
  if (s.events && s.events.length) {
    o.events = (s.events as Msg[]).map((e) => {
      const ev: JsonObject = { timeUnixNano: u64(e.timeUnixNano), name: e.name };
      put(ev, 'attributes', attributesJson(e.attributes));
      put(ev, 'droppedAttributesCount', e.droppedAttributesCount);
      return ev;
    });
  }
  put(o, 'droppedEventsCount', s.droppedEventsCount);
  if (s.links && s.links.length) {
    o.links = (s.links as Msg[]).map((l) => {
      const link: JsonObject = { traceId: hexOf(l.traceId), spanId: hexOf(l.spanId) };
      put(link, 'traceState', l.traceState);
      put(link, 'attributes', attributesJson(l.attributes));
      put(link, 'droppedAttributesCount', l.droppedAttributesCount);
      put(link, 'flags', l.flags);
      return link;
    });
  }
  put(o, 'droppedLinksCount', s.droppedLinksCount);
  if (s.status && (s.status.code || s.status.message)) {
    const st: JsonObject = {};
    put(st, 'message', s.status.message);
    put(st, 'code', s.status.code);
    o.status = st;
  }
  return o;
}

function scopeJson(scope: Msg | null | undefined): JsonObject {
  const o: JsonObject = {};
  if (!scope) return o;
  put(o, 'name', scope.name);
  put(o, 'version', scope.version);
  put(o, 'attributes', attributesJson(scope.attributes));
  put(o, 'droppedAttributesCount', scope.droppedAttributesCount);
  return o;
}

/** A decoded request, or why the bytes are not one. */
export type DecodeResult = { ok: true; request: JsonObject } | { ok: false; error: string };

/**
 * Decodes protobuf bytes of an `ExportTraceServiceRequest` (the same bytes as `TracesData`) into
 * its OTLP/JSON form. Unknown fields are skipped, as protobuf readers do; bytes that are not a
 * message of this layout give an error naming what the library found.
 */
export function decodeTraceRequest(bytes: Uint8Array): DecodeResult {
  let msg: Msg;
  try {
    msg = RequestType.decode(bytes) as unknown as Msg;
  } catch (err) {
    return { ok: false, error: `not an OTLP protobuf ExportTraceServiceRequest (${err instanceof Error ? err.message : String(err)})` };
  }
  const resourceSpans = ((msg.resourceSpans ?? []) as Msg[]).map((rs) => {
    const out: JsonObject = {};
    const resource: JsonObject = {};
    put(resource, 'attributes', attributesJson(rs.resource?.attributes));
    put(resource, 'droppedAttributesCount', rs.resource?.droppedAttributesCount);
    out.resource = resource;
    out.scopeSpans = ((rs.scopeSpans ?? []) as Msg[]).map((ss) => {
      const scopeSpans: JsonObject = { scope: scopeJson(ss.scope), spans: ((ss.spans ?? []) as Msg[]).map(spanJson) };
      put(scopeSpans, 'schemaUrl', ss.schemaUrl);
      return scopeSpans;
    });
    put(out, 'schemaUrl', rs.schemaUrl);
    return out;
  });
  return { ok: true, request: { resourceSpans } };
}

/** `ExportTraceServiceResponse` bytes: empty on full success, else a `partialSuccess`. */
export function encodeTraceResponse(rejectedSpans: number, errorMessage: string): Uint8Array {
  const body = rejectedSpans > 0 || errorMessage ? { partialSuccess: { rejectedSpans, errorMessage } } : {};
  return ResponseType.encode(ResponseType.fromObject(body)).finish();
}

/** Decodes an `ExportTraceServiceResponse` (tests and the benchmark read what the receiver sent). */
export function decodeTraceResponse(bytes: Uint8Array): { rejectedSpans: number; errorMessage: string } {
  const msg = ResponseType.toObject(ResponseType.decode(bytes), { longs: Number, defaults: true }) as {
    partialSuccess?: { rejectedSpans?: number; errorMessage?: string };
  };
  return { rejectedSpans: msg.partialSuccess?.rejectedSpans ?? 0, errorMessage: msg.partialSuccess?.errorMessage ?? '' };
}

/** `google.rpc.Status` bytes, the body of an OTLP/HTTP error response in protobuf. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return StatusType.encode(StatusType.fromObject({ code, message })).finish();
}
