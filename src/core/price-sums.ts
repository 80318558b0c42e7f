/**
 * Token sums of a group of LLM calls per long-context tier, for pricing a group on many what-if
 * models at once: within one tier a price is linear in the token counts (see prices.ts), so a
 * group's cost on a model is its per-tier sums times that model's rates, instead of one price
 * look-up per call and model.
 */
import type { PricedTokens } from './prices';

/** A token count as the price book counts it: finite and positive, else 0. */
export function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** From this many calls on, a group is priced from its token sums per tier. */
export const SUMMED_GROUP_MIN = 16;

/** Token sums of a group of calls in each tier of one tier layout, counted as `PriceBook.price` counts them. */
export interface TierSums {
  calls: Float64Array;
  uncached: Float64Array;
  cacheRead: Float64Array;
  cacheWrite: Float64Array;
  output: Float64Array;
}

/** The calls of a what-if, with their token sums per tier layout, computed once per layout. */
export class CallGroup {
  /** Layout key → its tier starts and the sums in it. */
  private readonly byLayout = new Map<string, { starts: readonly number[]; sums: TierSums }>();

  constructor(readonly calls: readonly PricedTokens[]) {}

  /**
   * Appends a call to a group built on its own array (`new CallGroup([])`): to `calls`, and to
   * the sums of every layout computed so far, so a growing group is never summed again.
   */
  add(call: PricedTokens): void {
    (this.calls as PricedTokens[]).push(call);
    for (const { starts, sums } of this.byLayout.values()) addCall(sums, starts, call);
  }

  sumsFor(starts: readonly number[]): TierSums {
    const key = starts.join(',');
    const known = this.byLayout.get(key);
    if (known) return known.sums;
    const tiers = starts.length + 1;
    const sums: TierSums = {
      calls: new Float64Array(tiers),
      uncached: new Float64Array(tiers),
      cacheRead: new Float64Array(tiers),
      cacheWrite: new Float64Array(tiers),
      output: new Float64Array(tiers),
    };
    for (const u of this.calls) addCall(sums, starts, u);
    this.byLayout.set(key, { starts: starts.slice(), sums });
    return sums;
  }
}

/** Counts one call into the tier its input total falls in. */
function addCall(sums: TierSums, starts: readonly number[], u: PricedTokens): void {
  const cacheRead = count(u.cacheRead);
  const cacheWrite = count(u.cacheWrite);
  const inputTotal = Math.max(count(u.input), cacheRead + cacheWrite);
  let tier = 0;
  while (tier < starts.length && inputTotal > starts[tier]) tier++;
  sums.calls[tier]++;
  sums.uncached[tier] += inputTotal - cacheRead - cacheWrite;
  sums.cacheRead[tier] += cacheRead;
  sums.cacheWrite[tier] += cacheWrite;
  sums.output[tier] += count(u.output);
}
