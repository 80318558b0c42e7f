/**
 * The `repeated_calls` bottleneck rule: the same input (span name or usage operation plus `key`)
 * sent more than once, where a cache would serve the repeats.
 */
import type { Bottleneck } from './analysis-types';
import { heaviestSite, impactBySaving, RunIndex, spanRefs } from './bottleneck-index';
import { repeatsByKeyPair } from './repeat-groups';
import { formatMs, formatUsd } from './format';
import { Span, type TokenUsage } from './model';

/**
 * A repeat that recorded no token usage and took under this share of the first call's time was
 * evidently served from a cache already (the agent has one): it is not a saving left to make.
 */
export const ALREADY_CACHED_RATIO = 0.1;

function alreadyCached(index: RunIndex, usageInSpan: Uint32Array, span: number, firstMs: number): boolean {
  return usageInSpan[span] === 0 && index.durationMs[span] < ALREADY_CACHED_RATIO * firstMs;
}

/** Calls with the same input, merged by span name / usage operation. */
interface RepeatGroup {
  calls: number;
  repeats: number;
  distinctKeys: number;
  savingsMs: number;
  savingsUsd: number;
  spans: number[];
  usageSite: { file: string; line: number | undefined } | undefined;
}

function repeatGroup(groups: Map<string, RepeatGroup>, component: string): RepeatGroup {
  let group = groups.get(component);
  if (!group) {
    group = { calls: 0, repeats: 0, distinctKeys: 0, savingsMs: 0, savingsUsd: 0, spans: [], usageSite: undefined };
    groups.set(component, group);
  }
  return group;
}

/**
 * `repeated_calls`: spans with the same name and the same non-empty `key` (hash of the prompt or
 * tool arguments), and usage records with the same operation and `key` that are not inside a
 * keyed span (those count with their span). The first call of each key is paid; every later one
 * could be a cache hit. Savings are the repeats' own: their time on the critical path (a repeat
 * running concurrently with its original saves little wall time) and their cost from `usageCost`.
 * A keyless usage repeat saves the time of its span when the span holds only that call. Span
 * repeats the agent already served from its own cache ({@link ALREADY_CACHED_RATIO}) are left out:
 * the list shows caches still to add, not ones that work.
 */
export function repeatedCalls(index: RunIndex, usageCost?: Float64Array): Bottleneck[] {
  const { profile } = index;
  const spans = profile.spans;
  const usageInSpan = new Uint32Array(spans.length);
  for (const u of profile.usage) if (u.span >= 0 && u.span < spans.length) usageInSpan[u.span]++;

  const keyed = repeatsByKeyPair(
    spans,
    (s) => (s.key && !index.nestedInSameName[s.index] ? s.name : undefined),
    (s) => s.key as string,
  );
  const keyedUsage = repeatsByKeyPair(
    profile.usage,
    (u) => (u.key && (u.span < 0 || !spans[u.span].key) ? u.operation : undefined),
    (u) => u.key as string,
  );
  const usageIn = (repeats: ReadonlySet<number>) => profile.usage.filter((u) => u.span >= 0 && repeats.has(u.span));
  return repeatedCallsOf(index, keyed, keyedUsage, usageInSpan, usageIn, usageCost);
}

/**
 * {@link repeatedCalls} from its groupings: `keyed`, the spans sharing name and key (at least two
 * each, groups in the order of their first span, spans nested in a same-name span left out);
 * `keyedUsage`, the same of usage records outside keyed spans; the usage count of each span; and
 * `usageIn`, the usage records of a set of spans in record order. The incremental analysis keeps
 * these groupings as records arrive.
 */
export function repeatedCallsOf(
  index: RunIndex,
  keyed: Span[][],
  keyedUsage: TokenUsage[][],
  usageInSpan: Uint32Array,
  usageIn: (spans: ReadonlySet<number>) => Iterable<TokenUsage>,
  usageCost?: Float64Array,
): Bottleneck[] {
  const { profile } = index;
  const groups = new Map<string, RepeatGroup>();
  const repeatOf = new Map<number, RepeatGroup>(); // repeat span → its group, for the usage pass
  const cost = (u: number): number => (usageCost && u < usageCost.length ? usageCost[u] : 0);

  for (const calls of keyed) {
    if (calls.length < 2) continue;
    calls.sort((a, b) => a.start - b.start || a.index - b.index);
    const firstMs = index.durationMs[calls[0].index];
    const repeats = calls.slice(1).filter((r) => !alreadyCached(index, usageInSpan, r.index, firstMs));
    if (repeats.length === 0) continue;
    const group = repeatGroup(groups, calls[0].name);
    group.calls += 1 + repeats.length;
    group.repeats += repeats.length;
    group.distinctKeys++;
    group.spans.push(calls[0].index);
    for (const r of repeats) {
      group.spans.push(r.index);
      group.savingsMs += index.criticalMs[r.index];
      repeatOf.set(r.index, group);
    }
  }

  for (const u of usageIn(new Set(repeatOf.keys()))) {
    const group = u.span >= 0 ? repeatOf.get(u.span) : undefined;
    if (group) group.savingsUsd += cost(u.index);
  }

  for (const calls of keyedUsage) {
    if (calls.length < 2) continue;
    calls.sort((a, b) => (a.time ?? Infinity) - (b.time ?? Infinity) || a.index - b.index);
    const group = repeatGroup(groups, calls[0].operation);
    group.calls += calls.length;
    group.repeats += calls.length - 1;
    group.distinctKeys++;
    for (let k = 0; k < calls.length; k++) {
      const u = calls[k];
      if (u.span >= 0) group.spans.push(u.span);
      if (!group.usageSite && u.file !== undefined) group.usageSite = { file: u.file, line: u.line };
      if (k === 0) continue;
      group.savingsUsd += cost(u.index);
      if (u.span >= 0 && usageInSpan[u.span] === 1) group.savingsMs += index.criticalMs[u.span];
    }
  }

  const found: Bottleneck[] = [];
  for (const [component, g] of groups) {
    const site = heaviestSite(index, g.spans) ?? g.usageSite;
    const money = g.savingsUsd > 0 ? ` and ${formatUsd(g.savingsUsd)}` : '';
    found.push({
      kind: 'repeated_calls',
      component,
      impact: impactBySaving(index, g.savingsMs, g.savingsUsd),
      metric: 'repeated_calls',
      value: g.repeats,
      threshold: 0,
      savingsMs: g.savingsMs,
      savingsUsd: g.savingsUsd,
      suggestion:
        `${g.repeats} of ${g.calls} calls of ${component} repeat an earlier call with the same input ` +
        `(${g.distinctKeys} input${g.distinctKeys === 1 ? '' : 's'} sent more than once). Cache results by ` +
        `prompt / arguments: about ${formatMs(g.savingsMs)} of wall time${money} saved.`,
      file: site?.file,
      line: site?.line,
      ...spanRefs(profile, g.spans),
    });
  }
  return found;
}
