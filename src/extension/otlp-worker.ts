/**
 * The OTLP receiver's own thread: it runs src/io/otlp-receiver (HTTP, gRPC, decoding, file writes)
 * off the extension host's thread, so a burst of spans never delays the editor. Bundled as
 * dist/otlp-worker.js; it talks to otlp-worker-client.ts through otlp-worker-protocol.ts.
 */
import { parentPort } from 'node:worker_threads';
import type { FromReceiver, ToReceiver } from '../io/otlp-worker-protocol';
import { OtlpReceiver, ReceiverStartError } from '../io/otlp-receiver';

const port = parentPort;
if (!port) throw new Error('otlp-worker.js runs as a worker thread');
const post = (msg: FromReceiver) => port.postMessage(msg);
let receiver: OtlpReceiver | undefined;

port.on('message', (msg: ToReceiver) => {
  switch (msg.type) {
    case 'start':
      void OtlpReceiver.start({
        dir: msg.dir,
        port: msg.port,
        grpcPort: msg.grpcPort,
        grpcOptional: true,
        onRefused: (status, reason) => post({ type: 'refused', status, reason }),
      }).then(
        (r) => {
          receiver = r;
          r.sink.onNewFile = (file) => post({ type: 'newFile', file });
          r.sink.onWritten = (file, spans) => post({ type: 'written', file, spans, total: r.sink.stats.spans });
          const e = r.grpcError;
          post({ type: 'started', port: r.port, grpcPort: r.grpcPort, grpcError: e && { port: e.port, code: e.code, message: e.message } });
        },
        (err: unknown) => {
          const e = err instanceof ReceiverStartError ? err : undefined;
          post({ type: 'failed', protocol: e?.protocol ?? 'http', port: e?.port ?? msg.port, code: e?.code, message: err instanceof Error ? err.message : String(err) });
        },
      );
      break;
    case 'addRun':
      receiver?.sink.addRun(msg.id, msg.file);
      break;
    case 'removeRun':
      receiver?.sink.removeRun(msg.id);
      break;
    case 'close':
      void (receiver ? receiver.close() : Promise.resolve()).finally(() => post({ type: 'closed' }));
      break;
    default: {
      const never: never = msg;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
});
