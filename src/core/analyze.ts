/**
 * `analyze()`: runs every analyzer once over a profile and assembles the {@link Analysis} that the
 * CLI, the tree view, the code lenses, the hovers and the benchmarks read.
 */
import type { Analysis, RunSummary, SiteTiming, Thresholds, TokenSummary } from './analysis-types';
import { orderBottlenecks, resolveThresholds, timeBottlenecks } from './bottlenecks';
import { evaluateBudgets } from './budgets';
import { costBottlenecks } from './cost-bottlenecks';
import { criticalPath } from './critical-path';
import { Budget, isOpen, Profile, Span, wallTime } from './model';
import { PriceBook } from './prices';
import { optimizationSuggestions } from './suggestions';
import { computeTiming } from './timing';
import { computeTokens, priceUsage } from './tokens';
import { SiteUsageTotals } from './site-usage';
import { shareSpanTables } from './tree-order';

export interface AnalyzeOptions {
  /** Overrides of the rule thresholds; missing (or undefined) fields keep the defaults. */
  thresholds?: Partial<Thresholds>;
  /** Prices to use; a default {@link PriceBook} (bundled prices, no overrides) otherwise. */
  prices?: PriceBook;
  /** Workspace / settings budgets, evaluated in addition to the budgets recorded in the profile. */
  budgets?: Budget[];
}

/**
 * Analyzes one run: timing, critical path, tokens and cost, budgets, suggestions and bottlenecks.
 * Each analyzer runs once; later steps reuse earlier results (the usage costs priced once feed
 * budgets and cost bottlenecks). Bottlenecks of both families are ordered together by
 * {@link orderBottlenecks}. Never throws on odd input: problems are in `diagnostics`.
 */
export function analyze(profile: Profile, options: AnalyzeOptions = {}): Analysis {
  // Timing and the critical path read the same span table and start order: gathered once.
  return shareSpanTables(profile, () => analyzeShared(profile, options));
}

function analyzeShared(profile: Profile, options: AnalyzeOptions): Analysis {
  const thresholds = resolveThresholds(options.thresholds);
  const prices = options.prices ?? new PriceBook();
  const timing = computeTiming(profile);
  const critical = criticalPath(profile);
  // Every call priced once: the token views, budgets and cost bottlenecks share the costs.
  const pricing = priceUsage(profile, prices);
  const tokens = computeTokens(profile, prices, pricing);
  const usageCost = pricing.cost;
  fillSiteTokens(profile, timing.bySite, usageCost);
  const budgets = evaluateBudgets(profile, [...profile.budgets, ...(options.budgets ?? [])], usageCost, timing);
  const suggestions = optimizationSuggestions(tokens, thresholds);
  const bottlenecks = orderBottlenecks([
    ...timeBottlenecks(profile, timing, critical, thresholds, usageCost),
    ...costBottlenecks(profile, tokens, prices, usageCost, thresholds),
  ]);
  return {
    run: runSummary(profile, tokens),
    timing,
    criticalPath: critical,
    tokens,
    budgets,
    bottlenecks,
    suggestions,
    diagnostics: profile.diagnostics,
  };
}

/** Total tokens of a group: input (which includes cache reads and writes) plus output. */
function totalTokens(t: { input: number; output: number }): number {
  return t.input + t.output;
}

/** Fills the cost and tokens of each call-site row (see site-usage.ts for which usage is whose). */
function fillSiteTokens(profile: Profile, sites: SiteTiming[], usageCost: Float64Array): void {
  const totals = new SiteUsageTotals();
  totals.addNew(profile, usageCost);
  for (const site of sites) {
    const usage = totals.at(site.file, site.line);
    site.costUsd = usage?.costUsd ?? 0;
    site.tokens = usage?.tokens ?? 0;
  }
}

/**
 * Errors, open spans and orphans. An indexed loop in a function of its own: inside runSummary, a
 * loop this long was compiled mid-run and thrown away afterwards on every analysis (deopt).
 */
function countSpans(spans: readonly Span[]): { errors: number; unfinished: number; orphans: number } {
  let errors = 0;
  let unfinished = 0;
  let orphans = 0;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (span.status === 'error') errors++;
    if (isOpen(span)) unfinished++;
    if (span.orphan) orphans++;
  }
  return { errors, unfinished, orphans };
}

function runSummary(profile: Profile, tokens: TokenSummary): RunSummary {
  const { errors, unfinished, orphans } = countSpans(profile.spans);
  const run = profile.run;
  return {
    name: run.name,
    source: run.source,
    spans: profile.spans.length,
    wallMs: wallTime(profile) / 1e6,
    errors,
    unfinished,
    orphans,
    tokens: totalTokens(tokens),
    costUsd: tokens.costUsd,
    unpricedModels: tokens.unpricedModels,
    ended: run.endedAt !== undefined,
    exitStatus: run.exitStatus,
    exitError: run.exitError,
  };
}
