/**
 * How a bottleneck's saving and a budget's numbers read, the same in the tree, hovers, Problems,
 * notifications and reports.
 */
import type { Bottleneck, BudgetStatus } from '../core/analysis-types';
import { formatCount, formatMs, formatUsd } from '../core/format';

/** `~2.00 s + ~$0.0100`, `~2.00 s`, or '' when nothing is saved. */
export function savingsText(b: Pick<Bottleneck, 'savingsMs' | 'savingsUsd' | 'overlaps'>): string {
  const text = [b.savingsMs > 0 ? `~${formatMs(b.savingsMs)}` : '', b.savingsUsd > 0 ? `~${formatUsd(b.savingsUsd)}` : ''].filter(Boolean).join(' + ');
  // Two fixes of the same calls: their savings must not read as if they added up.
  return text && b.overlaps ? `${text} (same calls as #${b.overlaps.rank}: not in addition)` : text;
}

/** A budget quantity in its unit: `$0.50`, `30.0 s`, `50,000 tokens`. */
export function budgetValueText(metric: BudgetStatus['metric'], value: number): string {
  return metric === 'cost' ? formatUsd(value) : metric === 'ms' ? formatMs(value) : `${formatCount(value)} tokens`;
}
