/**
 * Prices of LLM calls: the bundled, dated data of `@pydantic/genai-prices` (never updated over the
 * network), with the user's per-million-token overrides on top. Pure: no `vscode`, no `fs`.
 *
 * Rules (see docs/prices.md): an override wins over the library; a model neither knows is
 * *unpriced* (cost 0, counted apart), never costed at a made-up default; cache-read and
 * cache-write tokens are priced at their own rates, or at the input rate when the model has none.
 *
 * Speed: `calcPrice` costs tens of microseconds a call, too slow for 100 000 usage records times
 * ~20 what-if models. Within one long-context tier a price is linear in the token counts, so each
 * (model, tier) is probed once through `calcPrice` itself, checked against one more `calcPrice`
 * call, and then evaluated as a dot product. Whatever fails the check is priced call by call.
 */
import { calcPrice, findProvider, type PriceCalculation, type Usage } from '@pydantic/genai-prices';
import type { Profile } from './model';
import { CallGroup, count, SUMMED_GROUP_MIN } from './price-sums';

export const PRICES_PACKAGE = '@pydantic/genai-prices';
/** Pinned in package.json; a unit test checks the installed version against it. */
export const PRICES_PACKAGE_VERSION = '0.1.8';
/** Newest price change in the bundled data (the package was published the day after). */
export const PRICES_DATA_DATE = '2026-09-22';

/** The token counts that are priced. `input` includes `cacheRead` and `cacheWrite`. */
export interface PricedTokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** A user price (settings `agentProfiler.priceOverrides`), USD per million tokens. */
export interface PriceOverride {
  model: string;
  /** When set, the override applies only to calls of this provider. */
  provider?: string;
  inputPerMTok: number;
  outputPerMTok: number;
  /** Defaults to `inputPerMTok`. */
  cacheReadPerMTok?: number;
  /** Defaults to `inputPerMTok`. */
  cacheWritePerMTok?: number;
}

/** Price of one call. `inputUsd` covers all input tokens, cache reads and writes included. */
export interface CallPrice {
  priced: boolean;
  costUsd: number;
  inputUsd: number;
  outputUsd: number;
}

/** A model a call could have used instead, and what the same usage would have cost on it. */
export interface Alternative {
  model: string;
  provider: string;
  costUsd: number;
}

/**
 * Current general-purpose chat models of the major providers (as of the bundled data), the pool
 * of what-if alternatives. A unit test checks that the library prices every one of them.
 */
export const CHEAPER_MODEL_CANDIDATES: ReadonlyArray<{ model: string; provider: string }> = [
  ...['gpt-6-sol', 'gpt-6-luna', 'gpt-5.4', 'gpt-5.4-mini', 'gpt-5.4-nano', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano']
    .concat(['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o-mini'])
    .map((model) => ({ model, provider: 'openai' })),
  ...['claude-opus-5-5', 'claude-sonnet-5', 'claude-haiku-4-5'].map((model) => ({ model, provider: 'anthropic' })),
  ...['gemini-2.5-pro', 'gemini-3.5-flash', 'gemini-2.5-flash', 'gemini-3.1-flash-lite', 'gemini-2.5-flash-lite']
    .map((model) => ({ model, provider: 'google' })),
  ...['mistral-medium-3-5', 'mistral-large-2512', 'mistral-small-2603'].map((model) => ({ model, provider: 'mistral' })),
];

const UNPRICED: CallPrice = Object.freeze({ priced: false, costUsd: 0, inputUsd: 0, outputUsd: 0 });
const PER_MTOK = 1e6;
/** Token count of a probe when no tier limits it. */
const PROBE_TOKENS = 1_000_000;

/**
 * USD per token of each priced quantity within one tier, plus fixed per-call charges
 * (`fixedOther` has no direction: a per-request fee).
 */
interface LinearRates {
  uncached: number; cacheRead: number; cacheWrite: number; output: number;
  fixedInput: number; fixedOutput: number; fixedOther: number;
}

/** How one (model, provider) pair is priced; resolved once per book. */
interface Resolved {
  kind: 'unpriced' | 'override' | 'library';
  /** Same model under another name (dated id, other provider) has the same identity. */
  identity: string;
  /** Provider id for "same provider first" ordering, when known. */
  provider: string | undefined;
  /** Provider id to pass to `calcPrice` (undefined: let the library infer it from the model). */
  providerId?: string;
  /** Sorted tier starts: a tier applies when the input total is above its start. */
  tierStarts: number[];
  /** Rates per tier: undefined = not probed yet, null = price call by call. */
  tiers: Array<LinearRates | null | undefined>;
}

/**
 * Distinct (provider, model) pairs one book looks up in the price library; later new names are
 * unpriced without a look-up. Real runs use a few models; the cap bounds a hostile profile's cost.
 */
export const MAX_MODELS_LOOKED_UP = 10_000;

const NOT_LOOKED_UP: Resolved = { kind: 'unpriced', identity: 'model:(not looked up)', provider: undefined, tierStarts: [], tiers: [] };

/** Prices calls at one point in time. Build one per settings change; derive per run with {@link forProfile}. */
export class PriceBook {
  /** Where prices come from, e.g. `@pydantic/genai-prices 0.1.8 (data of 2026-09-22) + 2 overrides`. */
  readonly source: string;
  /** The instant conditional prices are chosen for. */
  readonly at: Date;
  /** True when the caller chose `at`; a default book follows each run's start instead. */
  readonly pinned: boolean;
  private readonly overrides: PriceOverride[];
  private readonly resolved = new Map<string, Map<string, Resolved>>();
  /** Distinct (provider, model) pairs looked up so far; see {@link MAX_MODELS_LOOKED_UP}. */
  private lookedUp = 0;
  private lastRunBook: PriceBook | undefined;

  constructor(options: { overrides?: PriceOverride[]; at?: Date } = {}) {
    this.overrides = (options.overrides ?? []).filter(validOverride);
    const at = options.at;
    this.pinned = at !== undefined && !Number.isNaN(at.getTime());
    this.at = this.pinned ? new Date(at!.getTime()) : new Date();
    const n = this.overrides.length;
    this.source =
      `${PRICES_PACKAGE} ${PRICES_PACKAGE_VERSION} (data of ${PRICES_DATA_DATE})` +
      (n ? ` + ${n} override${n === 1 ? '' : 's'}` : '') +
      (this.pinned ? `, prices as of ${this.at.toISOString().slice(0, 10)}` : '');
  }

  /**
   * The book to price a run with: this one when its date is pinned, otherwise the same overrides
   * at the run's start, so a run from last year gets last year's conditional prices.
   */
  forProfile(profile: Profile): PriceBook {
    if (this.pinned) return this;
    const start = runStartDate(profile);
    if (!start) return this;
    if (this.lastRunBook?.at.getTime() !== start.getTime()) {
      this.lastRunBook = new PriceBook({ overrides: this.overrides, at: start });
    }
    return this.lastRunBook;
  }

  /** Price of one call; `priced: false` (and cost 0) when neither an override nor the library knows the model. */
  price(model: string, provider: string | undefined, u: PricedTokens): CallPrice {
    const r = this.resolve(model, provider);
    if (r.kind === 'unpriced') return UNPRICED;
    const cacheRead = count(u.cacheRead);
    const cacheWrite = count(u.cacheWrite);
    const output = count(u.output);
    // `input` includes the cached parts (the importers make it so, by convention and provider:
    // docs/conventions.md). Inconsistent input below its cached parts is clamped to them, so the
    // uncached part is never negative; nothing is added here.
    const uncachedPlusCache = Math.max(count(u.input), cacheRead + cacheWrite);
    const uncached = uncachedPlusCache - cacheRead - cacheWrite;
    const rates = this.tierRates(model, r, tierOf(r, uncachedPlusCache));
    if (rates) {
      const inputUsd = rates.fixedInput + uncached * rates.uncached + cacheRead * rates.cacheRead + cacheWrite * rates.cacheWrite;
      const outputUsd = rates.fixedOutput + output * rates.output;
      return { priced: true, costUsd: inputUsd + outputUsd + rates.fixedOther, inputUsd, outputUsd };
    }
    const usage = { input_tokens: uncachedPlusCache, cache_read_tokens: cacheRead, cache_write_tokens: cacheWrite, output_tokens: output };
    const result = this.calc(usage, model, r.providerId);
    if (!result) return UNPRICED;
    return { priced: true, costUsd: result.total_price, inputUsd: result.input_price, outputUsd: result.output_price };
  }

  /**
   * Cheaper priced models from {@link CHEAPER_MODEL_CANDIDATES} that could replace `model` for the
   * same usage, with what it would have cost: same provider first, then cheapest first. Pass the
   * calls one by one (an array) to price a group: long-context tiers depend on each call's size.
   * Empty when `model` is unpriced. A {@link CallGroup} kept across calls keeps its token sums.
   */
  cheaperAlternatives(model: string, provider: string | undefined, u: PricedTokens | readonly PricedTokens[] | CallGroup): Alternative[] {
    const group = u instanceof CallGroup ? u : new CallGroup(Array.isArray(u) ? u : [u as PricedTokens]);
    const current = this.resolve(model, provider);
    const currentCost = this.groupCost(model, provider, current, group);
    if (current.kind === 'unpriced' || currentCost === undefined) return [];
    const found: Alternative[] = [];
    for (const candidate of CHEAPER_MODEL_CANDIDATES) {
      const r = this.resolve(candidate.model, candidate.provider);
      if (r.kind === 'unpriced' || r.identity === current.identity) continue;
      const cost = this.groupCost(candidate.model, candidate.provider, r, group);
      if (cost !== undefined && cost < currentCost) found.push({ model: candidate.model, provider: candidate.provider, costUsd: cost });
    }
    const home = current.provider;
    return found.sort(
      (a, b) =>
        Number(b.provider === home) - Number(a.provider === home) || a.costUsd - b.costUsd || a.model.localeCompare(b.model),
    );
  }

  /**
   * Summed cost of calls on one model, or undefined when any call is unpriced. A small group is
   * priced call by call; a large one from its token sums per long-context tier (a price is linear
   * within a tier), which is what makes ~20 what-if models affordable for 100 000 calls.
   */
  private groupCost(model: string, provider: string | undefined, r: Resolved, group: CallGroup): number | undefined {
    if (r.kind === 'unpriced') return undefined;
    if (group.calls.length >= SUMMED_GROUP_MIN) {
      const sums = group.sumsFor(r.tierStarts);
      let sum = 0;
      let linear = true;
      for (let tier = 0; tier < sums.calls.length && linear; tier++) {
        if (sums.calls[tier] === 0) continue;
        const rates = this.tierRates(model, r, tier);
        if (!rates) linear = false;
        else {
          sum +=
            sums.calls[tier] * (rates.fixedInput + rates.fixedOutput + rates.fixedOther) +
            sums.uncached[tier] * rates.uncached + sums.cacheRead[tier] * rates.cacheRead +
            sums.cacheWrite[tier] * rates.cacheWrite + sums.output[tier] * rates.output;
        }
      }
      if (linear) return sum;
    }
    let sum = 0;
    for (const call of group.calls) {
      const p = this.price(model, provider, call);
      if (!p.priced) return undefined;
      sum += p.costUsd;
    }
    return sum;
  }

  /** Resolved per (provider, model), in two map levels: no key string is built per call. */
  private resolve(model: string, provider: string | undefined): Resolved {
    // An empty provider and none resolve alike (as the key `${provider ?? ''}` once made them).
    const p = provider ?? '';
    let byModel = this.resolved.get(p);
    if (!byModel) this.resolved.set(p, (byModel = new Map()));
    let r = byModel.get(model);
    if (r) return r;
    // A run uses a handful of models; a hostile profile with a million distinct names cost 33 µs
    // of library matching each. Past the cap, a new name is unpriced without a look-up (and not kept).
    if (this.lookedUp >= MAX_MODELS_LOOKED_UP && !findOverride(this.overrides, model, provider)) return NOT_LOOKED_UP;
    this.lookedUp++;
    byModel.set(model, (r = this.resolveUncached(model, provider)));
    return r;
  }

  private resolveUncached(model: string, provider: string | undefined): Resolved {
    const override = findOverride(this.overrides, model, provider);
    const wantedProvider = provider?.trim().toLowerCase() || undefined;
    if (override) {
      const overrideProvider = override.provider?.trim().toLowerCase() || wantedProvider;
      const identity = `model:${model.trim().toLowerCase()}`;
      return { kind: 'override', identity, provider: overrideProvider, tierStarts: [], tiers: [overrideRates(override)] };
    }
    // A provider id the library does not know (a proxy, a gateway) says nothing about the price:
    // the library then finds the provider from the model name, as it does for a missing one.
    const providerId = wantedProvider && findProvider({ providerId: wantedProvider }) ? wantedProvider : undefined;
    const probe = this.calc({ input_tokens: 0 }, model, providerId);
    if (!probe) return { kind: 'unpriced', identity: `model:${model.trim().toLowerCase()}`, provider: wantedProvider, tierStarts: [], tiers: [] };
    const starts = new Set<number>();
    for (const value of Object.values(probe.model_price)) {
      if (typeof value === 'object' && value) for (const tier of value.tiers) starts.add(tier.start);
    }
    return {
      kind: 'library',
      identity: `model:${probe.model.id.toLowerCase()}`,
      provider: probe.provider.id,
      providerId,
      tierStarts: [...starts].sort((a, b) => a - b),
      tiers: [],
    };
  }

  /** Linear rates of a tier (see {@link tierOf}; overrides have one), probed on first use; null = price per call. */
  private tierRates(model: string, r: Resolved, tier: number): LinearRates | null {
    let rates = r.tiers[tier];
    if (rates === undefined) {
      rates = this.probeTier(model, r, tier);
      r.tiers[tier] = rates;
    }
    return rates;
  }

  private probeTier(model: string, r: Resolved, tier: number): LinearRates | null {
    const starts = r.tierStarts;
    // An input total inside the tier: tier k holds totals in (starts[k-1], starts[k]].
    const total = tier === 0 ? Math.min(PROBE_TOKENS, starts.length ? starts[0] : PROBE_TOKENS) : starts[tier - 1] + 1;
    if (total < 1) return null;
    const at = (usage: Usage) => this.calc(usage, model, r.providerId);
    const fixed = at({});
    const plain = at({ input_tokens: total });
    const read = at({ input_tokens: total, cache_read_tokens: total });
    const write = at({ input_tokens: total, cache_write_tokens: total });
    const out = at({ input_tokens: total, output_tokens: total });
    if (!fixed || !plain || !read || !write || !out) return null;
    const rates: LinearRates = {
      uncached: (plain.input_price - fixed.input_price) / total,
      cacheRead: (read.input_price - fixed.input_price) / total,
      cacheWrite: (write.input_price - fixed.input_price) / total,
      output: (out.output_price - plain.output_price) / total,
      fixedInput: fixed.input_price,
      fixedOutput: fixed.output_price,
      fixedOther: fixed.total_price - fixed.input_price - fixed.output_price,
    };
    // One mixed call checks the linear model; anything it does not reproduce is priced per call.
    const cr = Math.floor(total / 4);
    const cw = Math.floor(total / 8);
    const check = at({ input_tokens: total, cache_read_tokens: cr, cache_write_tokens: cw, output_tokens: 777 });
    if (!check) return null;
    const predicted =
      rates.fixedInput + rates.fixedOutput + rates.fixedOther +
      (total - cr - cw) * rates.uncached + cr * rates.cacheRead + cw * rates.cacheWrite + 777 * rates.output;
    return Math.abs(predicted - check.total_price) <= 1e-9 * Math.max(1, check.total_price) ? rates : null;
  }

  /** `calcPrice` on the bundled data at this book's instant; null when unknown or when it rejects the usage. */
  private calc(usage: Usage, model: string, providerId: string | undefined): PriceCalculation | null {
    try {
      return calcPrice(usage, model, { providerId, timestamp: this.at });
    } catch {
      return null;
    }
  }
}

/** The run's start as a Date, or undefined when the run has no (usable) start time. */
export function runStartDate(profile: Profile): Date | undefined {
  const digits = profile.run.startEpochNs;
  if (!/^\d{1,30}$/.test(digits)) return undefined;
  const ms = Number(BigInt(digits) / 1_000_000n);
  if (ms <= 0 || !Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The tier an input total falls in: tier k holds totals in (starts[k-1], starts[k]]. */
function tierOf(r: Resolved, inputTotal: number): number {
  let tier = 0;
  while (tier < r.tierStarts.length && inputTotal > r.tierStarts[tier]) tier++;
  return tier;
}

function validOverride(o: PriceOverride): boolean {
  const rate = (v: number | undefined, optional: boolean) =>
    (optional && v === undefined) || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
  return (
    typeof o?.model === 'string' && o.model.trim() !== '' &&
    rate(o.inputPerMTok, false) && rate(o.outputPerMTok, false) &&
    rate(o.cacheReadPerMTok, true) && rate(o.cacheWritePerMTok, true)
  );
}

/** The override for a call: one naming its provider beats one for any provider; the first listed wins a tie. */
function findOverride(overrides: PriceOverride[], model: string, provider: string | undefined): PriceOverride | undefined {
  const m = model.trim().toLowerCase();
  const p = provider?.trim().toLowerCase();
  let anyProvider: PriceOverride | undefined;
  for (const o of overrides) {
    if (o.model.trim().toLowerCase() !== m) continue;
    const op = o.provider?.trim().toLowerCase();
    if (!op) anyProvider ??= o;
    else if (op === p) return o;
  }
  return anyProvider;
}

function overrideRates(o: PriceOverride): LinearRates {
  return {
    uncached: o.inputPerMTok / PER_MTOK,
    cacheRead: (o.cacheReadPerMTok ?? o.inputPerMTok) / PER_MTOK,
    cacheWrite: (o.cacheWritePerMTok ?? o.inputPerMTok) / PER_MTOK,
    output: o.outputPerMTok / PER_MTOK,
    ...{ fixedInput: 0, fixedOutput: 0, fixedOther: 0 },
  };
}
