/**
 * The time-based bottleneck rules of a growing run. The per-name rules (`slow_llm`, `slow_tool`,
 * `many_calls`) are kept per name and rendered again — by the batch rule functions — only for
 * names with a span whose duration, critical time or nesting changed (and `slow_tool` items,
 * whose impact reads the wall time, on every update). `repeated_calls` runs on groupings kept as
 * records arrive ({@link LiveRepeats}), `sequential_siblings` on runs kept per parent
 * ({@link LiveSequential}); the category rule runs as in the batch analysis on the kept index.
 * `many_calls` adds only a name's new spans to its kept sums ({@link LiveNameSums}).
 */
import type { Bottleneck, NameTiming } from '../analysis-types';
import type { RunIndex } from '../bottleneck-index';
import { nameBottlenecks, readsWallTime, timeBottlenecksOf, type TimingTables } from '../bottlenecks';
import type { Profile, TokenUsage } from '../model';
import { LiveNameSums } from './live-name-sums';
import { LiveRepeats } from './live-repeats';
import { LiveSequential } from './live-sequential';
import type { LiveRunIndex } from './live-run-index';

/** Time-based bottlenecks of a growing run; see the module comment. */
export class LiveTimeBottlenecks {
  private readonly byName = new Map<string, Bottleneck[]>();
  private readonly repeats = new LiveRepeats();
  private readonly sequential = new LiveSequential();
  private readonly sums: LiveNameSums;

  constructor(private readonly runIndex: LiveRunIndex) {
    this.sums = new LiveNameSums(runIndex);
  }

  render(profile: Profile, index: RunIndex, timing: TimingTables, newUsage: readonly TokenUsage[], usageCost: Float64Array): Bottleneck[] {
    const spans = profile.spans;
    for (const i of this.runIndex.changed) this.byName.delete(spans[i].name);
    this.sums.update(profile, index);
    const itemsOfName = (idx: RunIndex, row: NameTiming): Bottleneck[] => {
      if (readsWallTime(row, idx.thresholds)) return nameBottlenecks(idx, row, this.sums.of(idx, row.name));
      let items = this.byName.get(row.name);
      if (!items) this.byName.set(row.name, (items = nameBottlenecks(idx, row, this.sums.of(idx, row.name))));
      return items;
    };
    this.repeats.update(profile, index, this.runIndex.changed, newUsage);
    this.sequential.update(profile, index, this.runIndex.changed);
    return timeBottlenecksOf(index, timing, usageCost, {
      spansOfCategory: this.runIndex.spansOfCategory,
      itemsOfName,
      repeatedCalls: () => this.repeats.render(index, usageCost),
      sequentialSiblings: () => this.sequential.render(index),
    });
  }
}
