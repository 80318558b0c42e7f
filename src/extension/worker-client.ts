/**
 * The host's side of the analysis worker: request/response over `postMessage`, one worker for all
 * files. A worker that dies (out of memory on a giant file, a bug) fails the pending requests and
 * is started again on the next one, with the last settings. Its heap is limited (worker-limits.ts),
 * so a giant profile kills the worker, not the extension host.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { workerHeapLimitMb } from './worker-limits';
import type { AnalysisSettings, BudgetsFileReply, ExportQuery, ExportReply, FromWorker, RunResult, ToWorker, WaterfallQuery, WaterfallReply } from './worker-protocol';

/** What an analysis request gives back. */
export type AnalyzeOutcome =
  | { kind: 'result'; result: RunResult }
  | { kind: 'unchanged' }
  | { kind: 'failed'; message: string; missing: boolean };

/** The store talks to this interface; tests give it a fake. */
export interface AnalysisBackend {
  configure(settings: AnalysisSettings): void;
  analyze(file: string, force: boolean): Promise<AnalyzeOutcome>;
  close(file: string): void;
  dispose(): void;
}

export class WorkerBackend implements AnalysisBackend {
  private worker: Worker | undefined;
  private settings: AnalysisSettings | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { file: string; resolve: (outcome: AnalyzeOutcome) => void }>();
  /** Files whose analysis ran the worker out of memory, with the message; cleared by close() and configure(). */
  private readonly outOfMemory = new Map<string, string>();
  /** Requests of the waterfall panel (waterfall-panel.ts), answered by id like analyses. */
  private readonly waterfallPending = new Map<number, (reply: WaterfallReply) => void>();
  /** Export… requests, answered by id. */
  private readonly exportPending = new Map<number, (reply: ExportReply) => void>();
  /** Budgets files being read by the worker, answered by id. */
  private readonly budgetsPending = new Map<number, (reply: BudgetsFileReply | undefined) => void>();
  private disposed = false;
  /** Waiting for the first worker to start (see {@link whenStarted}). */
  private startWaiters: Array<() => void> = [];

  /**
   * @param script absolute path of dist/analysis-worker.js
   * @param workerOptions passed to the Worker (tests run the TypeScript source through tsx)
   */
  constructor(
    private readonly script: string,
    private readonly log: (line: string) => void,
    private readonly workerOptions: WorkerOptions = {},
  ) {}

  configure(settings: AnalysisSettings): void {
    this.settings = settings;
    // Other settings (a lower byte cap) may make those files fit.
    this.outOfMemory.clear();
    if (this.worker) this.send({ type: 'configure', settings });
  }

  analyze(file: string, force: boolean): Promise<AnalyzeOutcome> {
    if (this.disposed) return Promise.resolve({ kind: 'failed', message: 'the extension is shutting down', missing: false });
    // Not again on every change or poll: each try would read the whole file and die again.
    const oom = this.outOfMemory.get(file);
    if (oom !== undefined) return Promise.resolve({ kind: 'failed', message: oom, missing: false });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { file, resolve });
      this.send({ type: 'analyze', id, file, force });
    });
  }

  /** Forgets `file` in the worker; its next analysis is tried afresh even after running out of memory. */
  close(file: string): void {
    this.outOfMemory.delete(file);
    if (this.worker) this.send({ type: 'close', file });
  }

  /** The worker's heap limit, MB (worker-limits.ts), unless the constructor's options set one. */
  get heapLimitMb(): number {
    return this.workerOptions.resourceLimits?.maxOldGenerationSizeMb ?? workerHeapLimitMb(os.totalmem());
  }

  dispose(): void {
    this.disposed = true;
    this.failAll(() => 'the extension is shutting down');
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private send(msg: ToWorker): void {
    this.ensureWorker().postMessage(msg);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const heapLimitMb = this.heapLimitMb;
    const worker = new Worker(this.script, {
      ...this.workerOptions,
      resourceLimits: { ...this.workerOptions.resourceLimits, maxOldGenerationSizeMb: heapLimitMb },
    });
    let ranOutOfMemory = false;
    worker.on('message', (msg: FromWorker) => this.receive(msg));
    worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') ranOutOfMemory = true;
      else this.log(`analysis worker failed: ${err.stack ?? err.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.disposed) return;
      if (ranOutOfMemory) {
        this.log(`analysis worker ran out of memory (limit ${heapLimitMb} MB of heap); it restarts on the next request`);
        this.failAll((file) => {
          if (file === undefined) return `the analysis worker ran out of memory (${heapLimitMb} MB)`;
          const message = `${path.basename(file)} needs more memory than the analysis may use (${heapLimitMb} MB); lower agentProfiler.maxFileSizeMB to read less of it`;
          this.outOfMemory.set(file, message);
          return message;
        });
      } else {
        this.log(`analysis worker stopped (exit code ${code}); it restarts on the next request`);
        this.failAll(() => `the analysis worker stopped (exit code ${code})`);
      }
    });
    // The worker must not keep the extension host alive on shutdown.
    worker.unref();
    this.worker = worker;
    const waiters = this.startWaiters;
    this.startWaiters = [];
    for (const resolve of waiters) resolve();
    if (this.settings) worker.postMessage({ type: 'configure', settings: this.settings } satisfies ToWorker);
    return worker;
  }

  /** Asks the worker for waterfall columns or a span's details. */
  waterfallQuery(query: WaterfallQuery): Promise<WaterfallReply> {
    const id = this.nextId++;
    if (this.disposed) return Promise.resolve({ type: 'waterfallFailed', id, message: 'the extension is shutting down' });
    return new Promise((resolve) => {
      this.waterfallPending.set(id, resolve);
      this.send({ ...query, id });
    });
  }

  /** Asks the worker to render `file` as a report or for another tool. */
  exportQuery(query: ExportQuery): Promise<ExportReply> {
    const id = this.nextId++;
    if (this.disposed) return Promise.resolve({ type: 'exportFailed', id, message: 'the extension is shutting down' });
    return new Promise((resolve) => {
      this.exportPending.set(id, resolve);
      this.send({ ...query, id });
    });
  }

  /**
   * Resolves once a worker runs (at once when one does): work that is not worth starting the
   * worker for (reading budgets files at activation) waits for the user's first analysis.
   */
  whenStarted(): Promise<void> {
    if (this.worker) return Promise.resolve();
    return new Promise((resolve) => this.startWaiters.push(resolve));
  }

  /**
   * Has the worker read and parse a workspace budgets file (never the host: the file is the
   * workspace's, and may be anything). Undefined when the worker stopped before answering.
   */
  readBudgetsFile(file: string): Promise<BudgetsFileReply | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.budgetsPending.set(id, resolve);
      this.send({ type: 'budgetsFile', id, file });
    });
  }

  private receive(msg: FromWorker): void {
    if (msg.type === 'budgetsFile') {
      const answer = this.budgetsPending.get(msg.id);
      this.budgetsPending.delete(msg.id);
      answer?.(msg);
      return;
    }
    if (msg.type === 'exported' || msg.type === 'exportFailed') {
      const answer = this.exportPending.get(msg.id);
      this.exportPending.delete(msg.id);
      answer?.(msg);
      return;
    }
    if (msg.type === 'waterfallData' || msg.type === 'spanDetails' || msg.type === 'waterfallFailed') {
      const answer = this.waterfallPending.get(msg.id);
      this.waterfallPending.delete(msg.id);
      answer?.(msg);
      return;
    }
    const resolve = this.pending.get(msg.id)?.resolve;
    if (!resolve) return;
    this.pending.delete(msg.id);
    switch (msg.type) {
      case 'result':
        resolve({ kind: 'result', result: msg.result });
        return;
      case 'unchanged':
        resolve({ kind: 'unchanged' });
        return;
      case 'failed':
        resolve({ kind: 'failed', message: msg.message, missing: msg.missing });
        return;
      default: {
        const never: never = msg;
        this.log(`unknown message from the analysis worker: ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * Answers every pending request with a failure; `messageFor` words it for an analysis's file, or
   * (undefined) for the waterfall and export requests, which fail with the panel or command.
   */
  private failAll(messageFor: (file: string | undefined) => string): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { file, resolve } of waiting) resolve({ kind: 'failed', message: messageFor(file), missing: false });
    const message = messageFor(undefined);
    const waterfall = [...this.waterfallPending.entries()];
    this.waterfallPending.clear();
    for (const [id, answer] of waterfall) answer({ type: 'waterfallFailed', id, message });
    const exports = [...this.exportPending.entries()];
    this.exportPending.clear();
    for (const [id, answer] of exports) answer({ type: 'exportFailed', id, message });
    const budgets = [...this.budgetsPending.values()];
    this.budgetsPending.clear();
    for (const answer of budgets) answer(undefined);
  }
}
