/**
 * Time-based bottleneck rules: the textbook's `BottleneckDetector` rules on latency, made precise
 * and given an estimated saving computed from the recorded run.
 *
 * - `slow_llm` / `slow_tool` / `many_calls` are evaluated per span **name** (`tool:web_scrape`),
 *   not per category (`tool`) as the textbook does. The category average is a count-weighted mean
 *   of its names' averages, so whenever a category is over the threshold at least one of its names
 *   is too: the name rule finds everything the category rule finds, and points at the slow one.
 * - `sequential_siblings` and `repeated_calls` live in `bottleneck-patterns.ts`.
 *
 * Savings are wall-time savings: only time on the critical path shortens a run, so every estimate
 * is limited to the critical-path time of the spans it is about.
 */
import {
  Bottleneck,
  CategoryTiming,
  CriticalSegment,
  DEFAULT_THRESHOLDS,
  NameTiming,
  SiteTiming,
  Thresholds,
} from './analysis-types';
import { CRITICAL_SHARE_HIGH, criticalTimeOf, heaviestSite, indexRun, RunIndex, spanRefs } from './bottleneck-index';
import { orderBottlenecks } from './bottleneck-order';
import { repeatedCalls, sequentialSiblings } from './bottleneck-patterns';
import type { CriticalPathNs } from './critical-path';
import { formatMs } from './format';
import type { Profile } from './model';

/** The timing tables the rules read (from `computeTiming`). */
export interface TimingTables {
  byCategory: CategoryTiming[];
  byName: NameTiming[];
  bySite: SiteTiming[];
}

/**
 * All time-based bottlenecks of a run, in the order of {@link orderBottlenecks}.
 * `repeated_calls` also carries a dollar saving; `usageCost` (cost per usage record, by usage
 * index) supplies it and may be omitted when costs are not known (the saving is then 0 USD).
 */
export function timeBottlenecks(
  profile: Profile,
  timing: TimingTables,
  critical: CriticalSegment[] | CriticalPathNs,
  thresholds: Thresholds,
  usageCost?: Float64Array,
): Bottleneck[] {
  return timeBottlenecksOf(indexRun(profile, critical, thresholds), timing, usageCost);
}

/**
 * {@link timeBottlenecks} from an already built {@link RunIndex} (the incremental analysis keeps
 * one up to date, and the groupings in `kept`).
 */
export function timeBottlenecksOf(
  index: RunIndex,
  timing: TimingTables,
  usageCost?: Float64Array,
  kept: KeptGroupings = {},
): Bottleneck[] {
  const { spansOfCategory, itemsOfName } = kept;
  const { profile, thresholds } = index;
  const found: Bottleneck[] = [];
  const categoriesWithManyCalls = new Set<string>();
  for (const row of timing.byName) {
    const items = (itemsOfName ?? nameBottlenecks)(index, row);
    for (const item of items) {
      found.push(item);
      if (item.kind === 'many_calls') categoriesWithManyCalls.add(row.category);
    }
  }
  // The textbook counts calls per category. A category over the limit none of whose names is
  // flagged (many different operations) is reported as the category itself.
  let spansByCategory: Map<string, number[]> | undefined;
  for (const row of timing.byCategory) {
    if (row.count <= thresholds.manyCalls || categoriesWithManyCalls.has(row.category)) continue;
    let spans: number[];
    if (spansOfCategory) spans = spansOfCategory(row.category);
    else {
      spansByCategory ??= groupByCategory(profile);
      spans = spansByCategory.get(row.category) ?? [];
    }
    found.push(manyCalls(index, row.category, row.count, spans));
  }
  found.push(...(kept.sequentialSiblings ? kept.sequentialSiblings() : sequentialSiblings(index)));
  found.push(...(kept.repeatedCalls ? kept.repeatedCalls() : repeatedCalls(index, usageCost)));
  return orderBottlenecks(found);
}

/** What an incremental caller keeps instead of letting {@link timeBottlenecksOf} gather it. */
export interface KeptGroupings {
  /** The spans of a category in index order (else gathered from the profile when a rule needs them). */
  spansOfCategory?: (category: string) => number[];
  /** {@link nameBottlenecks}, perhaps from a cache (for names none of whose spans changed). */
  itemsOfName?: (index: RunIndex, row: NameTiming) => Bottleneck[];
  /** `sequential_siblings` items (else {@link sequentialSiblings} of the whole run). */
  sequentialSiblings?: () => Bottleneck[];
  /** `repeated_calls` items (else {@link repeatedCalls} of the whole run). */
  repeatedCalls?: () => Bottleneck[];
}

/**
 * A name's summed duration and heaviest call site, as `many_calls` computes them from its spans;
 * an incremental caller that keeps running sums passes them instead of a scan of every span.
 */
export type NameSums = (spans: readonly number[]) => {
  totalMs: number;
  site: { file: string; line: number | undefined } | undefined;
  /** `spanRefs` of the spans. */
  refs: { spans: number[]; spanIds: Array<string | number> };
};

/** `slow_llm` / `slow_tool` and `many_calls` of one span name (its row of the timing table). */
export function nameBottlenecks(index: RunIndex, row: NameTiming, sums?: NameSums): Bottleneck[] {
  const spans = index.spansByName.get(row.name);
  if (!spans || spans.length === 0) return [];
  const thresholds = index.thresholds;
  const items: Bottleneck[] = [];
  if (isLlm(row) && row.avgMs > thresholds.slowLlmAvgMs) items.push(slowLlm(index, row, spans));
  else if (isTool(row) && row.avgMs > thresholds.slowToolAvgMs) items.push(slowTool(index, row, spans));
  if (row.count > thresholds.manyCalls) items.push(manyCalls(index, row.name, row.count, spans, sums));
  return items;
}

/** True when {@link nameBottlenecks} of this row reads the run's wall time (its impact and text do). */
export function readsWallTime(row: NameTiming, thresholds: Thresholds): boolean {
  return !(isLlm(row) && row.avgMs > thresholds.slowLlmAvgMs) && isTool(row) && row.avgMs > thresholds.slowToolAvgMs;
}

function groupByCategory(profile: Profile): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  const spans = profile.spans;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    const list = groups.get(span.category);
    if (list) list.push(span.index);
    else groups.set(span.category, [span.index]);
  }
  return groups;
}

/** The default thresholds with the given overrides applied; undefined overrides are ignored. */
export function resolveThresholds(overrides: Partial<Thresholds> | undefined): Thresholds {
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS };
  if (!overrides) return thresholds;
  for (const name of Object.keys(DEFAULT_THRESHOLDS) as Array<keyof Thresholds>) {
    const value = overrides[name];
    if (typeof value === 'number' && !Number.isNaN(value)) thresholds[name] = value;
  }
  return thresholds;
}

export { combinedSavingsMs, orderBottlenecks } from './bottleneck-order';

/** An LLM group: its category names `llm` (textbook), or its spans are LLM calls (imported spans). */
function isLlm(row: NameTiming): boolean {
  return row.category.toLowerCase().includes('llm') || row.kind === 'llm';
}

/** A tool group: its category names `tool` (textbook), or its spans are tool calls. */
function isTool(row: NameTiming): boolean {
  return row.category.toLowerCase().includes('tool') || row.kind === 'tool';
}

/**
 * Wall time saved if every call took at most `thresholdMs`: per call, the excess over the threshold,
 * but no more than that call's time on the critical path (time off the path does not shorten the
 * run). A faster model cuts the whole call; streaming cuts only the wait for the first token,
 * which the profile does not record, so the same bound is used for both and called an estimate.
 */
function excessOnCriticalPath(index: RunIndex, spans: readonly number[], thresholdMs: number): number {
  let ms = 0;
  for (const i of spans) {
    if (index.nestedInSameName[i]) continue;
    ms += Math.min(Math.max(0, index.durationMs[i] - thresholdMs), index.criticalMs[i]);
  }
  return ms;
}

function slowLlm(index: RunIndex, row: NameTiming, spans: number[]): Bottleneck {
  const threshold = index.thresholds.slowLlmAvgMs;
  const savingsMs = excessOnCriticalPath(index, spans, threshold);
  const criticalMs = criticalTimeOf(index, spans);
  const site = heaviestSite(index, spans);
  return {
    kind: 'slow_llm',
    component: row.name,
    impact: 'high',
    metric: 'avg_ms',
    value: row.avgMs,
    threshold,
    savingsMs,
    savingsUsd: 0,
    suggestion:
      `${row.name} averages ${formatMs(row.avgMs)} over ${row.count} call${row.count === 1 ? '' : 's'} ` +
      `(limit ${formatMs(threshold)}); ${formatMs(criticalMs)} of it is on the critical path. ` +
      `Use a faster or smaller model for this step, or stream the response so the next step can start ` +
      `on the first tokens. Calls of at most ${formatMs(threshold)} would save about ${formatMs(savingsMs)}.`,
    file: site?.file,
    line: site?.line,
    ...spanRefs(index.profile, spans),
  };
}

/**
 * Saving of a slow tool: per parent, the better of two fixes, as neither adds to the other.
 * Running its calls under that parent concurrently leaves only the longest one, so it saves their
 * critical time minus the longest duration; a cache (or a faster tool) bringing each call to the
 * threshold saves the excess over the threshold on the critical path.
 */
function slowToolSaving(index: RunIndex, spans: readonly number[], thresholdMs: number): number {
  const byParent = new Map<number, number[]>();
  for (const i of spans) {
    if (index.nestedInSameName[i]) continue;
    const parent = index.profile.spans[i].parent;
    const list = byParent.get(parent);
    if (list) list.push(i);
    else byParent.set(parent, [i]);
  }
  let savings = 0;
  for (const calls of byParent.values()) {
    const cached = excessOnCriticalPath(index, calls, thresholdMs);
    let parallel = 0;
    if (calls.length >= 2) {
      let critical = 0;
      let longest = 0;
      for (const i of calls) {
        critical += index.criticalMs[i];
        longest = Math.max(longest, index.durationMs[i]);
      }
      parallel = Math.max(0, critical - longest);
    }
    savings += Math.max(cached, parallel);
  }
  return savings;
}

function slowTool(index: RunIndex, row: NameTiming, spans: number[]): Bottleneck {
  const threshold = index.thresholds.slowToolAvgMs;
  const savingsMs = slowToolSaving(index, spans, threshold);
  const criticalMs = criticalTimeOf(index, spans);
  const criticalShare = index.wallMs > 0 ? criticalMs / index.wallMs : 0;
  const site = heaviestSite(index, spans);
  return {
    kind: 'slow_tool',
    component: row.name,
    impact: criticalShare >= CRITICAL_SHARE_HIGH ? 'high' : 'medium',
    metric: 'avg_ms',
    value: row.avgMs,
    threshold,
    savingsMs,
    savingsUsd: 0,
    suggestion:
      `${row.name} averages ${formatMs(row.avgMs)} over ${row.count} call${row.count === 1 ? '' : 's'} ` +
      `(limit ${formatMs(threshold)}); ${formatMs(criticalMs)} of it (${Math.round(criticalShare * 100)} % of the run) ` +
      `is on the critical path. Cache its results, or run independent calls concurrently ` +
      `(asyncio.gather / Promise.all): about ${formatMs(savingsMs)} saved.`,
    file: site?.file,
    line: site?.line,
    ...spanRefs(index.profile, spans),
  };
}

/** Sum of `values` at these indices. */
function sumOf(values: Float64Array, indices: readonly number[]): number {
  let sum = 0;
  for (let k = 0; k < indices.length; k++) sum += values[indices[k]];
  return sum;
}

/**
 * More calls of one operation than the limit: batching would cut the per-call overhead, but the
 * profile does not record that overhead (connection, queueing, prompt preamble), so no saving is
 * claimed: `savingsMs` is 0 rather than a guess.
 */
function manyCalls(index: RunIndex, component: string, count: number, spans: number[], sums?: NameSums): Bottleneck {
  const threshold = index.thresholds.manyCalls;
  const kept = sums?.(spans);
  // The sum in its own function: a loop here was compiled on the fly with no feedback for the
  // code after it, which then deoptimized on every call (--trace-deopt).
  const totalMs = kept ? kept.totalMs : sumOf(index.durationMs, spans);
  const site = kept ? kept.site : heaviestSite(index, spans);
  return {
    kind: 'many_calls',
    component,
    impact: 'medium',
    metric: 'count',
    value: count,
    threshold,
    savingsMs: 0,
    savingsUsd: 0,
    suggestion:
      `${component} ran ${count} times (limit ${threshold}), ${formatMs(totalMs)} in all. Batch the calls ` +
      `(several items per request) to pay the per-call overhead once; the profile does not measure that ` +
      `overhead, so no saving is estimated.`,
    file: site?.file,
    line: site?.line,
    ...(kept ? kept.refs : spanRefs(index.profile, spans)),
  };
}
