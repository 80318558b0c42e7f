/**
 * What changed in a {@link Profile} between two looks at it, as the builder saw it happen. The
 * incremental analysis reads this instead of comparing whole profiles: appended records are a
 * suffix of `spans` / `usage`, and the few earlier spans an append touches (a span closed, a
 * parent that gained a child, an orphan adopted) are listed.
 */
import type { Profile } from './model';

/** Changes since the previous look. */
export interface ProfileChanges {
  /** Spans with an index at or above this one are new. */
  firstNewSpan: number;
  /** Earlier spans (index below `firstNewSpan`) that changed, ascending, each once. */
  changedSpans: number[];
  /** Usage records with an index at or above this one are new (usage records never change). */
  firstNewUsage: number;
  /** Budgets with an index at or above this one are new. */
  firstNewBudget: number;
  /** The run header (name, end, exit status, …) was set. */
  runChanged: boolean;
  /** `maxTime` or `minTime` moved (open spans end at `maxTime`, so their durations moved too). */
  timeChanged: boolean;
}

/** The builder's running record of changes; see {@link ProfileChanges}. */
export class ChangeLog {
  private readonly changed = new Set<number>();
  private spansAtStart = -1;
  private usageAtStart = -1;
  private budgetsAtStart = -1;
  private maxTimeAtStart = NaN;
  private minTimeAtStart = NaN;
  runChanged = false;

  /** Remembers where the profile stood when this log began (the builder calls it once). */
  begin(profile: Profile): void {
    this.spansAtStart = profile.spans.length;
    this.usageAtStart = profile.usage.length;
    this.budgetsAtStart = profile.budgets.length;
    this.maxTimeAtStart = profile.maxTime;
    this.minTimeAtStart = profile.minTime;
  }

  /** Span `index` changed (new spans are recognised by their index, so listing them is harmless). */
  spanChanged(index: number): void {
    if (index < this.spansAtStart) this.changed.add(index);
  }

  /** The changes up to now. */
  take(profile: Profile): ProfileChanges {
    const changedSpans = [...this.changed].sort((a, b) => a - b);
    return {
      firstNewSpan: this.spansAtStart,
      changedSpans,
      firstNewUsage: this.usageAtStart,
      firstNewBudget: this.budgetsAtStart,
      runChanged: this.runChanged,
      // Object.is: NaN-safe, and an empty run's Infinity compares equal to itself.
      timeChanged: !Object.is(profile.maxTime, this.maxTimeAtStart) || !Object.is(profile.minTime, this.minTimeAtStart),
    };
  }
}
