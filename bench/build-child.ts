/**
 * Bundles bench/child.ts with esbuild into bench/data/build/child.js: the measured code then runs
 * as one bundle, like dist/, not through tsx's per-module loader. Not minified, so CPU profiles
 * keep the function names.
 */
import * as path from 'node:path';
import { build } from 'esbuild';

export const BENCH_DIR = __dirname;
export const ROOT = path.resolve(__dirname, '..');
export const DATA_DIR = path.join(__dirname, 'data');

/** Builds the child bundle; returns its path. */
export async function buildChild(): Promise<string> {
  const outfile = path.join(DATA_DIR, 'build', 'child.js');
  await build({
    entryPoints: [path.join(__dirname, 'child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}
