/**
 * OTLP/JSON traces into the model: the export request form (`{"resourceSpans": …}`, one
 * document, possibly pretty-printed) and the Collector `file` exporter form (one such object per
 * line). Each trace id becomes one run.
 */
import type { Diagnostic, Profile } from '../core/model';
import { attributesOf, nanosOf, normaliseId, quoteNanoNumbers } from './otel-values';
import { RawSpan, TraceRuns } from './otlp-runs';

export { buildRuns, type RawSpan } from './otlp-runs';

/** OTLP status code for error, as a number or the enum name. */
function isErrorStatus(status: unknown): boolean {
  if (!status || typeof status !== 'object') return false;
  const code = (status as { code?: unknown }).code;
  return code === 2 || code === 'STATUS_CODE_ERROR' || code === '2';
}

/** The error text of a span: status message, else its `exception` event. */
function errorText(span: Record<string, unknown>): string | undefined {
  if (!isErrorStatus(span.status)) return undefined;
  const message = (span.status as { message?: unknown }).message;
  if (typeof message === 'string' && message) return message;
  const events = Array.isArray(span.events) ? span.events : [];
  for (const ev of events) {
    if (ev && typeof ev === 'object' && (ev as { name?: unknown }).name === 'exception') {
      const a = attributesOf((ev as { attributes?: unknown }).attributes);
      const type = a['exception.type'];
      const msg = a['exception.message'];
      return [type, msg].filter((x) => typeof x === 'string' && x).join(': ') || 'error';
    }
  }
  return 'error';
}

/** Keys of the span being collected, in order (reused: one span at a time). */
const spanKeys: string[] = [];

/**
 * Adds the spans of one `ExportTraceServiceRequest`-shaped object to `runs`; problems go to
 * `diagnostics` with `line` (the line the object starts on; 0 for a single document).
 */
export function collectRequest(doc: unknown, line: number, runs: TraceRuns, diagnostics: Diagnostic[]): void {
  const resourceSpans = (doc as { resourceSpans?: unknown })?.resourceSpans;
  if (!Array.isArray(resourceSpans)) {
    diagnostics.push({ line, severity: 'error', message: 'not an OTLP trace export: no resourceSpans' });
    return;
  }
  // Consecutive spans mostly share a trace id: the last one is decoded once.
  let lastTraceRaw: unknown;
  let lastTraceId = 'unknown-trace';
  for (const rs of resourceSpans) {
    if (!rs || typeof rs !== 'object') continue;
    const resource = attributesOf((rs as { resource?: { attributes?: unknown } }).resource?.attributes);
    const serviceName = typeof resource['service.name'] === 'string' ? (resource['service.name'] as string) : undefined;
    // `instrumentationLibrarySpans` is the pre-1.0 name of `scopeSpans`.
    const scopes = (rs as { scopeSpans?: unknown; instrumentationLibrarySpans?: unknown }).scopeSpans ??
      (rs as { instrumentationLibrarySpans?: unknown }).instrumentationLibrarySpans;
    if (!Array.isArray(scopes)) continue;
    for (const scope of scopes) {
      const spans = (scope as { spans?: unknown })?.spans;
      if (!Array.isArray(spans)) continue;
      const scopeInfo = (scope as { scope?: { name?: unknown }; instrumentationLibrary?: { name?: unknown } }).scope ??
        (scope as { instrumentationLibrary?: { name?: unknown } }).instrumentationLibrary;
      const scopeName = typeof scopeInfo?.name === 'string' ? scopeInfo.name : undefined;
      for (const s of spans) {
        if (!s || typeof s !== 'object') continue;
        const span = s as Record<string, unknown>;
        const rawTrace = span.traceId;
        if (rawTrace !== lastTraceRaw || typeof rawTrace !== 'string') {
          lastTraceRaw = rawTrace;
          lastTraceId = normaliseId(rawTrace, 16) ?? 'unknown-trace';
        }
        const traceId = lastTraceId;
        const spanId = normaliseId(span.spanId, 8);
        const start = nanosOf(span.startTimeUnixNano);
        const name = typeof span.name === 'string' ? span.name : undefined;
        if (spanId === undefined || start === undefined || name === undefined) {
          diagnostics.push({
            line,
            severity: 'warning',
            message: `OTLP span skipped: ${spanId === undefined ? 'no valid spanId' : start === undefined ? 'no valid startTimeUnixNano' : 'no name'}`,
          });
          continue;
        }
        spanKeys.length = 0;
        const raw: RawSpan = {
          traceId,
          spanId,
          parentId: normaliseId(span.parentSpanId, 8),
          name,
          start,
          end: nanosOf(span.endTimeUnixNano),
          attrs: attributesOf(span.attributes, 0, spanKeys),
          error: errorText(span),
          serviceName,
          scope: scopeName,
          line,
        };
        runs.add(raw, spanKeys);
      }
    }
  }
}

/** True when the text looks like OTLP/JSON traces (for format detection). */
export function looksLikeOtlp(head: string): boolean {
  return /"resourceSpans"\s*:/.test(head);
}

/** Parses OTLP/JSON text into one profile per trace, largest first. */
export function parseOtlp(text: string): Profile[] {
  const runs = new TraceRuns('otlp');
  const diagnostics: Diagnostic[] = [];
  collectText(text, runs, diagnostics);
  return runs.finish(diagnostics);
}

/**
 * Adds the spans of OTLP/JSON text to `runs`: one export request (possibly pretty-printed), or,
 * when the whole is not one JSON document, one request per line (the Collector file exporter).
 */
export function collectText(text: string, runs: TraceRuns, diagnostics: Diagnostic[]): void {
  const prepared = quoteNanoNumbers(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  let whole: unknown;
  try {
    whole = JSON.parse(prepared);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined) {
    collectRequest(whole, 0, runs, diagnostics);
    return;
  }
  // Collector file exporter: one export request per line.
  const lines = prepared.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!l) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(l);
    } catch (err) {
      diagnostics.push({ line: i + 1, severity: 'error', message: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    collectRequest(doc, i + 1, runs, diagnostics);
  }
}
