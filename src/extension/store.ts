/**
 * The runs the extension knows (one per profile file), which one is active, and its latest
 * analysis. Views read it and listen to its events; the watcher and commands feed it. Free of
 * `vscode`, so tests drive it with a fake backend and fake timers.
 *
 * Only the active run (and runs asked for explicitly, such as a comparison's baseline) is analysed;
 * other runs keep the summary of their last analysis, so a folder of 500 old runs costs nothing.
 *
 * Nothing is analysed until {@link ProfileStore.wake} is called (a view of ours is shown, a profile
 * opened, a source file with timer calls opened, a command needs a run): activation only lists
 * files, so a window with a folder of profiles starts no worker and parses nothing.
 *
 * When an analysis runs (debounce, one at a time per file) is analysis-queue.ts; the run entry
 * and how an outcome updates it are run-entry.ts.
 */
import { AnalysisQueue } from './analysis-queue';
import { Emitter, type Disposable, type Event } from './events';
import { applyOutcome, sortTime, type FileBatch, type RunEntry } from './run-entry';
import type { AnalysisBackend, AnalyzeOutcome } from './worker-client';
import type { AnalysisSettings } from './worker-protocol';

export { epochNsToMs, sortTime, type FileBatch, type RunEntry, type RunState } from './run-entry';

export interface StoreOptions {
  backend: AnalysisBackend;
  /** Modification time of a file, or undefined when it does not exist. */
  stat: (file: string) => Promise<{ mtimeMs: number } | undefined>;
  /** Quiet time before a changed file is re-analysed. */
  debounceMs?: number;
  /** Poll period of a live (followed) file. */
  livePollMs?: number;
  log?: (line: string) => void;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

export class ProfileStore implements Disposable {
  private readonly entries = new Map<string, RunEntry>();
  private activeFile: string | undefined;
  /** True once the user picked the active run; until then the newest run is active. */
  private userChoseActive = false;
  private baselineFile: string | undefined;
  private readonly queue: AnalysisQueue;
  private readonly live = new Map<string, unknown>();
  /** False until something the user did needs an analysis; see {@link wake}. */
  private woken = false;
  private readonly runsChanged = new Emitter<void>();
  private readonly activeChanged = new Emitter<RunEntry | undefined>();
  private readonly showAsked = new Emitter<string>();
  private readonly o: Required<Omit<StoreOptions, 'log'>> & { log: (line: string) => void };

  /** The list of runs or a run's state or summary changed. */
  readonly onDidChangeRuns: Event<void> = this.runsChanged.event;
  /** The active run changed, or its analysis did. */
  readonly onDidChangeActiveAnalysis: Event<RunEntry | undefined> = this.activeChanged.event;
  /** The user asked to see this run (Open Profile): the runs view reveals and expands it. */
  readonly onDidAskToShow: Event<string> = this.showAsked.event;

  constructor(options: StoreOptions) {
    this.o = {
      debounceMs: 200,
      livePollMs: 500,
      log: () => undefined,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
      ...options,
    };
    this.queue = new AnalysisQueue((file, force) => this.analyzeOnce(file, force), this.o);
  }

  /** Runs, newest first. */
  get runs(): RunEntry[] {
    return [...this.entries.values()].sort((a, b) => sortTime(b) - sortTime(a) || (a.file < b.file ? -1 : 1));
  }

  get active(): RunEntry | undefined {
    return this.activeFile === undefined ? undefined : this.entries.get(this.activeFile);
  }

  /** True once {@link wake} was called: the active run is analysed and follows its file. */
  get awake(): boolean {
    return this.woken;
  }

  /**
   * Starts analysing: the active run now, and from then on whenever it changes. Called by what the
   * user does (`reason` goes to the log once); later calls are no-ops.
   */
  wake(reason: string): void {
    if (this.woken) return;
    this.woken = true;
    this.o.log(`analysing from now on: ${reason}`);
    if (this.activeFile) this.schedule(this.activeFile, 0);
  }

  get baseline(): string | undefined {
    return this.baselineFile;
  }

  get(file: string): RunEntry | undefined {
    return this.entries.get(file);
  }

  setBaseline(file: string | undefined): void {
    this.baselineFile = file;
    this.runsChanged.fire();
  }

  configure(settings: AnalysisSettings): void {
    this.o.backend.configure(settings);
    if (this.activeFile) this.schedule(this.activeFile, 0);
  }

  /** Applies a batch from the watcher. */
  async applyBatch(batch: FileBatch): Promise<void> {
    for (const file of batch.removed) this.remove(file);
    await Promise.all(batch.added.map((f) => this.add(f)));
    for (const file of batch.changed) {
      const e = this.entries.get(file);
      if (!e) await this.add(file);
      else if (file === this.activeFile) this.schedule(file);
      else if (e.summary) {
        // A known, inactive run changed on disk: its summary is stale.
        e.summary = undefined;
        e.state = 'idle';
        this.runsChanged.fire();
      }
    }
    this.runsChanged.fire();
  }

  /** Adds a run (no-op when known); `select` makes it the active run as if the user chose it. */
  async add(file: string, options: { select?: boolean; waiting?: boolean } = {}): Promise<RunEntry> {
    let e = this.entries.get(file);
    if (!e) {
      const st = await this.o.stat(file);
      // Re-check: another add of the same file may have finished while we waited.
      e = this.entries.get(file);
      if (!e) {
        e = {
          file,
          mtimeMs: st?.mtimeMs ?? Date.now(),
          startMs: undefined,
          state: st || !options.waiting ? 'idle' : 'waiting',
          result: undefined,
          summary: undefined,
          error: undefined,
          live: false,
          generation: 0,
        };
        this.entries.set(file, e);
        this.runsChanged.fire();
      }
    }
    if (options.select) this.select(file);
    else if (!this.userChoseActive) this.followNewest();
    return e;
  }

  remove(file: string): void {
    const e = this.entries.get(file);
    if (!e || e.live) return;
    this.entries.delete(file);
    this.cancelTimer(file);
    this.o.backend.close(file);
    if (this.baselineFile === file) this.baselineFile = undefined;
    if (this.activeFile === file) {
      this.activeFile = undefined;
      this.userChoseActive = false;
      this.followNewest();
      if (this.activeFile === undefined) this.activeChanged.fire(undefined);
    }
    this.runsChanged.fire();
  }

  /** Makes `file` the active run (the user's choice sticks until that run disappears); wakes the store. */
  select(file: string): void {
    if (!this.entries.has(file)) return;
    this.userChoseActive = true;
    this.setActive(file);
    this.wake(`${file} was chosen`);
  }

  /** Selects `file` and asks the views to show it. */
  show(file: string): void {
    if (!this.entries.has(file)) return;
    this.select(file);
    this.showAsked.fire(file);
  }

  /** Re-reads the active run from scratch (settings or the file may have changed). */
  refresh(): void {
    if (!this.activeFile) return;
    this.wake('Refresh');
    this.o.backend.close(this.activeFile);
    this.schedule(this.activeFile, 0, true);
  }

  /**
   * Polls `file` every `livePollMs` until the returned disposable is disposed: the file of a run
   * being recorded right now. A last poll happens on dispose so the final records are read.
   */
  follow(file: string): Disposable {
    this.wake(`${file} is being recorded`);
    const e = this.entries.get(file);
    if (e) e.live = true;
    const handle = this.o.setInterval(() => this.schedule(file, 0), this.o.livePollMs);
    this.live.set(file, handle);
    this.runsChanged.fire();
    return {
      dispose: () => {
        this.o.clearInterval(handle);
        this.live.delete(file);
        const entry = this.entries.get(file);
        if (entry) entry.live = false;
        this.runsChanged.fire();
      },
    };
  }

  /** Analyses `file` now (when changed) and returns its entry; used by compare and run-agent. */
  async analyzeNow(file: string, force = false): Promise<RunEntry | undefined> {
    if (!this.entries.has(file)) await this.add(file);
    this.cancelTimer(file);
    await this.queue.run(file, force);
    return this.entries.get(file);
  }

  dispose(): void {
    this.queue.dispose();
    for (const h of this.live.values()) this.o.clearInterval(h);
    this.live.clear();
    this.runsChanged.dispose();
    this.activeChanged.dispose();
    this.showAsked.dispose();
  }

  private followNewest(): void {
    const newest = this.runs[0];
    if (newest && newest.file !== this.activeFile) this.setActive(newest.file);
  }

  private setActive(file: string): void {
    const previous = this.activeFile;
    if (previous === file) return;
    this.activeFile = file;
    if (previous !== undefined) {
      const old = this.entries.get(previous);
      if (!old?.live) this.cancelTimer(previous);
      // Free the worker's copy of runs nobody looks at; the summary stays for the list.
      if (old?.result && !old.live && previous !== this.baselineFile) {
        old.result = undefined;
        if (old.state === 'ready') old.state = 'idle';
        this.o.backend.close(previous);
      }
    }
    this.activeChanged.fire(this.entries.get(file));
    this.runsChanged.fire();
    this.schedule(file, 0);
  }

  private schedule(file: string, delay = this.o.debounceMs, force = false): void {
    // Asleep: the file is listed only; wake() analyses the active run when someone wants it.
    if (!this.woken) return;
    this.queue.schedule(file, delay, force);
  }

  private cancelTimer(file: string): void {
    this.queue.cancel(file);
  }

  private async analyzeOnce(file: string, force: boolean): Promise<void> {
    const e = this.entries.get(file);
    if (!e) return;
    const needsResult = e.result === undefined;
    if (e.state === 'idle') {
      e.state = 'loading';
      this.runsChanged.fire();
    }
    let outcome: AnalyzeOutcome;
    try {
      outcome = await this.o.backend.analyze(file, force || needsResult);
    } catch (err) {
      outcome = { kind: 'failed', message: (err as Error).message, missing: false };
    }
    if (this.entries.get(file) !== e) return; // removed meanwhile
    const applied = applyOutcome(e, outcome);
    if (applied.problem !== undefined) this.o.log(`cannot read ${file}: ${applied.problem}`);
    if (!applied.changed) return;
    this.runsChanged.fire();
    if (file === this.activeFile) this.activeChanged.fire(e);
  }
}
