/**
 * The chat tools' answers (core/present/tools) on a small run whose figures are worked out by
 * hand, their input checks, and the manifest's `languageModelTools` against the one definition.
 */
import { strict as assert } from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import { ProfileBuilder } from '../../src/core/builder';
import type { Profile } from '../../src/core/model';
import { answerText, answerTool, MAX_ANSWER_CHARS, TOOL_DEFINITIONS, type CatalogRun, type RunCatalog, type ToolRun } from '../../src/core/present/tools';
import { PriceBook } from '../../src/core/prices';
import { workspaceRelative } from '../../src/io/workspace-path';

const MS = 1e6;

/**
 * agent:run [0, 7000] agent.py:10; llm:plan [0, 800] agent.py:20 with 1000 in + 500 out tokens;
 * three tool:web_scrape one after another [1000, 3000], [3000, 5000], [5000, 7000] at agent.py:42,
 * the last failing. `slowdown` stretches every time.
 */
function researchRun(name: string, slowdown = 1, spanName = 'tool:web_scrape'): Profile {
  const t = (ms: number) => ms * slowdown * MS;
  const b = new ProfileBuilder();
  b.setRun({ name, endedAt: t(7000), exitStatus: 'ok', cwd: '/ws/agent' });
  let line = 2;
  b.addSpan({ id: 1, name: 'agent:run', start: 0, end: t(7000), file: 'agent.py', line: 10 }, line++);
  b.addSpan({ id: 2, parentId: 1, name: 'llm:plan', start: 0, end: t(800), file: 'agent.py', line: 20 }, line++);
  b.addUsage({ spanId: 2, model: 'test-model', provider: 'test', input: 1000, output: 500 }, line++);
  for (let k = 0; k < 3; k++) {
    const start = t(1000 + k * 2000);
    const end = t(3000 + k * 2000);
    b.addSpan({ id: 3 + k, parentId: 1, name: spanName, start, end, file: 'agent.py', line: 42, error: k === 2 ? 'TimeoutError' : undefined }, line++);
  }
  return b.finish();
}

// $1 per million input tokens, $2 per million output: 1000 × 1e-6 + 500 × 2e-6 = $0.002.
const prices = () => new PriceBook({ overrides: [{ model: 'test-model', provider: 'test', inputPerMTok: 1, outputPerMTok: 2 }] });

function toolRun(id: string, profile: Profile): ToolRun {
  const analysis = analyze(profile, { prices: prices() });
  const p = analysis.criticalPath;
  return {
    id,
    analysis,
    criticalPathTotal: { segments: p.length, ms: p.length ? p[p.length - 1].endMs - p[0].startMs : 0 },
    spanSite: (i) => (profile.spans[i]?.file ? { file: profile.spans[i].file!, line: profile.spans[i].line } : undefined),
    relativePath: (f) => workspaceRelative(f, profile.run.cwd, ['/ws']),
  };
}

/** A catalog over profiles in memory; the first is the newest and active. */
function catalog(profiles: Record<string, Profile>, baseline?: string): RunCatalog {
  const runs = Object.fromEntries(Object.entries(profiles).map(([id, p]) => [id, toolRun(id, p)]));
  return {
    regressionPct: undefined,
    baselineHint: 'Set one.',
    list: async (): Promise<CatalogRun[]> =>
      Object.keys(profiles).map((id, i) => ({ id, name: profiles[id].run.name, startedAt: undefined, active: i === 0, baseline: id === baseline, summary: runs[id].analysis.run })),
    load: async (id) => runs[id],
  };
}

const RUN = 'runs/research.agentprof.jsonl';
const SLOW = 'runs/research-slower.agentprof.jsonl';
const ask = (tool: string, input: unknown, c = catalog({ [RUN]: researchRun('research') })) => answerTool(tool, input, c) as Promise<any>;

describe('chat tools: answers', () => {
  it('summary: the run’s figures, its top bottleneck with a workspace-relative location', async () => {
    const a = await ask('agentProfiler_summary', {});
    assert.equal(a.run, RUN);
    assert.deepEqual([a.wall_ms, a.spans, a.errors, a.tokens, a.cost_usd, a.critical_path_ms], [7000, 5, 1, 1500, 0.002, 7000]);
    // agent.py recorded relative to the run's cwd /ws/agent, shown relative to the workspace /ws.
    assert.equal(a.top_bottlenecks[0].location, 'agent/agent.py:42');
    assert.equal(a.top_bottlenecks[0].kind, 'slow_tool');
    // Three scrapes of 2000 ms in a row, all on the path: 6000 − 2000 = 4000 ms saved if concurrent.
    assert.equal(a.top_bottlenecks[0].savings_ms, 4000);
    assert.deepEqual(a.top_categories.map((c: any) => [c.category, c.total_ms]), [['agent', 7000], ['tool', 6000], ['llm', 800]]);
    assert.match(a.headline, /^Run research: 7\.00 s wall time, 5 spans, 1 error, 1,500 tokens, \$0\.0020\. Top bottleneck: tool:web_scrape \(slow_tool\) at agent\/agent\.py:42, saves ~4\.00 s\.$/);
  });

  it('bottlenecks: ranked, with evidence, bounded by limit with the rest summed', async () => {
    const all = await ask('agentProfiler_bottlenecks', { limit: 25 });
    assert.ok(all.total >= 2, `${all.total} bottlenecks`);
    assert.equal(all.bottlenecks[0].evidence, 'avg_ms 2.00 s (threshold 1.00 s)');
    const one = await ask('agentProfiler_bottlenecks', { limit: 1 });
    assert.equal(one.shown, 1);
    const rest = all.bottlenecks.slice(1);
    const sum = (key: string) => rest.reduce((s: number, b: any) => s + b[key], 0);
    assert.deepEqual(one.not_shown, { count: all.total - 1, savings_ms: sum('savings_ms'), savings_usd: sum('savings_usd') });
  });

  it('critical path: consecutive segments of one name folded, the longest steps in time order', async () => {
    // Path: llm:plan 0–800, agent:run 800–1000 (its own time), then the three scrapes 1000–7000,
    // folded into one step of 6000 ms. The 2 longest: the scrapes and llm:plan; agent:run's 200 ms is summed.
    const a = await ask('agentProfiler_criticalPath', { limit: 2 });
    assert.deepEqual(
      a.steps.map((s: any) => [s.name, s.location, s.start_ms, s.ms, s.folded_segments]),
      [
        ['llm:plan', 'agent/agent.py:20', 0, 800, 1],
        ['tool:web_scrape', 'agent/agent.py:42', 1000, 6000, 3],
      ],
    );
    assert.deepEqual([a.path_ms, a.segments, a.steps_total], [7000, 5, 3]);
    assert.deepEqual(a.not_shown, { segments: 1, ms: 200 });
    assert.equal(a.steps[1].share_of_path, 0.857); // 6000 / 7000
  });

  it('critical path: a sliver of the parent’s own time between two children does not split their fold', async () => {
    // step:read [0, 3003] runs three scrapes [1, 1001], [1002, 2002], [2003, 3003]: the path is
    // 1 ms of step:read, a scrape, 1 ms, a scrape, 1 ms, a scrape. The 1 ms slivers (0.03 % of
    // the path) between the scrapes are set aside: one step of 3 segments and 3000 ms.
    const b = new ProfileBuilder();
    b.addSpan({ id: 1, name: 'step:read', start: 0, end: 3003 * MS, file: 'a.py', line: 1 }, 1);
    for (let k = 0; k < 3; k++) b.addSpan({ id: 2 + k, parentId: 1, name: 'tool:scrape', start: (1 + k * 1001) * MS, end: (1001 + k * 1001) * MS, file: 'a.py', line: 2 }, 2 + k);
    const a = await ask('agentProfiler_criticalPath', {}, catalog({ 'r.agentprof.jsonl': b.finish() }));
    assert.deepEqual(
      a.steps.map((s: any) => [s.name, s.start_ms, s.ms, s.folded_segments]),
      [
        ['step:read', 0, 1, 1],
        ['tool:scrape', 1, 3000, 3],
      ],
    );
    assert.deepEqual(a.not_shown, { segments: 2, ms: 2 });
  });

  it('breakdown by site, name, category and model, sorted and bounded', async () => {
    const bySite = await ask('agentProfiler_breakdown', { limit: 2 });
    assert.deepEqual(bySite.rows.map((r: any) => [r.location, r.calls, r.total_ms]), [['agent/agent.py:10', 1, 7000], ['agent/agent.py:42', 3, 6000]]);
    assert.deepEqual(bySite.not_shown, { rows: 1, total_ms: 800, self_ms: 800, tokens: 1500, cost_usd: 0.002 });
    // Self time: agent:run's 7000 ms minus its children's union (0–800 and 1000–7000) is 200 ms;
    // the scrapes and the plan have no children.
    const bySelf = await ask('agentProfiler_breakdown', { sort: 'self' });
    assert.deepEqual(bySelf.rows.map((r: any) => [r.location, r.self_ms]), [['agent/agent.py:42', 6000], ['agent/agent.py:20', 800], ['agent/agent.py:10', 200]]);
    const byCost = await ask('agentProfiler_breakdown', { by: 'name', sort: 'cost', limit: 1 });
    assert.deepEqual([byCost.rows[0].name, byCost.rows[0].tokens, byCost.rows[0].cost_usd], ['llm:plan', 1500, 0.002]);
    const byModel = await ask('agentProfiler_breakdown', { by: 'model' });
    assert.deepEqual(byModel.rows.map((r: any) => [r.model, r.calls, r.input_tokens, r.output_tokens, r.cost_usd]), [['test-model', 1, 1000, 500, 0.002]]);
    const byCategory = await ask('agentProfiler_breakdown', { by: 'category', sort: 'tokens', limit: 1 });
    assert.deepEqual([byCategory.rows[0].category, byCategory.rows[0].tokens], ['llm', 1500]);
  });

  it('compare: regressions first, the worst p95 increase first, from core/compare', async () => {
    const c = catalog({ [SLOW]: researchRun('research-slower', 1.5), [RUN]: researchRun('research') }, RUN);
    const a = await ask('agentProfiler_compare', { limit: 2 }, c);
    assert.deepEqual([a.run, a.baseline], [SLOW, RUN]);
    // Every time ×1.5: p95 +50 % everywhere, past the 10 % threshold. Categories agent, llm, tool and
    // sites :10, :20, :42 regress; the largest p95 increase is 7000 → 10500 ms (agent, then agent.py:10).
    assert.equal(a.regressions_total, 6);
    assert.deepEqual(a.regressions.map((r: any) => [r.key, r.p95_change_pct, r.total_ms_change]), [['agent', 50, 3500], ['agent.py:10', 50, 3500]]);
    assert.equal(a.regressions[1].location, 'agent/agent.py:10');
    assert.deepEqual(a.wall_ms, { baseline: 7000, run: 10500, change_pct: 50 });
  });

  it('lists runs with the active one and the baseline marked', async () => {
    const c = catalog({ [SLOW]: researchRun('research-slower', 1.5), [RUN]: researchRun('research') }, RUN);
    const a = await ask('agentProfiler_listRuns', { limit: 1 }, c);
    assert.deepEqual([a.total, a.shown, a.not_shown], [2, 1, 1]);
    assert.deepEqual([a.runs[0].id, a.runs[0].active, a.runs[0].baseline, a.runs[0].wall_ms], [SLOW, true, false, 10500]);
  });

  it('finds a run by file name, by file name without extensions and by run name', async () => {
    const c = catalog({ [SLOW]: researchRun('research-slower', 1.5), [RUN]: researchRun('research') });
    for (const ref of ['research.agentprof.jsonl', 'research', 'RUNS/Research.agentprof.jsonl']) {
      assert.equal((await ask('agentProfiler_summary', { run: ref }, c)).run, RUN, ref);
    }
  });
});

describe('chat tools: bad input gets a clear, bounded answer', () => {
  it('a run that does not exist: run_not_found with the ids to pick from', async () => {
    const a = await ask('agentProfiler_summary', { run: 'nope.agentprof.jsonl' });
    assert.equal(a.error.code, 'run_not_found');
    assert.deepEqual(a.error.choices, [RUN]);
  });

  it('a huge limit is clamped and the answer says so', async () => {
    const a = await ask('agentProfiler_bottlenecks', { limit: 1e12 });
    assert.ok(!a.error);
    assert.deepEqual(a.input_notes, ['`limit` 1000000000000 was taken as 25 (it must be a whole number from 1 to 25).']);
    const negative = await ask('agentProfiler_criticalPath', { limit: -3 });
    assert.equal(negative.steps.length, 1);
  });

  it('garbage: not an object, a limit that is no number, a wrong enum, a run id that is no string', async () => {
    assert.equal((await ask('agentProfiler_summary', 'why slow?')).error.code, 'invalid_input');
    assert.match((await ask('agentProfiler_breakdown', { limit: 'lots' })).error.message, /`limit` must be a whole number from 1 to 50; got "lots"/);
    assert.match((await ask('agentProfiler_breakdown', { by: 'file' })).error.message, /`by` must be one of site, name, category, model; got "file"/);
    assert.match((await ask('agentProfiler_summary', { run: { id: 1 } })).error.message, /`run` must be a string/);
    assert.equal((await ask('agentProfiler_summary', { run: 'x'.repeat(5000) })).error.code, 'invalid_input');
    const unknown = await ask('agentProfiler_summary', { verbose: true });
    assert.match(unknown.input_notes[0], /Ignored unknown input key `verbose`/);
    assert.equal((await ask('agentProfiler_nothing', {})).error.code, 'unknown_tool');
  });

  it('no runs, and no baseline to compare with', async () => {
    assert.equal((await ask('agentProfiler_summary', {}, catalog({}))).error.code, 'no_runs');
    const c = catalog({ [SLOW]: researchRun('research-slower', 1.5), [RUN]: researchRun('research') });
    const a = await ask('agentProfiler_compare', {}, c);
    assert.equal(a.error.code, 'no_baseline');
    assert.deepEqual(a.error.choices, [RUN]);
  });

  it('a run of thousands of distinct, huge names stays a bounded answer', async () => {
    const b = new ProfileBuilder();
    for (let i = 0; i < 3000; i++) b.addSpan({ id: i + 1, name: `tool:${'x'.repeat(10_000)}${i}`, start: i * MS, end: (i + 1) * MS, file: `f${i}.py`, line: 1 }, i + 1);
    const c = catalog({ 'big.agentprof.jsonl': b.finish() });
    for (const def of TOOL_DEFINITIONS) {
      const text = answerText(await answerTool(def.name, { limit: 1000 }, c));
      assert.ok(text.length < MAX_ANSWER_CHARS, `${def.name}: ${text.length} characters`);
    }
    const rows = (await ask('agentProfiler_breakdown', { by: 'name', limit: 50 }, c)).rows;
    assert.equal(rows.length, 50);
    assert.equal(rows[0].name.length, 160);
  });
});

describe('chat tools: the manifest', () => {
  it('package.json declares exactly the tools of the definitions, with the same texts and schemas', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const declared = manifest.contributes.languageModelTools;
    assert.deepEqual(
      declared.map((t: any) => [t.name, t.displayName, t.toolReferenceName, t.userDescription, t.modelDescription, t.inputSchema]),
      TOOL_DEFINITIONS.map((t) => [t.name, t.displayName, t.toolReferenceName, t.userDescription, t.modelDescription, t.inputSchema]),
    );
    for (const t of declared) {
      // VS Code's rules for tool names and references.
      assert.match(t.name, /^agentProfiler_[A-Za-z]+$/);
      assert.match(t.toolReferenceName, /^[\w-]+$/);
      assert.equal(t.canBeReferencedInPrompt, true);
    }
    assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders, [{ id: 'agentProfiler.mcpServer', label: 'Agent Profiler' }]);
  });
});
