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
import type { Bottleneck, Impact, Thresholds, TokenStats, TokenSummary } from './analysis-types';
import { MAX_BOTTLENECK_SPANS } from './bottleneck-index';
import { formatCount, formatShare, formatUsd } from './format';
import type { Profile, TokenUsage } from './model';
import type { Alternative, PriceBook } from './prices';
import { cheaperModel } from './cheaper-model';
import type { CallGroup } from './price-sums';

// The choice of a cheaper model (and what saving is negligible) is shared with the hovers.
export { MIN_SAVING_SHARE, MIN_SAVING_USD } from './cheaper-model';

/** One (operation, model, provider) group with its best cheaper alternative. */
export interface ModelSwitch {
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
  const byOperation = usageByOperation(profile.usage);
  const switches: ModelSwitch[] = [];
  for (const [operation, usage] of byOperation) switches.push(...modelSwitches(book, operation, usage, usageCost));

  const found: Bottleneck[] = [];
  for (const op of tokens.byOperation) {
    if (!(op.costUsd > thresholds.expensiveOperationUsd)) continue;
    found.push(expensiveOperation(op, byOperation.get(op.operation) ?? [], switches, thresholds, usageCost));
  }
  for (const s of switches.sort((a, b) => b.savingUsd - a.savingUsd)) found.push(cheaperModelItem(s, thresholds, usageCost));
  return found;
}

/**
 * The usage records of each operation, in record order. An indexed loop in a function of its own:
 * inline in {@link costBottlenecks}, the loop was compiled mid-run and the code after it
 * deoptimized on every analysis (`--trace-deopt`).
 */
function usageByOperation(usage: readonly TokenUsage[]): Map<string, TokenUsage[]> {
  const byOperation = new Map<string, TokenUsage[]>();
  for (let i = 0; i < usage.length; i++) {
    const u = usage[i];
    const list = byOperation.get(u.operation);
    if (list) list.push(u);
    else byOperation.set(u.operation, [u]);
  }
  return byOperation;
}

/**
 * The `expensive_operation` item of one operation over the threshold: `usage` are its calls in
 * record order, `switches` the model switches of the run (its own are picked out).
 */
export function expensiveOperation(
  op: TokenStats & { operation: string },
  usage: TokenUsage[],
  switches: readonly ModelSwitch[],
  thresholds: Thresholds,
  usageCost: Float64Array,
  refs?: UsageRefs,
): Bottleneck {
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
  return bottleneck('expensive_operation', op.operation, 'high', op.costUsd, thresholds.expensiveOperationUsd, savingUsd, suggestion, usage, usageCost, refs);
}

/**
 * `llm:research on gpt-4o`; just the operation when it names the model already (OpenTelemetry
 * GenAI spans are called `chat gpt-4o`: "chat gpt-4o on gpt-4o" said it twice).
 */
export function modelComponent(operation: string, model: string): string {
  const words = operation.split(/[\s:]+/);
  return words.includes(model) ? operation : `${operation} on ${model}`;
}

/** The `cheaper_model` item of one model switch. */
export function cheaperModelItem(s: ModelSwitch, thresholds: Thresholds, usageCost: Float64Array, refs?: UsageRefs): Bottleneck {
  const pct = s.savingUsd / s.currentUsd;
  const suggestion =
    `What if "${s.operation}" used ${s.alternative.model} (${s.alternative.provider}) instead of ${s.model}? ` +
    `The same ${s.usage.length} call${s.usage.length === 1 ? '' : 's'} would have cost ${formatUsd(s.alternative.costUsd)} ` +
    `instead of ${formatUsd(s.currentUsd)}: ${formatUsd(s.savingUsd)} (${formatShare(pct)}) less. ` +
    `Check on a few real inputs that it handles the task.`;
  return bottleneck('cheaper_model', modelComponent(s.operation, s.model), impactOfSaving(s.savingUsd, thresholds), s.currentUsd, s.alternative.costUsd, s.savingUsd, suggestion, s.usage, usageCost, refs);
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
    const found = modelSwitchOf(book, operation, calls, usageCost);
    if (found) result.push(found);
  }
  return result;
}

/**
 * The best non-negligible switch for the calls of one operation on one model (all `calls` share
 * model and provider), or undefined. `group` may be a {@link CallGroup} of the same calls that
 * grows with them (the incremental analysis keeps one), so their token sums are not summed again.
 */
export function modelSwitchOf(
  book: PriceBook,
  operation: string,
  calls: TokenUsage[],
  usageCost: Float64Array,
  group?: CallGroup,
  keptUsd?: number,
): ModelSwitch | undefined {
  const { model, provider } = calls[0];
  // The current cost from the same book as the alternative, so the difference is like for like:
  // `usageCost` holds each call priced by `prices.forProfile(profile)`, this `book`. `keptUsd`:
  // the same sum (in call order) kept by an incremental caller as calls are appended.
  let currentUsd = 0;
  if (keptUsd !== undefined) currentUsd = keptUsd;
  else for (const u of calls) currentUsd += usageCost[u.index] ?? book.price(model, provider, u).costUsd;
  const choice = cheaperModel(book, model, provider, group ?? calls, currentUsd);
  if (!choice) return undefined;
  return { operation, model, provider, usage: calls, currentUsd, alternative: choice.alternative, savingUsd: choice.savingUsd };
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
  refs?: UsageRefs,
): Bottleneck {
  if (!refs) {
    refs = new UsageRefs();
    refs.add(usage, usageCost);
  }
  const site = refs.site();
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
    spanIds: refs.spanIds.slice(),
    spans: refs.spans.slice(),
  };
}

/**
 * What a cost item points at, gathered call by call in record order (so a group that only grows
 * is fed its new calls only): the `file:line` with the most cost — on a tie (or all free) the
 * one seen first — and the first {@link MAX_BOTTLENECK_SPANS} spans of the calls.
 */
export class UsageRefs {
  readonly spans: number[] = [];
  readonly spanIds: Array<string | number> = [];
  private readonly seen = new Set<number>();
  private readonly bySite = new Map<string, Map<number, { file: string; line: number; usd: number }>>();
  private best: { file: string; line: number; usd: number } | undefined;

  add(usage: readonly TokenUsage[], usageCost: Float64Array): void {
    for (const u of usage) {
      if (u.span >= 0 && this.spans.length < MAX_BOTTLENECK_SPANS && !this.seen.has(u.span)) {
        this.seen.add(u.span);
        this.spans.push(u.span);
        this.spanIds.push(u.spanId ?? u.span);
      }
      if (u.file === undefined || u.line === undefined) continue;
      let lines = this.bySite.get(u.file);
      if (!lines) this.bySite.set(u.file, (lines = new Map()));
      let site = lines.get(u.line);
      if (!site) lines.set(u.line, (site = { file: u.file, line: u.line, usd: 0 }));
      site.usd += usageCost[u.index] ?? 0;
      if (!this.best || site.usd > this.best.usd) this.best = site;
    }
  }

  site(): { file: string; line: number } | undefined {
    return this.best && { file: this.best.file, line: this.best.line };
  }
}
