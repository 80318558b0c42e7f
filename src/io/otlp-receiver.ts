/**
 * The OTLP receiver as the extension and `agentprof collect` run it: OTLP/HTTP on one port, OTLP/gRPC
 * optionally on another, both on 127.0.0.1, writing Collector-file lines through one
 * {@link OtlpFileSink}. Node-only; the protocol core lives in src/ingest (otlp-export, otlp-protobuf).
 */
import type { ExportLine } from '../ingest/otlp-export';
import { OtlpFileSink } from './otlp-files';
import { startGrpcReceiver } from './otlp-grpc';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DECODED_BYTES, startHttpReceiver, type RunningServer } from './otlp-http';
import { Turns } from './turns';

export interface ReceiverOptions {
  /** Directory of the `*.otlp.jsonl` files. */
  dir: string;
  /** OTLP/HTTP port; 0 picks a free one. */
  port: number;
  /** OTLP/gRPC port; undefined: no gRPC receiver; 0 picks a free one. */
  grpcPort?: number;
  maxBodyBytes?: number;
  maxDecodedBytes?: number;
  /**
   * When the gRPC port cannot be bound, keep OTLP/HTTP running and report it in `grpcError`
   * (the extension: HTTP alone is useful) instead of failing the whole start (the CLI).
   */
  grpcOptional?: boolean;
  /** A refused request (status, reason), for a log. */
  onRefused?(status: number, reason: string): void;
}

/** Which server failed to start, with the port it wanted. */
export class ReceiverStartError extends Error {
  constructor(
    readonly protocol: 'http' | 'grpc',
    readonly port: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class OtlpReceiver {
  private constructor(
    readonly sink: OtlpFileSink,
    private readonly http: RunningServer,
    private readonly grpc: RunningServer | undefined,
    /** Why the optional gRPC receiver did not start. */
    readonly grpcError: ReceiverStartError | undefined,
  ) {}

  /** Starts both servers; when one cannot bind, neither stays open. */
  static async start(o: ReceiverOptions): Promise<OtlpReceiver> {
    const sink = new OtlpFileSink(o.dir);
    const accept = (lines: ExportLine[], run?: string) => sink.append(lines, run);
    const maxDecodedBytes = o.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
    const turns = new Turns();
    let http: RunningServer;
    try {
      http = await startHttpReceiver({ port: o.port, maxBodyBytes: o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, maxDecodedBytes, accept, onRefused: o.onRefused, turns });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ReceiverStartError('http', o.port, code, `OTLP/HTTP port ${o.port}: ${(err as Error).message}`);
    }
    let grpc: RunningServer | undefined;
    let grpcError: ReceiverStartError | undefined;
    if (o.grpcPort !== undefined) {
      try {
        grpc = await startGrpcReceiver({ port: o.grpcPort, maxDecodedBytes, accept: (lines) => accept(lines), onRefused: o.onRefused, turns });
      } catch (err) {
        grpcError = new ReceiverStartError('grpc', o.grpcPort, (err as NodeJS.ErrnoException).code, `OTLP/gRPC port ${o.grpcPort}: ${(err as Error).message}`);
        if (!o.grpcOptional) {
          await http.close();
          throw grpcError;
        }
      }
    }
    return new OtlpReceiver(sink, http, grpc, grpcError);
  }

  get port(): number {
    return this.http.port;
  }

  get grpcPort(): number | undefined {
    return this.grpc?.port;
  }

  /** The base URL exporters are given (`OTEL_EXPORTER_OTLP_ENDPOINT`). */
  get endpoint(): string {
    return `http://127.0.0.1:${this.http.port}`;
  }

  /** Stops accepting, lets requests in flight finish, then finishes and closes the files. */
  async close(): Promise<void> {
    await Promise.all([this.http.close(), this.grpc?.close()]);
    await this.sink.close();
  }
}
