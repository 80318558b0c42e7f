/**
 * The OTLP receiver under load, as the extension host runs it: this process starts the receiver
 * (src/io/otlp-receiver, the module the extension uses) and watches its own event loop, while a
 * second process (the `otlp-load` case of the same bundle) plays the exporters: it sends 100 000
 * spans in export requests of 512 spans (the batch size of the SDKs' batch span processor), four
 * requests in flight, as fast as the receiver answers. Bodies are encoded once, up front, by the
 * OpenTelemetry JS SDK's own serializers (@opentelemetry/otlp-transformer) from real SDK spans,
 * so the sender spends its time sending.
 *
 * Figures per encoding (protobuf, JSON): spans per second from the first request to the last
 * span appended to the file, and the largest event-loop delay of this process meanwhile
 * (`monitorEventLoopDelay` at 1 ms), with the same measure over an idle second as a control.
 * Twice: with the receiver in its worker thread, through the extension's own client
 * (otlp-worker-client.ts and dist/otlp-worker.js: the editor's case), and in this thread (the
 * `agentprof collect` case, where nothing else waits for the thread).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WorkerReceiver } from '../../src/extension/otlp-worker-client';
import { OtlpReceiver } from '../../src/io/otlp-receiver';
import { peakRssMb } from '../stats';

export interface OtlpEncodingFigures {
  spans: number;
  requests: number;
  bodyBytes: number;
  fileBytes: number;
  seconds: number;
  spansPerSecond: number;
  maxStallMs: number;
  p99StallMs: number;
}

export interface OtlpReceiverFigures {
  /** The receiver in its worker thread; the stall is the extension host's. */
  protobuf: OtlpEncodingFigures;
  json: OtlpEncodingFigures;
  /** The receiver in the measured thread itself (as `agentprof collect` runs it). */
  inline: { protobuf: OtlpEncodingFigures; json: OtlpEncodingFigures };
  controlMaxMs: number;
  batch: number;
  inFlight: number;
  peakRssMb: number;
}

const BATCH = 512;
const IN_FLIGHT = 4;

async function idleControl(ms: number): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await new Promise((r) => setTimeout(r, ms));
  h.disable();
  return h.max / 1e6;
}

interface Hosted {
  port: number;
  spans(): number;
  close(): Promise<void>;
}

/** Starts the receiver in a worker (the editor) or in this thread (the CLI); `written` marks each write. */
async function host(where: 'worker' | 'inline', dir: string, workerScript: string, written: () => void): Promise<Hosted> {
  if (where === 'worker') {
    const r = await WorkerReceiver.start(workerScript, { dir, port: 0, grpcPort: undefined }, { onNewFile: () => undefined, onWritten: written, onRefused: () => undefined });
    return { port: r.port, spans: () => r.spans, close: () => r.close() };
  }
  const r = await OtlpReceiver.start({ dir, port: 0 });
  r.sink.onWritten = written;
  return { port: r.port, spans: () => r.sink.stats.spans, close: () => r.close() };
}

async function measure(child: string, workerScript: string, where: 'worker' | 'inline', encoding: 'protobuf' | 'json', spans: number): Promise<OtlpEncodingFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-bench-otlp-'));
  let firstAt = 0;
  let lastAt = 0;
  const receiver = await host(where, dir, workerScript, () => (lastAt = performance.now()));
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const load = spawn(process.execPath, [child, JSON.stringify({ case: 'otlp-load', port: receiver.port, encoding, spans, batch: BATCH, inFlight: IN_FLIGHT })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  load.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    // The sender says when its bodies are ready and it starts sending.
    if (!firstAt && out.includes('SENDING')) {
      firstAt = performance.now();
      histogram.enable();
    }
  });
  const code = await new Promise<number | null>((resolve) => load.on('close', resolve));
  histogram.disable();
  // The last writes' messages may still be on their way from the worker.
  for (let i = 0; i < 200 && receiver.spans() < spans; i++) await new Promise((r) => setTimeout(r, 10));
  const written = receiver.spans();
  await receiver.close();
  if (code !== 0) throw new Error(`the load process failed (exit ${code}): ${out}`);
  const sent = JSON.parse(out.slice(out.indexOf('{'))) as { requests: number; bodyBytes: number };
  const fileBytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  fs.rmSync(dir, { recursive: true, force: true });
  if (written !== spans) throw new Error(`${written} spans written of ${spans}`);
  const seconds = (lastAt - firstAt) / 1000;
  return {
    spans,
    requests: sent.requests,
    bodyBytes: sent.bodyBytes,
    fileBytes,
    seconds,
    spansPerSecond: spans / seconds,
    maxStallMs: histogram.max / 1e6,
    p99StallMs: histogram.percentile(99) / 1e6,
  };
}

/** The measured side: receiver + event-loop watch, one load per encoding and host. */
export async function otlpReceiverCase(child: string, workerScript: string, spans: number): Promise<OtlpReceiverFigures> {
  // A short warm-up load of each (JIT, sockets, the worker's start), then the measured ones.
  for (const where of ['worker', 'inline'] as const) for (const enc of ['protobuf', 'json'] as const) await measure(child, workerScript, where, enc, 10 * BATCH);
  const protobuf = await measure(child, workerScript, 'worker', 'protobuf', spans);
  const json = await measure(child, workerScript, 'worker', 'json', spans);
  const inline = { protobuf: await measure(child, workerScript, 'inline', 'protobuf', spans), json: await measure(child, workerScript, 'inline', 'json', spans) };
  return { protobuf, json, inline, controlMaxMs: await idleControl(1000), batch: BATCH, inFlight: IN_FLIGHT, peakRssMb: peakRssMb() };
}

/** Real SDK spans of an agent-like shape (an llm span with GenAI attributes, a tool span), `n` of them. */
async function sdkSpans(n: number): Promise<unknown[]> {
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('bench-agent', '1.0.0');
  for (let i = 0; i < n; i++) {
    const span = tracer.startSpan(i % 2 ? `tool:search_${i % 7}` : `llm:step_${i % 5}`);
    span.setAttribute('gen_ai.system', 'openai');
    span.setAttribute('gen_ai.request.model', 'gpt-4o-mini');
    span.setAttribute('gen_ai.usage.input_tokens', 100 + (i % 50));
    span.setAttribute('gen_ai.usage.output_tokens', 20 + (i % 30));
    span.setAttribute('step.index', i);
    span.end();
  }
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

/** The exporters' side (its own process): encodes the bodies, then sends them `inFlight` at a time. */
export async function otlpLoadCase(port: number, encoding: 'protobuf' | 'json', spans: number, batch: number, inFlight: number): Promise<{ requests: number; bodyBytes: number }> {
  const { JsonTraceSerializer, ProtobufTraceSerializer } = await import('@opentelemetry/otlp-transformer');
  const serializer = encoding === 'protobuf' ? ProtobufTraceSerializer : JsonTraceSerializer;
  const all = await sdkSpans(batch);
  const body = Buffer.from(serializer.serializeRequest(all as never)!);
  const requests = Math.ceil(spans / batch);
  if (spans % batch !== 0) throw new Error(`spans (${spans}) must be a multiple of the batch (${batch})`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const contentType = encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
  const send = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent, headers: { 'Content-Type': contentType, 'Content-Length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  process.stdout.write('SENDING\n');
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < requests) {
        next++;
        await send();
      }
    }),
  );
  agent.destroy();
  return { requests, bodyBytes: body.length * requests };
}
