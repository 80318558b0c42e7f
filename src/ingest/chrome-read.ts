/**
 * Reading the text of a Chrome Trace Event file into its events: the JSON Array Format
 * (`[{…}, {…}]`) or the JSON Object Format (`{"traceEvents": […], "otherData": {…}}`). The array
 * may lack its closing `]` (the format allows it, so that a tracer can append events and never
 * close the file), and a crashed tracer can leave a half-written last event: both are read up to
 * the last complete event. Times (`ts`, `dur`, microseconds, possibly fractional) are kept exact
 * to the nanosecond.
 */
import type { Diagnostic } from '../core/model';
import { briefError, scanJsonObjects } from './json-objects';

/** The events of a trace file and the file's metadata object (`otherData`), when present. */
export interface TraceEvents {
  events: unknown[];
  otherData: Record<string, unknown> | undefined;
  /** 1-based line of each event when the file was read by the fallback scanner; else empty. */
  lines: number[];
  diagnostics: Diagnostic[];
}

/**
 * A `ts`/`dur` value with more significant digits than a double keeps (16 or more digits, e.g.
 * epoch microseconds with a fraction) is rewritten as a string before `JSON.parse`, so every
 * digit survives. Shorter values parse exactly enough as numbers and are left alone.
 */
const LONG_TIME = /("(?:ts|dur)"\s*:\s*)(-?[\d.]{17,}(?:[eE][+-]?\d+)?)(?=\s*[,}\]])/g;

function quoteLongTimes(text: string): string {
  LONG_TIME.lastIndex = 0;
  if (!LONG_TIME.test(text)) return text;
  LONG_TIME.lastIndex = 0;
  return text.replace(LONG_TIME, (whole, key: string, value: string) =>
    value.replace(/[-.]/g, '').replace(/^0+/, '').length > 15 ? `${key}"${value}"` : whole,
  );
}

const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A decimal number of microseconds (a JSON number, or its text) as integer nanoseconds, rounded
 * half away from zero at the nanosecond. Exact for any number of digits; undefined when not a
 * finite decimal.
 */
export function microsToNs(value: unknown): bigint | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value); // the shortest text that reads back as this double
  } else if (typeof value === 'string') text = value.trim();
  else return undefined;
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  // value = digits × 10^(shift) µs, and ns = µs × 10^3.
  const exp = Number(exponent);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
  const digits = BigInt((whole + fraction) || '0');
  const shift = exp - fraction.length + 3;
  let ns: bigint;
  if (shift >= 0) ns = digits * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    ns = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) ns += 1n;
  }
  return sign === '-' ? -ns : ns;
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The metadata object of the JSON Object Format (`otherData`, or `metadata` as some tools write). */
function metadataOf(doc: Record<string, unknown>): Record<string, unknown> | undefined {
  return objectOf(doc.otherData) ?? objectOf(doc.metadata);
}

/** Reads the events of a Chrome trace. Never throws; problems are diagnostics. */
export function readTraceEvents(input: string): TraceEvents {
  const text = quoteLongTimes(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
  const result: TraceEvents = { events: [], otherData: undefined, lines: [], diagnostics: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  if (Array.isArray(doc)) {
    result.events = doc;
    return result;
  }
  const object = objectOf(doc);
  if (object && Array.isArray(object.traceEvents)) {
    result.events = object.traceEvents;
    result.otherData = metadataOf(object);
    return result;
  }
  if (object) {
    result.diagnostics.push({ line: 0, severity: 'error', message: 'not a Chrome trace: the JSON object has no "traceEvents" array' });
    return result;
  }
  readUnfinished(text, result);
  return result;
}

/** The fallback for text that is not one JSON document: a trace cut short. */
function readUnfinished(text: string, result: TraceEvents): void {
  const arrayOpen = /^\s*\[/.exec(text) ?? /"traceEvents"\s*:\s*\[/.exec(text);
  if (!arrayOpen) {
    result.diagnostics.push({ line: 0, severity: 'error', message: 'not a Chrome trace: neither a JSON array nor an object with "traceEvents"' });
    return;
  }
  const from = arrayOpen.index + arrayOpen[0].length;
  let firstLine = 1;
  for (let i = 0; i < from; i++) if (text.charCodeAt(i) === 10) firstLine++;
  const scan = scanJsonObjects(text, 'array', from, firstLine);
  for (const slice of scan.objects) {
    try {
      result.events.push(JSON.parse(text.slice(slice.start, slice.end)));
      result.lines.push(slice.line);
    } catch (err) {
      result.diagnostics.push({ line: slice.line, severity: 'error', message: `trace event is not valid JSON; skipped: ${briefError(err)}` });
    }
  }
  for (const cut of scan.cut) {
    result.diagnostics.push({
      line: cut.line,
      severity: 'warning',
      message: 'the last trace event is incomplete (the tracer stopped while writing it); skipped',
    });
  }
  if (scan.skippedLines > 0) {
    result.diagnostics.push({
      line: scan.firstSkippedLine,
      severity: 'warning',
      message: 'text between trace events that is not an event was skipped',
    });
  }
  if (scan.arrayEnd < 0) {
    result.diagnostics.push({
      line: 0,
      severity: 'info',
      message: `the trace has no closing "]" (written by a tracer that did not finish); read ${result.events.length} complete events`,
    });
  } else if (result.diagnostics.length === 0 && !/^[\s\]}]*$/.test(text.slice(scan.arrayEnd))) {
    // The array closed and every event parsed, yet the document did not: the text after it is bad.
    result.diagnostics.push({ line: 0, severity: 'warning', message: 'the text after the trace events could not be read; the events were read' });
  }
}
