/**
 * OTLP/JSON traces into the model: the export request form (`{"resourceSpans": …}`, one
 * document, possibly pretty-printed) and the Collector `file` exporter form (one such object per
 * line). Each trace id becomes one run.
 */
import { ProfileBuilder } from '../core/builder';
import { categoryOf, Diagnostic, Profile } from '../core/model';
import { readConventions } from './genai-conventions';
import { attributesOf, nanosOf, normaliseId, quoteNanoNumbers } from './otel-values';

/** One span as found in the file, before it is placed in its run (shared with otel-console.ts). */
export interface RawSpan {
  traceId: string;
  spanId: string;
  parentId: string | undefined;
  name: string;
  start: bigint;
  end: bigint | undefined;
  attrs: Record<string, unknown>;
  error: string | undefined;
  serviceName: string | undefined;
  /** Line of the file the span's document starts on (1-based; 0 for a single document). */
  line: number;
}

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

/** Collects the spans of one `ExportTraceServiceRequest`-shaped object. */
function collect(doc: unknown, line: number, out: RawSpan[], diagnostics: Diagnostic[]): void {
  const resourceSpans = (doc as { resourceSpans?: unknown })?.resourceSpans;
  if (!Array.isArray(resourceSpans)) {
    diagnostics.push({ line, severity: 'error', message: 'not an OTLP trace export: no resourceSpans' });
    return;
  }
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
      for (const s of spans) {
        if (!s || typeof s !== 'object') continue;
        const span = s as Record<string, unknown>;
        const traceId = normaliseId(span.traceId, 16) ?? 'unknown-trace';
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
        out.push({
          traceId,
          spanId,
          parentId: normaliseId(span.parentSpanId, 8),
          name,
          start,
          end: nanosOf(span.endTimeUnixNano),
          attrs: attributesOf(span.attributes),
          error: errorText(span),
          serviceName,
          line,
        });
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
  const raw: RawSpan[] = [];
  const diagnostics: Diagnostic[] = [];
  const prepared = quoteNanoNumbers(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  let whole: unknown;
  try {
    whole = JSON.parse(prepared);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined) {
    collect(whole, 0, raw, diagnostics);
  } else {
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
      collect(doc, i + 1, raw, diagnostics);
    }
  }
  return buildRuns(raw, diagnostics);
}

/**
 * Groups spans by trace id into runs, largest first; `source` names the format in `RunInfo`.
 * File-level `diagnostics` go with every run.
 */
export function buildRuns(raw: RawSpan[], diagnostics: Diagnostic[], source = 'otlp'): Profile[] {
  const byTrace = new Map<string, RawSpan[]>();
  for (const s of raw) {
    const list = byTrace.get(s.traceId);
    if (list) list.push(s);
    else byTrace.set(s.traceId, [s]);
  }
  const runs: Profile[] = [];
  for (const [traceId, spans] of byTrace) runs.push(buildRun(traceId, spans, source));
  if (runs.length === 0) {
    const b = new ProfileBuilder(source);
    runs.push(b.finish());
  }
  runs.sort((a, b) => b.spans.length - a.spans.length);
  // File-level problems go with every run so each view shows them.
  for (const run of runs) run.diagnostics.unshift(...diagnostics);
  return runs;
}

function buildRun(traceId: string, spans: RawSpan[], source: string): Profile {
  let base = spans[0].start;
  for (const s of spans) if (s.start < base) base = s.start;
  const rel = (t: bigint) => Number(t - base);
  const b = new ProfileBuilder(source);
  const root = spans.find((s) => s.parentId === undefined);
  b.setRun({
    name: root?.serviceName ? `${root.serviceName}: ${root.name}` : root?.name ?? `trace ${traceId.slice(0, 8)}`,
    startEpochNs: base.toString(),
    formatVersion: 1,
    recorder: source,
  });
  for (const s of spans) {
    const facts = readConventions(s.attrs);
    const hasPrefix = s.name.includes(':');
    b.addSpan(
      {
        id: s.spanId,
        parentId: s.parentId,
        name: s.name,
        start: rel(s.start),
        end: s.end === undefined ? NaN : rel(s.end),
        error: s.error,
        category: hasPrefix ? categoryOf(s.name) : facts.category,
        kind: facts.kind,
        file: facts.file,
        line: facts.line,
        thread: facts.thread,
        attrs: s.attrs,
      },
      s.line,
    );
    if (facts.inputCorrected) {
      b.diagnostic(s.line, 'info', `span ${s.spanId}: input tokens did not include cached tokens; added them (GenAI rule)`);
    }
    if (facts.usage) {
      b.addUsage(
        {
          spanId: s.spanId,
          operation: s.name,
          model: facts.model,
          provider: facts.provider,
          ...facts.usage,
          time: s.end === undefined ? undefined : rel(s.end),
        },
        s.line,
      );
    }
  }
  return b.finish();
}
