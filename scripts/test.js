// `npm test`: build, type check, unit tests (mocha, plain Node), Python recorder tests, then the
// suites that need a real VS Code (code-server) and a real browser (Chromium): the extension-host
// suite and the end-to-end UI suite, and the waterfall browser tests.
// Those tools are installed once by `npm run test:e2e:setup`. Without them, `npm test` says so
// and skips them locally; under CI (CI=true) a missing tool is a failure, never a silent skip.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ci = process.env.CI === 'true' || process.env.CI === '1';
const cache = process.env.AGENTPROF_E2E_CACHE || path.join(os.homedir(), '.cache', 'agent-profiler-e2e');
const e2eReady = fs.existsSync(path.join(cache, 'current.json'));
const chromiumReady = fs.existsSync('/usr/bin/chromium');

const stages = [
  ['build', 'npm', ['run', '-s', 'build']],
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['unit', 'npm', ['run', '-s', 'test:unit', '--', '--reporter', 'dot']],
  ['python recorder', 'npm', ['run', '-s', 'test:python']],
  ['browser (waterfall in Chromium)', 'npm', ['run', '-s', 'test:browser'], chromiumReady],
  ['real VS Code (code-server): extension host + end-to-end', 'npm', ['run', '-s', 'test:e2e'], e2eReady],
];

const results = [];
for (const [label, cmd, args, ready = true] of stages) {
  console.log(`\n=== ${label} ===`);
  if (!ready) {
    const msg = `${label}: the tools are not installed (run: npm run test:e2e:setup)`;
    if (ci) {
      console.error(`FAILED: ${msg}`);
      results.push([label, 'FAILED (tools missing)']);
    } else {
      console.warn(`SKIPPED: ${msg}`);
      results.push([label, 'skipped (tools missing)']);
    }
    continue;
  }
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  results.push([label, r.status === 0 ? `passed (${secs} s)` : `FAILED (exit ${r.status}, ${secs} s)`]);
}

console.log('\n=== summary ===');
for (const [label, outcome] of results) console.log(`  ${outcome.padEnd(28)} ${label}`);
process.exit(results.some(([, o]) => o.startsWith('FAILED')) ? 1 : 0);
