// Compiles the extension-host suite (test/integration/suite) for either runner. Each
// `*.test.ts` and index.ts is bundled on its own (so tests can import src/ modules), with
// `vscode` (provided by the host) and `mocha` (resolved from the repo's node_modules at run
// time) left external. The output stays inside the repository so that resolution works.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SUITE_DIR = path.join(__dirname, 'suite');

/** Where the compiled suite goes by default (git-ignored `out/`). */
export const HOST_SUITE_OUT_DIR = path.join(REPO_ROOT, 'out', 'host-tests');

function suiteEntryPoints(): string[] {
  const found: string[] = [path.join(SUITE_DIR, 'index.ts')];
  const pending = [SUITE_DIR];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.name.endsWith('.test.ts')) found.push(full);
    }
  }
  return found;
}

/**
 * Builds the suite into `outDir` (emptied first) and returns the path of the compiled index.js,
 * the file both runners load.
 */
export async function buildHostSuite(outDir: string = HOST_SUITE_OUT_DIR): Promise<string> {
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: suiteEntryPoints(),
    outdir: outDir,
    outbase: SUITE_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return path.join(outDir, 'index.js');
}
