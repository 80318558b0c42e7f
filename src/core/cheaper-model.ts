/**
 * The one choice of "which cheaper model would these calls have used": the `cheaper_model`
 * bottleneck (cost-bottlenecks.ts) and the per-site token use the hovers show (site-models.ts)
 * both ask it, so a hover never names another model than the bottleneck about the same calls.
 *
 * The rule: the first of {@link PriceBook.cheaperAlternatives} (a model of the same provider
 * first, then the cheapest), priced call by call, and only when the saving is worth a word: at
 * least {@link MIN_SAVING_USD} and at least {@link MIN_SAVING_SHARE} of the current cost.
 */
import type { CallGroup } from './price-sums';
import type { Alternative, PriceBook, PricedTokens } from './prices';

/** A saving below this many USD is not worth naming a cheaper model. */
export const MIN_SAVING_USD = 0.001;
/** A saving below this share of the current cost is not worth naming a cheaper model. */
export const MIN_SAVING_SHARE = 0.1;

/** The part of {@link PriceBook} the choice needs (tests pass a fake). */
export interface AlternativeSource {
  cheaperAlternatives(model: string, provider: string | undefined, calls: readonly PricedTokens[] | CallGroup): Alternative[];
}

/** A cheaper model for a group of calls, and how much less the group would have cost on it. */
export interface CheaperModel {
  alternative: Alternative;
  /** Current cost minus the alternative's cost, USD (positive). */
  savingUsd: number;
}

/**
 * The cheaper model for `calls` (all on `model` of `provider`), or undefined when there is none
 * or the saving is negligible. `currentUsd` is the calls' cost priced with the same book, call by
 * call, so the difference is like for like. Pass a {@link CallGroup} that grows with the calls
 * to have their token sums kept up to date rather than summed again.
 */
export function cheaperModel(
  book: AlternativeSource,
  model: string,
  provider: string | undefined,
  calls: readonly PricedTokens[] | CallGroup,
  currentUsd: number,
): CheaperModel | undefined {
  const alternative = book.cheaperAlternatives(model, provider, calls)[0];
  if (!alternative) return undefined;
  const savingUsd = currentUsd - alternative.costUsd;
  if (!(savingUsd >= MIN_SAVING_USD) || savingUsd < MIN_SAVING_SHARE * currentUsd) return undefined;
  return { alternative, savingUsd };
}
