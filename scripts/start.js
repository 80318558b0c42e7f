// `npm start`: build, profile the bundled example agent, print the report, and say how to open it
// in VS Code. Runs from the repository root so recorded call sites are relative to it.
const { spawnSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join('.agentprof', 'example.agentprof.jsonl');
const python = process.env.PYTHON || 'python3';

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) {
    console.error(`npm start: cannot run ${cmd}: ${r.error.message}`);
    process.exit(2);
  }
  return r.status ?? 1;
}

if (step(process.execPath, ['esbuild.js']) !== 0) process.exit(1);
const status = step(process.execPath, [
  'dist/cli.js',
  'run',
  '--out',
  out,
  '--',
  python,
  'examples/research_agent/agent.py',
]);
console.log(`
Profile: ${out}
Open it in VS Code: install the extension (npm run package, then "Extensions: Install from VSIX…"),
open this folder, and pick the run in the Agent Profiler view; or run "Agent Profiler: Profile
Agent Run" on examples/research_agent/agent.py. In a terminal: node dist/cli.js report ${out}`);
process.exit(status);
