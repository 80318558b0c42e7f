/**
 * Which LLM calls a run's cost covers. An LLM call is a usage record (counted: wrappers that
 * repeat a call's usage were left out by the importer), or an `llm` span without usage that is
 * the innermost LLM span of its chain and sits under no span with usage — a call that failed
 * before the provider answered, or one the instrumentation recorded without counts — unless it
 * says it was answered from the agent's own cache. The cost
 * covers the calls with usage on a priced model; the rest are named, so a total is never
 * silently partial.
 */
import type { CostCoverage } from './analysis-types';
import type { Profile } from './model';

/** At most this many span ids of calls without usage are listed. */
export const MAX_LISTED_CALLS = 100;

/** Indices of the `llm` spans of `profile` (one pass over the spans). */
export function llmSpansOf(profile: Profile): number[] {
  const out: number[] = [];
  const spans = profile.spans;
  for (let i = 0; i < spans.length; i++) if (spans[i].kind === 'llm') out.push(i);
  return out;
}

/**
 * An `llm` span that says its answer came from the agent's own response cache (`cache="hit"` or
 * `cache_hit=True` in the timer's metadata): no provider was called, so it is no call the cost
 * leaves out.
 */
function cachedResponse(attrs: Record<string, unknown> | undefined): boolean {
  return attrs !== undefined && (attrs.cache === 'hit' || attrs.cache_hit === true);
}

/**
 * The calls of `profile` and what the cost covers. `priced` says, by usage index, whether the
 * call's model has a price (see `priceUsage`); `llm` lists the `llm` spans (the live analysis
 * keeps the list as spans arrive; by default the spans are scanned). Work and memory are in the
 * LLM spans and usage records and their ancestors, not in the run's size: each ancestor chain is
 * climbed once, memoised.
 */
export function costCoverage(profile: Profile, priced: Uint8Array, llm: readonly number[] = llmSpansOf(profile)): CostCoverage {
  const spans = profile.spans;
  const n = spans.length;
  // Spans that carry usage, and spans with an llm span or usage below them.
  const own = new Set<number>();
  const below = new Set<number>();
  let calls = 0;
  let covered = 0;
  const unpriced = new Set<string>();
  const markAncestors = (i: number) => {
    for (let a = spans[i].parent; a >= 0 && !below.has(a); a = spans[a].parent) below.add(a);
  };
  for (const u of profile.usage) {
    calls++;
    if (priced[u.index] === 1) covered++;
    else unpriced.add(u.model);
    if (u.span >= 0 && u.span < n && !own.has(u.span)) {
      own.add(u.span);
      markAncestors(u.span);
    }
  }
  for (const i of llm) markAncestors(i);
  // Whether a span or one of its ancestors carries usage, memoised up the chain.
  const covering = new Map<number, boolean>();
  const chain: number[] = [];
  const underUsage = (i: number): boolean => {
    chain.length = 0;
    let a = i;
    while (a >= 0 && !covering.has(a) && !own.has(a)) {
      chain.push(a);
      a = spans[a].parent;
    }
    const state = a >= 0 && (own.has(a) || covering.get(a) === true);
    for (const c of chain) covering.set(c, state);
    return state;
  };
  const noUsage: Array<string | number> = [];
  let noUsageCount = 0;
  let failed = 0;
  for (const i of llm) {
    if (own.has(i) || below.has(i) || underUsage(i) || cachedResponse(spans[i].attrs)) continue;
    calls++;
    noUsageCount++;
    if (spans[i].status === 'error') failed++;
    if (noUsage.length < MAX_LISTED_CALLS) noUsage.push(spans[i].id);
  }
  return {
    calls,
    covered,
    noUsage: noUsageCount,
    noUsageFailed: failed,
    noUsageSpanIds: noUsage,
    unpricedCalls: profile.usage.length - covered,
    unpricedModels: [...unpriced].sort(),
  };
}

/**
 * "cost covers 3 of 4 LLM calls; 1 has no usage (span 9f2c…); 0 unpriced models": one line that
 * says what a total leaves out. At most `maxIds` span ids are named.
 */
export function coverageText(c: CostCoverage, maxIds = 3): string {
  const ids = c.noUsageSpanIds.slice(0, maxIds).map(String);
  const more = c.noUsage > ids.length ? `, +${c.noUsage - ids.length} more` : '';
  const which = c.noUsage ? ` (span${c.noUsage === 1 ? '' : 's'} ${ids.join(', ')}${more})` : '';
  const failed = c.noUsageFailed ? `, ${c.noUsageFailed} failed` : '';
  const models = c.unpricedModels.length;
  return (
    `cost covers ${c.covered} of ${c.calls} LLM call${c.calls === 1 ? '' : 's'}; ` +
    `${c.noUsage} ${c.noUsage === 1 ? 'has' : 'have'} no usage${which}${failed}; ` +
    `${models} unpriced model${models === 1 ? '' : 's'}${models ? ` (${c.unpricedModels.join(', ')})` : ''}`
  );
}

/** True when the cost covers every call. */
export function coverageComplete(c: CostCoverage): boolean {
  return c.covered === c.calls;
}
