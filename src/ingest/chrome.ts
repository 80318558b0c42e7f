/**
 * Chrome Trace Event files (chrome://tracing, Perfetto, many tracers) into the model.
 *
 * Spans come from `X` (complete) events and from `B`/`E` pairs, matched per pid/tid as a stack;
 * a `B` that never ends is an unfinished span. `M` events name threads and processes. The format
 * has no parent ids: events on one thread nest by time, so a span's parent is the innermost span
 * of its thread that contains it. `args` become attributes, read with the GenAI / OpenInference /
 * OpenLLMetry conventions like OTLP attributes.
 *
 * Our own export (src/core/export/chrome.ts) keeps what the format has no place for under
 * `args.agentprof` (span id, parent id, call site, kind, error, …, in the native record's keys),
 * token usage as instant events, and the run header, budgets and end in `otherData.agentprof`;
 * such files read back into the same model they were written from.
 */
import { ProfileBuilder } from '../core/builder';
import { categoryOf, kindOfName, Profile, SpanId } from '../core/model';
import { readChromeEvents, ChromeSpan, ChromeEvents } from './chrome-events';
import { readConventions } from './genai-conventions';
import { applyBudget, applyRunEnd, applySpanEnd, applySpanStart, applyUsage, RawRecord, runInfoOf } from './native-records';
import { readTraceEvents } from './chrome-read';

/**
 * A first timestamp in this range (epoch ns of the years 2001–5138) is taken as wall-clock time;
 * smaller ones come from a monotonic clock and say nothing about the date.
 */
const EPOCH_NS_MIN = 1_000_000_000_000_000_000n;
const EPOCH_NS_MAX = 100_000_000_000_000_000_000n;
/** 2^53: times (ns after the start) beyond it are not exact in a double. */
const MAX_EXACT_NS = 9007199254740992;

/** True when the text looks like a Chrome trace (for format detection). */
export function looksLikeChrome(head: string): boolean {
  const text = head.replace(/^\uFEFF?\s*/, '');
  if (/^\{[\s\S]*"traceEvents"\s*:/.test(text)) return true;
  return /^\[\s*(\]|\{[^]*?"(ph|ts|name|pid)"\s*:|$)/.test(text);
}

/** Parses a Chrome trace into one run. */
export function parseChrome(text: string): Profile {
  const read = readTraceEvents(text);
  const b = new ProfileBuilder('chrome');
  for (const d of read.diagnostics) b.diagnostic(d.line, d.severity, d.message);
  const events = readChromeEvents(read.events, read.lines, b);
  const meta = read.otherData?.agentprof;
  const ours = meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined;

  // Our exports write times relative to the run's start; other traces start at their first event.
  let base = 0n;
  if (!ours) {
    let min: bigint | undefined;
    for (const s of events.spans) if (min === undefined || s.start < min) min = s.start;
    for (const u of events.usage) if (min === undefined || u.ts < min) min = u.ts;
    base = min ?? 0n;
  }
  setRun(b, ours, events, base);
  placeByTime(events);
  addSpans(b, events, base, ours !== undefined);
  for (const u of events.usage) applyUsage(b, { ...u.record, t: 'u' } as RawRecord, u.line);
  if (ours) {
    for (const budget of Array.isArray(ours.budgets) ? ours.budgets : []) {
      if (budget && typeof budget === 'object') applyBudget(b, budget as RawRecord, 0);
    }
    const end = ours.end;
    if (end && typeof end === 'object') applyRunEnd(b, end as RawRecord, 0);
  } else {
    // A foreign trace has no run-end record; a complete trace file ended with its last event.
    b.setRun({ endedAt: b.profile.maxTime });
  }
  if (events.spans.length === 0 && events.usage.length === 0 && read.events.length > 0) {
    b.diagnostic(0, 'warning', 'the trace has no duration events (X, or B/E pairs); nothing to show');
  }
  return b.finish();
}

function setRun(b: ProfileBuilder, ours: Record<string, unknown> | undefined, events: ChromeEvents, base: bigint): void {
  const header = ours?.run;
  if (header && typeof header === 'object') {
    b.setRun({ ...runInfoOf(b, header as RawRecord, 0), source: 'chrome' });
    return;
  }
  const processNames = [...events.processNames.values()];
  b.setRun({
    name: processNames[0] ?? 'Chrome trace',
    startEpochNs: base >= EPOCH_NS_MIN && base < EPOCH_NS_MAX ? base.toString() : '0',
    recorder: 'chrome',
    pid: events.pids.length === 1 && typeof events.pids[0] === 'number' ? (events.pids[0] as number) : undefined,
  });
}

/**
 * Parents of spans that do not name one (everything but our own export): on each pid/tid, in
 * order of start (longer first on ties), the innermost earlier span that contains a span is its
 * parent. One stack per thread; linear after the sort.
 */
function placeByTime(events: ChromeEvents): void {
  const byThread = new Map<string, ChromeSpan[]>();
  for (const s of events.spans) {
    const list = byThread.get(s.threadKey);
    if (list) list.push(s);
    else byThread.set(s.threadKey, [s]);
  }
  const endOf = (s: ChromeSpan) => (s.end === undefined ? Infinity : Number(s.end - s.start));
  for (const list of byThread.values()) {
    list.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : endOf(y) - endOf(x) || x.ordinal - y.ordinal));
    const stack: ChromeSpan[] = [];
    for (const s of list) {
      while (stack.length > 0 && !contains(stack[stack.length - 1], s)) stack.pop();
      if (!s.ours) s.parentId = stack.length > 0 ? stack[stack.length - 1].id : undefined;
      stack.push(s);
    }
  }
}

/** True when `outer` contains `inner` in time (a span starting exactly at `outer`'s end is its sibling). */
function contains(outer: ChromeSpan, inner: ChromeSpan): boolean {
  if (inner.start < outer.start) return false;
  if (outer.end === undefined) return true;
  if (inner.end === undefined || inner.end > outer.end) return false;
  return inner.start < outer.end || outer.start === outer.end;
}

/**
 * Adds the spans: in start order, so siblings are in time order — except in our own export, which
 * wrote them in the model's order and names parents, so that order is kept as it was.
 */
function addSpans(b: ProfileBuilder, events: ChromeEvents, base: bigint, fileOrder: boolean): void {
  const byStart = (x: ChromeSpan, y: ChromeSpan) => (x.start < y.start ? -1 : x.start > y.start ? 1 : x.ordinal - y.ordinal);
  const spans = [...events.spans].sort(fileOrder ? (x, y) => x.ordinal - y.ordinal : byStart);
  let tooLate = 0;
  for (const s of spans) {
    const start = Number(s.start - base);
    const end = s.end === undefined ? NaN : Number(s.end - base);
    if (s.ours) {
      addOurSpan(b, s, start, end);
      continue;
    }
    // A ts such as 1e308 µs is beyond any exact (or finite) double in ns: such a span would make
    // the run's wall time infinite. The native format's limit applies: 2^53 ns after the start.
    if (!(start <= MAX_EXACT_NS) || (end === end && !(end <= MAX_EXACT_NS))) {
      if (tooLate++ === 0) b.diagnostic(s.line, 'warning', `span "${s.name.slice(0, 40)}" lies more than 2^53 ns (104 days) after the trace's start; skipped (and any like it)`);
      continue;
    }
    const facts = readConventions(s.attrs ?? {});
    const category = s.name.includes(':') ? categoryOf(s.name) : facts.category ?? s.category ?? categoryOf(s.name);
    b.addSpan(
      {
        id: s.id,
        parentId: s.parentId,
        name: s.name,
        start,
        end,
        category,
        kind: facts.kind ?? (s.category ? kindOfName(s.category) : undefined),
        file: facts.file,
        line: facts.line,
        thread: s.threadName,
        attrs: s.attrs,
      },
      s.line,
    );
    if (facts.usage) {
      b.addUsage({ spanId: s.id, operation: s.name, model: facts.model, provider: facts.provider, ...facts.usage, time: end === end ? end : undefined }, s.line);
    }
  }
}

/** A span of our own export: the native span records it came from, through the native reader's checks. */
function addOurSpan(b: ProfileBuilder, s: ChromeSpan, start: number, end: number): void {
  const ours = s.ours as Record<string, unknown>;
  applySpanStart(
    b,
    { t: 's', id: s.id, p: ours.p, n: s.name, at: start, f: ours.f, l: ours.l, th: ours.th, task: ours.task, k: ours.k, kind: ours.kind, a: s.attrs ?? ours.a },
    s.line,
  );
  const index = b.indexOf(s.id as SpanId);
  if (index === undefined) return;
  // The category of an imported (OTLP) span is not its name's prefix; the export keeps it.
  if (typeof ours.cat === 'string') b.profile.spans[index].category = ours.cat;
  if (end === end) applySpanEnd(b, { t: 'e', id: s.id, at: end, err: ours.err }, s.line);
}
