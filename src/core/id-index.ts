/**
 * The latest span index of each span id, as {@link ProfileBuilder} needs it for every start, end,
 * child and usage record. Our recorders number spans 1, 2, 3, …: such ids live in a dense typed
 * array (a million `Map` insertions were a tenth of the ingest time); string ids and large or
 * scattered numbers go to a `Map`. `7` and `"7"` stay different ids, as in a `Map`.
 */
import type { SpanId } from './model';

/** Dense ids are allowed up to this many slots, or a few times the number of ids seen. */
const DENSE_MIN_LIMIT = 1 << 16;
const DENSE_SLOTS_PER_ID = 4;

export class IdIndex {
  /** Span index + 1 by numeric id; 0 = none. */
  private dense = new Int32Array(0);
  private readonly sparse = new Map<SpanId, number>();
  private count = 0;

  get(id: SpanId): number | undefined {
    if (typeof id === 'number' && id >= 0 && id < this.dense.length && Number.isInteger(id)) {
      const slot = this.dense[id];
      if (slot > 0) return slot - 1;
    }
    return this.sparse.size === 0 ? undefined : this.sparse.get(id);
  }

  set(id: SpanId, index: number): void {
    this.count++;
    if (typeof id === 'number' && id >= 0 && Number.isInteger(id)) {
      if (id >= this.dense.length && id < Math.max(DENSE_MIN_LIMIT, DENSE_SLOTS_PER_ID * this.count)) this.grow(id);
      if (id < this.dense.length) {
        // Once an id has a dense slot it stays there (the array only grows), so a stale sparse
        // entry of the same id is never read again.
        this.dense[id] = index + 1;
        return;
      }
    }
    this.sparse.set(id, index);
  }

  private grow(id: number): void {
    const bigger = new Int32Array(Math.max(1024, 2 * this.dense.length, id + 1));
    bigger.set(this.dense);
    this.dense = bigger;
  }
}
