// Pieces for running the extension-host suite inside code-server: building the harness
// extension, staging the product extension as an installed copy, and waiting for the report.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import type { HostSuiteReport } from '../../integration/suite/report';
import { REPO_ROOT } from './tools';

const HARNESS_SOURCE_DIR = path.join(REPO_ROOT, 'test', 'harness-extension');

/**
 * Builds a test-only extension (a folder under test/ with package.json and extension.ts) into
 * `destDir` as an installed copy: package.json plus one bundled extension.js. Returns `destDir`.
 */
export async function stageTestExtension(sourceDir: string, destDir: string): Promise<string> {
  fs.rmSync(destDir, { recursive: true, force: true });
  fs.mkdirSync(destDir, { recursive: true });
  fs.copyFileSync(path.join(sourceDir, 'package.json'), path.join(destDir, 'package.json'));
  await esbuild.build({
    entryPoints: [path.join(sourceDir, 'extension.ts')],
    outfile: path.join(destDir, 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'error',
  });
  return destDir;
}

/** Builds test/harness-extension into `destDir`; returns `destDir`. */
export function stageHarnessExtension(destDir: string): Promise<string> {
  return stageTestExtension(HARNESS_SOURCE_DIR, destDir);
}

/**
 * What of the repository an installed Agent Profiler consists of: what .vscodeignore lets into
 * the .vsix (keep the two in step), so the tests see what users get.
 */
const PRODUCT_FILES = ['package.json', 'README.md', 'LICENSE', 'dist', 'media', 'recorders/python/agentprof'];

/**
 * Copies the built product extension (run `npm run build` first) into `destDir` as an installed
 * extension would look, without sources and node_modules. Returns `destDir`.
 */
export function stageProductExtension(destDir: string): string {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` before the end-to-end tests');
  }
  fs.rmSync(destDir, { recursive: true, force: true });
  fs.mkdirSync(destDir, { recursive: true });
  for (const name of PRODUCT_FILES) {
    const source = path.join(REPO_ROOT, name);
    if (!fs.existsSync(source)) continue;
    fs.cpSync(source, path.join(destDir, name), {
      recursive: true,
      filter: (src) => !src.includes('__pycache__') && !src.endsWith('.pyc'),
    });
  }
  return destDir;
}

/**
 * Waits until the harness has written its report (it renames a finished file into place), or
 * throws after `timeoutMs`. `stillRunning` lets the caller stop waiting early when the server died.
 */
export async function waitForHostReport(
  resultsFile: string,
  timeoutMs: number,
  stillRunning: () => boolean = () => true,
): Promise<HostSuiteReport> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(resultsFile)) return JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as HostSuiteReport;
    if (!stillRunning()) throw new Error(`code-server stopped before ${resultsFile} was written`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no extension-host test report at ${resultsFile} after ${timeoutMs} ms`);
}

/** A readable list of the failed tests of a report, for assertion messages. */
export function describeFailures(report: HostSuiteReport): string {
  const lines = report.tests
    .filter((t) => t.state === 'failed')
    .map((t) => `  ✗ ${t.fullTitle}\n    ${t.error?.stack ?? t.error?.message ?? ''}`.trimEnd());
  if (report.error) lines.unshift(`  suite error: ${report.error}`);
  return lines.join('\n');
}
