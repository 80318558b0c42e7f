/**
 * Token use and cost kept up to date record by record: each usage record is priced once when it
 * arrives and counted into the totals and its operation, model and site rows (additions in
 * record order, as `computeTokens` makes them, so the sums are the same doubles). Rows that
 * changed are copied out and re-placed in their view's order.
 */
import type { TokenStats, TokenSummary } from '../analysis-types';
import type { Profile, TokenUsage } from '../model';
import type { PriceBook } from '../prices';
import { add, byCost, emptyStats, modelKey, operationKey, siteKey, unpricedList, type UsagePricing } from '../tokens';
import { OrderedRows } from './ordered-rows';

type OperationRow = TokenStats & { operation: string };
type ModelRow = TokenStats & { model: string; provider: string | undefined; priced: boolean };
type SiteRow = TokenStats & { file: string; line: number };

/** One view: accumulating rows, their last copies handed out, and their order. */
class View<R extends TokenStats> {
  readonly rows: R[] = [];
  private readonly copies: R[] = [];
  private readonly changed = new Set<number>();
  private readonly order = new OrderedRows();

  constructor(private readonly compare: (a: R, b: R) => number) {}

  add(row: R): number {
    this.copies.push(row);
    return this.rows.push(row) - 1;
  }

  touch(id: number): void {
    this.changed.add(id);
    this.order.markMoved(id);
  }

  render(): R[] {
    for (const id of this.changed) this.copies[id] = { ...this.rows[id] };
    this.changed.clear();
    return this.order.ordered(this.copies, this.compare);
  }
}

/** Token totals and views of a growing run; see the module comment. */
export class LiveTokens {
  readonly book: PriceBook;
  private readonly total = emptyStats();
  private readonly operations = new View<OperationRow>(byCost<OperationRow>(operationKey));
  private readonly models = new View<ModelRow>(byCost<ModelRow>(modelKey));
  private readonly sites = new View<SiteRow>(byCost<SiteRow>(siteKey));
  private readonly operationIds = new Map<string, number>();
  private readonly modelIds = new Map<string, Map<string, number>>();
  private readonly siteIds = new Map<string, Map<number, number>>();
  private readonly unpriced = new Set<string>();
  private unpricedList: string[] | undefined = [];
  private cost = new Float64Array(0);
  private priced = new Uint8Array(0);
  count = 0;

  constructor(profile: Profile, prices: PriceBook) {
    this.book = prices.forProfile(profile);
  }

  /** Costs of the records so far (by usage index) and whether each was priced. */
  get pricing(): UsagePricing {
    return { cost: this.cost.subarray(0, this.count), priced: this.priced.subarray(0, this.count) };
  }

  /** Prices and counts the records added since the last call. Returns them. */
  apply(profile: Profile): TokenUsage[] {
    const added = profile.usage.slice(this.count);
    const n = profile.usage.length;
    if (n > this.cost.length) {
      const size = Math.max(n, 2 * this.cost.length, 1024);
      const cost = new Float64Array(size);
      cost.set(this.cost);
      const priced = new Uint8Array(size);
      priced.set(this.priced);
      this.cost = cost;
      this.priced = priced;
    }
    for (const u of added) this.count1(u);
    this.count = n;
    return added;
  }

  private count1(u: TokenUsage): void {
    const p = this.book.price(u.model, u.provider, u);
    const c = p.costUsd;
    const isPriced = p.priced;
    this.cost[u.index] = c;
    this.priced[u.index] = isPriced ? 1 : 0;
    if (!isPriced && !this.unpriced.has(u.model)) {
      this.unpriced.add(u.model);
      // Listed once per render, not sorted again per new name (a million names took minutes).
      this.unpricedList = undefined;
    }
    add(this.total, u, c, isPriced);

    let op = this.operationIds.get(u.operation);
    if (op === undefined) this.operationIds.set(u.operation, (op = this.operations.add({ operation: u.operation, ...emptyStats() })));
    add(this.operations.rows[op], u, c, isPriced);
    this.operations.touch(op);

    const providerKey = u.provider ?? '';
    let models = this.modelIds.get(providerKey);
    if (!models) this.modelIds.set(providerKey, (models = new Map()));
    let model = models.get(u.model);
    if (model === undefined) {
      models.set(u.model, (model = this.models.add({ model: u.model, provider: u.provider, priced: true, ...emptyStats() })));
    }
    const modelRow = this.models.rows[model];
    add(modelRow, u, c, isPriced);
    if (!isPriced) modelRow.priced = false;
    this.models.touch(model);

    if (u.file !== undefined && u.line !== undefined) {
      let lines = this.siteIds.get(u.file);
      if (!lines) this.siteIds.set(u.file, (lines = new Map()));
      let site = lines.get(u.line);
      if (site === undefined) lines.set(u.line, (site = this.sites.add({ file: u.file, line: u.line, ...emptyStats() })));
      add(this.sites.rows[site], u, c, isPriced);
      this.sites.touch(site);
    }
  }

  render(): TokenSummary {
    return {
      ...this.total,
      unpricedModels: (this.unpricedList ??= unpricedList(this.unpriced)),
      byOperation: this.operations.render(),
      byModel: this.models.render(),
      bySite: this.sites.render(),
      priceSource: this.book.source,
    };
  }
}
