// `npm test`: type check, unit tests (mocha), Python recorder tests. Later stages (extension host
// suite, end-to-end in code-server) are added here as they land.
const { spawnSync } = require('child_process');

const stages = [
  ['build', 'npm', ['run', '-s', 'build']],
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['unit', 'npm', ['run', '-s', 'test:unit']],
  ['python recorder', 'npm', ['run', '-s', 'test:python']],
];

let failed = 0;
for (const [label, cmd, args] of stages) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`=== ${label}: FAILED (exit ${r.status})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
