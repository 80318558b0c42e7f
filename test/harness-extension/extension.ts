// Test-harness extension (tests only, never shipped). code-server cannot be told to run an
// extension test suite the way `@vscode/test-electron` does (`extensionTestsPath` through the
// URL or --vscode-option did not run tests), but its extension host inherits code-server's
// environment. So this extension, activated once start-up has finished, runs the compiled suite
// named by AGENTPROF_HOST_TESTS and writes a JSON report to AGENTPROF_HOST_TEST_RESULTS, which
// the outer end-to-end test waits for.
//
// It does not declare support for untrusted workspaces, so it only activates once the test has
// trusted the folder, together with the extension under test.
import * as fs from 'fs';
import * as path from 'path';
import type { HostSuiteReport } from '../integration/suite/report';

/** What the compiled suite module (test/integration/suite/index.ts) exports. */
interface HostSuiteModule {
  runHostSuite(): Promise<HostSuiteReport>;
}

/** Writes through a temporary file and a rename, so the reader never sees half a report. */
function writeReport(file: string, report: HostSuiteReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, JSON.stringify(report, null, 2));
  fs.renameSync(partial, file);
}

function failedToRun(message: string): HostSuiteReport {
  return {
    vscodeVersion: 'unknown',
    startedAt: new Date().toISOString(),
    durationMs: 0,
    files: [],
    passes: 0,
    failures: 1,
    pending: 0,
    tests: [],
    error: message,
  };
}

async function runAndReport(suitePath: string, resultsPath: string): Promise<void> {
  let report: HostSuiteReport;
  try {
    // A path known only at run time: the bundler must leave this require alone.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const suite = require(suitePath) as HostSuiteModule;
    report = await suite.runHostSuite();
  } catch (err) {
    report = failedToRun(`could not run ${suitePath}: ${err instanceof Error ? err.stack : String(err)}`);
  }
  writeReport(resultsPath, report);
}

/** Starts the suite without holding up activation (other extensions keep starting meanwhile). */
export function activate(): void {
  const suitePath = process.env.AGENTPROF_HOST_TESTS;
  const resultsPath = process.env.AGENTPROF_HOST_TEST_RESULTS;
  if (!suitePath || !resultsPath) {
    console.warn('[host-test-harness] AGENTPROF_HOST_TESTS / AGENTPROF_HOST_TEST_RESULTS not set; nothing to run');
    return;
  }
  setTimeout(() => void runAndReport(suitePath, resultsPath), 0);
}

export function deactivate(): void {}
