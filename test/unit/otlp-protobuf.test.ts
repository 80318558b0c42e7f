/** OTLP protobuf decoded through the vendored definitions into the OTLP/JSON mapping. */
import { strict as assert } from 'assert';
import * as protobuf from 'protobufjs/light';
import { decodeTraceRequest, decodeTraceResponse, encodeTraceResponse } from '../../src/ingest/otlp-protobuf';
import { OTLP_TRACE_DESCRIPTOR } from '../../src/ingest/otlp-proto-schema';

const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR as protobuf.INamespace);
const Request = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');

describe('OTLP protobuf decoding', () => {
  it('keeps every digit of 64-bit times, signed ints, ids as hex, and each value kind', () => {
    const bytes = Request.encode(
      Request.fromObject({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
            scopeSpans: [
              {
                scope: { name: 'lib', version: '2' },
                spans: [
                  {
                    traceId: Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex'),
                    spanId: Buffer.from('a1a2a3a4a5a6a7a8', 'hex'),
                    parentSpanId: Buffer.from('b1b2b3b4b5b6b7b8', 'hex'),
                    name: 'llm:x',
                    kind: 3,
                    startTimeUnixNano: '1700000000123456789',
                    endTimeUnixNano: '18446744073709551615',
                    attributes: [
                      { key: 'neg', value: { intValue: '-5' } },
                      { key: 'big', value: { intValue: '9007199254740993' } },
                      { key: 'd', value: { doubleValue: 0.25 } },
                      { key: 'b', value: { boolValue: false } },
                      { key: 'raw', value: { bytesValue: Buffer.from([1, 2, 255]) } },
                      { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } } },
                      { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
                    ],
                    status: { code: 2, message: 'boom' },
                    events: [{ timeUnixNano: '1700000000200000000', name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'E' } }] }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    ).finish();
    const r = decodeTraceRequest(bytes);
    assert.ok(r.ok);
    const rs = (r.request.resourceSpans as any[])[0];
    assert.deepEqual(rs.resource, { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] });
    assert.deepEqual(rs.scopeSpans[0].scope, { name: 'lib', version: '2' });
    const span = rs.scopeSpans[0].spans[0];
    assert.equal(span.traceId, '0102030405060708090a0b0c0d0e0f10');
    assert.equal(span.spanId, 'a1a2a3a4a5a6a7a8');
    assert.equal(span.parentSpanId, 'b1b2b3b4b5b6b7b8');
    assert.equal(span.kind, 3);
    assert.equal(span.startTimeUnixNano, '1700000000123456789');
    assert.equal(span.endTimeUnixNano, '18446744073709551615', 'fixed64 is unsigned');
    assert.deepEqual(span.attributes, [
      { key: 'neg', value: { intValue: '-5' } },
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'd', value: { doubleValue: 0.25 } },
      { key: 'b', value: { boolValue: false } },
      { key: 'raw', value: { bytesValue: 'AQL/' } },
      { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
      { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
    ]);
    assert.deepEqual(span.status, { message: 'boom', code: 2 });
    assert.deepEqual(span.events, [{ timeUnixNano: '1700000000200000000', name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'E' } }] }]);
  });

  it('says what the library found in bytes of another layout', () => {
    const r = decodeTraceRequest(new Uint8Array([0x0a, 0x05, 0x01]));
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, /^not an OTLP protobuf ExportTraceServiceRequest \(.+\)$/);
  });

  it('round-trips a partial-success response', () => {
    assert.deepEqual(decodeTraceResponse(encodeTraceResponse(3, 'why')), { rejectedSpans: 3, errorMessage: 'why' });
    assert.equal(encodeTraceResponse(0, '').length, 0, 'full success is an empty message');
  });
});

describe('the vendored OTLP definitions', () => {
  it('match the generated descriptor (npm run gen:otlp-proto)', () => {
    const { spawnSync } = require('child_process') as typeof import('child_process');
    const path = require('path') as typeof import('path');
    const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'gen-otlp-proto.js'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
