/**
 * Token use per call site and model, kept up to date as usage records are appended: what a
 * hover shows about the LLM calls of one `file:line`. Each record is priced once, when added; a
 * model's row at a site (with its cheaper model, see cheaper-model.ts) is worked out again only
 * after it got new records, from token sums kept as they grow. Pure: no `vscode`, no `fs`.
 */
import { type AlternativeSource, cheaperModel } from './cheaper-model';
import { CallGroup } from './price-sums';
import type { TokenStats } from './analysis-types';
import type { Profile, TokenUsage } from './model';
import type { Alternative, PriceBook, PricedTokens } from './prices';
import { add as addUsage, emptyStats } from './tokens';

/** Token use of one model at one site, priced call by call (the token fields of {@link TokenStats}). */
export interface ModelUse extends Pick<TokenStats, 'calls' | 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'reasoning'> {
  model: string;
  provider: string | undefined;
  /** USD; 0 when any call of the model is unpriced. */
  costUsd: number;
  priced: boolean;
  /** The cheaper model the `cheaper_model` rule would name for these calls, if any. */
  cheapest: Alternative | undefined;
}

/**
 * The part of {@link PriceBook} used here (tests pass a fake). Calls are priced one by one, as
 * the price book asks: long-context tiers depend on each call's size.
 */
export interface UsagePricer extends AlternativeSource {
  price(model: string, provider: string | undefined, u: PricedTokens): { priced: boolean; costUsd: number };
}

/** One model's running sums at one site. */
interface ModelGroup {
  model: string;
  provider: string | undefined;
  /** Counted as the token views count (tokens.ts). */
  stats: TokenStats;
  /** The group's records in index order, with their token sums for the what-if. */
  calls: CallGroup;
  /** Its row as last handed out; undefined when records came since. */
  row: ModelUse | undefined;
}

/** One site's groups in first-seen order, and its rows as last handed out. */
interface SiteState {
  /** provider (`''` for none) → model → group: no key string is built per record. */
  byModel: Map<string, Map<string, ModelGroup>>;
  groups: ModelGroup[];
  /** Undefined when records came since the rows were last made. */
  rows: ModelUse[] | undefined;
}

/**
 * The call site a usage record belongs to: the timing site of its span (the span's `file` and
 * `line`, 0 when the span has no line; see timing.ts), else, for a record outside any span with
 * a file, its own `file:line` when it has both.
 */
export function siteOfUsage(profile: Profile, u: TokenUsage): { file: string; line: number } | undefined {
  const span = u.span >= 0 ? profile.spans[u.span] : undefined;
  if (span?.file !== undefined) return { file: span.file, line: span.line ?? 0 };
  if (u.file !== undefined && u.line !== undefined) return { file: u.file, line: u.line };
  return undefined;
}

/**
 * Token use by site and model of the usage records of one profile added so far. Rows handed out
 * are never changed afterwards: a site with new records gets new rows.
 */
export class SiteModels {
  /** file → line → site. */
  private readonly sites = new Map<string, Map<number, SiteState>>();
  private added = 0;

  constructor(private readonly pricer: UsagePricer) {}

  /** Usage records added so far: the next {@link addNew} starts at this index. */
  get usageCount(): number {
    return this.added;
  }

  /** Adds the records of `profile.usage` not added yet (records are only ever appended). */
  addNew(profile: Profile): void {
    const usage = profile.usage;
    for (let i = this.added; i < usage.length; i++) this.add(profile, usage[i]);
    this.added = usage.length;
  }

  /**
   * The models used at `file:line`, costliest first (then most calls, then first seen); the same
   * array as the previous call when the site got no records since.
   */
  at(file: string, line: number): ModelUse[] {
    const site = this.sites.get(file)?.get(line);
    if (!site) return [];
    site.rows ??= this.rowsOf(site);
    return site.rows;
  }

  private add(profile: Profile, u: TokenUsage): void {
    const where = siteOfUsage(profile, u);
    if (!where) return;
    let lines = this.sites.get(where.file);
    if (!lines) this.sites.set(where.file, (lines = new Map()));
    let site = lines.get(where.line);
    if (!site) lines.set(where.line, (site = { byModel: new Map(), groups: [], rows: undefined }));
    site.rows = undefined;

    const providerKey = u.provider ?? '';
    let models = site.byModel.get(providerKey);
    if (!models) site.byModel.set(providerKey, (models = new Map()));
    let group = models.get(u.model);
    if (!group) {
      group = { model: u.model, provider: u.provider, stats: emptyStats(), calls: new CallGroup([]), row: undefined };
      models.set(u.model, group);
      site.groups.push(group);
    }
    const p = this.pricer.price(u.model, u.provider, u);
    addUsage(group.stats, u, p.priced ? p.costUsd : 0, p.priced);
    group.calls.add(u);
    group.row = undefined;
  }

  private rowsOf(site: SiteState): ModelUse[] {
    // Only models with new records are worked out again (a what-if prices ~20 models).
    const rows = site.groups.map((group) => (group.row ??= this.rowOf(group)));
    // Stable: equal rows stay in first-seen order.
    return rows.sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls);
  }

  private rowOf({ model, provider, stats: s, calls }: ModelGroup): ModelUse {
    const priced = s.unpricedCalls === 0;
    const row: ModelUse = {
      model,
      provider,
      calls: s.calls,
      input: s.input,
      output: s.output,
      cacheRead: s.cacheRead,
      cacheWrite: s.cacheWrite,
      reasoning: s.reasoning,
      costUsd: priced ? s.costUsd : 0,
      priced,
      cheapest: undefined,
    };
    if (priced) row.cheapest = cheaperModel(this.pricer, model, provider, calls, s.costUsd)?.alternative;
    return row;
  }
}
