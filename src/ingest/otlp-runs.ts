/**
 * Spans of the OpenTelemetry importers, grouped into one run per trace id as they arrive: each
 * span goes straight into its trace's {@link ProfileBuilder}, so a file read in chunks never holds
 * more than the model (no list of every raw span).
 *
 * Times in a run are nanoseconds since the earliest start of its trace. That start is only known
 * at the end (OTLP writes spans as they end, so the root, which starts first, usually comes last),
 * so each trace's builder works relative to its first span's start, and {@link TraceRuns.finish}
 * shifts the trace's times once by the difference. Both ways give the same numbers: integers below
 * 2^53 add exactly.
 */
import { ProfileBuilder } from '../core/builder';
import { type Diagnostic, ORIGINAL_NAME_ATTR, type Profile } from '../core/model';
import { readConventions } from './genai-conventions';
import { PendingUsage, settleUsage, USAGE_ROLE_ATTR } from './call-identity';

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
  /** Name of the instrumentation scope that made the span (`scopeSpans[].scope.name`), when known. */
  scope?: string;
  /** Line of the file the span's document starts on (1-based; 0 for a single document). */
  line: number;
}

/** One trace being filled. */
interface TraceRun {
  traceId: string;
  builder: ProfileBuilder;
  /** The builder's times are relative to this (the trace's first span's start). */
  base: bigint;
  /** Earliest start seen: the run's time zero. */
  earliest: bigint;
  /** Name and service of the first span without a parent, for the run's name. */
  rootName: string | undefined;
  rootService: string | undefined;
  /**
   * Set once the times were shifted (a snapshot of a live file): the builder's own record of the
   * smallest time is then in the old frame, so `minTime` is kept up to date here.
   */
  shifted: boolean;
  /** `session.id` / `gen_ai.conversation.id` of the first span that has one. */
  session: string | undefined;
  /** Usage read from spans, not yet placed: which of them count is decided on the whole tree. */
  pending: PendingUsage[];
}

/** Collects spans into one run per trace id; {@link finish} returns the runs, largest first. */
export class TraceRuns {
  private readonly traces = new Map<string, TraceRun>();
  /** The trace of the previous span: consecutive spans mostly share one. */
  private last: TraceRun | undefined;

  /** @param source names the format in each run's `RunInfo`. */
  constructor(private readonly source = 'otlp') {}

  /** Spans added so far. */
  spanCount = 0;

  /**
   * Adds one span to its trace's run. `attributeKeys`, when given, lists every key of `s.attrs`
   * (the convention lookup then reads only those instead of probing every alias).
   */
  add(s: RawSpan, attributeKeys?: readonly string[]): void {
    let trace = this.last;
    if (trace === undefined || trace.traceId !== s.traceId) {
      trace = this.traces.get(s.traceId);
      if (trace === undefined) {
        trace = {
          traceId: s.traceId,
          builder: new ProfileBuilder(this.source),
          base: s.start,
          earliest: s.start,
          rootName: undefined,
          rootService: undefined,
          shifted: false,
          pending: [],
          session: undefined,
        };
        this.traces.set(s.traceId, trace);
      }
      this.last = trace;
    }
    if (s.start < trace.earliest) trace.earliest = s.start;
    if (s.parentId === undefined && trace.rootName === undefined) {
      trace.rootName = s.name;
      trace.rootService = s.serviceName;
    }
    this.spanCount++;
    if (trace.session === undefined) {
      const session = s.attrs['session.id'] ?? s.attrs['gen_ai.conversation.id'];
      if (typeof session === 'string' && session !== '') trace.session = session;
    }
    const base = trace.base;
    const b = trace.builder;
    const facts = readConventions(s.attrs, attributeKeys, s.name, s.scope);
    const start = Number(s.start - base);
    const end = s.end === undefined ? NaN : Number(s.end - base);
    // A recognisable name from the attributes; a `category:` name is the author's own and stays.
    // A replaced name stays in the attributes (details, and the waterfall's search).
    let name = s.name;
    if (facts.displayName !== undefined && !s.name.includes(':')) {
      name = facts.displayName;
      s.attrs[ORIGINAL_NAME_ATTR] = s.name;
    }
    const index = b.addSpan(
      {
        id: s.spanId,
        parentId: s.parentId,
        name,
        start,
        end,
        error: s.error,
        // The category the attributes give comes first; left undefined, the builder takes it
        // from the name itself (the text before ':', memoised per name, no new string per span).
        category: facts.category,
        kind: facts.kind,
        file: facts.file,
        line: facts.line,
        thread: facts.thread,
        attrs: s.attrs,
      },
      s.line,
    );
    if (facts.usage) {
      trace.pending.push({
        span: index,
        input: { spanId: s.spanId, operation: s.name, model: facts.model, provider: facts.provider, ...facts.usage, time: undefined },
        end: s.end,
        line: s.line,
        wrapperOperation: facts.wrapperOperation,
      });
    }
    if (trace.shifted) {
      const p = b.profile;
      // The end as stored (clamped to the start; NaN when open).
      const stored = p.spans[p.spans.length - 1].end;
      if (start < p.minTime) p.minTime = start;
      if (stored < p.minTime) p.minTime = stored;
    }
  }

  /**
   * The runs so far, largest first, for a file still being written: not finished (spans whose
   * parent has not arrived yet stay at the top level unflagged; OTLP writes children first).
   * Each is a shallow copy whose diagnostics start with the file-level `diagnostics`; spans and
   * usage are shared with the runs being filled.
   */
  snapshot(diagnostics: readonly Diagnostic[]): Profile[] {
    const runs: Profile[] = [];
    for (const trace of this.traces.values()) {
      this.settle(trace);
      const profile = trace.builder.profile;
      runs.push({ ...profile, diagnostics: [...diagnostics, ...profile.diagnostics] });
    }
    if (runs.length === 0) runs.push({ ...new ProfileBuilder(this.source).finish(), diagnostics: [...diagnostics] });
    return runs.sort(largestFirst);
  }

  /** Times made relative to the earliest start seen, the usage placed, and the run header filled. */
  private settle(trace: TraceRun): void {
    if (trace.earliest !== trace.base) {
      shiftTimes(trace.builder.profile, Number(trace.base - trace.earliest));
      trace.base = trace.earliest;
      trace.shifted = true;
    }
    if (trace.pending.length) {
      settleUsage(trace.builder, trace.pending, trace.base);
      trace.pending = [];
    }
    const name = trace.rootName === undefined ? undefined : trace.rootService ? `${trace.rootService}: ${trace.rootName}` : trace.rootName;
    trace.builder.setRun({
      name: name ?? `trace ${trace.traceId.slice(0, 8)}`,
      startEpochNs: trace.earliest.toString(),
      formatVersion: 1,
      recorder: this.source,
      traceId: trace.traceId,
      sessionId: trace.session,
    });
  }

  /**
   * The runs, largest first (at least one, empty when no span was added). File-level
   * `diagnostics` come first in every run. Call once, when the input is complete.
   */
  finish(diagnostics: readonly Diagnostic[]): Profile[] {
    const runs: Profile[] = [];
    for (const trace of this.traces.values()) {
      this.settle(trace);
      // A complete trace file is a finished run: OTLP has no run-end record, and exporters only
      // write spans that ended, so the run ended with its last span. (Live snapshots stay open.)
      const profile = trace.builder.finish();
      trace.builder.setRun({ endedAt: profile.maxTime, ...exitOf(profile) });
      runs.push(profile);
    }
    if (runs.length === 0) runs.push(new ProfileBuilder(this.source).finish());
    runs.sort(largestFirst);
    // File-level problems go with every run so each view shows them.
    for (const run of runs) run.diagnostics.unshift(...diagnostics);
    return runs;
  }
}

/**
 * Runs by size, largest first; of two the same size, the later one first (a warm-up run comes
 * before the measured one it resembles).
 */
function largestFirst(a: Profile, b: Profile): number {
  if (a.spans.length !== b.spans.length) return b.spans.length - a.spans.length;
  const as = BigInt(a.run.startEpochNs);
  const bs = BigInt(b.run.startEpochNs);
  return as === bs ? 0 : as < bs ? 1 : -1;
}

export { ORIGINAL_NAME_ATTR } from '../core/model';
export { USAGE_ROLE_ATTR };

/** The run failed when a top-level span (the agent invocation) failed; the first such error. */
function exitOf(profile: Profile): { exitStatus: 'ok' | 'error'; exitError: string | undefined } {
  for (const span of profile.spans) {
    if (span.parent < 0 && !span.orphan && span.status === 'error') return { exitStatus: 'error', exitError: span.error };
  }
  return { exitStatus: 'ok', exitError: undefined };
}

/**
 * Moves every time of `profile` later by `by` ns and recomputes `minTime`/`maxTime` as the builder
 * notes them: span starts, span ends (already clamped to their start) and usage times, with
 * `maxTime` starting from 0.
 */
function shiftTimes(profile: Profile, by: number): void {
  let min = Infinity;
  let max = 0;
  for (const span of profile.spans) {
    const start = (span.start += by);
    if (start < min) min = start;
    if (start > max) max = start;
    const end = (span.end += by);
    if (end < min) min = end;
    if (end > max) max = end;
  }
  for (const usage of profile.usage) {
    if (usage.time === undefined) continue;
    const time = (usage.time += by);
    if (time < min) min = time;
    if (time > max) max = time;
  }
  profile.minTime = min;
  profile.maxTime = max;
}

/** Groups already-collected spans by trace id into runs, largest first (see {@link TraceRuns}). */
export function buildRuns(raw: readonly RawSpan[], diagnostics: Diagnostic[], source = 'otlp'): Profile[] {
  const runs = new TraceRuns(source);
  for (const s of raw) runs.add(s);
  return runs.finish(diagnostics);
}
