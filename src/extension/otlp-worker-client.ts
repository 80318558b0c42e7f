/**
 * The extension host's handle on the OTLP receiver running in its worker thread (otlp-worker.ts):
 * start, per-run routes, counts and new files as events, and a close that waits for the last
 * writes. No vscode here, so the benchmark measures the host's side exactly as the editor runs it.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { FromReceiver, ToReceiver } from '../io/otlp-worker-protocol';
import { ReceiverStartError } from '../io/otlp-receiver';

export interface WorkerReceiverEvents {
  onNewFile(file: string): void;
  onWritten(file: string, spans: number): void;
  onRefused(status: number, reason: string): void;
  /** The worker ended without being closed (a crash): the receiver is gone. */
  onExit?(message: string): void;
}

export class WorkerReceiver {
  /** Spans written since the start. */
  spans = 0;
  /** Set by close(): the worker's exit is then expected. */
  closing = false;
  private closed: (() => void) | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly port: number,
    readonly grpcPort: number | undefined,
    readonly grpcError: ReceiverStartError | undefined,
  ) {}

  /** Starts the worker and its receiver; rejects with a {@link ReceiverStartError} when a port cannot be bound. */
  static start(script: string, options: { dir: string; port: number; grpcPort: number | undefined }, events: WorkerReceiverEvents, workerOptions: WorkerOptions = {}): Promise<WorkerReceiver> {
    const worker = new Worker(script, workerOptions);
    return new Promise((resolve, reject) => {
      let receiver: WorkerReceiver | undefined;
      worker.on('message', (msg: FromReceiver) => {
        switch (msg.type) {
          case 'started': {
            const e = msg.grpcError;
            receiver = new WorkerReceiver(worker, msg.port, msg.grpcPort, e && new ReceiverStartError('grpc', e.port, e.code, e.message));
            resolve(receiver);
            break;
          }
          case 'failed':
            void worker.terminate();
            reject(new ReceiverStartError(msg.protocol, msg.port, msg.code, msg.message));
            break;
          case 'newFile':
            events.onNewFile(msg.file);
            break;
          case 'written':
            if (receiver) receiver.spans = msg.total;
            events.onWritten(msg.file, msg.spans);
            break;
          case 'refused':
            events.onRefused(msg.status, msg.reason);
            break;
          case 'closed':
            receiver?.closed?.();
            break;
        }
      });
      let lastError = '';
      worker.on('error', (err) => {
        lastError = err.message;
        reject(new ReceiverStartError('http', options.port, undefined, `the receiver's worker failed: ${err.message}`));
      });
      worker.on('exit', (code) => {
        if (receiver && !receiver.closing) events.onExit?.(`the receiver's thread ended (exit code ${code}${lastError ? `: ${lastError}` : ''})`);
      });
      const start: ToReceiver = { type: 'start', ...options };
      worker.postMessage(start);
    });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  addRun(id: string, file: string): void {
    this.send({ type: 'addRun', id, file });
  }

  removeRun(id: string): void {
    this.send({ type: 'removeRun', id });
  }

  private send(msg: ToReceiver): void {
    this.worker.postMessage(msg);
  }

  /** Stops the servers, lets the last writes finish (at most 5 s), then ends the thread. */
  async close(): Promise<void> {
    this.closing = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      this.closed = () => {
        clearTimeout(timer);
        resolve();
      };
      this.send({ type: 'close' });
    });
    await this.worker.terminate();
  }
}
