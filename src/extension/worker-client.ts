/**
 * The host's side of the analysis worker: request/response over `postMessage`, one worker for all
 * files. A worker that dies (out of memory on a giant file, a bug) fails the pending requests and
 * is started again on the next one, with the last settings.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { AnalysisSettings, ExportQuery, ExportReply, FromWorker, RunResult, ToWorker, WaterfallQuery, WaterfallReply } from './worker-protocol';

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
  private readonly pending = new Map<number, (outcome: AnalyzeOutcome) => void>();
  /** Requests of the waterfall panel (waterfall-panel.ts), answered by id like analyses. */
  private readonly waterfallPending = new Map<number, (reply: WaterfallReply) => void>();
  /** Export… requests, answered by id. */
  private readonly exportPending = new Map<number, (reply: ExportReply) => void>();
  private disposed = false;

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
    if (this.worker) this.send({ type: 'configure', settings });
  }

  analyze(file: string, force: boolean): Promise<AnalyzeOutcome> {
    if (this.disposed) return Promise.resolve({ kind: 'failed', message: 'the extension is shutting down', missing: false });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ type: 'analyze', id, file, force });
    });
  }

  close(file: string): void {
    if (this.worker) this.send({ type: 'close', file });
  }

  dispose(): void {
    this.disposed = true;
    this.failAll('the extension is shutting down');
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private send(msg: ToWorker): void {
    this.ensureWorker().postMessage(msg);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, this.workerOptions);
    worker.on('message', (msg: FromWorker) => this.receive(msg));
    worker.on('error', (err) => {
      this.log(`analysis worker failed: ${err.stack ?? err.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (!this.disposed) {
        this.log(`analysis worker stopped (exit code ${code}); it restarts on the next request`);
        this.failAll(`the analysis worker stopped (exit code ${code})`);
      }
    });
    // The worker must not keep the extension host alive on shutdown.
    worker.unref();
    this.worker = worker;
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

  private receive(msg: FromWorker): void {
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
    const resolve = this.pending.get(msg.id);
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

  private failAll(message: string): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const resolve of waiting) resolve({ kind: 'failed', message, missing: false });
    const waterfall = [...this.waterfallPending.entries()];
    this.waterfallPending.clear();
    for (const [id, answer] of waterfall) answer({ type: 'waterfallFailed', id, message });
    const exports = [...this.exportPending.entries()];
    this.exportPending.clear();
    for (const [id, answer] of exports) answer({ type: 'exportFailed', id, message });
  }
}
