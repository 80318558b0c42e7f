/**
 * The shape of the span forest while a {@link ProfileBuilder} fills it: a union-find that answers
 * "which span tops the tree holding span i?" (to cut parent cycles in bad input), and the children
 * that named a parent not seen yet. Span objects, change log and diagnostics stay in the builder.
 */
import type { SpanId } from './model';
import type { ProfileBuilder } from './builder';

/** Union-find over span indices plus the children waiting for their parent. */
export class SpanForest {
  /**
   * `up[i]` leads towards the top of span i's tree. Cutting a cycle needs "is the child above the
   * parent?"; an upward walk answered that in O(depth), which a hostile order (deep chain, then
   * children arriving before their parents) made quadratic.
   */
  private readonly up: number[] = [];
  /** Children whose parent has not appeared yet, by the parent id they name. */
  private readonly waiting = new Map<SpanId, number[]>();

  /** Span `index` (the next one) starts as the top of a tree of its own. */
  add(index: number): void {
    this.up.push(index);
  }

  /** `child` names `parentId`, which has not appeared yet. */
  wait(parentId: SpanId, child: number): void {
    const list = this.waiting.get(parentId);
    if (list) list.push(child);
    else this.waiting.set(parentId, [child]);
  }

  /** The children that were waiting for `parentId`, now no longer waiting; undefined when none. */
  takeWaiting(parentId: SpanId): number[] | undefined {
    const early = this.waiting.size === 0 ? undefined : this.waiting.get(parentId);
    if (early) this.waiting.delete(parentId);
    return early;
  }

  /** Children still waiting, by the parent id they name (orphans once the input is complete). */
  get unresolved(): ReadonlyMap<SpanId, readonly number[]> {
    return this.waiting;
  }

  /** The top span of the tree that holds span `i`, with path compression. */
  topOf(i: number): number {
    const up = this.up;
    let top = i;
    while (up[top] !== top) top = up[top];
    while (up[i] !== top) {
      const next = up[i];
      up[i] = top;
      i = next;
    }
    return top;
  }

  /** `child`, the top of its tree, joins the tree of `parent`. */
  join(parent: number, child: number): void {
    this.up[child] = this.topOf(parent);
  }
}
