/**
 * `LiveAnalysis`: the {@link analyze} result of a run that is still being written, kept current
 * from the builder's {@link ProfileChanges} instead of re-analysing the whole run on every poll.
 *
 * The first update (and any update it cannot follow: another profile, a changed run header, a
 * missed change) starts from scratch; later ones touch only what the changes reach. Every table
 * is rendered by the same functions the batch analyzers use, so an update's result deep-equals
 * `analyze(profile, options)` — the property test in test/unit/properties-incremental.test.ts
 * checks that after every chunk of random appends.
 */
import type { Analysis, RunSummary, Thresholds } from '../analysis-types';
import { analyze, type AnalyzeOptions } from '../analyze';
import { orderBottlenecks, resolveThresholds } from '../bottlenecks';
import { Profile, wallTime } from '../model';
import { PriceBook } from '../prices';
import type { ProfileChanges } from '../profile-changes';
import { SiteUsageTotals } from '../site-usage';
import { optimizationSuggestions } from '../suggestions';
import { totalTokens } from '../tokens';
import { costCoverage } from '../llm-calls';
import { LiveBudgets } from './live-budgets';
import { LiveCostBottlenecks } from './live-cost-bottlenecks';
import { LiveCriticalPath } from './live-critical';
import { LiveRunIndex } from './live-run-index';
import { LiveTimeBottlenecks } from './live-time-bottlenecks';
import { LiveTiming } from './live-timing';
import { LiveTokens } from './live-tokens';
import { FAILED, OPEN, ORPHAN, SpanState } from './span-state';

/** Everything kept for one profile. */
interface Retained {
  profile: Profile;
  startEpochNs: string;
  state: SpanState;
  timing: LiveTiming;
  tokens: LiveTokens;
  /** Cost and tokens per call site for the timing rows (the lens and hover rule). */
  siteUsage: SiteUsageTotals;
  budgets: LiveBudgets;
  critical: LiveCriticalPath;
  runIndex: LiveRunIndex;
  cost: LiveCostBottlenecks;
  time: LiveTimeBottlenecks;
  errors: number;
  orphans: number;
  /** The `llm` spans so far (a span's kind is fixed when it opens), for the cost coverage. */
  llmSpans: number[];
}

/**
 * The analysis of one growing run (see the module comment). One per tracked file; make a new one
 * when the options (thresholds, prices, budgets) change.
 */
export class LiveAnalysis {
  private readonly thresholds: Thresholds;
  private readonly prices: PriceBook;
  private retained: Retained | undefined;

  constructor(private readonly options: AnalyzeOptions = {}) {
    this.thresholds = resolveThresholds(options.thresholds);
    this.prices = options.prices ?? new PriceBook();
  }

  /** Forgets the retained state: the next update analyses from scratch. */
  reset(): void {
    this.retained = undefined;
  }

  /**
   * The analysis of `profile` after `changes` (from `ProfileBuilder.takeChanges()`, taken after
   * the builder's `finish()`; `ProfileTail.takeChanges()` does both), equal to
   * `analyze(profile, options)`. Rows and items that did not change are the previous result's
   * objects; the `criticalPath` array and each site row's `spans` array are kept and updated in
   * place by later updates (copy them to keep a result as it was).
   */
  update(profile: Profile, changes: ProfileChanges): Analysis {
    let r = this.retained;
    let first = false;
    if (
      !r ||
      r.profile !== profile ||
      changes.runChanged ||
      r.startEpochNs !== profile.run.startEpochNs ||
      changes.firstNewSpan !== r.state.count ||
      changes.firstNewUsage !== r.tokens.count
    ) {
      r = this.retained = this.start(profile);
      changes = { firstNewSpan: 0, changedSpans: [], firstNewUsage: 0, firstNewBudget: 0, runChanged: true, timeChanged: true };
      first = true;
    }
    if (!r.state.exact) return analyze(profile, this.options);

    for (let i = changes.firstNewSpan; i < profile.spans.length; i++) if (profile.spans[i].kind === 'llm') r.llmSpans.push(i);
    const deltas = r.state.apply(profile, changes);
    for (const d of deltas) {
      const flags = r.state.flags[d.span];
      r.errors += (flags & FAILED ? 1 : 0) - (d.oldFlags & FAILED ? 1 : 0);
      r.orphans += (flags & ORPHAN ? 1 : 0) - (d.oldFlags & ORPHAN ? 1 : 0);
    }
    r.timing.apply(profile, deltas);
    const newUsage = r.tokens.apply(profile);
    const pricing = r.tokens.pricing;
    r.cost.add(newUsage, pricing.cost);
    r.budgets.apply(profile, r.state, newUsage, deltas, pricing.cost, first);
    // A time or a sum past what doubles hold exactly: the deltas may have rounded differently.
    if (!r.state.exact) return analyze(profile, this.options);

    const tokens = r.tokens.render();
    r.siteUsage.addNew(profile, pricing.cost);
    const siteUsage = r.siteUsage;
    const timing = r.timing.render(wallTime(profile), (file, line) => siteUsage.at(file, line));
    r.critical.apply(profile, deltas);
    const critical = r.critical.walk(profile);
    const index = r.runIndex.update(profile, deltas, r.critical, this.thresholds);
    const budgets = r.budgets.render(timing);
    const suggestions = optimizationSuggestions(tokens, this.thresholds);
    const bottlenecks = orderBottlenecks([
      ...r.time.render(profile, index, timing, newUsage, pricing.cost),
      ...r.cost.render(tokens, pricing.cost),
    ]);
    const run = profile.run;
    const summary: RunSummary = {
      name: run.name,
      source: run.source,
      spans: profile.spans.length,
      wallMs: wallTime(profile) / 1e6,
      errors: r.errors,
      unfinished: r.state.open.size,
      orphans: r.orphans,
      tokens: totalTokens(tokens),
      costUsd: tokens.costUsd,
      unpricedModels: tokens.unpricedModels,
      // Work in the LLM spans and usage records (kept as they arrive), not in the run's size.
      costCoverage: costCoverage(profile, pricing.priced, r.llmSpans),
      ended: run.endedAt !== undefined,
      exitStatus: run.exitStatus,
      exitError: run.exitError,
    };
    return {
      run: summary,
      timing,
      criticalPath: critical,
      tokens,
      budgets,
      bottlenecks,
      suggestions,
      diagnostics: profile.diagnostics,
    };
  }

  private start(profile: Profile): Retained {
    const state = new SpanState();
    const runIndex = new LiveRunIndex(state);
    return {
      profile,
      startEpochNs: profile.run.startEpochNs,
      state,
      timing: new LiveTiming(state),
      tokens: new LiveTokens(profile, this.prices),
      siteUsage: new SiteUsageTotals(),
      budgets: new LiveBudgets(this.options.budgets ?? []),
      critical: new LiveCriticalPath(state),
      runIndex,
      time: new LiveTimeBottlenecks(runIndex),
      cost: new LiveCostBottlenecks(this.prices.forProfile(profile), this.thresholds),
      errors: 0,
      orphans: 0,
      llmSpans: [],
    };
  }
}
