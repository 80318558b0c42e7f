/**
 * The OTLP/gRPC receiver's answers, with a raw grpc-js client: a partial success in the
 * ExportTraceServiceResponse, INVALID_ARGUMENT for bytes that are no request and RESOURCE_EXHAUSTED
 * for a message over the limit, both with nothing written.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import * as protobuf from 'protobufjs/light';
import { decodeTraceResponse } from '../../src/ingest/otlp-protobuf';
import { OTLP_TRACE_DESCRIPTOR } from '../../src/ingest/otlp-proto-schema';
import { OtlpReceiver } from '../../src/io/otlp-receiver';
import { writtenSpans } from './helpers/otlp-agent';

const Request = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR as protobuf.INamespace).lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

function call(port: number, body: Buffer): Promise<{ error: grpc.ServiceError | null; reply?: Buffer }> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(EXPORT, (b: Buffer) => b, (b: Buffer) => b, body, (error, reply) => {
      client.close();
      resolve({ error, reply });
    });
  });
}

describe('OTLP/gRPC receiver', () => {
  let dir: string;
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-grpc-'));
    receiver = await OtlpReceiver.start({ dir, port: 0, grpcPort: 0, maxDecodedBytes: 64 * 1024 });
  });
  afterEach(async () => {
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a partial success and writes the valid spans', async () => {
    const body = Buffer.from(
      Request.encode(
        Request.fromObject({
          resourceSpans: [{ scopeSpans: [{ spans: [
            { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'ok', startTimeUnixNano: 1, endTimeUnixNano: 2 },
            { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(4, 3), name: 'short span id', startTimeUnixNano: 1, endTimeUnixNano: 2 },
          ] }] }],
        }),
      ).finish(),
    );
    const { error, reply } = await call(receiver.grpcPort!, body);
    assert.equal(error, null);
    assert.deepEqual(decodeTraceResponse(reply!), { rejectedSpans: 1, errorMessage: '1 span rejected; the first was a span without a valid spanId' });
    assert.deepEqual(writtenSpans(dir).ids, ['0202020202020202']);
  });

  it('refuses bytes that are no request (INVALID_ARGUMENT) and a message over the limit (RESOURCE_EXHAUSTED), writing nothing', async () => {
    const bad = await call(receiver.grpcPort!, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1]));
    assert.equal(bad.error?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(bad.error!.details, /^not an OTLP protobuf ExportTraceServiceRequest/);
    const big = await call(receiver.grpcPort!, Buffer.alloc(65 * 1024, 0x0a));
    assert.equal(big.error?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
