/**
 * The trace events of a Chrome trace sorted into what the model needs: spans from `X` events and
 * from `B`/`E` pairs (matched per pid/tid as a stack), token usage from our export's instant
 * events, and thread and process names from `M` events. Other phases (async, flow, counters,
 * samples, object events, marks) have no place in the model and are counted, not read.
 */
import type { ProfileBuilder } from '../core/builder';
import type { SpanId } from '../core/model';
import { microsToNs } from './chrome-read';
import { copyAttrs } from './safe-attrs';

/** One span found in the trace, before it is placed in the model. */
export interface ChromeSpan {
  /** 1-based position of the (starting) event in the file. */
  ordinal: number;
  /** Line of the event when known, else its ordinal: the span's `sourceLine`. */
  line: number;
  id: SpanId;
  /** Set by nesting-by-time for spans that do not name a parent. */
  parentId: SpanId | undefined;
  name: string;
  /** First entry of the event's `cat` list. */
  category: string | undefined;
  /** pid and tid, as one key. */
  threadKey: string;
  /** Thread name from `M` events (filled in once all events are read). */
  threadName: string | undefined;
  /** Start and end, ns on the trace's clock; end undefined while open (a `B` never ended). */
  start: bigint;
  end: bigint | undefined;
  /** `args` without our own `agentprof` key, prototype-free; undefined when empty. */
  attrs: Record<string, unknown> | undefined;
  /** `args.agentprof` of our own export (it carries an `id`), else undefined. */
  ours: Record<string, unknown> | undefined;
}

/** A token-usage instant event of our export: the native `u` record and the event's time. */
export interface ChromeUsage {
  record: Record<string, unknown>;
  ts: bigint;
  line: number;
}

export interface ChromeEvents {
  spans: ChromeSpan[];
  usage: ChromeUsage[];
  processNames: Map<string, string>;
  threadNames: Map<string, string>;
  /** Distinct pids, in order of appearance. */
  pids: unknown[];
}

interface OpenBegin {
  event: Record<string, unknown>;
  ts: bigint;
  ordinal: number;
  line: number;
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function threadKeyOf(event: Record<string, unknown>): string {
  return `${String(event.pid ?? '')}\u0000${String(event.tid ?? '')}`;
}

/** Our export's span fields, when the event carries them. */
function oursOf(args: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const ours = objectOf(args?.agentprof);
  return ours && (typeof ours.id === 'number' || typeof ours.id === 'string') ? ours : undefined;
}

function attrsOf(args: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!args) return undefined;
  const attrs = copyAttrs(args);
  delete attrs.agentprof;
  for (const _ in attrs) return attrs;
  return undefined;
}

/** Sorts the events of a trace; problems go to `b` as diagnostics. `lines[i]` is the line of event i, when known. */
export function readChromeEvents(events: unknown[], lines: number[], b: ProfileBuilder): ChromeEvents {
  const out: ChromeEvents = { spans: [], usage: [], processNames: new Map(), threadNames: new Map(), pids: [] };
  const open = new Map<string, OpenBegin[]>();
  const ignored = new Map<string, number>();
  const pidSeen = new Set<string>();
  let unmatchedEnds = 0;
  let badTimes = 0;

  const addSpan = (event: Record<string, unknown>, args: Record<string, unknown> | undefined, start: bigint, end: bigint | undefined, ordinal: number, line: number) => {
    const ours = oursOf(args);
    const cat = typeof event.cat === 'string' && event.cat ? event.cat.split(',')[0].trim() : undefined;
    out.spans.push({
      ordinal,
      line,
      id: ours ? (ours.id as SpanId) : `chrome:${ordinal}`,
      parentId: undefined,
      name: typeof event.name === 'string' ? event.name : '(unnamed)',
      category: cat || undefined,
      threadKey: threadKeyOf(event),
      threadName: undefined,
      start,
      end,
      attrs: attrsOf(args),
      ours,
    });
  };

  for (let i = 0; i < events.length; i++) {
    const event = objectOf(events[i]);
    const ordinal = i + 1;
    const line = lines[i] ?? ordinal;
    if (!event) continue;
    const ph = typeof event.ph === 'string' ? event.ph : '';
    const pid = String(event.pid ?? '');
    if (!pidSeen.has(pid) && ph !== 'M') {
      pidSeen.add(pid);
      out.pids.push(event.pid);
    }
    const args = objectOf(event.args);
    if (ph === 'M') {
      const name = typeof args?.name === 'string' ? args.name : undefined;
      if (name !== undefined && event.name === 'thread_name') out.threadNames.set(threadKeyOf(event), name);
      if (name !== undefined && event.name === 'process_name') out.processNames.set(pid, name);
      continue;
    }
    const ts = microsToNs(event.ts);
    if (ph === 'X' || ph === 'B' || ph === 'E' || ph === 'i' || ph === 'I') {
      if (ts === undefined) {
        badTimes++;
        continue;
      }
    }
    switch (ph) {
      case 'X': {
        let dur = event.dur === undefined ? 0n : microsToNs(event.dur);
        if (dur === undefined || dur < 0n) {
          badTimes++;
          dur = 0n;
        }
        addSpan(event, args, ts!, ts! + dur, ordinal, line);
        break;
      }
      case 'B': {
        const key = threadKeyOf(event);
        const stack = open.get(key);
        const begin = { event, ts: ts!, ordinal, line };
        if (stack) stack.push(begin);
        else open.set(key, [begin]);
        break;
      }
      case 'E': {
        const begin = open.get(threadKeyOf(event))?.pop();
        if (!begin) {
          unmatchedEnds++;
          break;
        }
        // The format merges the E event's args into the B event's.
        const beginArgs = objectOf(begin.event.args);
        const merged = beginArgs && args ? { ...beginArgs, ...args } : beginArgs ?? args;
        addSpan(begin.event, merged, begin.ts, ts! < begin.ts ? begin.ts : ts!, begin.ordinal, begin.line);
        break;
      }
      case 'i':
      case 'I': {
        const usage = objectOf(args?.agentprof);
        if (usage && typeof usage.op === 'string') out.usage.push({ record: usage, ts: ts!, line });
        else ignored.set(ph, (ignored.get(ph) ?? 0) + 1);
        break;
      }
      default:
        ignored.set(ph || '(none)', (ignored.get(ph || '(none)') ?? 0) + 1);
    }
  }

  let unfinished = 0;
  for (const stack of open.values()) {
    for (const begin of stack) {
      addSpan(begin.event, objectOf(begin.event.args), begin.ts, undefined, begin.ordinal, begin.line);
      unfinished++;
    }
  }
  nameThreads(out);
  if (unfinished > 0) b.diagnostic(0, 'info', `${unfinished} span${unfinished === 1 ? '' : 's'} began (B) and never ended (E): shown as unfinished`);
  if (unmatchedEnds > 0) b.diagnostic(0, 'warning', `${unmatchedEnds} end event${unmatchedEnds === 1 ? '' : 's'} (E) without a begin (B) on their thread ignored`);
  if (badTimes > 0) b.diagnostic(0, 'warning', `${badTimes} event${badTimes === 1 ? '' : 's'} with a missing or invalid "ts"/"dur" skipped or given a zero duration`);
  if (ignored.size > 0) {
    const phases = [...ignored].map(([ph, n]) => `${n} "${ph}"`).join(', ');
    b.diagnostic(0, 'info', `events of phases the profile has no place for were not read: ${phases}`);
  }
  return out;
}

/** Thread names for the spans: the `thread_name` of their pid/tid, with the process when there are several. */
function nameThreads(out: ChromeEvents): void {
  const manyProcesses = out.pids.length > 1;
  for (const span of out.spans) {
    const [pid, tid] = span.threadKey.split('\u0000');
    const thread = out.threadNames.get(span.threadKey) ?? `thread ${tid}`;
    span.threadName = manyProcesses ? `${out.processNames.get(pid) ?? `pid ${pid}`} / ${thread}` : thread;
  }
}
