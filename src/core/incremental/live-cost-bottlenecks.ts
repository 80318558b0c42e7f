/**
 * `expensive_operation` and `cheaper_model` items kept up to date: the calls of each operation
 * and of each (operation, provider, model) group are appended as records arrive, each group keeps
 * a growing `CallGroup` (token sums per price tier, never summed again) and its running cost, and
 * an item is rendered again — by the batch analyzer's own functions — only when its calls changed.
 */
import type { Bottleneck, Thresholds, TokenSummary } from '../analysis-types';
import { cheaperModelItem, expensiveOperation, type ModelSwitch, modelSwitchOf, UsageRefs } from '../cost-bottlenecks';
import type { TokenUsage } from '../model';
import { CallGroup } from '../price-sums';
import type { PriceBook } from '../prices';

interface ModelGroup {
  calls: TokenUsage[];
  /** Site and spans of the calls, fed as they arrive. */
  refs: UsageRefs;
  sums: CallGroup;
  /** Current cost of the first `summed` calls, added in call order as `modelSwitchOf` adds them. */
  currentUsd: number;
  summed: number;
  /** The switch and item for `counted` calls. */
  counted: number;
  found: ModelSwitch | undefined;
  item: Bottleneck | undefined;
}

interface Operation {
  usage: TokenUsage[];
  refs: UsageRefs;
  /** provider → model → group, and the groups in first-seen order. */
  byModel: Map<string, Map<string, ModelGroup>>;
  groups: ModelGroup[];
  /** The `expensive_operation` item for `counted` calls. */
  counted: number;
  item: Bottleneck | undefined;
}

/** Cost-based bottlenecks of a growing run; see the module comment. */
export class LiveCostBottlenecks {
  private readonly operations = new Map<string, Operation>();

  constructor(
    private readonly book: PriceBook,
    private readonly thresholds: Thresholds,
  ) {}

  /** Takes in the usage records added by this update (`usageCost` holds their costs). */
  add(usage: readonly TokenUsage[], usageCost: Float64Array): void {
    for (const u of usage) {
      let op = this.operations.get(u.operation);
      if (!op) this.operations.set(u.operation, (op = { usage: [], refs: new UsageRefs(), byModel: new Map(), groups: [], counted: -1, item: undefined }));
      op.usage.push(u);
      const providerKey = u.provider ?? '';
      let models = op.byModel.get(providerKey);
      if (!models) op.byModel.set(providerKey, (models = new Map()));
      let group = models.get(u.model);
      if (!group) {
        group = { calls: [], refs: new UsageRefs(), sums: new CallGroup([]), currentUsd: 0, summed: 0, counted: -1, found: undefined, item: undefined };
        models.set(u.model, group);
        op.groups.push(group);
      }
      group.calls.push(u);
      group.sums.add(u);
      group.refs.add([u], usageCost);
      op.refs.add([u], usageCost);
    }
  }

  /** The items, in the order `costBottlenecks` gives them. */
  render(tokens: TokenSummary, usageCost: Float64Array): Bottleneck[] {
    const switches: ModelSwitch[] = [];
    const groupOf = new Map<ModelSwitch, ModelGroup>();
    for (const [operation, op] of this.operations) {
      for (const group of op.groups) {
        if (group.counted !== group.calls.length) {
          for (; group.summed < group.calls.length; group.summed++) {
            const u = group.calls[group.summed];
            group.currentUsd += usageCost[u.index] ?? this.book.price(u.model, u.provider, u).costUsd;
          }
          group.found = modelSwitchOf(this.book, operation, group.calls, usageCost, group.sums, group.currentUsd);
          group.counted = group.calls.length;
          group.item = undefined;
        }
        if (group.found) {
          switches.push(group.found);
          groupOf.set(group.found, group);
        }
      }
    }
    const found: Bottleneck[] = [];
    for (const row of tokens.byOperation) {
      if (!(row.costUsd > this.thresholds.expensiveOperationUsd)) continue;
      const op = this.operations.get(row.operation);
      if (!op) continue;
      if (op.counted !== op.usage.length || !op.item) {
        op.item = expensiveOperation(row, op.usage, switches, this.thresholds, usageCost, op.refs);
        op.counted = op.usage.length;
      }
      found.push(op.item);
    }
    for (const s of switches.sort((a, b) => b.savingUsd - a.savingUsd)) {
      const group = groupOf.get(s)!;
      group.item ??= cheaperModelItem(s, this.thresholds, usageCost, group.refs);
      found.push(group.item);
    }
    return found;
  }
}
