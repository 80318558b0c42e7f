/**
 * OTLP/gRPC trace receiver (node-only): `opentelemetry.proto.collector.trace.v1.TraceService/Export`
 * on 127.0.0.1 with @grpc/grpc-js. Messages stay raw bytes through grpc-js (which also undoes
 * gzip message compression) and are decoded by the same core as OTLP/HTTP protobuf bodies.
 * Browsers cannot speak plaintext HTTP/2 (h2c), so no web page can reach this port; the size limit
 * is grpc-js's own receive limit, checked after decompression.
 */
import * as grpc from '@grpc/grpc-js';
import { readExportBody, type ExportLine } from '../ingest/otlp-export';
import { encodeTraceResponse } from '../ingest/otlp-protobuf';
import type { RunningServer } from './otlp-http';
import { Turns } from './turns';

export interface GrpcReceiverOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Largest message after decompression. */
  maxDecodedBytes: number;
  accept(lines: ExportLine[]): Promise<void>;
  onRefused?(code: grpc.status, reason: string): void;
  turns?: Turns;
}

const identity = (b: Buffer): Buffer => b;

/** The service definition with byte (de)serialisers: decoding happens in our core, not in grpc-js. */
const TRACE_SERVICE: grpc.ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/** Starts the gRPC receiver; rejects when the port cannot be bound. */
export function startGrpcReceiver(o: GrpcReceiverOptions): Promise<RunningServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': o.maxDecodedBytes,
    'grpc.max_send_message_length': 1024 * 1024,
  });
  const turns = o.turns ?? new Turns();
  server.addService(TRACE_SERVICE, {
    Export: async (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const outcome = await turns.run(() => readExportBody(call.request, 'protobuf'));
      if (!outcome.ok) {
        o.onRefused?.(grpc.status.INVALID_ARGUMENT, outcome.error);
        callback({ code: grpc.status.INVALID_ARGUMENT, details: outcome.error });
        return;
      }
      const reply = () => callback(null, Buffer.from(encodeTraceResponse(outcome.rejected, outcome.errorMessage)));
      if (!outcome.lines.length) return reply();
      o.accept(outcome.lines).then(reply, (err: unknown) => {
        const details = `could not write: ${err instanceof Error ? err.message : String(err)}`;
        o.onRefused?.(grpc.status.UNAVAILABLE, details);
        callback({ code: grpc.status.UNAVAILABLE, details });
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${o.port}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err) {
        server.forceShutdown();
        // grpc-js says "No address added out of total 1 resolved"; the cause is almost always a taken port.
        const e = new Error(`port ${o.port} is not available (${err.message})`) as NodeJS.ErrnoException;
        e.code = 'EADDRINUSE';
        reject(e);
        return;
      }
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => server.forceShutdown(), 2000);
            server.tryShutdown(() => {
              clearTimeout(timer);
              done();
            });
          }),
      });
    });
  });
}
