// Live OpenTelemetry in a real VS Code (code-server): a Node agent instrumented with the real
// OpenTelemetry SDK and its default OTLP exporter (no endpoint, protocol or delay in its code or
// environment) is started with Profile Agent Run. The run gets the OTEL_EXPORTER_OTLP_* variables
// from us, the extension's receiver writes the spans to .agentprof/otlp/, and the tree and the
// waterfall show them while the agent is still running. Screenshots land in
// test-results/e2e/otlp-live/.
//
// The agent (test/fixtures/otel-agent/agent.js, exporter-trace-otlp-proto) makes agent:run with
// STEPS × (llm:step_i, tool:search_i) under it and pauses PAUSE_MS after each step, so it runs
// for about STEPS × PAUSE_MS and its batch processor exports every 500 ms (our variable).
import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { makeWorkspace, REPO_ROOT, startVsCode, VsCodeSession } from './harness';
import { packagedExtension, waitUntil } from './lib/agent-profiler';
import { regionOfTree, showWaterfallFromPalette, waterfallPaint } from './lib/agent-profiler-views';
import { answerModalDialog, waitForModalDialog } from './lib/dialog';
import { TreeViewPane } from './lib/tree-view';

const STEPS = 40;
const PAUSE_MS = 600;
const TOTAL_SPANS = 1 + 2 * STEPS;

describe('Live OTLP: an OpenTelemetry agent started with Profile Agent Run streams into the views', function () {
  this.timeout(120_000);
  let session: VsCodeSession | undefined;
  let dir: string;
  let tree: TreeViewPane;
  const wb = () => session!.workbench;
  /** Spans the tree's Summary shows for the active run, or undefined before it has one. */
  const treeSpans = async (): Promise<number | undefined> => {
    const rows = await tree.rows();
    const spans = rows.find((r) => r.label === 'Spans');
    return spans ? Number(spans.description.replace(/,/g, '')) : undefined;
  };
  const running = () => wb().page.locator('.notification-toast', { hasText: 'Profiling agent' }).first().isVisible();

  before(async function () {
    this.timeout(240_000);
    const vsix = packagedExtension();
    dir = makeWorkspace({ 'agent.js': fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'otel-agent', 'agent.js'), 'utf8') });
    // The OpenTelemetry packages the agent requires, from the repository's devDependencies.
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    session = await startVsCode({
      name: 'otlp-live',
      workspace: dir,
      extensions: [{ vsix }],
      settings: {
        'agentProfiler.runCommand': [process.execPath, '${workspaceFolder}/agent.js', 'proto', String(STEPS), String(PAUSE_MS)],
        // Tests never bind fixed ports: a free one for HTTP, and no gRPC receiver.
        'agentProfiler.otlp.port': 0,
        'agentProfiler.otlp.grpcPort': -1,
      },
    });
    tree = new TreeViewPane(session.workbench, 'Runs');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      console.log(`    artifacts: ${await session.saveFailureArtifacts(this.currentTest.fullTitle())}`);
    }
  });

  after(async function () {
    await session?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('1. shows the receiver in the status bar', async () => {
    // The extension starts with its view (activation stays narrow); the receiver starts with it.
    await tree.focus();
    const item = wb().page.locator('.statusbar-item', { hasText: /OTLP :\d+/ }).first();
    await item.waitFor({ timeout: 60_000 });
    const text = await item.innerText();
    assert.match(text, /OTLP :\d+$/, `status bar: ${text}`);
    assert.doesNotMatch(text, /:4318|:0$/, 'port 0 in the settings is a free port, not 4318');
  });

  it('2. streams the spans into the tree and the waterfall while the agent runs', async () => {
    await wb().runCommand('Agent Profiler: Profile Agent Run');
    await waitForModalDialog(wb().page);
    await answerModalDialog(wb().page, 'Run');
    await wb().page.locator('.notification-toast', { hasText: 'Profiling agent' }).first().waitFor({ timeout: 30_000 });

    // Some spans, not all, while the progress notification still says the agent runs.
    const partial = await waitUntil('spans in the tree before the run ends', async () => {
      const n = await treeSpans();
      return n !== undefined && n > 0 && n < TOTAL_SPANS && (await running()) ? n : undefined;
    }, 30_000);
    const runFiles = fs.readdirSync(path.join(dir, '.agentprof', 'otlp'));
    assert.strictEqual(runFiles.length, 1, `one file for the run: ${runFiles.join(', ')}`);
    assert.match(runFiles[0], /^\d{8}T\d{6}Z-agent\.otlp\.jsonl$/);
    await wb().screenshot('2-tree-while-running', await regionOfTree(wb(), tree, { label: 'Spans' }));

    const frame = await showWaterfallFromPalette(wb());
    assert.ok(frame, 'this build has the waterfall');
    const info = frame.locator('#run-info');
    await info.filter({ hasText: 'spans' }).waitFor({ timeout: 20_000 });
    const spansIn = async () => Number((/· ([\d,]+) spans/.exec(await info.innerText())?.[1] ?? '0').replace(/,/g, ''));
    const early = await spansIn();
    assert.ok(early >= partial && early < TOTAL_SPANS && (await running()), `the waterfall shows ${early} spans while the agent runs`);
    // Early in a run only short leaf spans have arrived (a parent is exported when it ends), a few
    // pixels each next to the grid lines: wait for the canvas to fill as the run's spans come in.
    let paint = await waterfallPaint(frame);
    paint = await waitUntil(`bars painted in the waterfall (last: ${JSON.stringify(paint)})`, async () => {
      paint = await waterfallPaint(frame);
      return paint.paintedShare > 0.01 ? paint : undefined;
    }, 20_000);
    assert.ok(paint.paintedShare > 0.01, `bars are painted: ${JSON.stringify(paint)}`);
    await wb().screenshot('2-waterfall-while-running');
    // The waterfall follows the run: more spans arrive in it without reopening it.
    const later = await waitUntil('the waterfall to grow', async () => {
      const n = await spansIn();
      return n > early ? n : undefined;
    }, 20_000);
    assert.ok(later > early);
  });

  it('3. ends with every span, reported from the OpenTelemetry spans', async () => {
    const message = await wb().waitForNotification(/^agent finished: /, 60_000);
    assert.match(message, new RegExp(`· ${TOTAL_SPANS} spans`), message);
    await wb().screenshot('3-finished');
    const frame = await wb().webviewFrame('Waterfall');
    const info = frame.locator('#run-info');
    await waitUntil('every span in the waterfall', async () => (await info.innerText()).includes(`· ${TOTAL_SPANS} spans`), 20_000);
    // The SDK's default service name is unknown_service:<process name>.
    assert.match(await info.innerText(), /^unknown_service:\S+: agent:run · \d{8}T\d{6}Z-agent\.otlp\.jsonl · /);
    await wb().screenshot('3-waterfall-complete');
    await waitUntil('every span in the tree', async () => (await treeSpans()) === TOTAL_SPANS, 20_000);
    const runs = (await tree.rows()).filter((r) => r.level === 1).map((r) => r.label);
    assert.deepStrictEqual(runs.filter((l) => l.endsWith('-agent')), [], `the empty native profile entry is gone: ${runs.join(' | ')}`);
    await wb().screenshot('3-tree-complete', await regionOfTree(wb(), tree, { label: 'Spans' }));
    const file = fs.readdirSync(path.join(dir, '.agentprof', 'otlp'))[0];
    const lines = fs.readFileSync(path.join(dir, '.agentprof', 'otlp', file), 'utf8').trim().split('\n');
    const ids = lines.flatMap((l) => (JSON.parse(l) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] }).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.spanId))));
    assert.strictEqual(ids.length, TOTAL_SPANS);
    assert.strictEqual(new Set(ids).size, TOTAL_SPANS, 'every span once');
    assert.ok(lines.length > 3, `several export requests while it ran (${lines.length} lines)`);
  });

  it('4. copies the endpoint from the status bar', async () => {
    await wb().runCommand('Notifications: Clear All Notifications');
    const item = wb().page.locator('.statusbar-item', { hasText: /OTLP :\d+/ }).first();
    const port = /OTLP :(\d+)/.exec(await item.innerText())![1];
    await item.click();
    const message = await wb().waitForNotification(/^Copied http:\/\/127\.0\.0\.1:\d+\./, 20_000);
    assert.ok(message.startsWith(`Copied http://127.0.0.1:${port}. Set OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${port}`), message);
    await wb().screenshot('4-copied-endpoint');
  });

  it('5. says which port is taken when another process has it, and moves to a free one on request', async () => {
    // Another process (a second window, a collector) holds a port; the user's settings point at it.
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const taken = (other.address() as net.AddressInfo).port;
    try {
      await wb().runCommand('Notifications: Clear All Notifications');
      // The user picks that port with our command (saved in the workspace settings).
      // (Not runCommand: that waits for the quick input to close, and this command opens one.)
      const page = wb().page;
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('>Agent Profiler: Choose OTLP Receiver Port');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Choose OTLP Receiver Port' }).first().click();
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'OTLP receiver port' }).waitFor({ timeout: 10_000 });
      await input.fill(String(taken));
      await wb().screenshot('5-choose-port');
      await input.press('Enter');
      const warning = await wb().waitForNotification(/^Agent Profiler: port \d+ is in use/, 30_000);
      assert.ok(warning.startsWith(`Agent Profiler: port ${taken} is in use (another VS Code window or an OpenTelemetry collector has it)`), warning);
      const status = wb().page.locator('.statusbar-item', { hasText: `OTLP :${taken} in use` }).first();
      await status.waitFor({ timeout: 10_000 });
      await wb().screenshot('5-port-in-use');
      await wb().page.locator('.notification-toast', { hasText: `port ${taken} is in use` }).locator('a.monaco-button', { hasText: 'Use a Free Port' }).first().click();
      const moved = wb().page.locator('.statusbar-item', { hasText: /OTLP :\d+/ }).filter({ hasNotText: 'in use' }).first();
      await moved.waitFor({ timeout: 20_000 });
      const port = Number(/OTLP :(\d+)/.exec(await moved.innerText())![1]);
      assert.ok(port > 0 && port !== taken, `a free port, not ${taken}: ${port}`);
      await wb().screenshot('5-free-port');
    } finally {
      other.close();
    }
  });
});
