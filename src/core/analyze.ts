/**
 * `analyze()`: runs every analyzer once over a profile and assembles the {@link Analysis} that the
 * CLI, the tree view, the code lenses, the hovers and the benchmarks read.
 */
import type { Analysis, CriticalSegment, RunSummary, SiteTiming, Thresholds, TokenSummary } from './analysis-types';
import { orderBottlenecks, resolveThresholds, timeBottlenecks } from './bottlenecks';
import { evaluateBudgets } from './budgets';
import { costBottlenecks } from './cost-bottlenecks';
import { criticalPathNs, CriticalPathNs, criticalSegments } from './critical-path';
import { Budget, Profile, Span, wallTime } from './model';
import { PriceBook } from './prices';
import { optimizationSuggestions } from './suggestions';
import { computeTiming } from './timing';
import { computeTokens, priceUsage } from './tokens';
import { costCoverage } from './llm-calls';
import { SiteUsageTotals } from './site-usage';
import { shareSpanTables, SPAN_FAILED, SPAN_OPEN, SPAN_ORPHAN, spanTable } from './tree-order';

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
  // The path stays in its ns arrays here: the rules read those, and the segment objects (1.5
  // million at a million spans) are made only when `criticalPath` is first read.
  const critical = criticalPathNs(profile);
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
  // Until the segments are made, the accessor keeps the span list and the ns path (dropped then).
  let spans: readonly Span[] | undefined = profile.spans;
  let compact: CriticalPathNs | undefined = critical;
  const origin = profile.minTime;
  let segments: CriticalSegment[] | undefined;
  const analysis: Analysis = {
    run: runSummary(profile, tokens, pricing.priced),
    timing,
    // An accessor that materializes once; reads, spreads, JSON and structured clones see the
    // same array a data property would hold. Assigning replaces it, as for a data property.
    get criticalPath(): CriticalSegment[] {
      if (!segments) {
        segments = criticalSegments(spans!, origin, compact!);
        forget();
      }
      return segments;
    },
    set criticalPath(value: CriticalSegment[]) {
      segments = value;
      forget();
    },
    tokens,
    budgets,
    bottlenecks,
    suggestions,
    diagnostics: profile.diagnostics,
  };
  const forget = () => {
    spans = undefined;
    compact = undefined;
    compactPaths.delete(analysis);
  };
  compactPaths.set(analysis, critical);
  return analysis;
}

/** The ns form of each analysis' path whose segment objects were not made yet. */
const compactPaths = new WeakMap<Analysis, CriticalPathNs>();

/**
 * The critical path of an {@link analyze} result in its compact ns form (times since the run's
 * start are `start[k] − profile.minTime`), while `analysis.criticalPath` has not been read or
 * assigned; `undefined` otherwise (and for any other object), when `analysis.criticalPath` is the
 * source. Lets a consumer that needs only the span indexes or a few segments skip making them all.
 */
export function compactCriticalPath(analysis: Analysis): CriticalPathNs | undefined {
  return compactPaths.get(analysis);
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
 * Errors, open spans and orphans, from the flags of the shared span table (gathered once for
 * timing and the critical path), so no second pass over the span objects.
 */
function countSpans(profile: Profile): { errors: number; unfinished: number; orphans: number } {
  const flags = spanTable(profile).flags;
  let errors = 0;
  let unfinished = 0;
  let orphans = 0;
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    if (f & SPAN_FAILED) errors++;
    if (f & SPAN_OPEN) unfinished++;
    if (f & SPAN_ORPHAN) orphans++;
  }
  return { errors, unfinished, orphans };
}

function runSummary(profile: Profile, tokens: TokenSummary, priced: Uint8Array): RunSummary {
  const { errors, unfinished, orphans } = countSpans(profile);
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
    costCoverage: costCoverage(profile, priced),
    ended: run.endedAt !== undefined,
    exitStatus: run.exitStatus,
    exitError: run.exitError,
  };
}
