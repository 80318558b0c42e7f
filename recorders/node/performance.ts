/**
 * `PerformanceProfiler`: the textbook timing API for JavaScript agents, recording a span tree
 * with ids, call sites and async-correct parents into the profile file.
 */
import { callSiteOf, type CallSite } from './callsite';
import { currentSpan, nextSpanId, spanStorage } from './context';
import { attrsJson, spanStartLine } from './lines';
import { hooks } from './observer';
import { nowNs } from './run';
import { ActiveSpan, type SpanSink, type TimingRecord } from './span';
import { writerFor, type ProfileWriter } from './writer';

/** Where a profiler writes. */
export interface ProfilerOptions {
  /** Output file; default env `AGENTPROF_OUT`, else `.agentprof/<UTC time>-<script>.agentprof.jsonl`. */
  out?: string;
  /** An explicit writer (wins over `out`). */
  writer?: ProfileWriter;
}

/** Timing totals of one category (the name up to its first `:`), in ms. */
export interface CategorySummary {
  count: number;
  total_ms: number;
  avg_ms: number;
  min_ms: number;
  max_ms: number;
}

/** Times named steps of an agent. Instances of one process share span ids and nest into each other. */
export class PerformanceProfiler implements SpanSink {
  /** Finished timers, in the order they ended. */
  readonly records: TimingRecord[] = [];
  /** The file this profiler writes to. */
  readonly writer: ProfileWriter;

  constructor(options: ProfilerOptions = {}) {
    this.writer = options.writer ?? writerFor(options.out);
  }

  /**
   * Runs `fn` inside a span named `name` and returns its result. A Promise (or thenable) result
   * ends the span when it settles and is returned as a Promise of the same value or error; a
   * thrown error is recorded and rethrown unchanged. Spans opened inside `fn`, also after
   * `await`, are its children. `fn` receives the span, to add attributes with `setAttributes`.
   */
  timer<T>(name: string, fn: (span: ActiveSpan) => T, metadata?: Record<string, unknown>): T {
    const span = this.open(name, metadata, this.wantsSite() ? callSiteOf(timerEntry) : undefined);
    const observer = hooks.observer;
    let result: T;
    try {
      result = observer === undefined ? spanStorage.run(span, fn, span) : observer.within(span, () => spanStorage.run(span, fn, span));
    } catch (error) {
      span.fail(error);
      throw error;
    }
    return settle(span, result);
  }

  /**
   * Opens a span by hand: `const span = profiler.start(name); try { … } finally { span.end(); }`.
   * Until it ends, spans opened later in the same flow are its children. Two manual spans
   * opened concurrently from one synchronous caller (async functions started together, each
   * calling `start` before its first `await`) would see each other as parent: use
   * {@link timer} there, which scopes the span to its function.
   */
  start(name: string, metadata?: Record<string, unknown>): ActiveSpan {
    const span = this.open(name, metadata, this.wantsSite() ? callSiteOf(startEntry) : undefined);
    spanStorage.enterWith(span);
    return span;
  }

  /**
   * Wraps `fn` so that every call runs in a span named `name` (the decorator form:
   * `const search = profiler.timed('tool:search', async (q) => …)`). `this` and arguments pass
   * through; the call site recorded is where `timed` was called.
   */
  timed<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
    const site = this.wantsSite() ? callSiteOf(timedEntry) : undefined;
    const profiler = this;
    const wrapper = function (this: unknown, ...args: A): R {
      const span = profiler.open(name, undefined, site);
      const observer = hooks.observer;
      let result: R;
      try {
        result = (
          observer === undefined
            ? spanStorage.run(span, Reflect.apply, fn, this, args)
            : observer.within(span, () => spanStorage.run(span, Reflect.apply, fn, this, args))
        ) as R;
      } catch (error) {
        span.fail(error);
        throw error;
      }
      return settle(span, result);
    };
    Object.defineProperty(wrapper, 'name', { value: fn.name, configurable: true });
    return wrapper;
  }

  /** Totals per category (the name up to its first `:`) over the finished records. */
  getSummary(): Record<string, CategorySummary> {
    const summary: Record<string, CategorySummary> = {};
    for (const record of this.records) {
      const colon = record.name.indexOf(':');
      const category = colon < 0 ? record.name : record.name.slice(0, colon);
      const ms = record.durationMs;
      const entry = summary[category];
      if (entry === undefined) {
        summary[category] = { count: 1, total_ms: ms, avg_ms: ms, min_ms: ms, max_ms: ms };
        continue;
      }
      entry.count += 1;
      entry.total_ms += ms;
      entry.avg_ms = entry.total_ms / entry.count;
      if (ms < entry.min_ms) entry.min_ms = ms;
      if (ms > entry.max_ms) entry.max_ms = ms;
    }
    return summary;
  }

  /** Whether anyone reads call sites: the file, or an OpenTelemetry bridge. */
  private wantsSite(): boolean {
    return this.writer.active || hooks.observer !== undefined;
  }

  // Call sites are captured in the public methods themselves: every frame the stack capture has
  // to skip costs about 0.3 µs.
  private open(name: string, metadata: Record<string, unknown> | undefined, site: CallSite | undefined): ActiveSpan {
    const parent = currentSpan() as ActiveSpan | undefined;
    const label = typeof name === 'string' ? name : nameOf(name);
    const attrs = metadata === undefined || !this.writer.active ? undefined : attrsJson(metadata);
    const at = nowNs();
    const span = new ActiveSpan(this, nextSpanId(), label, parent, metadata, at);
    if (this.writer.active) this.writer.writeStart(spanStartLine(span.id, parent?.id, label, at, site, attrs), at);
    hooks.observer?.opened(span, site, metadata);
    return span;
  }
}

// The public entry points whose caller is the call site (captureStackTrace skips up to them).
const timerEntry = PerformanceProfiler.prototype.timer;
const startEntry = PerformanceProfiler.prototype.start;
const timedEntry = PerformanceProfiler.prototype.timed;

/** Ends `span` with `result`: now, or when a thenable settles (returning a Promise of the outcome). */
function settle<T>(span: ActiveSpan, result: T): T {
  if (result instanceof Promise || isThenable(result)) {
    return (result as PromiseLike<unknown>).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        span.fail(error);
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

function nameOf(name: unknown): string {
  try {
    return String(name);
  } catch {
    return '<unnamed>';
  }
}
