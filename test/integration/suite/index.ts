// Entry point of the extension-host test suite; it runs INSIDE a real VS Code extension host.
// Two runners load the compiled form of this file (out/host-tests/index.js):
//   - `@vscode/test-electron` (npm run test:vscode, needs internet) calls `run()`;
//   - the test-harness extension in code-server (npm run test:e2e) calls `runHostSuite()` and
//     writes the report to a file for the outer test.
// Test files are the `*.test.ts` files next to this one, each bundled to `*.test.js`.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type MochaType from 'mocha';
import { HostSuiteReport, HostTestResult } from './report';

/** Options of {@link runHostSuite}. */
export interface HostSuiteOptions {
  /** Only tests whose full title matches (mocha `grep`); default: env AGENTPROF_HOST_TESTS_GREP. */
  grep?: string;
  /** Per-test timeout; extension-host tests open editors and wait for providers. */
  timeoutMs?: number;
}

/**
 * Mocha 12 is an ES module that Node >= 20.19 can `require`; depending on how the loader
 * presents it, the class is the module itself, its `default` or its `Mocha` export.
 */
function loadMocha(): typeof MochaType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('mocha');
  return mod.Mocha ?? mod.default ?? mod;
}

/** Compiled test files beside this module, sorted so the order is stable. */
function testFiles(dir: string): string[] {
  const found: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.name.endsWith('.test.js')) found.push(full);
    }
  }
  return found.sort();
}

function errorOf(err: unknown): { message: string; stack?: string } {
  return err instanceof Error ? { message: err.message, stack: err.stack } : { message: String(err) };
}

/** Runs every compiled `*.test.js` beside this module with mocha and reports each outcome. */
export async function runHostSuite(options: HostSuiteOptions = {}): Promise<HostSuiteReport> {
  const started = Date.now();
  // Stack traces of failed tests then point at the .ts sources (the bundles carry inline maps).
  process.setSourceMapsEnabled(true);
  const report: HostSuiteReport = {
    vscodeVersion: vscode.version,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    files: testFiles(__dirname),
    passes: 0,
    failures: 0,
    pending: 0,
    tests: [],
  };
  const finish = (): HostSuiteReport => ({ ...report, durationMs: Date.now() - started });
  if (report.files.length === 0) {
    report.failures = 1;
    report.error = `no *.test.js files in ${__dirname}`;
    return finish();
  }

  const Mocha = loadMocha();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: options.timeoutMs ?? 30_000 });
  const grep = options.grep ?? process.env.AGENTPROF_HOST_TESTS_GREP;
  if (grep) mocha.grep(grep);
  for (const file of report.files) mocha.addFile(file);

  const record = (test: MochaType.Runnable, state: HostTestResult['state'], err?: unknown): void => {
    report.tests.push({
      fullTitle: test.fullTitle(),
      file: test.file,
      state,
      durationMs: test.duration,
      error: err === undefined ? undefined : errorOf(err),
    });
  };
  try {
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => {
        report.passes++;
        record(test, 'passed');
      });
      runner.on('fail', (test, err) => {
        report.failures++;
        record(test, 'failed', err);
      });
      runner.on('pending', (test) => {
        report.pending++;
        record(test, 'pending');
      });
    });
  } catch (err) {
    // A test file that throws while loading ends up here.
    report.failures++;
    report.error = `suite did not run: ${errorOf(err).stack ?? errorOf(err).message}`;
  }
  return finish();
}

/** Entry point for `@vscode/test-electron`: prints a summary and rejects when anything failed. */
export async function run(): Promise<void> {
  const report = await runHostSuite();
  for (const test of report.tests) {
    const mark = test.state === 'passed' ? 'ok  ' : test.state === 'failed' ? 'FAIL' : 'skip';
    console.log(`${mark} ${test.fullTitle}${test.error ? `\n     ${test.error.message}` : ''}`);
  }
  console.log(`${report.passes} passed, ${report.failures} failed, ${report.pending} pending (VS Code ${report.vscodeVersion})`);
  if (report.error) console.error(report.error);
  if (report.failures > 0) throw new Error(`${report.failures} extension-host test(s) failed`);
}
