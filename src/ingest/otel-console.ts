/**
 * The output of Python OpenTelemetry's `ConsoleSpanExporter` into the model: each finished span
 * printed as a pretty-printed JSON object, one after another (not an array, not one per line),
 * often with the application's own output in between:
 *
 * ```
 * {
 *     "name": "chat gpt-4o",
 *     "context": {"trace_id": "0x5b8a…", "span_id": "0x051f…", "trace_state": "[]"},
 *     "kind": "SpanKind.CLIENT",
 *     "parent_id": "0x9c2e…",
 *     "start_time": "2024-05-01T10:00:00.123456Z",
 *     "end_time": "2024-05-01T10:00:01.623456Z",
 *     "status": {"status_code": "ERROR", "description": "RateLimitError: …"},
 *     "attributes": {"gen_ai.usage.input_tokens": 1200, …},
 *     "events": [{"name": "exception", "timestamp": "…", "attributes": {…}}],
 *     "links": [],
 *     "resource": {"attributes": {"service.name": "research-agent"}, "schema_url": ""}
 * }
 * ```
 *
 * Attributes are plain JSON values (not OTLP `AnyValue`s) and are read with the same conventions
 * as OTLP (GenAI, OpenInference, OpenLLMetry). Each trace becomes one run, as in OTLP.
 */
import type { Diagnostic, Profile } from '../core/model';
import { briefError, scanJsonObjects } from './json-objects';
import { normaliseId } from './otel-values';
import { buildRuns, RawSpan } from './otlp';
import { copyAttrs } from './safe-attrs';

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch nanoseconds of an ISO-8601 time with up to 9 fractional digits, as a BigInt (microseconds
 * of a 2024 date need 51 bits of a double's 53, so a float would already round them). No zone
 * means UTC, as the exporter writes. Undefined for anything else.
 */
export function isoToEpochNs(text: unknown): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (!Number.isFinite(ms) || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  let ns = BigInt(ms) * 1_000_000n + BigInt((fraction ?? '').padEnd(9, '0'));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
    ns -= sign * offsetMinutes * 60_000_000_000n;
  }
  return ns < 0n ? undefined : ns;
}

/** A console id (`0x` + hex) in the lowercase hex form the OTLP importer uses. */
function consoleId(raw: unknown, bytes: number): string | undefined {
  if (typeof raw !== 'string') return undefined;
  return normaliseId(raw.replace(/^0x/i, ''), bytes);
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The error of a span whose status is ERROR: its description, else its `exception` event. */
function errorOf(span: Record<string, unknown>): string | undefined {
  const status = objectOf(span.status);
  const code = status?.status_code;
  if (typeof code !== 'string' || code.toUpperCase() !== 'ERROR') return undefined;
  if (typeof status?.description === 'string' && status.description) return status.description;
  for (const event of Array.isArray(span.events) ? span.events : []) {
    const ev = objectOf(event);
    if (ev?.name !== 'exception') continue;
    const a = objectOf(ev.attributes) ?? {};
    return [a['exception.type'], a['exception.message']].filter((x) => typeof x === 'string' && x).join(': ') || 'error';
  }
  return 'error';
}

/** The span of one parsed console object, or a reason it was skipped. */
function rawSpanOf(doc: unknown, line: number): RawSpan | string {
  const span = objectOf(doc);
  if (!span) return 'not a JSON object';
  const context = objectOf(span.context);
  const spanId = consoleId(context?.span_id, 8);
  const start = isoToEpochNs(span.start_time);
  if (typeof span.name !== 'string') return 'no name';
  if (spanId === undefined) return 'no valid context.span_id';
  if (start === undefined) return 'no valid start_time';
  const resource = objectOf(objectOf(span.resource)?.attributes);
  const service = resource?.['service.name'];
  const attrs = objectOf(span.attributes);
  return {
    traceId: consoleId(context?.trace_id, 16) ?? 'unknown-trace',
    spanId,
    parentId: consoleId(span.parent_id, 8),
    name: span.name,
    start,
    end: isoToEpochNs(span.end_time),
    attrs: attrs ? copyAttrs(attrs) : (Object.create(null) as Record<string, unknown>),
    error: errorOf(span),
    serviceName: typeof service === 'string' ? service : undefined,
    line,
  };
}

/**
 * True when the text looks like ConsoleSpanExporter output (for format detection): a line that
 * opens an object whose first key is `name`, a `context` object, and `0x` ids. Output of the
 * application before the first span is allowed.
 */
export function looksLikeOtelConsole(head: string): boolean {
  return /^\{\s*"name"\s*:/m.test(head) && /"context"\s*:\s*\{/.test(head) && /"(span_id|trace_id)"\s*:\s*"0x/i.test(head);
}

/** Parses ConsoleSpanExporter output into one profile per trace, largest first. */
export function parseOtelConsole(text: string): Profile[] {
  const raw: RawSpan[] = [];
  const diagnostics: Diagnostic[] = [];
  const scan = scanJsonObjects(text, 'lines');
  for (const slice of scan.objects) {
    let doc: unknown;
    try {
      doc = JSON.parse(text.slice(slice.start, slice.end));
    } catch (err) {
      diagnostics.push({ line: slice.line, severity: 'error', message: `span object is not valid JSON; skipped: ${briefError(err)}` });
      continue;
    }
    const span = rawSpanOf(doc, slice.line);
    if (typeof span === 'string') diagnostics.push({ line: slice.line, severity: 'warning', message: `span object skipped: ${span}` });
    else raw.push(span);
  }
  for (const cut of scan.cut) {
    diagnostics.push({
      line: cut.line,
      severity: 'warning',
      message: 'span object is incomplete (cut off before its closing brace); skipped',
    });
  }
  if (scan.skippedLines > 0) {
    diagnostics.push({
      line: scan.firstSkippedLine,
      severity: 'info',
      message: `${scan.skippedLines} line${scan.skippedLines === 1 ? '' : 's'} of other output between the spans skipped (first at this line)`,
    });
  }
  if (raw.length === 0 && scan.objects.length === 0) {
    diagnostics.push({ line: 0, severity: 'error', message: 'no OpenTelemetry console spans found' });
  }
  diagnostics.sort((a, b) => a.line - b.line);
  return buildRuns(raw, diagnostics, 'otel-console');
}
