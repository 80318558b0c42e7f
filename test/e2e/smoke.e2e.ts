// Smoke test of the whole chain: code-server (real VS Code) + a throwaway extension + headless
// chromium. It also checks each workbench helper against the smoke extension, whose strings and
// positions are known, so feature tests can rely on the helpers.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SMOKE, writeSmokeExtension } from './fixtures/smoke-extension';
import { makeWorkspace, startVsCode, VsCodeSession } from './harness';

// notes.txt: line 1 "first line", line 2 "lens: second", line 3 "third word here".
const NOTES = 'first line\nlens: second\nthird word here\n';

describe('e2e smoke: code-server + chromium + a generated extension', function () {
  this.timeout(180_000);
  let session: VsCodeSession | undefined;
  let workspace: string;
  let extensionDir: string;

  before(async function () {
    extensionDir = writeSmokeExtension(fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-smoke-ext-')));
    workspace = makeWorkspace({ 'notes.txt': NOTES });
    session = await startVsCode({ name: 'smoke', workspace, extensions: [{ folder: extensionDir }] });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      const dir = await session.saveFailureArtifacts(this.currentTest.fullTitle());
      console.log(`    artifacts: ${dir}`);
    }
  });

  after(async function () {
    await session?.dispose();
    for (const dir of [workspace, extensionDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs a command from the palette: notification shown, marker file written', async () => {
    const wb = session!.workbench;
    await wb.runCommand(SMOKE.helloTitle);
    assert.strictEqual(await wb.waitForNotification(SMOKE.helloMessage), SMOKE.helloMessage);
    const markerPath = path.join(workspace, SMOKE.markerFile);
    // The command writes the marker before it shows the message, so it exists by now.
    const marker = JSON.parse(fs.readFileSync(markerPath, 'utf8'));
    assert.strictEqual(marker.vscodeVersion, '1.139.1', 'code-server 4.139.1 embeds VS Code 1.139.1');
    assert.strictEqual(typeof marker.extensionHostPid, 'number');
    const shot = await wb.screenshot('smoke-hello');
    assert.ok(fs.statSync(shot).size > 10_000, 'screenshot is a real image');
  });

  it('opens a file with Quick Open and reads file, line and column', async () => {
    const wb = session!.workbench;
    await wb.openFile('notes.txt');
    await wb.goToLine(3, 7);
    assert.deepStrictEqual(await wb.activeEditor(), { file: path.join(workspace, 'notes.txt'), line: 3, column: 7 });
  });

  it('reads code lenses of the active editor', async () => {
    const wb = session!.workbench;
    await wb.openFile('notes.txt');
    // Only line 2 starts with "lens:".
    assert.deepStrictEqual(await wb.codeLenses(1), ['Smoke lens on line 2']);
  });

  it('reads hovers, by command and by mouse', async () => {
    const wb = session!.workbench;
    await wb.openFile('notes.txt');
    // Line 3 col 8 is inside "word" ("third " is 6 characters, so "word" spans columns 7-10).
    assert.strictEqual(await wb.hoverAt(3, 8), 'Smoke hover on line 3: word');
    // Line 1 col 3 is inside "first".
    assert.strictEqual(await wb.hoverAt(1, 3, { mouse: true }), 'Smoke hover on line 1: first');
  });

  it('reads the rows of a tree view', async () => {
    const rows = await session!.workbench.treeView(SMOKE.treeViewName, 3);
    assert.deepStrictEqual(rows, [
      { label: 'alpha', description: '', level: 1, expanded: true },
      { label: 'alpha-child', description: '', level: 2, expanded: undefined },
      { label: 'beta', description: 'second', level: 1, expanded: undefined },
    ]);
  });

  it('reaches into a webview', async () => {
    const wb = session!.workbench;
    await wb.runCommand(SMOKE.webviewTitle);
    const frame = await wb.webviewFrame('Smoke Webview');
    await frame.locator('#greeting').waitFor();
    assert.strictEqual(await frame.locator('#greeting').innerText(), SMOKE.webviewHeading);
    await wb.screenshot('smoke-webview');
  });
});
