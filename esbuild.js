// One build script for every bundle: the extension host (node, cjs, `vscode` external), the
// analysis worker, the CLI, and the webview (browser, iife). `--watch` rebuilds on change;
// `--production` minifies and drops source maps.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const targets = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  { ...node, entryPoints: ['src/extension/analysis-worker.ts'], outfile: 'dist/analysis-worker.js' },
  { ...node, entryPoints: ['src/extension/otlp-worker.ts'], outfile: 'dist/otlp-worker.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: ['src/webview/compare/main.ts'],
    outfile: 'dist/compare.js',
  },
].filter((t) => fs.existsSync(path.join(__dirname, t.entryPoints[0])));

async function main() {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log(`[esbuild] watching ${targets.length} bundles`);
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
  console.log(`[esbuild] built ${targets.map((t) => t.outfile).join(', ')}${production ? ' (production)' : ''}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
