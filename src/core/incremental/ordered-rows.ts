/**
 * A table's row order kept across updates: rows whose sort key did not change keep their relative
 * order, so an update removes the moved rows and merges them back in sorted — O(rows + moved ·
 * log moved) instead of a sort of every row.
 */
export class OrderedRows {
  /** Row ids in table order. */
  private order: number[] = [];
  private readonly moved = new Set<number>();

  /** Row `id` is new, or its sort key changed. */
  markMoved(id: number): void {
    this.moved.add(id);
  }

  /** The rows (indexed by id) in order; `compare` must be a total order (ties broken by a key). */
  ordered<R>(rows: readonly R[], compare: (a: R, b: R) => number): R[] {
    if (this.moved.size > 0) {
      const moved = [...this.moved].sort((a, b) => compare(rows[a], rows[b]));
      const stay = this.order.filter((id) => !this.moved.has(id));
      const merged: number[] = new Array(stay.length + moved.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < stay.length && j < moved.length) merged[k++] = compare(rows[moved[j]], rows[stay[i]]) < 0 ? moved[j++] : stay[i++];
      while (i < stay.length) merged[k++] = stay[i++];
      while (j < moved.length) merged[k++] = moved[j++];
      this.order = merged;
      this.moved.clear();
    }
    return this.order.map((id) => rows[id]);
  }
}
