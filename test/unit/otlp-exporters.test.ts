/**
 * Real exporter traffic: the Node agent fixture, instrumented with the OpenTelemetry SDK and one of
 * the three official trace exporters (JSON over HTTP, protobuf over HTTP, gRPC), sends its spans to
 * the receiver the extension runs and to `agentprof collect` in a child process. Every span must
 * arrive exactly once with its attributes, also when the exporter compresses with gzip.
 */
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { loadRuns } from '../../src/io/load-profile';
import { WorkerReceiver } from '../../src/extension/otlp-worker-client';
import { OtlpReceiver } from '../../src/io/otlp-receiver';
import { ROOT, runOtelAgent, spansFor, writtenSpans } from './helpers/otlp-agent';

const CALLS = 4;

function checkSpans(dir: string, kind: string): void {
  const { ids, byId } = writtenSpans(dir);
  assert.equal(ids.length, spansFor(CALLS), `${kind}: every span once (got ${ids.length} for ${spansFor(CALLS)})`);
  assert.equal(new Set(ids).size, ids.length, `${kind}: no span twice`);
  const names = [...byId.values()].map((s) => s.name).sort();
  assert.deepEqual(names.filter((n) => n.startsWith('llm:')), ['llm:step_0', 'llm:step_1', 'llm:step_2', 'llm:step_3']);
  const llm2 = [...byId.values()].find((s) => s.name === 'llm:step_2')!;
  // Attributes exactly as the SDK set them, in the OTLP/JSON mapping (int64 as a decimal string or number).
  assert.deepEqual(llm2.attrs['gen_ai.request.model'], { stringValue: 'gpt-4o-mini' });
  assert.equal(Number((llm2.attrs['step.index'] as { intValue: unknown }).intValue), 2);
  assert.equal(Number((llm2.attrs['gen_ai.usage.input_tokens'] as { intValue: unknown }).intValue), 102);
  assert.deepEqual(llm2.attrs['step.tags'], { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } });
  assert.deepEqual(llm2.attrs['step.ratio'], { doubleValue: 0.5 });
  assert.deepEqual(llm2.attrs['step.ok'], { boolValue: true });
  const tool1 = [...byId.values()].find((s) => s.name === 'tool:search_1')!;
  assert.deepEqual(tool1.attrs['tool.query'], { stringValue: 'query 1 — ünïcode' });
}

async function checkReadable(dir: string): Promise<void> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.otlp.jsonl'));
  const { format, runs } = await loadRuns(path.join(dir, files[0]));
  assert.equal(format, 'otlp');
  const run = runs[0];
  assert.equal(run.spans.length, spansFor(CALLS));
  const root = run.spans.find((s) => s.name === 'agent:run')!;
  assert.equal(run.spans.filter((s) => s.parent === root.index).length, 2 * CALLS, 'the tree is rebuilt from parent ids');
  assert.equal(run.usage.length, CALLS, 'gen_ai usage becomes LLM calls');
  assert.equal(run.usage.reduce((n, t) => n + t.input, 0), 100 + 101 + 102 + 103);
}

describe('OTLP receiver with real OpenTelemetry exporters', function () {
  this.timeout(90_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-otlp-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cases: { kind: 'http' | 'proto' | 'grpc'; gzip: boolean }[] = [
    { kind: 'http', gzip: false },
    { kind: 'proto', gzip: false },
    { kind: 'grpc', gzip: false },
    { kind: 'http', gzip: true },
    { kind: 'proto', gzip: true },
    { kind: 'grpc', gzip: true },
  ];
  for (const c of cases) {
    it(`receives exporter-trace-otlp-${c.kind}${c.gzip ? ' with gzip' : ''} in process`, async () => {
      const receiver = await OtlpReceiver.start({ dir, port: 0, grpcPort: 0 });
      try {
        const endpoint = c.kind === 'grpc' ? `http://127.0.0.1:${receiver.grpcPort}` : receiver.endpoint;
        const env: Record<string, string> = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
        if (c.gzip) env.OTEL_EXPORTER_OTLP_COMPRESSION = 'gzip';
        const r = await runOtelAgent(c.kind, CALLS, env);
        assert.equal(r.code, 0, r.stderr);
      } finally {
        await receiver.close();
      }
      checkSpans(dir, c.kind);
      await checkReadable(dir);
    });
  }

  it('receives the protobuf and gRPC exporters through the extension’s worker-thread receiver', async () => {
    const script = path.join(ROOT, 'src', 'extension', 'otlp-worker.ts');
    const files: string[] = [];
    const r = await WorkerReceiver.start(script, { dir, port: 0, grpcPort: 0 }, { onNewFile: (f) => files.push(f), onWritten: () => undefined, onRefused: () => undefined }, { execArgv: ['--require', 'tsx/cjs'] });
    try {
      assert.equal((await runOtelAgent('proto', CALLS, { OTEL_EXPORTER_OTLP_ENDPOINT: r.endpoint, OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' })).code, 0);
      assert.equal((await runOtelAgent('grpc', CALLS, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${r.grpcPort}` })).code, 0);
    } finally {
      await r.close();
    }
    const { ids } = writtenSpans(dir);
    assert.equal(ids.length, 2 * spansFor(CALLS));
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(files.length, 1, 'one file for the service');
  });

  it('receives all three exporters through `agentprof collect` in a child process, and reports on SIGTERM', async () => {
    const loader = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const child = spawn(process.execPath, ['--import', loader, path.join(ROOT, 'src/cli/main.ts'), 'collect', '--port', '0', '--grpc-port', '0', '--out', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      for (let i = 0; i < 200 && !/gRPC at 127\.0\.0\.1:\d+/.test(err); i++) await new Promise((r) => setTimeout(r, 100));
      const endpoint = out.trim().split('\n')[0];
      assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/, `collect prints the endpoint first: ${out}`);
      const grpcPort = /gRPC at 127\.0\.0\.1:(\d+)/.exec(err)![1];
      for (const kind of ['http', 'proto'] as const) assert.equal((await runOtelAgent(kind, CALLS, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint })).code, 0);
      assert.equal((await runOtelAgent('grpc', CALLS, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${grpcPort}`, OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' })).code, 0);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, err);
    const { ids } = writtenSpans(dir);
    assert.equal(ids.length, 3 * spansFor(CALLS));
    assert.equal(new Set(ids).size, ids.length);
    assert.match(err, new RegExp(`received ${3 * spansFor(CALLS)} spans in \\d+ requests; 1 file`));
  });

  it('`agentprof collect` on a taken port names the port and exits 2', async () => {
    const taken = await OtlpReceiver.start({ dir, port: 0 });
    try {
      const loader = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
      const { spawnSync } = await import('child_process');
      const r = spawnSync(process.execPath, ['--import', loader, path.join(ROOT, 'src/cli/main.ts'), 'collect', '--port', String(taken.port), '--out', dir], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '', 'no endpoint printed');
      assert.equal(r.stderr, `agentprof: port ${taken.port} is in use (another receiver or collector?); choose another with --port N, or --port 0 for a free one\n`);
    } finally {
      await taken.close();
    }
  });
});
