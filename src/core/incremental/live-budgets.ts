/**
 * Budgets kept up to date: the tokens and cost of the usage each budget matches are summed as
 * records arrive (in record order, as `evaluateBudgets` sums them), and the latency of a prefix
 * target from span deltas. Statuses are rendered by the batch analyzer's {@link budgetStatuses}.
 */
import type { BudgetStatus, CategoryTiming, SiteTiming } from '../analysis-types';
import { budgetStatuses, categoryMs, msAtSite, parseSite, sameFile } from '../budgets';
import { namedWith, type Budget, type Profile, type TokenUsage } from '../model';
import type { SpanDelta, SpanState } from './span-state';

interface BudgetState {
  budget: Budget;
  site: { file: string; line: number } | undefined;
  tokens: number;
  costUsd: number;
  /** Summed effective duration (ns, ≥ 0 each) of the spans whose name starts with the target. */
  prefixNs: number;
}

/** Budget statuses of a growing run; see the module comment. */
export class LiveBudgets {
  /** The profile's budgets (by index), then the option budgets. */
  private readonly fromProfile: BudgetState[] = [];
  private readonly fromOptions: BudgetState[];

  constructor(extra: readonly Budget[]) {
    this.fromOptions = extra.map((budget) => ({ budget, site: parseSite(budget.target), tokens: 0, costUsd: 0, prefixNs: 0 }));
  }

  /**
   * Counts the new usage records and span deltas into every budget; a budget seen for the first
   * time (all of them on the first update) first sums what it matches among the earlier records
   * and all spans. `cost` is the cost of every usage record so far.
   */
  apply(profile: Profile, state: SpanState, newUsage: readonly TokenUsage[], deltas: readonly SpanDelta[], cost: Float64Array, first: boolean): void {
    const firstNewUsage = newUsage.length > 0 ? newUsage[0].index : profile.usage.length;
    const fresh = new Set<BudgetState>(first ? this.fromOptions : []);
    for (let b = this.fromProfile.length; b < profile.budgets.length; b++) {
      const budget = profile.budgets[b];
      const s: BudgetState = { budget, site: parseSite(budget.target), tokens: 0, costUsd: 0, prefixNs: 0 };
      this.fromProfile.push(s);
      fresh.add(s);
    }
    for (const s of fresh) {
      for (let u = 0; u < firstNewUsage; u++) this.count(s, profile.usage[u], cost);
      if (s.site) continue;
      // Every span as it is now: the deltas of this update are then not counted again.
      for (let i = 0; i < state.count; i++) {
        if (namedWith(profile.spans[i], s.budget.target)) s.prefixNs += Math.max(0, state.duration(i));
      }
    }
    const states = this.states();
    for (const u of newUsage) for (const s of states) this.count(s, u, cost);
    for (const s of states) {
      if (s.site || fresh.has(s)) continue;
      for (const d of deltas) {
        if (!namedWith(profile.spans[d.span], s.budget.target)) continue;
        s.prefixNs += Math.max(0, state.duration(d.span)) - (d.known ? Math.max(0, d.oldDuration) : 0);
      }
    }
  }

  private states(): BudgetState[] {
    return [...this.fromProfile, ...this.fromOptions];
  }

  private count(s: BudgetState, u: TokenUsage, cost: Float64Array): void {
    if (s.site) {
      if (u.line !== s.site.line || u.file === undefined || !sameFile(u.file, s.site.file)) return;
    } else if (!u.operation.startsWith(s.budget.target)) return;
    s.tokens += u.input + u.output;
    s.costUsd += cost[u.index] ?? 0;
  }

  render(timing: { byCategory: CategoryTiming[]; bySite: SiteTiming[] }): BudgetStatus[] {
    const statuses: BudgetStatus[] = [];
    for (const s of this.states()) {
      const site = s.site;
      const ms = site
        ? () => msAtSite(timing.bySite, site)
        : () => categoryMs(timing.byCategory, s.budget.target) ?? s.prefixNs / 1e6;
      for (const status of budgetStatuses(s.budget, site, { tokens: s.tokens, costUsd: s.costUsd, ms })) statuses.push(status);
    }
    return statuses;
  }
}
