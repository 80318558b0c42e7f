// Runs the extension-host suite (test/integration/suite) inside code-server's real extension
// host, through the test-harness extension, and fails if any of its tests failed. The product
// extension is installed too (from dist/, so `npm run build` first), so host tests can use it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildHostSuite } from '../integration/build-suite';
import { HostSuiteReport } from '../integration/suite/report';
import {
  describeFailures,
  makeWorkspace,
  stageHarnessExtension,
  stageProductExtension,
  startVsCode,
  VsCodeSession,
  waitForHostReport,
} from './harness';

/** Test titles of the sample suite (test/integration/suite/vscode-host.test.ts). */
const SAMPLE_TESTS = [
  'extension host is a real VS Code with a version number',
  'extension host has the built-in commands registered',
  'extension host opens a document and counts its lines',
  'extension host runs with one workspace folder open',
];

describe('extension-host suite inside code-server', function () {
  this.timeout(300_000);
  let session: VsCodeSession | undefined;
  let staging: string;
  let workspace: string;
  let report: HostSuiteReport;

  before(async function () {
    staging = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-host-tests-'));
    const suiteIndex = await buildHostSuite();
    const harness = await stageHarnessExtension(path.join(staging, 'harness'));
    const product = stageProductExtension(path.join(staging, 'product'));
    workspace = makeWorkspace({ 'README.txt': 'workspace of the extension-host tests\n' });
    const resultsFile = path.join(staging, 'host-test-results.json');
    session = await startVsCode({
      name: 'host-tests',
      workspace,
      extensions: [{ folder: harness }, { folder: product }],
      env: { AGENTPROF_HOST_TESTS: suiteIndex, AGENTPROF_HOST_TEST_RESULTS: resultsFile },
    });
    try {
      report = await waitForHostReport(resultsFile, 240_000);
    } catch (err) {
      await session.saveFailureArtifacts('waiting for host report');
      throw err;
    }
    fs.copyFileSync(resultsFile, path.join(session.artifactsDir, 'host-test-results.json'));
  });

  after(async function () {
    await session?.dispose();
    for (const dir of [staging, workspace]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ran in VS Code 1.139.1 and every extension-host test passed', async function () {
    for (const t of report.tests) console.log(`      ${t.state === 'passed' ? '✔' : t.state === 'failed' ? '✗' : '-'} [host] ${t.fullTitle}`);
    if (report.failures > 0) await session!.saveFailureArtifacts('host tests failed');
    assert.strictEqual(report.failures, 0, `extension-host failures:\n${describeFailures(report)}`);
    assert.strictEqual(report.vscodeVersion, '1.139.1');
  });

  it('called every chat tool through vscode.lm.invokeTool (not skipped)', () => {
    const chat = report.tests.filter((t) => t.fullTitle.startsWith('Agent Profiler chat tools (vscode.lm.invokeTool)'));
    assert.ok(chat.length >= 9, `${chat.length} chat-tool tests ran`);
    assert.deepEqual(chat.filter((t) => t.state !== 'passed').map((t) => t.fullTitle), []);
  });

  it('included the sample tests, so the suite was really found and run', () => {
    const passed = report.tests.filter((t) => t.state === 'passed').map((t) => t.fullTitle);
    for (const title of SAMPLE_TESTS) assert.ok(passed.includes(title), `"${title}" did not pass; passed: ${passed.join(' | ')}`);
  });
});
