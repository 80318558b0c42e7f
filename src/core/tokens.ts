/**
 * Token use and cost of a run: totals and the three views agent authors ask for (by operation, by
 * model, by call site), priced with a {@link PriceBook} at the run's start. The textbook's
 * `TokenProfiler.get_summary()`, with real dated prices, cache and reasoning tokens, unpriced
 * models counted apart, and the provider-reported cost beside the computed one.
 */
import type { TokenStats, TokenSummary } from './analysis-types';
import type { Profile, TokenUsage } from './model';
import type { PriceBook } from './prices';

/** Cost of every usage record (by usage index) and whether it was priced. */
export interface UsagePricing {
  /** USD; 0 for unpriced calls. */
  cost: Float64Array;
  /** 1 when the call's model has a price. */
  priced: Uint8Array;
}

/** Prices every usage record at the run's start (see {@link PriceBook.forProfile}). */
/** Unpriced model names listed at most; a hostile profile can hold a million. */
export const MAX_UNPRICED_LISTED = 100;

/**
 * The unpriced model names to list: sorted, at most {@link MAX_UNPRICED_LISTED} (the first ones
 * met), then one entry `… and N more`.
 */
export function unpricedList(names: ReadonlySet<string>): string[] {
  if (names.size <= MAX_UNPRICED_LISTED) return [...names].sort();
  const shown: string[] = [];
  for (const name of names) {
    if (shown.length === MAX_UNPRICED_LISTED) break;
    shown.push(name);
  }
  return [...shown.sort(), `… and ${names.size - MAX_UNPRICED_LISTED} more`];
}

export function priceUsage(profile: Profile, prices: PriceBook): UsagePricing {
  const book = prices.forProfile(profile);
  const n = profile.usage.length;
  const cost = new Float64Array(n);
  const priced = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = profile.usage[i];
    const p = book.price(u.model, u.provider, u);
    cost[i] = p.costUsd;
    priced[i] = p.priced ? 1 : 0;
  }
  return { cost, priced };
}

/** Cost of every usage record in USD, by usage index; 0 for unpriced calls. */
export function usageCosts(profile: Profile, prices: PriceBook): Float64Array {
  return priceUsage(profile, prices).cost;
}

/**
 * Totals and the views by operation, by model (+ provider) and by call site (`file:line` of the
 * usage record; records without one are in no site row). Each view is sorted by cost, then by
 * total tokens (input + output), both descending, then by name. Pass `pricing` when the usage is
 * already priced, to price it once.
 */
export function computeTokens(profile: Profile, prices: PriceBook, pricing?: UsagePricing): TokenSummary {
  const { cost, priced } = pricing ?? priceUsage(profile, prices);
  const total = emptyStats();
  const byOperation = new Map<string, TokenStats & { operation: string }>();
  type ModelRow = TokenStats & { model: string; provider: string | undefined; priced: boolean };
  type SiteRow = TokenStats & { file: string; line: number };
  // Two map levels (provider → model, file → line): no key string is built per record.
  const byModel = new Map<string, Map<string, ModelRow>>();
  const bySite = new Map<string, Map<number, SiteRow>>();
  const modelRows: ModelRow[] = [];
  const siteRows: SiteRow[] = [];
  const unpricedModels = new Set<string>();

  for (const u of profile.usage) {
    const c = cost[u.index];
    const isPriced = priced[u.index] === 1;
    if (!isPriced) unpricedModels.add(u.model);
    add(total, u, c, isPriced);

    let op = byOperation.get(u.operation);
    if (!op) byOperation.set(u.operation, (op = { operation: u.operation, ...emptyStats() }));
    add(op, u, c, isPriced);

    // An empty provider and none are one group, as the table shows them alike.
    const providerKey = u.provider ?? '';
    let models = byModel.get(providerKey);
    if (!models) byModel.set(providerKey, (models = new Map()));
    let model = models.get(u.model);
    if (!model) {
      models.set(u.model, (model = { model: u.model, provider: u.provider, priced: true, ...emptyStats() }));
      modelRows.push(model);
    }
    add(model, u, c, isPriced);
    if (!isPriced) model.priced = false;

    if (u.file !== undefined && u.line !== undefined) {
      let lines = bySite.get(u.file);
      if (!lines) bySite.set(u.file, (lines = new Map()));
      let site = lines.get(u.line);
      if (!site) {
        lines.set(u.line, (site = { file: u.file, line: u.line, ...emptyStats() }));
        siteRows.push(site);
      }
      add(site, u, c, isPriced);
    }
  }

  return {
    ...total,
    unpricedModels: unpricedList(unpricedModels),
    byOperation: sortByCost([...byOperation.values()], operationKey),
    byModel: sortByCost(modelRows, modelKey),
    bySite: sortByCost(siteRows, siteKey),
    priceSource: prices.forProfile(profile).source,
  };
}

/** Input plus output tokens (input already includes cache reads and writes; output includes reasoning). */
export function totalTokens(t: { input: number; output: number }): number {
  return t.input + t.output;
}

/** A {@link TokenStats} with nothing counted. */
export function emptyStats(): TokenStats {
  return {
    calls: 0,
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    reasoning: 0,
    costUsd: 0,
    reportedCostUsd: undefined,
    unpricedCalls: 0,
  };
}

/** Counts one usage record of cost `cost` into `stats`. */
export function add(stats: TokenStats, u: TokenUsage, cost: number, priced: boolean): void {
  stats.calls++;
  stats.input += u.input;
  stats.output += u.output;
  stats.cacheRead += u.cacheRead;
  stats.cacheWrite += u.cacheWrite;
  stats.reasoning += u.reasoning;
  stats.costUsd += cost;
  if (!priced) stats.unpricedCalls++;
  if (u.reportedCostUsd !== undefined) stats.reportedCostUsd = (stats.reportedCostUsd ?? 0) + u.reportedCostUsd;
}

function sortByCost<T extends TokenStats>(rows: T[], name: (row: T) => string): T[] {
  return rows.sort(byCost(name));
}

/** The order of the token views: cost, then total tokens (both descending), then name. */
export function byCost<T extends TokenStats>(name: (row: T) => string): (a: T, b: T) => number {
  return (a, b) => b.costUsd - a.costUsd || totalTokens(b) - totalTokens(a) || compare(name(a), name(b));
}

/** Sort keys of the three token views. */
export const operationKey = (r: { operation: string }): string => r.operation;
export const modelKey = (r: { model: string; provider: string | undefined }): string => `${r.model}\u0000${r.provider ?? ''}`;
export const siteKey = (r: { file: string; line: number }): string => `${r.file}\u0000${String(r.line).padStart(10, '0')}`;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
