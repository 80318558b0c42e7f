/**
 * OTLP protobuf and gzip-compressed files, read by the same loader as the extension, the CLI and
 * export: a single ExportTraceServiceRequest as the OpenTelemetry JS exporter serializes it, the
 * Collector file exporter's framed protobuf, gzip of every form; and content we cannot read says
 * what it looks like.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as zlib from 'zlib';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NOT_A_PROFILE } from '../../src/ingest/detect';
import { loadRuns } from '../../src/io/load-profile';
import { ProfileSource } from '../../src/io/profile-source';

const ROOT = path.resolve(__dirname, '..', '..');

/** Three real SDK spans: agent:run with llm:plan and tool:search under it. */
async function sdkSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('files');
  const { context, trace } = await import('@opentelemetry/api');
  const root = tracer.startSpan('agent:run');
  const ctx = trace.setSpan(context.active(), root);
  const llm = tracer.startSpan('llm:plan', {}, ctx);
  llm.setAttribute('gen_ai.request.model', 'gpt-4o-mini');
  llm.setAttribute('gen_ai.usage.input_tokens', 120);
  llm.setAttribute('gen_ai.usage.output_tokens', 30);
  llm.end();
  tracer.startSpan('tool:search', {}, ctx).end();
  root.end();
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

function framed(messages: Uint8Array[]): Buffer {
  return Buffer.concat(messages.flatMap((m) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(m.length);
    return [len, Buffer.from(m)];
  }));
}

describe('OTLP protobuf and gzip files', () => {
  let dir: string;
  let spans: ReadableSpan[];
  before(async () => (spans = await sdkSpans()));
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-bin-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Uint8Array | string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  const pb = () => ProtobufTraceSerializer.serializeRequest(spans)!;

  it('reads one protobuf ExportTraceServiceRequest (.binpb, as an exporter sends it)', async () => {
    const { format, runs } = await loadRuns(write('trace.binpb', pb()));
    assert.equal(format, 'otlp');
    const run = runs[0];
    assert.deepEqual(run.spans.map((s) => s.name).sort(), ['agent:run', 'llm:plan', 'tool:search']);
    const root = run.spans.find((s) => s.name === 'agent:run')!;
    assert.equal(run.spans.filter((s) => s.parent === root.index).length, 2);
    assert.equal(run.usage.length, 1);
    assert.equal(run.usage[0].input, 120);
    assert.equal(run.usage[0].model, 'gpt-4o-mini');
  });

  it('reads the Collector file exporter’s framed protobuf (4-byte big-endian lengths)', async () => {
    const { format, runs } = await loadRuns(write('traces.pb', framed([ProtobufTraceSerializer.serializeRequest(spans.slice(0, 2))!, ProtobufTraceSerializer.serializeRequest(spans.slice(2))!])));
    assert.equal(format, 'otlp');
    assert.equal(runs[0].spans.length, 3);
  });

  it('reads gzip of protobuf, of OTLP/JSON lines and of a native profile, detected from the content', async () => {
    const gzPb = await loadRuns(write('a.gz', zlib.gzipSync(pb())));
    assert.equal(gzPb.runs[0].spans.length, 3);
    const json = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!);
    const gzJson = await loadRuns(write('b.otlp.jsonl.gz', zlib.gzipSync(json + '\n')));
    assert.equal(gzJson.format, 'otlp');
    assert.equal(gzJson.runs[0].spans.length, 3);
    const native = '{"t":"run","v":1,"name":"n","start":"1700000000000000000"}\n{"t":"s","id":1,"n":"llm:a","at":0}\n{"t":"e","id":1,"at":5000000}\n';
    const gzNative = await loadRuns(write('c.gz', zlib.gzipSync(native)));
    assert.equal(gzNative.format, 'agentprof');
    assert.deepEqual(gzNative.runs[0].spans.map((s) => s.name), ['llm:a']);
  });

  const unreadable: Array<[string, () => Uint8Array | string, RegExp]> = [
    ['binary that is no protobuf', () => Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x01]), /it looks like OTLP protobuf with an unknown field layout: not an OTLP protobuf ExportTraceServiceRequest \(/],
    ['protobuf of another message (no spans)', () => Buffer.from([0x08, 0x96, 0x01]), /it looks like OTLP protobuf with an unknown field layout: it decodes as a trace export without spans/],
    ['gzip of JSON that is no trace', () => zlib.gzipSync('{"metrics": [1, 2]}'), /it looks like gzip of JSON but not a trace \(an object with keys metrics\)$/],
    ['JSON that is no trace', () => '[1, 2, 3]\n', /it looks like JSON but not a trace \(an array\)$/],
    ['gzip of binary garbage', () => zlib.gzipSync(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x00])), /it looks like gzip of OTLP protobuf with an unknown field layout/],
    ['a damaged gzip', () => Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]), /it looks like damaged gzip \(/],
  ];
  for (const [name, bytes, message] of unreadable) {
    it(`says what ${name} looks like`, async () => {
      const { runs } = await loadRuns(write('x.bin', bytes()));
      assert.equal(runs[0].spans.length, 0);
      const m = runs[0].diagnostics[0].message;
      assert.ok(m.startsWith(NOT_A_PROFILE), m);
      assert.match(m, message);
    });
  }

  it('does not inflate gzip past the read limit', async () => {
    const { runs } = await loadRuns(write('bomb.gz', zlib.gzipSync(Buffer.alloc(2 * 1024 * 1024, 32))), { maxBytes: 1024 * 1024 });
    assert.equal(runs[0].diagnostics[0].message, `gzip of more than ${1024 * 1024} bytes (the read limit), so it was not read`);
  });

  it('opens protobuf and gzip files in the extension’s reader (ProfileSource), whole', async () => {
    for (const [name, bytes] of [['t.binpb', pb()], ['t.gz', zlib.gzipSync(pb())]] as const) {
      const source = new ProfileSource(write(name, bytes));
      await source.poll();
      assert.equal(source.profile.spans.length, 3, name);
    }
  });

  it('reports and exports a protobuf file from the CLI', function () {
    this.timeout(60_000);
    const file = write('trace.binpb', pb());
    const loader = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', loader, path.join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });
    const report = cli('report', '--json', file);
    assert.equal(report.status, 0, report.stderr);
    assert.equal((JSON.parse(report.stdout) as { run: { spans: number } }).run.spans, 3);
    const exported = cli('export', '--format', 'chrome', file);
    assert.equal(exported.status, 0, exported.stderr);
    const names = (JSON.parse(exported.stdout) as { traceEvents: { name: string; ph: string }[] }).traceEvents.filter((e) => e.ph === 'X').map((e) => e.name).sort();
    assert.deepEqual(names, ['agent:run', 'llm:plan', 'tool:search']);
  });
});
