/**
 * The order of bottlenecks — what fixing them saves — and the overlap between two that are about
 * the same calls. Used by the batch analysis and the live one alike.
 */
import type { Bottleneck, Impact } from './analysis-types';

const IMPACT_RANK: Record<Impact, number> = { high: 0, medium: 1, low: 2 };

/**
 * Orders bottlenecks by what fixing them saves, so the first is the one worth fixing first: by
 * estimated wall-time saving, then by dollar saving (larger first), then by impact (high, medium,
 * low — the textbook's order), then by component name so the order is stable. Time comes before
 * money and they are not converted into each other: there is no honest exchange rate.
 *
 * Two time bottlenecks about some of the same spans (a slow tool whose calls also run one after
 * another) are two fixes of one problem: the later one is marked `overlaps` the first, so no view
 * or total adds their savings up. Returns copies; the inputs are not changed.
 */
export function orderBottlenecks(bottlenecks: readonly Bottleneck[]): Bottleneck[] {
  const ordered = [...bottlenecks].sort(
    (a, b) =>
      b.savingsMs - a.savingsMs ||
      b.savingsUsd - a.savingsUsd ||
      IMPACT_RANK[a.impact] - IMPACT_RANK[b.impact] ||
      (a.component < b.component ? -1 : a.component > b.component ? 1 : 0),
  );
  const claimed: Array<{ rank: number; b: Bottleneck; spans: Set<number> }> = [];
  return ordered.map((b, i) => {
    const { overlaps: _old, ...rest } = b;
    const out: Bottleneck = rest;
    if (b.savingsMs > 0 && b.spans.length) {
      const earlier = claimed.find((c) => b.spans.some((s) => c.spans.has(s)));
      if (earlier) out.overlaps = { rank: earlier.rank, kind: earlier.b.kind, component: earlier.b.component };
      claimed.push({ rank: i + 1, b, spans: new Set(b.spans) });
    }
    return out;
  });
}

/**
 * The wall time the listed bottlenecks save together without double counting: overlapping ones
 * (see {@link orderBottlenecks}) add nothing beyond the first of their group.
 */
export function combinedSavingsMs(ordered: readonly Bottleneck[]): number {
  return ordered.reduce((sum, b) => sum + (b.overlaps ? 0 : b.savingsMs), 0);
}
