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

/** Items by two string keys; the lists holding two items or more are tracked. */
class PairGroups<T> {
  private readonly lists = new Map<string, Map<string, T[]>>();
  /** Lists with at least two items. */
  readonly repeated = new Set<T[]>();

  add(first: string, second: string, item: T): void {
    let inner = this.lists.get(first);
    if (!inner) this.lists.set(first, (inner = new Map()));
    let list = inner.get(second);
    if (!list) inner.set(second, (list = []));
    list.push(item);
    if (list.length === 2) this.repeated.add(list);
  }

  remove(first: string, second: string, item: T): void {
    const list = this.lists.get(first)?.get(second);
    if (!list) return;
    const at = list.indexOf(item);
    if (at < 0) return;
    list.splice(at, 1);
    if (list.length < 2) this.repeated.delete(list);
  }

  /** The repeated lists in the order of their first item (`rank` orders items). */
  inOrder(rank: (item: T) => number): T[][] {
    const keyed = [...this.repeated].map((list) => {
      let first = Infinity;
      for (const item of list) first = Math.min(first, rank(item));
      return { first, list };
    });
    return keyed.sort((a, b) => a.first - b.first).map((k) => k.list);
  }
}

/** `repeated_calls` of a growing run; see the module comment. */
export class LiveRepeats {
  private readonly spans = new PairGroups<Span>();
  private readonly usage = new PairGroups<TokenUsage>();
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
      this.spans.inOrder((s) => s.index),
      this.usage.inOrder((u) => u.index),
      this.usageInSpan.subarray(0, this.spanCount),
      usageIn,
      usageCost,
    );
  }
}
