/**
 * The OTLP/HTTP receiver's answers, request by request: partial success in both encodings, gzip,
 * and the refusals (cross-origin, DNS-rebinding Host, oversized and gzip-bomb bodies, other media
 * types, malformed bodies), each with its status and nothing written.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as protobuf from 'protobufjs/light';
import { decodeTraceResponse } from '../../src/ingest/otlp-protobuf';
import { OTLP_TRACE_DESCRIPTOR } from '../../src/ingest/otlp-proto-schema';
import { isAllowedOrigin, isLoopbackHost, routeOf } from '../../src/io/otlp-http';
import { OtlpReceiver } from '../../src/io/otlp-receiver';
import { writtenSpans } from './helpers/otlp-agent';

const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR as protobuf.INamespace);
const Request = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const Status = new protobuf.Type('Status').add(new protobuf.Field('code', 1, 'int32')).add(new protobuf.Field('message', 2, 'string'));

const TRACE = '5b8efff798038103d269b633813fc60c';
function jsonSpan(spanId: string, name: string, traceId = TRACE) {
  return { traceId, spanId, name, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000500000000', attributes: [{ key: 'k', value: { intValue: '7' } }] };
}
function jsonRequest(spans: unknown[], service = 'svc') {
  return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] };
}
const hex = (h: string) => Buffer.from(h, 'hex');
function protoRequest(spans: { traceId: Buffer; spanId: Buffer; name: string }[]): Buffer {
  const msg = Request.fromObject({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'pb' } }] }, scopeSpans: [{ spans: spans.map((s) => ({ ...s, startTimeUnixNano: 1, endTimeUnixNano: 2 })) }] }],
  });
  return Buffer.from(Request.encode(msg).finish());
}

interface Reply {
  status: number;
  type: string | undefined;
  body: Buffer;
}
function post(port: number, body: Buffer | string, headers: Record<string, string>, urlPath = '/v1/traces'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('OTLP/HTTP receiver', () => {
  let dir: string;
  let receiver: OtlpReceiver;
  let refused: number[];
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-recv-'));
    refused = [];
    receiver = await OtlpReceiver.start({ dir: path.join(dir, 'otlp'), port: 0, maxBodyBytes: 64 * 1024, maxDecodedBytes: 256 * 1024, onRefused: (s) => refused.push(s) });
  });
  afterEach(async () => {
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const JSON_TYPE = { 'Content-Type': 'application/json' };
  const PB_TYPE = { 'Content-Type': 'application/x-protobuf' };

  it('accepts JSON and answers an empty ExportTraceServiceResponse in JSON', async () => {
    const r = await post(receiver.port, JSON.stringify(jsonRequest([jsonSpan('0000000000000001', 'a'), jsonSpan('0000000000000002', 'b')])), JSON_TYPE);
    assert.equal(r.status, 200);
    assert.equal(r.type, 'application/json');
    assert.deepEqual(JSON.parse(r.body.toString()), {});
    const w = writtenSpans(path.join(dir, 'otlp'));
    assert.deepEqual(w.ids, ['0000000000000001', '0000000000000002']);
    assert.equal(w.lines, 1);
    assert.match(w.files[0], /^\d{8}T\d{6}Z-svc\.otlp\.jsonl$/);
    assert.equal(receiver.sink.stats.spans, 2);
  });

  it('rejects spans without valid ids as a partial success (JSON), keeping the others', async () => {
    const spans = [jsonSpan('0000000000000001', 'ok'), jsonSpan('xyz', 'bad span id'), jsonSpan('0000000000000003', 'bad trace', '00')];
    const r = await post(receiver.port, JSON.stringify(jsonRequest(spans)), JSON_TYPE);
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body.toString()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    assert.equal(body.partialSuccess.rejectedSpans, '2');
    assert.equal(body.partialSuccess.errorMessage, '2 spans rejected; the first was a span without a valid spanId');
    assert.deepEqual(writtenSpans(path.join(dir, 'otlp')).ids, ['0000000000000001']);
  });

  it('answers protobuf in protobuf, with partialSuccess for a span whose trace id has the wrong length', async () => {
    const body = protoRequest([
      { traceId: hex(TRACE), spanId: hex('00000000000000aa'), name: 'kept' },
      { traceId: hex('0102'), spanId: hex('00000000000000bb'), name: 'short trace id' },
    ]);
    const r = await post(receiver.port, body, PB_TYPE);
    assert.equal(r.status, 200);
    assert.equal(r.type, 'application/x-protobuf');
    assert.deepEqual(decodeTraceResponse(r.body), { rejectedSpans: 1, errorMessage: '1 span rejected; the first was a span without a valid traceId' });
    const w = writtenSpans(path.join(dir, 'otlp'));
    assert.deepEqual(w.ids, ['00000000000000aa']);
    assert.equal(w.byId.get('00000000000000aa')!.name, 'kept');
    assert.match(w.files[0], /-pb\.otlp\.jsonl$/);
  });

  it('inflates gzip bodies of both encodings', async () => {
    const json = zlib.gzipSync(JSON.stringify(jsonRequest([jsonSpan('0000000000000001', 'gz json')])));
    const pb = zlib.gzipSync(protoRequest([{ traceId: hex(TRACE), spanId: hex('0000000000000002'), name: 'gz pb' }]));
    assert.equal((await post(receiver.port, json, { ...JSON_TYPE, 'Content-Encoding': 'gzip' })).status, 200);
    assert.equal((await post(receiver.port, pb, { ...PB_TYPE, 'Content-Encoding': 'gzip' })).status, 200);
    const names = [...writtenSpans(path.join(dir, 'otlp')).byId.values()].map((s) => s.name).sort();
    assert.deepEqual(names, ['gz json', 'gz pb']);
  });

  it('writes one line per request, appended, and splits a request by service', async () => {
    const two = { resourceSpans: [...jsonRequest([jsonSpan('0000000000000001', 'a')], 'one').resourceSpans, ...jsonRequest([jsonSpan('0000000000000002', 'b')], 'two').resourceSpans] };
    assert.equal((await post(receiver.port, JSON.stringify(two), JSON_TYPE)).status, 200);
    assert.equal((await post(receiver.port, JSON.stringify(jsonRequest([jsonSpan('0000000000000003', 'c')], 'one')), JSON_TYPE)).status, 200);
    const files = fs.readdirSync(path.join(dir, 'otlp')).sort();
    assert.equal(files.length, 2);
    const one = fs.readFileSync(path.join(dir, 'otlp', files.find((f) => f.endsWith('-one.otlp.jsonl'))!), 'utf8');
    assert.equal(one.split('\n').length, 3, 'two lines and the final newline');
  });

  it('sends a run endpoint’s spans to the run’s file', async () => {
    const runFile = path.join(dir, 'otlp', 'my-run.otlp.jsonl');
    receiver.sink.addRun('r1', runFile);
    assert.equal((await post(receiver.port, JSON.stringify(jsonRequest([jsonSpan('0000000000000001', 'a')], 'x')), JSON_TYPE, '/runs/r1/v1/traces')).status, 200);
    assert.equal(fs.readFileSync(runFile, 'utf8').split('\n').length, 2);
  });

  const refusals: { name: string; status: number; send: (port: number) => Promise<Reply> }[] = [
    { name: 'a cross-origin POST', status: 403, send: (p) => post(p, JSON.stringify(jsonRequest([jsonSpan('0000000000000001', 'a')])), { ...JSON_TYPE, Origin: 'https://evil.example' }) },
    { name: 'an opaque (null) origin', status: 403, send: (p) => post(p, JSON.stringify(jsonRequest([jsonSpan('0000000000000001', 'a')])), { ...JSON_TYPE, Origin: 'null' }) },
    { name: 'a non-loopback Host (DNS rebinding)', status: 403, send: (p) => post(p, JSON.stringify(jsonRequest([jsonSpan('0000000000000001', 'a')])), { ...JSON_TYPE, Host: `rebind.example:${p}` }) },
    { name: 'an oversized body (declared)', status: 413, send: (p) => post(p, Buffer.alloc(65 * 1024, 32), JSON_TYPE) },
    { name: 'an oversized chunked body', status: 413, send: (p) => post(p, Buffer.alloc(65 * 1024, 32), { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' }) },
    { name: 'a gzip bomb (small body, huge when inflated)', status: 413, send: (p) => post(p, zlib.gzipSync(Buffer.alloc(4 * 1024 * 1024, 32)), { ...JSON_TYPE, 'Content-Encoding': 'gzip' }) },
    { name: 'another media type', status: 415, send: (p) => post(p, 'resourceSpans', { 'Content-Type': 'text/plain' }) },
    { name: 'another content encoding', status: 415, send: (p) => post(p, '{}', { ...JSON_TYPE, 'Content-Encoding': 'br' }) },
    { name: 'malformed JSON', status: 400, send: (p) => post(p, '{"resourceSpans": [', JSON_TYPE) },
    { name: 'JSON that is not a request', status: 400, send: (p) => post(p, '{"resourceSpans": 5}', JSON_TYPE) },
    { name: 'malformed protobuf', status: 400, send: (p) => post(p, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1]), PB_TYPE) },
    { name: 'a body that is not gzip', status: 400, send: (p) => post(p, '{}', { ...JSON_TYPE, 'Content-Encoding': 'gzip' }) },
    { name: 'another path', status: 404, send: (p) => post(p, '{}', JSON_TYPE, '/v1/logs') },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name} with ${r.status} and writes nothing`, async () => {
      const reply = await r.send(receiver.port);
      assert.equal(reply.status, r.status);
      assert.deepEqual(refused, [r.status]);
      assert.equal(fs.existsSync(path.join(dir, 'otlp')), false, 'no file, not even the folder');
      assert.equal(receiver.sink.stats.spans, 0);
    });
  }

  it('says why in the client’s encoding: google.rpc.Status for protobuf', async () => {
    const reply = await post(receiver.port, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1]), PB_TYPE);
    assert.equal(reply.type, 'application/x-protobuf');
    const status = Status.toObject(Status.decode(reply.body)) as { code: number; message: string };
    assert.equal(status.code, 3);
    assert.match(status.message, /^not an OTLP protobuf ExportTraceServiceRequest \(/);
  });

  it('accepts loopback origins and hosts only', () => {
    assert.equal(isAllowedOrigin(undefined), true);
    assert.equal(isAllowedOrigin('http://localhost:5173'), true);
    assert.equal(isAllowedOrigin('http://127.0.0.1'), true);
    assert.equal(isAllowedOrigin('http://[::1]:80'), true);
    assert.equal(isAllowedOrigin('http://127.0.0.1.evil.example'), false);
    assert.equal(isAllowedOrigin('vscode-webview://abc'), false);
    assert.equal(isLoopbackHost('127.0.0.1:4318'), true);
    assert.equal(isLoopbackHost('LOCALHOST'), true);
    assert.equal(isLoopbackHost('[::1]:4318'), true);
    assert.equal(isLoopbackHost('localhost.evil.example:4318'), false);
    assert.equal(isLoopbackHost(undefined), false);
    assert.deepEqual(routeOf('/v1/traces?x=1'), {});
    assert.deepEqual(routeOf('/runs/abc_1/v1/traces'), { run: 'abc_1' });
    assert.equal(routeOf('/runs/../v1/traces'), undefined);
  });
});
