/**
 * The receiver as the extension runs it, in its worker thread: events reach the host, spans land in
 * the file, a run's route works, and a second receiver on a taken port (a second window) is told
 * which port, with EADDRINUSE, instead of fighting over it.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { ReceiverStartError } from '../../src/io/otlp-receiver';
import { WorkerReceiver } from '../../src/extension/otlp-worker-client';

const SCRIPT = path.join(__dirname, '..', '..', 'src', 'extension', 'otlp-worker.ts');
const TSX = { execArgv: ['--require', 'tsx/cjs'] };

function postJson(port: number, urlPath: string, body: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const request = (spanId: string) => ({
  resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'w' } }] }, scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId, name: 'x', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }],
});

describe('OTLP receiver in its worker thread', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-worker-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports new files and written spans, routes a run, and finishes writing on close', async () => {
    const files: string[] = [];
    const written: Array<[string, number]> = [];
    const r = await WorkerReceiver.start(SCRIPT, { dir, port: 0, grpcPort: undefined }, { onNewFile: (f) => files.push(f), onWritten: (f, n) => written.push([path.basename(f), n]), onRefused: () => undefined }, TSX);
    try {
      assert.ok(r.port > 0);
      assert.equal(r.grpcPort, undefined);
      assert.equal(await postJson(r.port, '/v1/traces', request('0000000000000001')), 200);
      const runFile = path.join(dir, 'run.otlp.jsonl');
      r.addRun('abc', runFile);
      assert.equal(await postJson(r.port, '/runs/abc/v1/traces', request('0000000000000002')), 200);
      assert.equal(files.length, 2);
      assert.equal(files[1], runFile);
      assert.deepEqual(written.map(([, n]) => n), [1, 1]);
      assert.equal(r.spans, 2);
    } finally {
      await r.close();
    }
    assert.equal(fs.readFileSync(path.join(dir, 'run.otlp.jsonl'), 'utf8').split('\n').length, 2);
  });

  it('tells a second receiver on the same port that the port is in use', async () => {
    const first = await WorkerReceiver.start(SCRIPT, { dir, port: 0, grpcPort: undefined }, { onNewFile: () => undefined, onWritten: () => undefined, onRefused: () => undefined }, TSX);
    try {
      await assert.rejects(
        WorkerReceiver.start(SCRIPT, { dir, port: first.port, grpcPort: undefined }, { onNewFile: () => undefined, onWritten: () => undefined, onRefused: () => undefined }, TSX),
        (err: unknown) => err instanceof ReceiverStartError && err.code === 'EADDRINUSE' && err.port === first.port && err.protocol === 'http',
      );
    } finally {
      await first.close();
    }
  });

  it('says when the receiver’s thread ends without being closed, and not on close', async () => {
    const exits: string[] = [];
    const events = { onNewFile: () => undefined, onWritten: () => undefined, onRefused: () => undefined, onExit: (m: string) => exits.push(m) };
    const crashed = await WorkerReceiver.start(SCRIPT, { dir, port: 0, grpcPort: undefined }, events, TSX);
    await (crashed as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    for (let i = 0; i < 100 && exits.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(exits, ["the receiver's thread ended (exit code 1)"]);
    const closed = await WorkerReceiver.start(SCRIPT, { dir, port: 0, grpcPort: undefined }, events, TSX);
    await closed.close();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(exits.length, 1);
  });
});
