/**
 * When a run's file is analysed: a debounce timer per file, at most one analysis in flight per
 * file, and a change that arrives during an analysis queues exactly one more (a full one if any
 * of the queued requests asked for it). Split from the store, which decides *whether* to analyse
 * (the active run, and only once woken); this decides *when*. Free of `vscode`; timers are given.
 */

/** The timer functions the queue uses (the store's options; tests give fake timers). */
export interface QueueTimers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

/** Debounced, one-at-a-time analyses per file; `analyzeOnce` does the work of one. */
export class AnalysisQueue {
  private readonly timers = new Map<string, unknown>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Files changed during their analysis, with whether the rerun must be a full one. */
  private readonly dirty = new Map<string, boolean>();

  constructor(
    private readonly analyzeOnce: (file: string, force: boolean) => Promise<void>,
    private readonly clock: QueueTimers,
  ) {}

  /** Analyses `file` after `delay` ms of quiet (a new call restarts the wait). */
  schedule(file: string, delay: number, force: boolean): void {
    this.cancel(file);
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(file);
      void this.run(file, force);
    }, delay);
    this.timers.set(file, handle);
  }

  /** Drops the pending timer of `file`, if any (an analysis in flight goes on). */
  cancel(file: string): void {
    const h = this.timers.get(file);
    if (h !== undefined) this.clock.clearTimeout(h);
    this.timers.delete(file);
  }

  /** One analysis at a time per file; a change during one queues exactly one more. */
  async run(file: string, force: boolean): Promise<void> {
    const running = this.inFlight.get(file);
    if (running) {
      this.dirty.set(file, force || (this.dirty.get(file) ?? false));
      await running;
      return this.inFlight.get(file) ?? Promise.resolve();
    }
    const task = this.analyzeOnce(file, force).finally(() => {
      this.inFlight.delete(file);
      const again = this.dirty.get(file);
      if (again !== undefined) {
        this.dirty.delete(file);
        void this.run(file, again);
      }
    });
    this.inFlight.set(file, task);
    await task;
  }

  /** Clears every pending timer. */
  dispose(): void {
    for (const h of this.timers.values()) this.clock.clearTimeout(h);
    this.timers.clear();
  }
}
