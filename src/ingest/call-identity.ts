/**
 * One LLM call is counted once. Instrumentations nest: a framework's operation (the Vercel AI
 * SDK's `ai.generateText`), an instrumentation's span (OpenLLMetry's `chat …`) and the SDK's own
 * span can all carry usage for the same call, or a wrapper can carry the sum of the calls inside
 * it. The rule: of the spans on one ancestor chain that carry usage, only the innermost count;
 * a span with usage that has a descendant with usage is a wrapper. The AI SDK's outer operations
 * are wrappers by definition (their `ai.usage.*` is the sum of their steps), even when their
 * calls' spans are missing. Wrappers are marked in their attributes (shown in details) and add
 * nothing. Within the counted calls, an undated model name and its dated snapshot (`gpt-4o-mini`,
 * `gpt-4o-mini-2024-07-18`) are one model, under the dated name. See docs/conventions.md.
 */
import type { ProfileBuilder, UsageInput } from '../core/builder';

/** Attribute set on a span whose usage was not counted, saying why. */
export const USAGE_ROLE_ATTR = 'agentprof.usage';

/** Usage read from a span, waiting for the tree to be known. */
export interface PendingUsage {
  /** Span index in the run. */
  span: number;
  /** The record to add; `time` is filled from `end` when placed. */
  input: UsageInput;
  /** The span's end as in the file (absolute ns), or undefined when open. */
  end: bigint | undefined;
  line: number;
  wrapperOperation: boolean;
}

/**
 * Adds the counted records of `pending` to the builder's run and marks the wrappers. `base` is
 * the absolute time the run's times are relative to. Linear: each ancestor chain is climbed
 * only until a span already known to have usage below it.
 */
export function settleUsage(builder: ProfileBuilder, pending: readonly PendingUsage[], base: bigint): void {
  const profile = builder.profile;
  const spans = profile.spans;
  const below = new Uint8Array(spans.length);
  for (const p of pending) {
    for (let a = spans[p.span].parent; a >= 0 && !below[a]; a = spans[a].parent) below[a] = 1;
  }
  const counted = pending.filter((p) => !p.wrapperOperation && !below[p.span]);
  const dated = datedNames(counted.map((p) => p.input.model));
  for (const p of pending) {
    const span = spans[p.span];
    if (p.wrapperOperation || below[p.span]) {
      if (span.attrs) {
        span.attrs[USAGE_ROLE_ATTR] = p.wrapperOperation
          ? 'wrapper: a framework total of the calls inside it; not counted'
          : 'wrapper: the calls inside it carry this usage; not counted';
      }
      continue;
    }
    const time = p.end === undefined ? undefined : Number(p.end - base);
    const model = p.input.model === undefined ? undefined : dated.get(p.input.model) ?? p.input.model;
    builder.addUsage({ ...p.input, model, time }, p.line);
    // The builder notes times in the frame it started with; after a shift the run's minimum is kept here.
    if (time !== undefined && time < profile.minTime) profile.minTime = time;
  }
}

/** A model snapshot date at the end of a name: `-20250929` or `-2024-07-18`. */
const DATE_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;

/**
 * Undated model names → the dated name of the same model, when the trace has both
 * (`gpt-4o-mini` asked for, `gpt-4o-mini-2024-07-18` answered): one model in the tables, priced
 * by the dated snapshot. A name with two dated forms stays as it is.
 */
export function datedNames(models: ReadonlyArray<string | undefined>): Map<string, string> {
  const byBase = new Map<string, string | null>();
  for (const m of models) {
    if (m === undefined) continue;
    const match = DATE_SUFFIX.exec(m);
    if (!match) continue;
    const base = m.slice(0, match.index);
    const seen = byBase.get(base);
    byBase.set(base, seen === undefined || seen === m ? m : null);
  }
  const out = new Map<string, string>();
  for (const m of models) {
    if (m === undefined || DATE_SUFFIX.test(m)) continue;
    const d = byBase.get(m);
    if (d) out.set(m, d);
  }
  return out;
}
