/**
 * Budgets kept up to date: the tokens and cost of the usage each budget matches are summed as
 * records arrive (in record order, as `evaluateBudgets` sums them), and the latency of a prefix
 * target from span deltas. Statuses are rendered by the batch analyzer's {@link budgetStatuses}.
 * Records find their budgets through a {@link BudgetIndex}, never by testing every budget.
 */
import type { BudgetStatus, CategoryTiming, SiteTiming } from '../analysis-types';
import { BudgetIndex } from '../budget-index';
import { budgetStatuses, parseSite, TimingLookup } from '../budgets';
import type { Budget, Profile, TokenUsage } from '../model';
import type { SpanDelta, SpanState } from './span-state';

interface BudgetState {
  budget: Budget;
  site: { file: string; line: number } | undefined;
  tokens: number;
  costUsd: number;
  /** Summed effective duration (ns, ≥ 0 each) of the spans whose name starts with the target. */
  prefixNs: number;
  /** Set while the state is being caught up with earlier records (its first update). */
  fresh: boolean;
}

function newState(budget: Budget): BudgetState {
  return { budget, site: parseSite(budget.target), tokens: 0, costUsd: 0, prefixNs: 0, fresh: true };
}

/** Budget statuses of a growing run; see the module comment. */
export class LiveBudgets {
  /** The profile's budgets (by index), then the option budgets. */
  private readonly fromProfile: BudgetState[] = [];
  private readonly fromOptions: BudgetState[];
  private readonly index = new BudgetIndex<BudgetState>();

  constructor(extra: readonly Budget[]) {
    this.fromOptions = extra.map(newState);
  }

  /**
   * Counts the new usage records and span deltas into every budget; a budget seen for the first
   * time (all of them on the first update) first sums what it matches among the earlier records
   * and all spans. `cost` is the cost of every usage record so far.
   */
  apply(profile: Profile, state: SpanState, newUsage: readonly TokenUsage[], deltas: readonly SpanDelta[], cost: Float64Array, first: boolean): void {
    const firstNewUsage = newUsage.length > 0 ? newUsage[0].index : profile.usage.length;
    const fresh: BudgetState[] = first ? [...this.fromOptions] : [];
    for (let b = this.fromProfile.length; b < profile.budgets.length; b++) {
      const s = newState(profile.budgets[b]);
      this.fromProfile.push(s);
      fresh.push(s);
    }
    if (fresh.length > 0) {
      // The new budgets catch up with the earlier records through an index of their own.
      const catchUp = new BudgetIndex<BudgetState>();
      for (const s of fresh) {
        s.fresh = true;
        catchUp.add(s.budget.target, s);
        this.index.add(s.budget.target, s);
      }
      for (let u = 0; u < firstNewUsage; u++) this.count(catchUp, profile.usage[u], cost);
      // Every span as it is now: the deltas of this update are then not counted again.
      for (let i = 0; i < state.count; i++) {
        const matched = catchUp.forSpan(profile.spans[i]);
        if (matched.length === 0) continue;
        const ns = Math.max(0, state.duration(i));
        for (const s of matched) s.prefixNs += ns;
      }
    }
    for (const u of newUsage) this.count(this.index, u, cost);
    for (const d of deltas) {
      const matched = this.index.forSpan(profile.spans[d.span]);
      if (matched.length === 0) continue;
      const change = Math.max(0, state.duration(d.span)) - (d.known ? Math.max(0, d.oldDuration) : 0);
      for (const s of matched) if (!s.fresh) s.prefixNs += change;
    }
    for (const s of fresh) s.fresh = false;
  }

  private states(): BudgetState[] {
    return [...this.fromProfile, ...this.fromOptions];
  }

  private count(index: BudgetIndex<BudgetState>, u: TokenUsage, cost: Float64Array): void {
    const c = cost[u.index] ?? 0;
    for (const s of index.atSite(u.file, u.line)) {
      s.tokens += u.input + u.output;
      s.costUsd += c;
    }
    for (const s of index.withPrefixOf(u.operation)) {
      s.tokens += u.input + u.output;
      s.costUsd += c;
    }
  }

  render(timing: { byCategory: CategoryTiming[]; bySite: SiteTiming[] }): BudgetStatus[] {
    const statuses: BudgetStatus[] = [];
    const lookup = new TimingLookup(timing);
    for (const s of this.states()) {
      const site = s.site;
      const ms = site ? () => lookup.site(site) : () => lookup.category(s.budget.target) ?? s.prefixNs / 1e6;
      for (const status of budgetStatuses(s.budget, site, { tokens: s.tokens, costUsd: s.costUsd, ms })) statuses.push(status);
    }
    return statuses;
  }
}
