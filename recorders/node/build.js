// Builds the recorder into one dependency-free CommonJS file, dist/index.js (the package's main).
// Run from anywhere: `node recorders/node/build.js`. Separate from the root esbuild.js, which
// bundles the extension: the recorder ships on its own, to agents.
const path = require('path');
const esbuild = require('esbuild');

esbuild
  .build({
    entryPoints: [path.join(__dirname, 'index.ts')],
    outfile: path.join(__dirname, 'dist', 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    sourcemap: false,
    logLevel: 'warning',
  })
  .then(() => console.log('[agentprof] built recorders/node/dist/index.js'))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
