/**
 * Extension activation: `require` of dist/extension.js (the esbuild bundle, `vscode` external)
 * and `activate()` with a fake `vscode` module, in a fresh process (the runner starts one per
 * repetition, so every load is cold, as in a new window). The workspace holds one profile; the
 * case then watches for a second whether an analysis worker is started without the user asking
 * (the runs view stays hidden), then shows the view and measures how soon the analysis starts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeContext, fakeVscode, FakeVscodeLog, installFakeVscode } from '../fake-vscode';
import { timed } from '../stats';

export interface ActivationFigures {
  requireMs: number;
  activateMs: number;
  totalMs: number;
  cpuMs: number;
  /** Analysis workers started within {@link WATCH_MS} after activate() returned. */
  workersStarted: number;
  /** ms after activate() returned that the first worker started; undefined when none did. */
  firstWorkerAfterMs: number | undefined;
  /** ms from showing the runs view (after the watch) to the first worker; undefined when none started. */
  workerAfterViewShownMs: number | undefined;
  commands: number;
}

const WATCH_MS = 1000;

export async function activationCase(extensionJs: string, sampleProfile?: string): Promise<ActivationFigures> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-activate-'));
  if (sampleProfile) fs.copyFileSync(sampleProfile, path.join(folder, 'run.agentprof.jsonl'));
  const log: FakeVscodeLog = { registeredCommands: [], findFilesCalls: 0 };
  installFakeVscode(fakeVscode(folder, log));

  // Count workers the extension starts: the bundle reads `Worker` off the module when it constructs one.
  let workers = 0;
  let activatedAt = 0;
  let firstWorkerAt: number | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
  const RealWorker = workerThreads.Worker;
  class CountingWorker extends RealWorker {
    constructor(...args: ConstructorParameters<typeof RealWorker>) {
      super(...args);
      workers++;
      firstWorkerAt ??= performance.now();
    }
  }
  workerThreads.Worker = CountingWorker;

  const context = fakeContext(path.resolve(path.dirname(extensionJs), '..'), folder);
  const loaded = await timed(() => require(extensionJs) as { activate(ctx: unknown): unknown });
  const activated = await timed(() => loaded.value.activate(context));
  activatedAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
  const unasked = workers;
  const unaskedFirstAt = firstWorkerAt;
  // The user opens the sidebar: that must start the analysis of the run it lists.
  const shownAt = performance.now();
  let shownFirstAt: number | undefined;
  if (workers === 0) {
    for (const view of log.treeViews ?? []) view.show();
    for (let waited = 0; waited < WATCH_MS && workers === 0; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
    shownFirstAt = firstWorkerAt;
  }
  for (const d of context.subscriptions as Array<{ dispose(): unknown }>) {
    try {
      d.dispose();
    } catch {
      /* a fake's disposable may not know how */
    }
  }
  fs.rmSync(folder, { recursive: true, force: true });
  return {
    requireMs: loaded.wallMs,
    activateMs: activated.wallMs,
    totalMs: loaded.wallMs + activated.wallMs,
    cpuMs: loaded.cpuMs + activated.cpuMs,
    workersStarted: unasked,
    firstWorkerAfterMs: unaskedFirstAt === undefined ? undefined : unaskedFirstAt - activatedAt,
    workerAfterViewShownMs: shownFirstAt === undefined ? undefined : shownFirstAt - shownAt,
    commands: log.registeredCommands.length,
  };
}
