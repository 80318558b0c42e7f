/**
 * One timed step: the handle `start()` returns and the record `records` keeps. One object plays
 * both parts, so a span costs a single allocation.
 */
import { spanStorage, type SpanNode } from './context';
import { attrsJson, describeError, spanEndLine } from './lines';
import { hooks } from './observer';
import { nowNs, perfMsOf } from './run';
import type { ProfileWriter } from './writer';

/** A finished timer, as the textbook's timing record (times in `performance.now()` ms). */
export interface TimingRecord {
  /** Span id in the profile file. */
  readonly id: number;
  readonly name: string;
  /** `performance.now()` at the start, ms. */
  readonly startTime: number;
  /** `performance.now()` at the end, ms; NaN while the span is open. */
  readonly endTime: number;
  /** Name of the enclosing span, or null at the top level. */
  readonly parent: string | null;
  /** Id of the enclosing span, or null at the top level (names repeat; ids do not). */
  readonly parentId: number | null;
  /** The metadata given at the start, plus attributes set while it ran. */
  readonly metadata: Record<string, unknown>;
  /** `Type: message` when the span failed. */
  readonly error: string | undefined;
  /** endTime − startTime in ms; 0 while open. */
  readonly durationMs: number;
}

/** Where a span reports its end: the profiler's records and file. */
export interface SpanSink {
  readonly writer: ProfileWriter;
  readonly records: TimingRecord[];
}

/** An open span. End it exactly once with {@link end} or {@link fail}; later calls are ignored. */
export class ActiveSpan implements TimingRecord, SpanNode {
  ended = false;
  error: string | undefined = undefined;
  /** @internal End, ns since the run start; NaN while open. */
  endNs = NaN;
  private lateAttributes: Record<string, unknown> | undefined = undefined;

  /** @internal Spans are made by a profiler's `timer`, `start` or `timed`. */
  constructor(
    private readonly sink: SpanSink,
    readonly id: number,
    readonly name: string,
    readonly parentSpan: ActiveSpan | undefined,
    private givenMetadata: Record<string, unknown> | undefined,
    /** @internal Start, ns since the run start. */
    readonly startNs: number,
  ) {}

  get metadata(): Record<string, unknown> {
    // allocated on first read: most records are never asked
    return (this.givenMetadata ??= {});
  }

  get startTime(): number {
    return perfMsOf(this.startNs);
  }

  get endTime(): number {
    return perfMsOf(this.endNs);
  }

  get durationMs(): number {
    return this.ended ? (this.endNs - this.startNs) / 1e6 : 0;
  }

  get parent(): string | null {
    return this.parentSpan === undefined ? null : this.parentSpan.name;
  }

  get parentId(): number | null {
    return this.parentSpan === undefined ? null : this.parentSpan.id;
  }

  /** Adds attributes known only while the span runs (result sizes, status codes); written at its end. */
  setAttributes(attributes: Record<string, unknown>): void {
    if (this.ended || attributes === null || typeof attributes !== 'object') return;
    this.lateAttributes = { ...this.lateAttributes, ...attributes };
    this.givenMetadata = { ...this.givenMetadata, ...attributes }; // a copy: the caller's object stays as given
    hooks.observer?.attributes(this, attributes);
  }

  /** Ends the span normally. */
  end(attributes?: Record<string, unknown>): void {
    this.finish(undefined, attributes);
  }

  /** Ends the span as failed with `error` (its type and message are recorded). Does not throw it. */
  fail(error: unknown, attributes?: Record<string, unknown>): void {
    if (!this.ended) this.finish(describeError(error), attributes);
  }

  private finish(error: string | undefined, attributes: Record<string, unknown> | undefined): void {
    if (this.ended) return;
    const at = nowNs();
    if (attributes !== undefined) this.setAttributes(attributes);
    this.ended = true;
    this.endNs = at;
    this.error = error;
    // A manual span made itself current with enterWith; hand the flow back to its parent.
    if (spanStorage.getStore() === this) spanStorage.enterWith(this.parentSpan);
    this.sink.records.push(this);
    hooks.observer?.closed(this);
    const late = this.lateAttributes === undefined ? undefined : attrsJson(this.lateAttributes);
    this.sink.writer.write(spanEndLine(this.id, at, error, late));
  }
}
