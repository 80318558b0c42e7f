/**
 * Activation with the fake `vscode` of the benchmarks (bench/fake-vscode.ts) and a fake worker
 * thread: the extension lists the workspace's profile but parses nothing and starts no analysis
 * worker until the user shows the runs view or opens a source file with timer calls.
 */
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeContext, fakeVscode, type FakeVscodeLog, installFakeVscode } from '../../bench/fake-vscode';
import type { AgentProfilerApi } from '../../src/extension/api';

// The module object itself (an `import *` namespace is read-only): worker-client.ts reads `Worker` off it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const workerThreads = require('node:worker_threads') as { Worker: unknown };

const RealWorker = workerThreads.Worker as new (script: unknown, options: unknown) => object;

/**
 * Stands in for the analysis worker: records what it is sent and never answers. Any other worker
 * (esbuild's, which tsx uses to compile TypeScript synchronously) is a real one: a fake there
 * would never answer and would block the process.
 */
class RecordingWorker extends EventEmitter {
  static started: RecordingWorker[] = [];
  readonly sent: Array<{ type: string; file?: string }> = [];
  constructor(script: unknown, options: unknown) {
    super();
    if (!String(script).endsWith('analysis-worker.js')) return new RealWorker(script, options) as RecordingWorker;
    RecordingWorker.started.push(this);
  }
  postMessage(msg: { type: string; file?: string }): void {
    this.sent.push(msg);
  }
  unref(): void {}
  async terminate(): Promise<number> {
    return 0;
  }
}

interface LensProvider {
  provideCodeLenses(document: unknown): unknown[];
}

async function waitFor(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(done(), `timed out waiting for ${what}`);
}

describe('extension activation', function () {
  this.timeout(30_000);
  let folder: string;
  let context: { subscriptions: Array<{ dispose(): unknown }> };
  let log: FakeVscodeLog;
  let lenses: LensProvider | undefined;
  let api: AgentProfilerApi;
  let profile: string;
  let extension: { activate(ctx: unknown): AgentProfilerApi };

  // One fake `vscode` for the whole file: the extension's modules keep the first one they load.
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-activation-'));
    profile = path.join(folder, 'run.agentprof.jsonl');
    fs.writeFileSync(profile, '{"t":"run","v":1,"name":"r","start":"0"}\n{"t":"s","id":1,"n":"llm:plan","at":0}\n{"t":"e","id":1,"at":5}\n');
    log = { registeredCommands: [], findFilesCalls: 0 };
    const vscode = fakeVscode(folder, log);
    // Keep the code lens provider the extension registers, to ask it for lenses as the editor would.
    const languages = vscode.languages as Record<string, unknown>;
    vscode.languages = new Proxy(languages, {
      get: (target, key) =>
        key === 'registerCodeLensProvider'
          ? (_selector: unknown, provider: LensProvider) => {
              lenses = provider;
              return { dispose: () => undefined };
            }
          : target[key as string],
    });
    installFakeVscode(vscode);
    // Loaded (and compiled by tsx) here, before any test swaps the Worker class.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    extension = require('../../src/extension/extension') as typeof extension;
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** A fresh activation (new store, views, watcher) on the folder with one profile. */
  const activate = async () => {
    lenses = undefined;
    RecordingWorker.started = [];
    workerThreads.Worker = RecordingWorker;
    context = fakeContext(path.join(__dirname, '..', '..'), folder) as typeof context;
    api = extension.activate(context);
    assert.ok(api, 'activated');
    await waitFor('the watcher to list the profile', () => api.store.runs.length === 1);
  };

  afterEach(() => {
    for (const d of context?.subscriptions ?? []) {
      try {
        d.dispose();
      } catch {
        /* a fake's disposable may not know how */
      }
    }
    workerThreads.Worker = RealWorker;
  });

  const document = (file: string, text: string) => ({ uri: { scheme: 'file', fsPath: file, toString: () => `file://${file}` }, version: 1, getText: () => text });

  it('starts no worker until the runs view is shown, then analyses the listed run', async () => {
    await activate();
    assert.equal(api.store.active?.file, profile, 'listed and active');
    // Long enough for a debounced analysis to have started (the store's timers are 0–200 ms).
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(RecordingWorker.started.length, 0, 'no worker before the view is shown');
    assert.equal(api.store.active?.state, 'idle');

    const views = log.treeViews ?? [];
    assert.equal(views.length, 1, 'one tree view, hidden');
    assert.equal(views[0].visible, false);
    views[0].show();
    await waitFor('a worker', () => RecordingWorker.started.length > 0);
    assert.equal(RecordingWorker.started.length, 1);
    const sent = RecordingWorker.started[0].sent;
    // The workspace's budgets file is read by the worker once it runs, not before (budgets-worker.ts).
    assert.deepEqual(sent.map((m) => m.type), ['configure', 'analyze', 'budgetsFile']);
    assert.equal(sent[1].file, profile);
    assert.equal(sent[2].file, path.join(folder, 'agentprof.budgets.json'));
  });

  it('starts the analysis when a source file with timer calls is opened, not for one without', async () => {
    await activate();
    assert.ok(lenses, 'a code lens provider is registered');
    assert.deepEqual(lenses.provideCodeLenses(document(path.join(folder, 'util.py'), 'def f():\n    return 1\n')), []);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(RecordingWorker.started.length, 0, 'a file without timers wakes nothing');

    const agent = document(path.join(folder, 'agent.py'), 'with profiler.timer("llm:plan"):\n    plan()\n');
    assert.deepEqual(lenses.provideCodeLenses(agent), [], 'no lenses yet: the run is being analysed');
    await waitFor('a worker', () => RecordingWorker.started.length > 0);
    assert.deepEqual(RecordingWorker.started[0].sent.map((m) => [m.type, m.file]), [
      ['configure', undefined],
      ['analyze', profile],
      ['budgetsFile', path.join(folder, 'agentprof.budgets.json')],
    ]);
  });
});
