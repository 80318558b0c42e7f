/**
 * Which span is "current" for the code running now, followed through `await`, callbacks and
 * timers by `AsyncLocalStorage`. Concurrent children (`Promise.all`) each see the span that
 * enclosed their start, never each other: unlike one global "current parent", the store belongs
 * to the asynchronous flow.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What the context needs of a span. */
export interface SpanNode {
  readonly id: number;
  readonly parentSpan: SpanNode | undefined;
  readonly ended: boolean;
}

/** One store for the whole process, so spans of different profiler instances nest. */
export const spanStorage = new AsyncLocalStorage<SpanNode | undefined>();

/**
 * The innermost open span of the current flow. Ended spans are skipped: a manual span
 * (`start()`) is entered with `enterWith`, which can outlive it in a caller's flow.
 */
export function currentSpan(): SpanNode | undefined {
  let span = spanStorage.getStore();
  while (span !== undefined && span.ended) span = span.parentSpan;
  return span;
}

let lastSpanId = 0;

/** Span ids: one counter per process, so ids are unique in every file of the process. */
export function nextSpanId(): number {
  return ++lastSpanId;
}
