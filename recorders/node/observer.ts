/**
 * A listener that hears of every span and token record as the profile file does: the
 * OpenTelemetry bridge (otel.ts) when the application enabled it. One slot, empty by default, so
 * the recorder costs nothing more when no one listens.
 */
import type { CallSite } from './callsite';
import type { SpanNode } from './context';
import type { ActiveSpan } from './span';

/** The token counts of one recorded LLM call, as the profile's `u` record has them. */
export interface UsageFacts {
  model: string;
  provider: string | undefined;
  /** All input tokens, cache reads and writes included. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
  cost: number | undefined;
}

/** What a listener is told. Implementations must never throw into the agent. */
export interface SpanObserver {
  opened(span: ActiveSpan, site: CallSite | undefined, metadata: Record<string, unknown> | undefined): void;
  attributes(span: ActiveSpan, attributes: Record<string, unknown>): void;
  closed(span: ActiveSpan): void;
  usage(span: SpanNode | undefined, usage: UsageFacts): void;
  /** Runs `fn` (the timer's body) with the span made current for the listener's own context too. */
  within<T>(span: ActiveSpan, fn: () => T): T;
}

/** The listener of this process, if any. */
export const hooks: { observer: SpanObserver | undefined } = { observer: undefined };
