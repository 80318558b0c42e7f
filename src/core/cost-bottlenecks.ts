/**
 * Cost-based bottleneck rules.
 *
 * - `expensive_operation` (the textbook's rule): an operation costing more than
 *   `thresholds.expensiveOperationUsd`; impact high. Its saving is the sum of the savings of its
 *   `cheaper_model` items, 0 (and no claim) when there is none.
 * - `cheaper_model` (a what-if): for each operation and model, the same calls priced on the first
 *   of {@link PriceBook.cheaperAlternatives} (same provider first, then cheapest), call by call.
 *   Not reported when the saving is negligible: under {@link MIN_SAVING_USD} or under
 *   {@link MIN_SAVING_SHARE} of the group's cost.
 *
 * Both point at the call site with the most cost, carry the spans of the calls, and save no time.
 */
import type { Bottleneck, Impact, Thresholds, TokenSummary } from './analysis-types';
import { MAX_BOTTLENECK_SPANS } from './bottleneck-index';
import { formatCount, formatShare, formatUsd } from './format';
import type { Profile, TokenUsage } from './model';
import type { Alternative, PriceBook } from './prices';

/** A saving below this many USD is not worth a bottleneck. */
export const MIN_SAVING_USD = 0.001;
/** A saving below this share of the current cost is not worth a bottleneck. */
export const MIN_SAVING_SHARE = 0.1;

/** One (operation, model, provider) group with its best cheaper alternative. */
interface ModelSwitch {
  operation: string;
  model: string;
  provider: string | undefined;
  usage: TokenUsage[];
  currentUsd: number;
  alternative: Alternative;
  savingUsd: number;
}

/**
 * `expensive_operation` and `cheaper_model` bottlenecks of a run. `usageCost` is the cost of each
 * usage record priced with the same `prices` (from `usageCosts`), used to find the costliest call
 * site and as the current cost of a what-if. For `cheaper_model`,
 * `value` is the current cost and `threshold` the alternative's cost.
 */
export function costBottlenecks(
  profile: Profile,
  tokens: TokenSummary,
  prices: PriceBook,
  usageCost: Float64Array,
  thresholds: Thresholds,
): Bottleneck[] {
  const book = prices.forProfile(profile);
  const byOperation = new Map<string, TokenUsage[]>();
  for (const u of profile.usage) {
    const list = byOperation.get(u.operation);
    if (list) list.push(u);
    else byOperation.set(u.operation, [u]);
  }

  const switches: ModelSwitch[] = [];
  for (const [operation, usage] of byOperation) switches.push(...modelSwitches(book, operation, usage, usageCost));

  const found: Bottleneck[] = [];
  for (const op of tokens.byOperation) {
    if (!(op.costUsd > thresholds.expensiveOperationUsd)) continue;
    const usage = byOperation.get(op.operation) ?? [];
    const own = switches.filter((s) => s.operation === op.operation).sort((a, b) => b.savingUsd - a.savingUsd);
    const savingUsd = own.reduce((sum, s) => sum + s.savingUsd, 0);
    const all = op.input + op.output;
    let suggestion =
      `"${op.operation}" cost ${formatUsd(op.costUsd)} over ${op.calls} call${op.calls === 1 ? '' : 's'} ` +
      `(limit ${formatUsd(thresholds.expensiveOperationUsd)}); input is ${formatShare(all > 0 ? op.input / all : 0)} ` +
      `of its ${formatCount(all)} tokens. Compress the prompt (drop unused context, summarize history) or use a cheaper model`;
    if (own.length > 0) {
      const top = own[0];
      suggestion +=
        `: on ${top.alternative.model} the ${top.model} calls would have cost ${formatUsd(top.alternative.costUsd)} ` +
        `instead of ${formatUsd(top.currentUsd)}` +
        (own.length > 1 ? `; switching all ${own.length} models saves ${formatUsd(savingUsd)}.` : '.');
    } else {
      suggestion += '; no model in the catalog of current models would have cost notably less for these calls.';
    }
    found.push(bottleneck('expensive_operation', op.operation, 'high', op.costUsd, thresholds.expensiveOperationUsd, savingUsd, suggestion, usage, usageCost));
  }

  for (const s of switches.sort((a, b) => b.savingUsd - a.savingUsd)) {
    const pct = s.savingUsd / s.currentUsd;
    const suggestion =
      `What if "${s.operation}" used ${s.alternative.model} (${s.alternative.provider}) instead of ${s.model}? ` +
      `The same ${s.usage.length} call${s.usage.length === 1 ? '' : 's'} would have cost ${formatUsd(s.alternative.costUsd)} ` +
      `instead of ${formatUsd(s.currentUsd)}: ${formatUsd(s.savingUsd)} (${formatShare(pct)}) less. ` +
      `Check on a few real inputs that it handles the task.`;
    found.push(
      bottleneck('cheaper_model', `${s.operation} on ${s.model}`, impactOfSaving(s.savingUsd, thresholds), s.currentUsd, s.alternative.costUsd, s.savingUsd, suggestion, s.usage, usageCost),
    );
  }
  return found;
}

/** The best non-negligible switch for each model used by one operation. */
function modelSwitches(book: PriceBook, operation: string, usage: TokenUsage[], usageCost: Float64Array): ModelSwitch[] {
  // provider → model → calls, in first-seen order; no key string built per call.
  const byModel = new Map<string, Map<string, TokenUsage[]>>();
  const groups: TokenUsage[][] = [];
  for (const u of usage) {
    const providerKey = u.provider ?? '';
    let models = byModel.get(providerKey);
    if (!models) byModel.set(providerKey, (models = new Map()));
    const list = models.get(u.model);
    if (list) list.push(u);
    else {
      const calls = [u];
      models.set(u.model, calls);
      groups.push(calls);
    }
  }
  const result: ModelSwitch[] = [];
  for (const calls of groups) {
    const { model, provider } = calls[0];
    const alternative = book.cheaperAlternatives(model, provider, calls)[0];
    if (!alternative) continue;
    // The current cost from the same book as the alternative, so the difference is like for like:
    // `usageCost` holds each call priced by `prices.forProfile(profile)`, this `book`.
    let currentUsd = 0;
    for (const u of calls) currentUsd += usageCost[u.index] ?? book.price(model, provider, u).costUsd;
    const savingUsd = currentUsd - alternative.costUsd;
    if (savingUsd < MIN_SAVING_USD || savingUsd < MIN_SAVING_SHARE * currentUsd) continue;
    result.push({ operation, model, provider, usage: calls, currentUsd, alternative, savingUsd });
  }
  return result;
}

/** Impact by the size of a dollar saving, as the time rules grade theirs: high from the expensive-operation threshold, medium from a tenth of it. */
function impactOfSaving(savingUsd: number, thresholds: Thresholds): Impact {
  const usd = thresholds.expensiveOperationUsd;
  if (savingUsd >= usd) return 'high';
  if (savingUsd >= usd / 10) return 'medium';
  return 'low';
}

function bottleneck(
  kind: Bottleneck['kind'],
  component: string,
  impact: Impact,
  value: number,
  threshold: number,
  savingsUsd: number,
  suggestion: string,
  usage: TokenUsage[],
  usageCost: Float64Array,
): Bottleneck {
  const site = costliestSite(usage, usageCost);
  const spans: number[] = [];
  const seen = new Set<number>();
  const spanIds: Array<string | number> = [];
  for (const u of usage) {
    if (u.span < 0 || seen.has(u.span)) continue;
    seen.add(u.span);
    spans.push(u.span);
    spanIds.push(u.spanId ?? u.span);
    if (spans.length === MAX_BOTTLENECK_SPANS) break;
  }
  return {
    kind,
    component,
    impact,
    metric: 'cost_usd',
    value,
    threshold,
    savingsMs: 0,
    savingsUsd,
    suggestion,
    file: site?.file,
    line: site?.line,
    spanIds,
    spans,
  };
}

/** The `file:line` of these calls with the most cost; on a tie (or all free) the one seen first. */
function costliestSite(usage: TokenUsage[], usageCost: Float64Array): { file: string; line: number } | undefined {
  const bySite = new Map<string, Map<number, { file: string; line: number; usd: number }>>();
  let best: { file: string; line: number; usd: number } | undefined;
  for (const u of usage) {
    if (u.file === undefined || u.line === undefined) continue;
    let lines = bySite.get(u.file);
    if (!lines) bySite.set(u.file, (lines = new Map()));
    let site = lines.get(u.line);
    if (!site) lines.set(u.line, (site = { file: u.file, line: u.line, usd: 0 }));
    site.usd += usageCost[u.index] ?? 0;
    if (!best || site.usd > best.usd) best = site;
  }
  return best && { file: best.file, line: best.line };
}
