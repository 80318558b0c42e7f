// Where the end-to-end tools live. scripts/e2e-setup.sh installs Node 24, code-server and
// chromium once into a cache outside the repository and records their paths in
// <cache>/current.json; everything here reads that file rather than guessing paths.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Paths of the tools that scripts/e2e-setup.sh installed. */
export interface E2eTools {
  /** Node 24 binary that runs code-server (code-server 4.139.1 refuses other majors). */
  node: string;
  /** code-server's `out/node/entry.js`. */
  codeServerEntry: string;
  /** e.g. `4.139.1`. */
  codeServerVersion: string;
  /** Browser binary Playwright drives (Debian chromium). */
  chromium: string;
}

/** The repository root (this file is test/e2e/lib/tools.ts). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where screenshots, page HTML and logs of end-to-end runs go (git-ignored). */
export const RESULTS_ROOT = path.join(REPO_ROOT, 'test-results', 'e2e');

/** The cache folder, same default as scripts/e2e-setup.sh. */
export function e2eCacheDir(): string {
  return process.env.AGENTPROF_E2E_CACHE || path.join(os.homedir(), '.cache', 'agent-profiler-e2e');
}

/**
 * Reads <cache>/current.json and checks that every recorded path exists.
 * Throws with the command to run when the setup has not been done: an end-to-end test cannot
 * do anything useful without these tools.
 */
export function loadE2eTools(): E2eTools {
  const file = path.join(e2eCacheDir(), 'current.json');
  const hint = 'run `npm run test:e2e:setup` (scripts/e2e-setup.sh) first';
  if (!fs.existsSync(file)) throw new Error(`end-to-end tools not installed: ${file} is missing; ${hint}`);
  const tools = JSON.parse(fs.readFileSync(file, 'utf8')) as E2eTools;
  for (const key of ['node', 'codeServerEntry', 'chromium'] as const) {
    if (!tools[key] || !fs.existsSync(tools[key])) {
      throw new Error(`end-to-end tool ${key} missing at ${String(tools[key])}; ${hint}`);
    }
  }
  return tools;
}

/** A file-system-safe name for a test title (used for artifact folders). */
export function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'unnamed'
  );
}
