/**
 * What an OTLP receiver does with one export request, without the network: decode the body (JSON
 * or protobuf), reject spans no reader could place (no valid trace or span id, no name), and
 * split the rest into one Collector-file line per service, so each agent's spans land in their
 * own file. Pure: bytes in, lines and counts out; shared by the extension and `agentprof collect`.
 */
import { normaliseId, quoteNanoNumbers } from './otel-values';
import { decodeTraceRequest, type JsonObject } from './otlp-protobuf';

/** The body encodings OTLP/HTTP defines. */
export type OtlpEncoding = 'json' | 'protobuf';

/** One line to append: a request holding the spans of one service. */
export interface ExportLine {
  /** `service.name` of the resource, or `unknown_service` when it has none. */
  service: string;
  /** The request as one line of OTLP/JSON, without the newline. */
  line: string;
  spans: number;
}

/** The outcome of an export request that could be read. */
export interface ExportOutcome {
  ok: true;
  lines: ExportLine[];
  accepted: number;
  rejected: number;
  /** Why spans were rejected (empty when none were); goes into `partialSuccess.errorMessage`. */
  errorMessage: string;
}

/** A body that is not an export request at all (HTTP 400). */
export interface ExportFailure {
  ok: false;
  error: string;
}

const UNKNOWN_SERVICE = 'unknown_service';

function serviceOf(resourceSpans: JsonObject): string {
  const attrs = (resourceSpans.resource as { attributes?: unknown } | undefined)?.attributes;
  if (Array.isArray(attrs)) {
    for (const kv of attrs) {
      if (kv && typeof kv === 'object' && (kv as { key?: unknown }).key === 'service.name') {
        const v = (kv as { value?: { stringValue?: unknown } }).value?.stringValue;
        if (typeof v === 'string' && v) return v;
      }
    }
  }
  return UNKNOWN_SERVICE;
}

/** Why a span cannot be placed, or undefined when it can. */
function spanProblem(span: unknown): string | undefined {
  if (!span || typeof span !== 'object') return 'a span that is not an object';
  const s = span as { traceId?: unknown; spanId?: unknown; name?: unknown };
  if (normaliseId(s.traceId, 16) === undefined) return 'a span without a valid traceId';
  if (normaliseId(s.spanId, 8) === undefined) return 'a span without a valid spanId';
  if (typeof s.name !== 'string') return 'a span without a name';
  return undefined;
}

/**
 * Validates and splits a request already in OTLP/JSON form. `raw`, when given, is the text the
 * request was parsed from: written as it is when nothing was dropped and it is one line (no
 * second serialisation on the common path).
 */
export function splitRequest(request: JsonObject, raw?: string): ExportOutcome | ExportFailure {
  const resourceSpans = request.resourceSpans;
  if (resourceSpans === undefined) return { ok: true, lines: [], accepted: 0, rejected: 0, errorMessage: '' };
  if (!Array.isArray(resourceSpans)) return { ok: false, error: 'resourceSpans is not an array' };
  const groups = new Map<string, { resourceSpans: JsonObject[]; spans: number }>();
  let accepted = 0;
  let rejected = 0;
  let firstProblem = '';
  let changed = false;
  for (const rs of resourceSpans) {
    if (!rs || typeof rs !== 'object' || Array.isArray(rs)) return { ok: false, error: 'a resourceSpans entry is not an object' };
    const scopes = (rs as JsonObject).scopeSpans;
    if (scopes !== undefined && !Array.isArray(scopes)) return { ok: false, error: 'scopeSpans is not an array' };
    let count = 0;
    for (const scope of (scopes ?? []) as unknown[]) {
      if (!scope || typeof scope !== 'object') return { ok: false, error: 'a scopeSpans entry is not an object' };
      const spans = (scope as JsonObject).spans;
      if (spans === undefined) continue;
      if (!Array.isArray(spans)) return { ok: false, error: 'spans is not an array' };
      const kept: unknown[] = [];
      for (const span of spans) {
        const problem = spanProblem(span);
        if (problem === undefined) kept.push(span);
        else {
          rejected++;
          firstProblem ||= problem;
        }
      }
      if (kept.length !== spans.length) {
        (scope as JsonObject).spans = kept;
        changed = true;
      }
      count += kept.length;
    }
    if (count === 0) {
      changed = true;
      continue;
    }
    accepted += count;
    const service = serviceOf(rs as JsonObject);
    let group = groups.get(service);
    if (!group) groups.set(service, (group = { resourceSpans: [], spans: 0 }));
    group.resourceSpans.push(rs as JsonObject);
    group.spans += count;
  }
  const lines: ExportLine[] = [];
  const oneLineRaw = raw !== undefined && !changed && groups.size === 1 && !raw.includes('\n') && !raw.includes('\r');
  for (const [service, group] of groups) {
    lines.push({ service, spans: group.spans, line: oneLineRaw ? raw.trim() : JSON.stringify({ resourceSpans: group.resourceSpans }) });
  }
  const errorMessage = rejected ? `${rejected} span${rejected === 1 ? '' : 's'} rejected; the first was ${firstProblem}` : '';
  return { ok: true, lines, accepted, rejected, errorMessage };
}

/** Decodes and splits an export request body (already decompressed). */
export function readExportBody(body: Uint8Array, encoding: OtlpEncoding): ExportOutcome | ExportFailure {
  if (encoding === 'protobuf') {
    const decoded = decodeTraceRequest(body);
    return decoded.ok ? splitRequest(decoded.request) : { ok: false, error: decoded.error };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, error: 'the JSON body is not valid UTF-8' };
  }
  let doc: unknown;
  try {
    // Bare 19-digit nanosecond numbers become strings first: a re-serialised line keeps every digit.
    doc = JSON.parse(quoteNanoNumbers(text));
  } catch (err) {
    return { ok: false, error: `the body is not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, error: 'the JSON body is not an ExportTraceServiceRequest object' };
  return splitRequest(doc as JsonObject, text);
}
