// Builds the extension-host suite (test/integration/suite: our tests plus the harness's runner)
// into out/integration, for the "Extension Tests" launch configuration and any runner that loads
// `out/integration/index.js` (`run()` in the @vscode/test-electron style, `runHostSuite()` for the
// code-server harness). The bundling rules live in one place, test/integration/build-suite.ts;
// this script only loads it through tsx. Run `node esbuild.js` first for dist/.
require('tsx/cjs');
const path = require('path');
const { buildHostSuite } = require('../test/integration/build-suite');

const outDir = path.resolve(__dirname, '..', 'out', 'integration');

buildHostSuite(outDir)
  .then((index) => console.log(`[build-integration] built ${path.relative(process.cwd(), index)}`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
