/**
 * The chat tools inside a real VS Code: each called through `vscode.lm.invokeTool` (as Copilot
 * would) on the example agent's run (recorded here by the Python recorder) and on an OTLP trace,
 * figures checked against the store's analysis of the same files; bad input answered, bounded.
 * Then the MCP server the extension offers to VS Code, started from its definition and asked the
 * same question: the same answer. The agent run is skipped when python3 is missing.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { compareRuns } from '../../../../src/core/compare';
import { TOOL_DEFINITIONS } from '../../../../src/core/present/tools';
import type { AgentProfilerApi } from '../../../../src/extension/api';
import { COMMANDS } from '../../../../src/extension/ids';
import { activateExtension, waitFor, workspaceFolder } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const AGENT_SOURCE = path.join(REPO, 'examples', 'research_agent', 'agent.py');
const OTLP_FIXTURE = path.join(REPO, 'test', 'fixtures', 'interop', 'openinference.otlp.json');

async function invoke(name: string, input: object): Promise<any> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  assert.equal(result.content.length, 1);
  const part = result.content[0];
  assert.ok(part instanceof vscode.LanguageModelTextPart, 'the answer is one text part');
  return JSON.parse(part.value);
}

describe('Agent Profiler chat tools (vscode.lm.invokeTool)', function () {
  this.timeout(120_000);
  let api: AgentProfilerApi;
  let dir: string;
  let rel: string;
  let profile: string;
  let trace: string;
  const idOf = (file: string) => path.relative(workspaceFolder(), file).split(path.sep).join('/');

  before(async function () {
    const python = spawnSync('python3', ['--version']);
    if (python.status !== 0 || !fs.existsSync(AGENT_SOURCE)) this.skip();
    api = (await activateExtension()).api;
    dir = fs.mkdtempSync(path.join(workspaceFolder(), '.agentprof-lm-'));
    rel = path.basename(dir);
    profile = path.join(dir, 'example.agentprof.jsonl');
    trace = path.join(dir, 'rag.otlp.json');
    fs.copyFileSync(AGENT_SOURCE, path.join(dir, 'agent.py'));
    fs.copyFileSync(OTLP_FIXTURE, trace);
    const run = spawnSync('python3', ['agent.py'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, AGENTPROF_OUT: profile, PYTHONPATH: path.join(REPO, 'recorders', 'python') },
      timeout: 90_000,
    });
    assert.equal(run.status, 0, `the example agent ran: ${run.stderr}`);
    await vscode.commands.executeCommand(COMMANDS.openProfile, vscode.Uri.file(trace));
    await vscode.commands.executeCommand(COMMANDS.openProfile, vscode.Uri.file(profile));
    await waitFor('the example run to be analysed', () => api.store.active?.file === profile && api.store.active.state === 'ready' && api.store.active.result);
  });

  after(() => {
    if (api) api.store.setBaseline(undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers the six tools of the definitions', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('agentProfiler_')).map((t) => t.name);
    assert.deepEqual(ours.sort(), TOOL_DEFINITIONS.map((t) => t.name).sort());
    const summary = vscode.lm.tools.find((t) => t.name === 'agentProfiler_summary')!;
    assert.deepEqual(summary.inputSchema, TOOL_DEFINITIONS.find((t) => t.name === 'agentProfiler_summary')!.inputSchema);
  });

  it('summary of the active run (the example agent) has the analysis’ figures', async () => {
    const a = api.store.get(profile)!.result!.analysis;
    const s = await invoke('agentProfiler_summary', {});
    assert.equal(s.run, `${rel}/example.agentprof.jsonl`);
    assert.deepEqual(
      [s.wall_ms, s.spans, s.errors, s.tokens, s.cost_usd],
      [Math.round(a.run.wallMs * 1000) / 1000, a.run.spans, a.run.errors, a.run.tokens, Math.round(a.run.costUsd * 1e6) / 1e6],
    );
    assert.ok(s.spans > 10 && s.tokens > 0, `${s.spans} spans, ${s.tokens} tokens`);
    assert.equal(s.bottlenecks_total, a.bottlenecks.length);
  });

  it('bottlenecks are ranked as the analysis ranks them, each at a workspace-relative agent.py line', async () => {
    const a = api.store.get(profile)!.result!.analysis;
    const b = await invoke('agentProfiler_bottlenecks', { limit: 3 });
    assert.equal(b.total, a.bottlenecks.length);
    assert.deepEqual(
      b.bottlenecks.map((x: any) => [x.kind, x.component, x.location, x.savings_ms]),
      a.bottlenecks.slice(0, 3).map((x) => [x.kind, x.component, x.file ? `${rel}/${x.file}:${x.line}` : null, Math.round(x.savingsMs * 1000) / 1000]),
    );
    // The example's story: the four calls of step_2:read, the three web_scrape calls among them,
    // run one after another; running them together saves the most (bottlenecks are ordered by saving).
    assert.equal(b.bottlenecks[0].component, 'step_{n}:read: tool:web_scrape ×3, tool:fetch_pdf');
    const source = fs.readFileSync(path.join(dir, 'agent.py'), 'utf8').split('\n');
    const line = Number(b.bottlenecks[0].location.split(':').pop());
    // Where they are: the web_scrape timer, the calls the bottleneck is about.
    assert.match(source[line - 1], /web_scrape/);
  });

  it('the critical path covers the analysis’ path length, folded and bounded', async () => {
    const r = api.store.get(profile)!.result!;
    const c = await invoke('agentProfiler_criticalPath', { limit: 3 });
    assert.equal(c.path_ms, Math.round(r.criticalPathTotal.ms * 1000) / 1000);
    assert.equal(c.segments, r.criticalPathTotal.segments);
    assert.equal(c.steps.length, 3);
    const listed = c.steps.reduce((s: number, x: any) => s + x.ms, 0) + (c.not_shown?.ms ?? 0);
    assert.ok(Math.abs(listed - c.path_ms) < 0.01, `${listed} ms listed of ${c.path_ms}`);
  });

  it('breakdown by site and by model match the analysis', async () => {
    const a = api.store.get(profile)!.result!.analysis;
    const bySite = await invoke('agentProfiler_breakdown', { by: 'site', limit: 2 });
    const sites = [...a.timing.bySite].sort((x, y) => y.totalMs - x.totalMs);
    assert.equal(bySite.total_rows, sites.length);
    assert.deepEqual(
      bySite.rows.map((x: any) => [x.location, x.calls]),
      sites.slice(0, 2).map((s) => [`${rel}/${s.file}:${s.line}`, s.count]),
    );
    const byModel = await invoke('agentProfiler_breakdown', { by: 'model', sort: 'cost', limit: 50 });
    assert.deepEqual(byModel.rows.map((x: any) => x.model).sort(), a.tokens.byModel.map((m) => m.model).sort());
    const total = byModel.rows.reduce((s: number, x: any) => s + x.cost_usd, 0);
    assert.ok(Math.abs(total - a.tokens.costUsd) < 1e-5, `${total} vs ${a.tokens.costUsd}`);
  });

  it('answers about the OTLP trace named by its file', async () => {
    await api.store.analyzeNow(trace);
    const a = api.store.get(trace)!.result!.analysis;
    const s = await invoke('agentProfiler_summary', { run: 'rag.otlp.json' });
    assert.deepEqual([s.run, s.name, s.wall_ms, s.spans], [`${rel}/rag.otlp.json`, a.run.name, a.run.wallMs, a.run.spans]);
    const c = await invoke('agentProfiler_criticalPath', { run: `${rel}/rag.otlp.json`, limit: 1 });
    // The trace's 4000 ms path is longest in its 3000 ms LLM call, named from its operation and
    // model (docs/conventions.md), not from the span name ChatOpenAI.
    assert.deepEqual([c.path_ms, c.steps[0].name, c.steps[0].ms], [4000, 'chat gpt-4o-mini', 3000]);
    const b = await invoke('agentProfiler_bottlenecks', { run: 'rag', limit: 25 });
    assert.deepEqual(
      b.bottlenecks.map((x: any) => [x.kind, x.component]),
      a.bottlenecks.map((x) => [x.kind, x.component]),
    );
    const byName = await invoke('agentProfiler_breakdown', { run: 'rag', by: 'name', limit: 50 });
    assert.deepEqual(
      byName.rows.map((x: any) => [x.name, x.calls]).sort(),
      a.timing.byName.map((n) => [n.name, n.count]).sort(),
    );
    const byModel = await invoke('agentProfiler_breakdown', { run: 'rag', by: 'model' });
    assert.deepEqual(byModel.rows.map((x: any) => [x.model, x.input_tokens, x.output_tokens]), a.tokens.byModel.map((m) => [m.model, m.input, m.output]));
    const cmp = await invoke('agentProfiler_compare', { run: 'rag', baseline: `${rel}/example.agentprof.jsonl` });
    assert.deepEqual([cmp.run, cmp.baseline], [`${rel}/rag.otlp.json`, `${rel}/example.agentprof.jsonl`]);
    assert.equal(cmp.wall_ms.run, a.run.wallMs);
  });

  it('compares with the baseline the user set, as core/compare does', async () => {
    api.store.setBaseline(trace);
    const c = await invoke('agentProfiler_compare', {});
    assert.deepEqual([c.run, c.baseline], [`${rel}/example.agentprof.jsonl`, `${rel}/rag.otlp.json`]);
    const expected = compareRuns(api.store.get(trace)!.result!.analysis, api.store.get(profile)!.result!.analysis);
    assert.equal(c.regressions_total, expected.regressions.length);
    assert.deepEqual(c.regressions.map((r: any) => r.key), expected.regressions.slice(0, 5).map((r) => r.key));
    const listed = await invoke('agentProfiler_listRuns', { limit: 50 });
    const mine = listed.runs.filter((r: any) => r.id.startsWith(`${rel}/`));
    assert.deepEqual(mine.map((r: any) => [r.id, r.active, r.baseline]).sort(), [
      [`${rel}/example.agentprof.jsonl`, true, false],
      [`${rel}/rag.otlp.json`, false, true],
    ]);
  });

  it('answers a missing run, a huge limit and garbage with clear, bounded answers', async () => {
    const missing = await invoke('agentProfiler_summary', { run: 'no-such-run.agentprof.jsonl' });
    assert.equal(missing.error.code, 'run_not_found');
    assert.ok(missing.error.choices.includes(`${rel}/example.agentprof.jsonl`));
    assert.ok(missing.error.choices.length <= 10);
    const huge = await invoke('agentProfiler_bottlenecks', { limit: 1e9 });
    assert.equal(huge.bottlenecks.length, Math.min(25, huge.total));
    assert.match(huge.input_notes[0], /taken as 25/);
    const garbage = await invoke('agentProfiler_breakdown', { by: 42, limit: 'all of them' });
    assert.equal(garbage.error.code, 'invalid_input');
    assert.ok(JSON.stringify(garbage).length < 400);
  });

  it('offers agentprof mcp to VS Code; started from that definition it gives the same answer', async function () {
    const launch = api.mcpLaunch?.();
    assert.ok(launch, 'VS Code 1.139 has the MCP server definition API');
    assert.equal(launch.args[1], 'mcp');
    assert.ok(fs.existsSync(launch.args[0]), `${launch.args[0]} is the bundled CLI`);
    assert.ok(launch.args.includes(workspaceFolder()));
    const client = new Client({ name: 'host-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: launch.command, args: launch.args, env: { ...process.env, ...launch.env } as Record<string, string>, stderr: 'ignore' }));
    try {
      const input = { run: `${rel}/rag.otlp.json`, limit: 3 };
      const viaMcp = await client.callTool({ name: 'agentProfiler_criticalPath', arguments: input });
      const viaLm = await vscode.lm.invokeTool('agentProfiler_criticalPath', { input, toolInvocationToken: undefined });
      assert.equal((viaMcp.content as Array<{ text: string }>)[0].text, (viaLm.content[0] as vscode.LanguageModelTextPart).value);
    } finally {
      await client.close();
    }
  });
});
