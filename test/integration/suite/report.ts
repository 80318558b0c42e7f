// The result file of an extension-host test run: written by the test-harness extension inside
// code-server, read by the outer end-to-end test. Plain JSON so either side can read it.

/** Outcome of one test (or of a failed hook, which mocha reports like a test). */
export interface HostTestResult {
  /** Suite titles and test title joined by spaces, as mocha's `fullTitle()`. */
  fullTitle: string;
  /** Compiled file the test came from. */
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

/** Everything one run of the extension-host suite produced. */
export interface HostSuiteReport {
  /** `vscode.version` of the host the suite ran in. */
  vscodeVersion: string;
  startedAt: string;
  durationMs: number;
  /** Compiled test files that were loaded. */
  files: string[];
  passes: number;
  failures: number;
  pending: number;
  tests: HostTestResult[];
  /** Set when the suite could not run at all (load error, no test files); failures is then >= 1. */
  error?: string;
}
