/**
 * Collects file events into debounced batches: an agent appending a line every millisecond must
 * cause a few re-analyses, not thousands. Within a batch the last event of a file wins, except that
 * add-then-change stays an add and add-then-remove cancels out.
 */
import type { FileBatch } from './store';

export type FileEvent = 'add' | 'change' | 'unlink';

export class ChangeBatcher {
  private readonly pending = new Map<string, FileEvent>();
  private timer: unknown;

  constructor(
    private readonly deliver: (batch: FileBatch) => void,
    private readonly delayMs = 150,
    private readonly setTimer: (fn: () => void, ms: number) => unknown = (fn, ms) => setTimeout(fn, ms),
    private readonly clearTimer: (h: unknown) => void = (h) => clearTimeout(h as NodeJS.Timeout),
  ) {}

  push(event: FileEvent, file: string): void {
    const before = this.pending.get(file);
    if (before === 'add' && event === 'change') return;
    if (before === 'add' && event === 'unlink') this.pending.delete(file);
    else if (before === 'unlink' && event === 'add') this.pending.set(file, 'change');
    else this.pending.set(file, event);
    if (this.timer === undefined) this.timer = this.setTimer(() => this.flush(), this.delayMs);
  }

  /** Delivers what is pending now (also called by the timer). */
  flush(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batch: FileBatch = { added: [], changed: [], removed: [] };
    for (const [file, event] of this.pending) {
      if (event === 'add') batch.added.push(file);
      else if (event === 'change') batch.changed.push(file);
      else batch.removed.push(file);
    }
    this.pending.clear();
    this.deliver(batch);
  }

  dispose(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
