/**
 * The real thing: the example research agent runs under the bundled Python recorder, and its
 * profile drives lenses on the agent's own source — including the f-string and decorator sites.
 * Skipped when python3 is not available.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentProfilerApi } from '../../../../src/extension/api';
import { COMMANDS } from '../../../../src/extension/ids';
import { activateExtension, waitFor, workspaceFolder } from './helpers';

/** The repository root: the suite is built to out/<suite>/agent-profiler/. */
const REPO = path.resolve(__dirname, '..', '..', '..');
const AGENT_SOURCE = path.join(REPO, 'examples', 'research_agent', 'agent.py');

/** 0-based line of the first `profiler.timer("…")` call named `name` in the agent's source. */
function lineOf(source: string, needle: string): number {
  const line = source.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} is in agent.py`);
  return line;
}

describe('Agent Profiler on the example agent', function () {
  this.timeout(120_000);
  let api: AgentProfilerApi;
  let dir: string;
  let agent: string;
  let profile: string;

  before(async function () {
    const python = spawnSync('python3', ['--version']);
    if (python.status !== 0 || !fs.existsSync(AGENT_SOURCE)) this.skip();
    api = (await activateExtension()).api;
    dir = fs.mkdtempSync(path.join(workspaceFolder(), '.agentprof-example-'));
    agent = path.join(dir, 'agent.py');
    profile = path.join(dir, 'example.agentprof.jsonl');
    fs.copyFileSync(AGENT_SOURCE, agent);
    const run = spawnSync('python3', ['agent.py'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, AGENTPROF_OUT: profile, PYTHONPATH: path.join(REPO, 'recorders', 'python') },
      timeout: 90_000,
    });
    assert.equal(run.status, 0, `the example agent ran: ${run.stderr}`);
    await vscode.commands.executeCommand(COMMANDS.openProfile, vscode.Uri.file(profile));
    await waitFor('the example run to be analysed', () => api.store.active?.file === profile && api.store.active.state === 'ready' && api.store.active.result);
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('analyses the run: spans, tokens and cost', () => {
    const a = api.store.active!.result!.analysis;
    assert.ok(a.run.spans > 10, `${a.run.spans} spans`);
    assert.ok(a.run.tokens > 0 && a.run.costUsd > 0, `${a.run.tokens} tokens, $${a.run.costUsd}`);
    assert.deepEqual(a.diagnostics, []);
  });

  it('puts lenses on the agent’s timers, decorator included', async () => {
    const source = fs.readFileSync(agent, 'utf8');
    const doc = await vscode.workspace.openTextDocument(agent);
    const lenses = await waitFor('code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 50);
      const ours = (found ?? []).filter((l) => l.command?.title.startsWith('$(watch)'));
      return ours.length ? ours : undefined;
    });
    const lines = new Set(lenses.map((l) => l.range.start.line));
    for (const needle of ['timer("llm:planning"', 'timer("tool:web_scrape"', 'timer("llm:synthesis"', 'timed("tool:web_search")']) {
      assert.ok(lines.has(lineOf(source, needle)), `a lens on ${needle}; lenses on lines ${[...lines].join(', ')}`);
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
