// `npm run test:vscode`: the extension-host suite in VS Code desktop via @vscode/test-electron.
// It downloads a VS Code build into .vscode-test/ on first use, so it needs internet (it cannot
// run on the project's offline machines; there `npm run test:e2e` runs the same suite inside
// code-server). Needs a display on Linux: run under `xvfb-run -a` on a headless machine.
//   VSCODE_TEST_VERSION=1.95.0 npm run test:vscode   # a specific version (default: stable)
import { runTests } from '@vscode/test-electron';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildHostSuite } from './build-suite';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  const extensionTestsPath = await buildHostSuite();
  // The suite expects exactly one workspace folder, as in the code-server runner.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-vscode-ws-'));
  fs.writeFileSync(path.join(workspace, 'README.txt'), 'workspace of the extension-host tests\n');
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath,
      // Other installed extensions would only add noise; the folder is ours, so trust it.
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
