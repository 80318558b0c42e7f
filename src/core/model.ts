/**
 * The one in-memory data model of a profiled agent run.
 *
 * Every importer (native JSON Lines, OTLP, Chrome trace, …) fills a {@link Profile} through
 * {@link ProfileBuilder}; every analyzer reads it. Pure: no `vscode`, no `fs`.
 *
 * Times are integer nanoseconds relative to the run's start (`RunInfo.startEpochNs`). Relative
 * nanoseconds stay exact in a double for ~104 days, which absolute epoch nanoseconds would not.
 */

/** What kind of work a span is; drives colours, bottleneck rules and categories of imported spans. */
export type SpanKind = 'llm' | 'tool' | 'memory' | 'retrieval' | 'agent' | 'other';

/** A span id as written in the file: our recorders write integers, importers write strings. */
export type SpanId = number | string;

/** One timed step of the run. */
export interface Span {
  /** Dense index of this span in `Profile.spans`. */
  readonly index: number;
  /** The id from the file. Not unique when the file repeats ids (a diagnostic says so). */
  readonly id: SpanId;
  /** Parent id from the file, or undefined for a top-level span. */
  readonly parentId: SpanId | undefined;
  /** Index of the parent span, or -1 when top-level or the parent is (still) missing. */
  parent: number;
  /** Child indices in arrival order; undefined when the span has no children (most spans). */
  children: number[] | undefined;
  /**
   * The name the analysis groups by: the name as written, or its template when it differs only in
   * numbers or ids (`step_{n}:llm_call`; name-templates.ts), unless grouping is switched off.
   */
  name: string;
  /** The name as written when {@link name} is its template; undefined when they are the same. */
  instance: string | undefined;
  /** The part of the name before the first `:`, or the operation kind for imported spans. */
  category: string;
  kind: SpanKind;
  /** Start, ns since run start. */
  start: number;
  /** End, ns since run start; NaN while the span is open (unfinished). */
  end: number;
  status: 'ok' | 'error';
  /** Error message when status is error. */
  error: string | undefined;
  /** Call site: file relative to the run's cwd (or as the importer found it), 1-based line. */
  file: string | undefined;
  line: number | undefined;
  /** Thread name and asyncio task / async context, when recorded. */
  thread: string | undefined;
  task: string | undefined;
  /** Hash of the prompt or tool arguments, when the recorder saw one; equal keys = cacheable repeat. */
  key: string | undefined;
  /** Free attributes (the `**metadata` of `timer(name, **metadata)`). Null-prototype object. */
  attrs: Record<string, unknown> | undefined;
  /** 1-based line of the profile file (or record number) where the span started, for diagnostics. */
  sourceLine: number;
  /** True when the parent id names a span that never appeared (shown at the top level, flagged). */
  orphan: boolean;
}

/** Token usage of one LLM call. `input` includes `cacheRead` and `cacheWrite` (OTel GenAI rule). */
export interface TokenUsage {
  readonly index: number;
  /** Index of the span the call happened in, or -1. */
  span: number;
  spanId: SpanId | undefined;
  operation: string;
  model: string;
  provider: string | undefined;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Reasoning tokens; a part of `output`, priced at the output rate. */
  reasoning: number;
  /** Cost in USD as reported by the provider, when the recorder got one. */
  reportedCostUsd: number | undefined;
  /** ns since run start, when recorded. */
  time: number | undefined;
  file: string | undefined;
  line: number | undefined;
  /** Prompt hash, for cache detection. */
  key: string | undefined;
  attrs: Record<string, unknown> | undefined;
  sourceLine: number;
}

/** A limit recorded in the profile (or read from `agentprof.budgets.json`). */
export interface Budget {
  /** Category (`llm`), operation prefix, or call site `file:line`. */
  target: string;
  maxTokens: number | undefined;
  maxCostUsd: number | undefined;
  maxMs: number | undefined;
  source: 'profile' | 'workspace' | 'settings';
}

/** The run header. */
export interface RunInfo {
  name: string;
  /** Absolute start as epoch nanoseconds (decimal string: does not fit a double). */
  startEpochNs: string;
  pid: number | undefined;
  argv: string[];
  cwd: string | undefined;
  formatVersion: number;
  recorder: string | undefined;
  /** Where the run came from: `agentprof`, `otlp`, `chrome`, … */
  source: string;
  /** Set when the recorder wrote its end record. */
  endedAt: number | undefined;
  exitStatus: 'ok' | 'error' | undefined;
  exitError: string | undefined;
  /** The trace id of a run read from OpenTelemetry (one run per trace), hex. */
  traceId?: string;
  /** The session or conversation the run belongs to (`session.id`, `gen_ai.conversation.id`), when a span says. */
  sessionId?: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found while reading a profile. Errors are values, never thrown strings. */
export interface Diagnostic {
  /** 1-based line in the profile file; 0 when it concerns the whole file. */
  line: number;
  severity: Severity;
  message: string;
}

/** A parsed run. Importers fill it through {@link ProfileBuilder}. */
export interface Profile {
  run: RunInfo;
  spans: Span[];
  usage: TokenUsage[];
  budgets: Budget[];
  diagnostics: Diagnostic[];
  /** Largest time seen anywhere in the run (ns); end of open spans when the run has no end. */
  maxTime: number;
  /** Smallest start time seen (ns); usually 0. */
  minTime: number;
}

/**
 * Attribute that keeps a span's name as the file gave it, when the importer replaced it with a
 * recognisable one (`chat gpt-4o-mini` for `ai.generateText.doGenerate`): shown in details, searchable.
 */
export const ORIGINAL_NAME_ATTR = 'agentprof.original_name';

/** Category of a span name, as agent authors are used to: text before the first `:`. */
export function categoryOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(0, colon);
}

/** The name of one span as written (its instance name), for views of single spans. */
export function spanLabel(span: Span): string {
  return span.instance ?? span.name;
}

/**
 * True when a span's name starts with `prefix`, as written or as grouped: a budget on `step_3`
 * still finds `step_3:llm_call`, and one on `step_{n}` finds every step.
 */
export function namedWith(span: Span, prefix: string): boolean {
  return span.name.startsWith(prefix) || (span.instance !== undefined && span.instance.startsWith(prefix));
}

/** Kind of a span from its category or name, when the importer has nothing better. */
export function kindOfName(name: string): SpanKind {
  const lower = name.toLowerCase();
  if (lower.includes('llm') || lower.includes('chat') || lower.includes('completion')) return 'llm';
  if (lower.includes('tool')) return 'tool';
  if (lower.includes('memory') || lower.includes('cache')) return 'memory';
  if (lower.includes('retriev') || lower.includes('search') || lower.includes('embed')) return 'retrieval';
  if (lower.includes('agent') || lower.includes('plan')) return 'agent';
  return 'other';
}

/** Effective end of a span: its end, or the run's last time while it is open. */
export function spanEnd(profile: Profile, span: Span): number {
  return span.end === span.end ? span.end : Math.max(profile.maxTime, span.start);
}

/** True when the span never closed. */
export function isOpen(span: Span): boolean {
  return span.end !== span.end;
}

/** Wall time of the run in ns: from the earliest start to the latest time seen. */
export function wallTime(profile: Profile): number {
  return profile.spans.length === 0 && profile.usage.length === 0 ? 0 : Math.max(0, profile.maxTime - profile.minTime);
}

export function emptyRun(source: string): RunInfo {
  return {
    name: 'run',
    startEpochNs: '0',
    pid: undefined,
    argv: [],
    cwd: undefined,
    formatVersion: 1,
    recorder: undefined,
    source,
    endedAt: undefined,
    exitStatus: undefined,
    exitError: undefined,
  };
}

export function emptyProfile(source = 'agentprof'): Profile {
  return { run: emptyRun(source), spans: [], usage: [], budgets: [], diagnostics: [], maxTime: 0, minTime: Infinity };
}
