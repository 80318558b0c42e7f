/**
 * The groupings of the `repeated_calls` rule kept as records arrive: spans by (name, key) —
 * leaving out spans nested in a span of the same name, which can change when a span finds its
 * parent — and usage records outside keyed spans by (operation, key), plus the usage of each span.
 * The rule itself is the batch analyzer's {@link repeatedCallsOf}, over the groups that repeat.
 */
import type { Bottleneck } from '../analysis-types';
import type { RunIndex } from '../bottleneck-index';
import { repeatedCallsOf } from '../bottleneck-patterns';
import type { Profile, Span, TokenUsage } from '../model';

/**
 * Items by two string keys; the lists holding two items or more are tracked, each with the
 * smallest rank among its items (kept as items come and go, so ordering the lists does not walk
 * every item on each update; the batch rule re-sorts the lists in place, so the first item is not
 * the smallest).
 */
class PairGroups<T> {
  private readonly lists = new Map<string, Map<string, T[]>>();
  /** Lists with at least two items → their smallest item rank. */
  private readonly repeated = new Map<T[], number>();
  /** The repeated lists in order, while no list's least rank moved (new lists mostly come last). */
  private order: T[][] | undefined;
  /** Least rank of the last list in {@link order}. */
  private lastFirst = -Infinity;

  constructor(private readonly rank: (item: T) => number) {}

  add(first: string, second: string, item: T): void {
    let inner = this.lists.get(first);
    if (!inner) this.lists.set(first, (inner = new Map()));
    let list = inner.get(second);
    if (!list) inner.set(second, (list = []));
    list.push(item);
    if (list.length < 2) return;
    // A list reaching two held one item before (its own least).
    const was = this.repeated.get(list);
    const least = Math.min(was ?? this.rank(list[0]), this.rank(item));
    if (least === was) return;
    this.repeated.set(list, least);
    if (was === undefined && this.order && least > this.lastFirst) {
      this.order.push(list);
      this.lastFirst = least;
    } else this.order = undefined;
  }

  remove(first: string, second: string, item: T): void {
    const list = this.lists.get(first)?.get(second);
    if (!list) return;
    const at = list.indexOf(item);
    if (at < 0) return;
    list.splice(at, 1);
    if (list.length < 2) {
      if (this.repeated.delete(list)) this.order = undefined;
      return;
    }
    let least = Infinity;
    for (const other of list) least = Math.min(least, this.rank(other));
    if (least !== this.repeated.get(list)) this.order = undefined;
    this.repeated.set(list, least);
  }

  /**
   * The repeated lists in the order of their smallest-ranked item. The array is kept for the next
   * call: callers must not change it (the batch rule only re-sorts the lists inside).
   */
  inOrder(): T[][] {
    if (this.order) return this.order;
    const keyed: Array<{ first: number; list: T[] }> = [];
    for (const [list, first] of this.repeated) keyed.push({ first, list });
    keyed.sort((a, b) => a.first - b.first);
    this.lastFirst = keyed.length > 0 ? keyed[keyed.length - 1].first : -Infinity;
    return (this.order = keyed.map((k) => k.list));
  }
}

/** `repeated_calls` of a growing run; see the module comment. */
export class LiveRepeats {
  private readonly spans = new PairGroups<Span>((s) => s.index);
  private readonly usage = new PairGroups<TokenUsage>((u) => u.index);
  private readonly usageBySpan = new Map<number, TokenUsage[]>();
  private usageInSpan = new Uint32Array(0);
  /** 1 while a span is in its (name, key) group. */
  private member = new Uint8Array(0);
  private spanCount = 0;

  /** Takes in new spans and usage, and spans whose nesting may have changed. */
  update(profile: Profile, index: RunIndex, maybeChanged: readonly number[], newUsage: readonly TokenUsage[]): void {
    const n = profile.spans.length;
    if (n > this.member.length) {
      const size = Math.max(n, 2 * this.member.length, 1024);
      const member = new Uint8Array(size);
      member.set(this.member);
      this.member = member;
      const counts = new Uint32Array(size);
      counts.set(this.usageInSpan);
      this.usageInSpan = counts;
    }
    const spans = profile.spans;
    const place = (i: number) => {
      const s = spans[i];
      if (!s.key) return;
      const eligible = index.nestedInSameName[i] ? 0 : 1;
      if (eligible === this.member[i]) return;
      this.member[i] = eligible;
      if (eligible) this.spans.add(s.name, s.key, s);
      else this.spans.remove(s.name, s.key, s);
    };
    for (let i = this.spanCount; i < n; i++) place(i);
    this.spanCount = n;
    for (const i of maybeChanged) place(i);
    for (const u of newUsage) {
      if (u.span >= 0 && u.span < n) {
        this.usageInSpan[u.span]++;
        const list = this.usageBySpan.get(u.span);
        if (list) list.push(u);
        else this.usageBySpan.set(u.span, [u]);
      }
      if (u.key && (u.span < 0 || !spans[u.span].key)) this.usage.add(u.operation, u.key, u);
    }
  }

  render(index: RunIndex, usageCost: Float64Array): Bottleneck[] {
    const usageIn = (repeats: ReadonlySet<number>): TokenUsage[] => {
      const found: TokenUsage[] = [];
      for (const span of repeats) for (const u of this.usageBySpan.get(span) ?? []) found.push(u);
      return found.sort((a, b) => a.index - b.index);
    };
    return repeatedCallsOf(
      index,
      this.spans.inOrder(),
      this.usage.inOrder(),
      this.usageInSpan.subarray(0, this.spanCount),
      usageIn,
      usageCost,
    );
  }
}
