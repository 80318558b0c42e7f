/**
 * Messages between the extension host and the OTLP receiver's worker thread (otlp-worker.ts).
 * The receiver decodes and writes on the worker's thread; the host hears only what changed.
 */

/** Host → worker. */
export type ToReceiver =
  | { type: 'start'; dir: string; port: number; grpcPort: number | undefined }
  | { type: 'addRun'; id: string; file: string }
  | { type: 'removeRun'; id: string }
  | { type: 'close' };

/** Worker → host. */
export type FromReceiver =
  | { type: 'started'; port: number; grpcPort: number | undefined; grpcError: { port: number; code: string | undefined; message: string } | undefined }
  | { type: 'failed'; protocol: 'http' | 'grpc'; port: number; code: string | undefined; message: string }
  | { type: 'newFile'; file: string }
  | { type: 'written'; file: string; spans: number; total: number }
  | { type: 'refused'; status: number; reason: string }
  | { type: 'closed' };
