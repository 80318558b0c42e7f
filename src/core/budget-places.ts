/**
 * Where each breached budget shows in Problems: its own call site, or, for a category or prefix
 * target, the call site of its target that used the most of the breached metric. Computed in the
 * analysis worker, so the extension host only reads the answer: the host used to test every
 * site's names against every budget (30 000 × 30 000 stalled it for 30 s).
 *
 * The sites' distinct names are sorted once; the names starting with a target are a contiguous
 * run found by binary search, and each name knows its heaviest site per metric. A run longer than
 * {@link MAX_NAMES_SCANNED} is cut there (the heaviest among those names is shown): a place in
 * Problems is a pointer, not a figure, and the cut bounds the work per budget.
 */
import type { BudgetStatus, SiteTiming } from './analysis-types';

export const MAX_NAMES_SCANNED = 10_000;
/** Breached budgets placed; the rest have no place (the host counts them in one summary entry). */
export const MAX_PLACED_BUDGETS = 2_000;

export type BudgetPlace = { file: string; line: number } | undefined;

type Metric = BudgetStatus['metric'];
const METRICS: Metric[] = ['tokens', 'cost', 'ms'];

function weight(s: SiteTiming, metric: Metric): number {
  return metric === 'cost' ? s.costUsd : metric === 'tokens' ? s.tokens : s.totalMs;
}

/** First index in sorted `names` whose name is ≥ `key`. */
function lowerBound(names: readonly string[], key: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Places parallel to `budgets`: undefined for a budget not breached, or with no site of its target. */
export function placeBudgets(budgets: readonly BudgetStatus[], sites: readonly SiteTiming[]): BudgetPlace[] {
  const places: BudgetPlace[] = new Array(budgets.length).fill(undefined);
  let names: string[] | undefined;
  let best: Map<string, number[]> | undefined;
  let placed = 0;
  for (let b = 0; b < budgets.length && placed < MAX_PLACED_BUDGETS; b++) {
    const status = budgets[b];
    if (!status.breached) continue;
    placed++;
    if (status.file !== undefined) {
      places[b] = { file: status.file, line: status.line ?? 1 };
      continue;
    }
    if (!best) ({ names, best } = nameIndex(sites));
    const m = METRICS.indexOf(status.metric);
    let top: SiteTiming | undefined;
    const end = Math.min(names!.length, lowerBound(names!, status.target) + MAX_NAMES_SCANNED);
    for (let i = lowerBound(names!, status.target); i < end && names![i].startsWith(status.target); i++) {
      const s = sites[best.get(names![i])![m]];
      if (!top || weight(s, status.metric) > weight(top, status.metric)) top = s;
    }
    if (top) places[b] = { file: top.file, line: top.line };
  }
  return places;
}

/** Sorted distinct names of the sites, and for each name its heaviest site per metric (first on ties). */
function nameIndex(sites: readonly SiteTiming[]): { names: string[]; best: Map<string, number[]> } {
  const best = new Map<string, number[]>();
  sites.forEach((s, i) => {
    for (const name of s.names) {
      const current = best.get(name);
      if (!current) {
        best.set(name, [i, i, i]);
        continue;
      }
      METRICS.forEach((metric, m) => {
        if (weight(s, metric) > weight(sites[current[m]], metric)) current[m] = i;
      });
    }
  });
  const names = [...best.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { names, best };
}
