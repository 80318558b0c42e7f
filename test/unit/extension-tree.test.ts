import * as assert from 'node:assert/strict';
import { COMMANDS } from '../../src/extension/ids';
import type { RunEntry } from '../../src/extension/store';
import { foldCriticalPath } from '../../src/core/critical-fold';
import { cutCriticalPath } from '../../src/extension/critical-path-cut';
import { buildRunNodes, reuseNodes, runFileStem } from '../../src/extension/tree-model';
import { capped, clipText, displayText, MAX_LABEL_CHARS, MAX_TOOLTIP_CHARS, type TreeNode } from '../../src/extension/tree-node';
import type { RunResult } from '../../src/extension/worker-protocol';
import { analysis, nameTiming, runResult, site } from './extension-fixtures';

const options = { displayPath: (f: string) => f.replace('/ws/', ''), formatTime: (ms: number) => `t${ms}`, maxChildren: 3 };

function entry(file: string, over: Partial<RunEntry> = {}): RunEntry {
  return { file, mtimeMs: 1000, startMs: undefined, state: 'idle', result: undefined, summary: undefined, error: undefined, live: false, generation: 0, ...over };
}

function ready(result: RunResult): RunEntry {
  return entry(result.file, { state: 'ready', result, summary: result.analysis.run, generation: 1 });
}

const labels = (nodes: TreeNode[]) => nodes.map((n) => n.label);
const child = (nodes: TreeNode[], label: string) => {
  const n = nodes.find((x) => x.label.startsWith(label));
  assert.ok(n, `no node "${label}" in ${labels(nodes).join(', ')}`);
  return n;
};

describe('extension tree model', () => {
  const a = analysis({
    run: { ...analysis().run, name: 'research', wallMs: 9120, spans: 5, errors: 1, tokens: 1500, costUsd: 0.0123, unpricedModels: ['my-model'] },
    timing: {
      byCategory: [{ ...nameTiming('llm'), category: 'llm', count: 3, totalMs: 4500 }],
      byName: [nameTiming('llm:planning', { count: 2 }), nameTiming('llm:answer', { count: 1 })],
      bySite: [site('agent.py', 10, ['llm:planning'], { count: 2 }), site('agent.py', 30, ['llm:answer'])],
    },
    criticalPath: [
      { span: 0, spanId: 1, name: 'llm:planning', startMs: 0, endMs: 1200 },
      { span: -1, spanId: undefined, name: 'run', startMs: 1200, endMs: 1300 },
    ],
    bottlenecks: [
      { kind: 'slow_llm', component: 'llm', impact: 'high', metric: 'avg_ms', value: 3500, threshold: 3000, savingsMs: 2000, savingsUsd: 0, suggestion: 'Stream the answer.', file: 'agent.py', line: 10, spanIds: [1], spans: [0] },
      { kind: 'many_calls', component: 'tool', impact: 'medium', metric: 'count', value: 25, threshold: 20, savingsMs: 0, savingsUsd: 0.01, suggestion: 'Batch.', file: undefined, line: undefined, spanIds: [], spans: [] },
    ],
    budgets: [{ target: 'llm', source: 'profile', metric: 'tokens', limit: 1000, used: 1500, remaining: -500, breached: true, file: undefined, line: undefined }],
  });
  const result = runResult(a, { views: { spans: [{ index: 0, id: 1, name: 'llm:planning', file: 'agent.py', line: 10, startMs: 0, durationMs: 1200, open: false, error: undefined }] } });

  it('lists runs newest first as given, marks the active one and expands only it', () => {
    // An inactive run keeps the name from its last analysis, not its file stem.
    const older = entry('/ws/.agentprof/old.agentprof.jsonl', { summary: { ...a.run, name: 'old-agent', wallMs: 500, costUsd: 0 } });
    const nodes = buildRunNodes([ready(result), older], result.file, older.file, options);
    assert.deepEqual(labels(nodes), ['research', 'old-agent']);
    assert.equal(nodes[0].contextValue, 'run.active');
    assert.equal(nodes[0].expanded, true);
    assert.equal(nodes[1].contextValue, 'run');
    assert.equal(nodes[1].children, undefined);
    assert.deepEqual(nodes[1].command, { command: COMMANDS.selectRun, title: 'Show This Run', arguments: [older.file] });
    assert.equal(nodes[1].description, 'baseline · t1000 · 500 ms · $0');
    // "1 error", not "1 errors" (a defect from the new-user walk); 5 spans stay plural.
    assert.ok(nodes[0].tooltip!.includes('Wall time 9.12 s · 5 spans · 1 error\n'), nodes[0].tooltip);
    const single = entry('/ws/.agentprof/one.agentprof.jsonl', { summary: { ...a.run, spans: 1, errors: 0 } });
    assert.ok(buildRunNodes([single], undefined, undefined, options)[0].tooltip!.includes('· 1 span · 0 errors'));
  });

  it('shows the summary, bottlenecks in analysis order with savings, and budgets', () => {
    const sections = buildRunNodes([ready(result)], result.file, undefined, options)[0].children!();
    assert.deepEqual(labels(sections), ['Summary', 'Bottlenecks (2)', 'Critical path (2)', 'Timing by category', 'Tokens & cost', 'Budgets (1)']);
    const summary = child(sections, 'Summary').children!();
    assert.equal(child(summary, 'Wall time').description, '9.12 s');
    assert.equal(child(summary, 'Cost').description, '$0.0123');
    assert.equal(child(summary, 'Unpriced models').description, 'my-model');
    const bottlenecks = child(sections, 'Bottlenecks').children!();
    assert.deepEqual(labels(bottlenecks), ['llm', 'tool']);
    assert.equal(bottlenecks[0].description, 'high · slow_llm · saves ~2.00 s');
    assert.equal(bottlenecks[1].description, 'medium · many_calls · saves ~$0.0100');
    assert.ok(bottlenecks[0].tooltip!.includes('avg_ms 3.50 s (threshold 3.00 s)'), bottlenecks[0].tooltip);
    assert.deepEqual(bottlenecks[0].command?.arguments, [{ file: 'agent.py', line: 10, cwd: '/ws', profile: result.file }]);
    assert.equal(bottlenecks[1].command, undefined, 'no call site: nothing to open');
    assert.deepEqual(labels(bottlenecks[0].children!()), ['Stream the answer.']);
    const budgets = child(sections, 'Budgets').children!();
    assert.equal(budgets[0].description, '1,500 tokens of 1,000 tokens — over');
    assert.equal(budgets[0].icon, 'warning');
  });

  it('drills timing from category to name to call site, and opens call sites', () => {
    const sections = buildRunNodes([ready(result)], result.file, undefined, options)[0].children!();
    const [llm] = child(sections, 'Timing').children!();
    const names = llm.children!();
    assert.deepEqual(labels(names), ['llm:planning', 'llm:answer']);
    const [planningSite] = names[0].children!();
    assert.equal(planningSite.label, 'agent.py:10');
    assert.equal(planningSite.command?.command, COMMANDS.openLocation);
    const critical = child(sections, 'Critical path').children!();
    assert.deepEqual(labels(critical), ['llm:planning', '(not in any span)']);
    assert.deepEqual(critical[0].command?.arguments, [{ file: 'agent.py', line: 10, cwd: '/ws', profile: result.file }]);
  });

  it('explains unreadable, empty and waiting profiles with their problems', () => {
    const failed = buildRunNodes([entry('/ws/bad.agentprof.jsonl', { state: 'failed', error: 'EACCES: permission denied' })], '/ws/bad.agentprof.jsonl', undefined, options);
    assert.equal(failed[0].icon, 'error');
    assert.deepEqual(failed[0].children!().map((n) => [n.label, n.description]), [['Could not read this profile', 'EACCES: permission denied']]);

    const garbage = runResult(analysis({ diagnostics: [{ line: 1, severity: 'error', message: 'not valid JSON' }, { line: 2, severity: 'error', message: 'not valid JSON' }] }), { file: '/ws/g.agentprof.jsonl' });
    const nodes = buildRunNodes([ready(garbage)], garbage.file, undefined, options)[0].children!();
    assert.deepEqual(labels(nodes), ['No spans or token records could be read', 'Problems reading the profile (2)']);
    const problems = nodes[1].children!();
    assert.deepEqual(problems.map((p) => [p.label, p.description]), [['line 1', 'not valid JSON'], ['line 2', 'not valid JSON']]);
    assert.deepEqual(problems[0].command?.arguments, [{ file: garbage.file, line: 1, cwd: undefined, profile: garbage.file }]);

    const empty = runResult(analysis(), { file: '/ws/e.agentprof.jsonl' });
    empty.bytesRead = 0;
    assert.equal(buildRunNodes([ready(empty)], empty.file, undefined, options)[0].children!()[0].label, 'The profile is empty');

    const waiting = buildRunNodes([entry('/ws/w.agentprof.jsonl', { state: 'waiting', live: true })], '/ws/w.agentprof.jsonl', undefined, options);
    assert.equal(waiting[0].icon, 'sync~spin');
    assert.equal(waiting[0].children!()[0].label, 'Waiting for the agent to write its first record…');
  });

  it('caps long lists and says how many were left out', () => {
    const many = analysis({ diagnostics: Array.from({ length: 5 }, (_, i) => ({ line: i + 1, severity: 'warning' as const, message: `w${i}` })) });
    const r = runResult(many, { file: '/ws/m.agentprof.jsonl' });
    const problems = buildRunNodes([ready(r)], r.file, undefined, options)[0].children!()[1].children!();
    // maxChildren 3: three problems and "… 2 more".
    assert.deepEqual(labels(problems), ['line 1', 'line 2', 'line 3', '… 2 more']);
  });

  it('lists the folded critical path the worker sent: long segments, and each stretch of slivers as one node', () => {
    // 400 ms, then 2 000 slivers of 0.3 ms (600 ms), then 400 ms: 1 400 ms; 0.5 % is 7 ms.
    const path = [
      { span: 0, spanId: 1, name: 'llm:plan', startMs: 0, endMs: 400 },
      ...Array.from({ length: 2000 }, (_, i) => ({ span: i + 1, spanId: i + 2, name: `step_${i}:tool_call`, startMs: 400 + i * 0.3, endMs: 400 + (i + 1) * 0.3 })),
      { span: 2001, spanId: 2002, name: 'llm:answer', startMs: 1000, endMs: 1400 },
    ];
    const cut = cutCriticalPath(analysis({ run: { ...analysis().run, spans: 2002 }, criticalPath: path }), 1000);
    const r = runResult(cut.analysis);
    r.criticalPathTotal = cut.total;
    r.criticalPathFolded = foldCriticalPath(path, 250, (s) => (s.name.startsWith('step_') ? 'step_{n}:tool_call' : s.name));
    const critical = child(buildRunNodes([ready(r)], r.file, undefined, options)[0].children!(), 'Critical path');
    assert.equal(critical.description, '2,002 segments in 3 rows · 1.40 s');
    const nodes = critical.children!();
    assert.deepEqual(labels(nodes), ['llm:plan', '2,000 shorter segments', 'llm:answer']);
    assert.match(String(nodes[1].tooltip), /step_\{n\}:tool_call ×2,000: 600 ms/);
  });

  it('folds the critical path\'s parent slivers of a small run into one row, as the report leaves them out', () => {
    // planning 0–1 200 ms, two 0.02 ms slivers of agent:run, answer 1 200.04–9 000 ms: a 9 000 ms
    // path; 0.5 % of it is 45 ms, capped at 1 ms, so the slivers fold and the calls stay.
    const path = [
      { span: 1, spanId: 2, name: 'llm:planning', startMs: 0, endMs: 1200 },
      { span: 0, spanId: 1, name: 'agent:run', startMs: 1200, endMs: 1200.02 },
      { span: 0, spanId: 1, name: 'agent:run', startMs: 1200.02, endMs: 1200.04 },
      { span: 2, spanId: 3, name: 'llm:answer', startMs: 1200.04, endMs: 9000 },
    ];
    const r = runResult(analysis({ run: { ...analysis().run, spans: 3, wallMs: 9000 }, criticalPath: path }));
    // The worker folds the whole path (critical-fold.ts), as for the reports; a 20-span run listed 36 rows before.
    r.criticalPathFolded = foldCriticalPath(path, 250, (seg) => seg.name);
    const critical = child(buildRunNodes([ready(r)], r.file, undefined, { ...options, maxChildren: 10 })[0].children!(), 'Critical path').children!();
    assert.deepEqual(labels(critical), ['llm:planning', '2 shorter segments', 'llm:answer']);
    assert.match(String(critical[1].tooltip), /agent:run ×2: 0\.04 ms/);
  });

  it('gives a span name without a recorded call site no expand arrow (OTLP traces)', () => {
    const otlp = analysis({
      run: { ...analysis().run, spans: 2 },
      timing: {
        byCategory: [{ ...nameTiming('chat'), category: 'chat', count: 2 }],
        byName: [nameTiming('chat gpt-4o', { category: 'chat' }), nameTiming('chat sited', { category: 'chat' })],
        bySite: [site('agent.ts', 5, ['chat sited'])],
      },
    });
    const r = runResult(otlp);
    const timing = child(buildRunNodes([ready(r)], r.file, undefined, { ...options, maxChildren: 10 })[0].children!(), 'Timing by category');
    const names = timing.children!()[0].children!();
    assert.deepEqual(labels(names), ['chat gpt-4o', 'chat sited']);
    assert.equal(names[0].children, undefined, 'no call site: nothing to expand');
    assert.deepEqual(labels(names[1].children!()), ['agent.ts:5']);
  });

  it('counts the whole critical path when the worker sent only its start', () => {
    // Segments of 10 ms each, 2 500 of them: 25 000 ms in all; the worker keeps the first 1 000.
    const path = Array.from({ length: 2500 }, (_, i) => ({ span: i, spanId: i + 1, name: `tool:s${i}`, startMs: i * 10, endMs: i * 10 + 10 }));
    const cut = cutCriticalPath(analysis({ run: { ...analysis().run, spans: 2500 }, criticalPath: path }), 1000);
    assert.equal(cut.analysis.criticalPath.length, 1000);
    assert.deepEqual(cut.total, { segments: 2500, ms: 25_000 });
    const short = analysis({ criticalPath: path.slice(0, 2) });
    assert.equal(cutCriticalPath(short, 1000).analysis, short, 'a short path is passed on as it is');

    const r = runResult(cut.analysis);
    r.criticalPathTotal = cut.total;
    const critical = child(buildRunNodes([ready(r)], r.file, undefined, options)[0].children!(), 'Critical path');
    assert.equal(critical.label, 'Critical path (2,500)');
    assert.equal(critical.description, 'first 1,000 of 2,500 segments · 25.0 s');
    // maxChildren 3: three segments, then the rest of the whole path: 2 500 − 3 = 2 497.
    assert.deepEqual(labels(critical.children!()), ['tool:s0', 'tool:s1', 'tool:s2', '… 2,497 more']);
    // The fixture's path of two (1 200 ms + 100 ms) is whole: no "first … of".
    assert.equal(child(buildRunNodes([ready(result)], result.file, undefined, options)[0].children!(), 'Critical path').description, '2 segments · 1.30 s');
  });

  it('says how many were left out of a list that was already cut', () => {
    const nodes: TreeNode[] = [{ id: 'a', label: 'a' }, { id: 'b', label: 'b' }];
    assert.deepEqual(labels(capped('x', nodes, 5)), ['a', 'b']);
    // Two of ten sent, five may show: both, and 10 − 2 = 8 more.
    assert.deepEqual(labels(capped('x', nodes, 5, 10)), ['a', 'b', '… 8 more']);
  });

  it('clips long profile strings in labels, descriptions and tooltips', () => {
    assert.equal(clipText('short', 120), 'short');
    assert.equal(clipText('x'.repeat(120), 120), 'x'.repeat(120), 'exactly the limit is kept');
    // 121 characters: 119 kept + "…" = 120.
    assert.equal(clipText('x'.repeat(121), 120), `${'x'.repeat(119)}…`);
    // A surrogate pair across the cut (😀 at 118–119) is dropped whole: 118 kept + "…".
    assert.equal(clipText(`${'x'.repeat(118)}😀yy`, 120), `${'x'.repeat(118)}…`);
    assert.equal(clipText('a\nb\r\nc\td', 120, true), 'a b  c d');

    const hostile = 'tool:' + 'A'.repeat(1_000_000);
    const shown = displayText({ label: hostile, description: `error: ${hostile}`, tooltip: `${hostile}\nline 2` });
    assert.equal(shown.label.length, MAX_LABEL_CHARS);
    assert.ok(shown.label.startsWith('tool:AAA') && shown.label.endsWith('…'));
    assert.equal(shown.description!.length, MAX_LABEL_CHARS);
    assert.equal(shown.tooltip!.length, MAX_TOOLTIP_CHARS);
    assert.deepEqual(displayText({ label: 'x', description: undefined, tooltip: undefined }), { label: 'x', description: undefined, tooltip: undefined });
  });

  it('gives the active run a fresh item id each time it becomes active, so it shows expanded', () => {
    const r = ready(result);
    const other = entry('/ws/.agentprof/other.agentprof.jsonl');
    const first = buildRunNodes([r, other], r.file, undefined, { ...options, activeEpoch: 1 });
    assert.equal(first[0].itemId, `run:${r.file}#active1`);
    assert.equal(first[1].itemId, undefined, 'an inactive run keeps its plain id');
    const again = buildRunNodes([r, other], r.file, undefined, { ...options, activeEpoch: 2 });
    assert.equal(again[0].itemId, `run:${r.file}#active2`);
    assert.equal(again[0].id, `run:${r.file}`, 'the node id (used by commands) does not change');
  });

  it('keeps root node objects across rebuilds, with the new content', () => {
    const r = ready(result);
    const before = buildRunNodes([r], undefined, undefined, options);
    const first = reuseNodes(new Map(), before);
    assert.equal(first.nodes[0], before[0]);
    assert.equal(first.nodes[0].contextValue, 'run');
    const after = reuseNodes(first.byId, buildRunNodes([r], r.file, undefined, options));
    assert.equal(after.nodes[0], before[0], 'the same object the view was given');
    assert.equal(after.nodes[0].contextValue, 'run.active');
    assert.equal(after.nodes[0].command, undefined, 'fields of the old content are gone');
  });

  it('names runs after their file when the header is unknown', () => {
    assert.equal(runFileStem('/ws/.agentprof/20261123T121500Z-agent.agentprof.jsonl'), '20261123T121500Z-agent');
    assert.equal(runFileStem('C:\\ws\\x.jsonl'), 'x');
    // Defect from the new-user walk: an export of an OTLP trace was named x.otlp.json.html.
    assert.equal(runFileStem('/ws/traces/x.otlp.json'), 'x');
    assert.equal(runFileStem('/ws/traces/x.otlp.jsonl'), 'x');
  });
});
