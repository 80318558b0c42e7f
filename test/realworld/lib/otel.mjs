// The real OpenTelemetry JS SDK as an application sets it up: a NodeTracerProvider registered
// globally (AsyncLocalStorage context), spans collected in memory, optionally also sent through
// the OTLP/HTTP JSON and protobuf exporters to a local capture server that keeps the exact bytes.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OUT_DIR, SCENARIO } from './harness.mjs';

/** Receives OTLP POSTs on 127.0.0.1 (port 0) and keeps each body with its content type. */
async function startCapture() {
  const bodies = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      bodies.push({ path: req.url, contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' });
      res.end(req.headers['content-type']?.includes('json') ? '{}' : '');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, bodies, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * Registers the provider. `captureHttp`: also export through OTLP/HTTP JSON and protobuf (one batch
 * each, flushed at the end), keeping the bodies as `<scenario>.http.json` / `.http.pb`.
 */
export async function startOtel({ serviceName, captureHttp = false, register = true } = {}) {
  const exporter = new InMemorySpanExporter();
  const processors = [new SimpleSpanProcessor(exporter)];
  let capture = null;
  if (captureHttp) {
    capture = await startCapture();
    const { OTLPTraceExporter: HttpJson } = await import('@opentelemetry/exporter-trace-otlp-http');
    const { OTLPTraceExporter: HttpProto } = await import('@opentelemetry/exporter-trace-otlp-proto');
    const batch = { maxExportBatchSize: 10_000, maxQueueSize: 10_000, scheduledDelayMillis: 600_000 };
    processors.push(new BatchSpanProcessor(new HttpJson({ url: `${capture.url}/json/v1/traces` }), batch));
    processors.push(new BatchSpanProcessor(new HttpProto({ url: `${capture.url}/proto/v1/traces` }), batch));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName ?? SCENARIO }),
    spanProcessors: processors,
  });
  if (register) provider.register();
  return {
    provider,
    exporter,
    tracer: trace.getTracer('realworld-agent'),
    /** Flushes every processor, writes the captured bodies, shuts down; returns the finished spans. */
    async finish() {
      await provider.forceFlush();
      const spans = exporter.getFinishedSpans().slice();
      if (capture) {
        const json = capture.bodies.filter((b) => b.path.startsWith('/json'));
        const proto = capture.bodies.filter((b) => b.path.startsWith('/proto'));
        if (json.length !== 1 || proto.length !== 1) throw new Error(`expected one OTLP body each, got json ${json.length}, proto ${proto.length}`);
        fs.writeFileSync(path.join(OUT_DIR, `${SCENARIO}.http.json`), json[0].body);
        fs.writeFileSync(path.join(OUT_DIR, `${SCENARIO}.http.pb`), proto[0].body);
        await capture.close();
      }
      await provider.shutdown();
      return spans;
    },
  };
}

/** Versions of the named packages as installed (read from their package.json files). */
export function versions(names) {
  const out = {};
  for (const name of names) {
    const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'node_modules', name, 'package.json');
    out[name] = JSON.parse(fs.readFileSync(file, 'utf8')).version;
  }
  return out;
}
