import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildSiteIndex, lensTitle, matchCalls, matchRecordedSites, sitesOfDocument, spanIdsOf } from '../../src/extension/lens-index';
import { scanTimerCalls } from '../../src/extension/timer-scan';
import { analysis, nameTiming, runResult, site } from './extension-fixtures';

const posix = { path: path.posix, caseInsensitive: false };

describe('extension timer scan', () => {
  it('finds Python timer, timed, decorator and start calls with their positions', () => {
    const text = [
      'with profiler.timer("llm:planning"):', // line 0
      '    pass',
      "    with profiler.timer('tool:search', q=q):", // line 2
      '@profiler.timed("agent:step")', // line 3
      'span = tracer.start("memory:lookup")', // line 4
      'thread.start()', // no name: not a timer
      'restart("x")', // not a call of start
    ].join('\n');
    const calls = scanTimerCalls(text);
    assert.deepEqual(
      calls.map((c) => [c.line, c.method, c.name, c.template]),
      [
        [0, 'timer', 'llm:planning', false],
        [2, 'timer', 'tool:search', false],
        [3, 'timed', 'agent:step', false],
        [4, 'start', 'memory:lookup', false],
      ],
    );
    // `with profiler.timer("llm:planning")`: "timer" starts at column 5 + 9 = 14; the range runs
    // to the closing quote, `timer("llm:planning"` = 20 characters, so it ends at column 34.
    assert.equal(calls[0].startColumn, 14);
    assert.equal(calls[0].endColumn, 34);
  });

  it('turns f-strings and template literals into patterns', () => {
    const [py, js, braces, nested] = scanTimerCalls(
      [
        'with profiler.timer(f"step_{i}:llm_call"):',
        'profiler.timer(`step_${i}:tool_${name}`, () => run())',
        'with profiler.timer(f"{{literal}}_{n}"):',
        'with profiler.timer(f"x_{d[\'k\']}_{ {1: 2}[1] }"):',
      ].join('\n'),
    );
    assert.ok(py.template && py.pattern.test('step_0:llm_call') && py.pattern.test('step_12:llm_call'));
    assert.ok(!py.pattern.test('step_0:tool_call') && !py.pattern.test('xstep_0:llm_call'));
    assert.ok(js.template && js.pattern.test('step_3:tool_web_search') && !js.pattern.test('step_3:llm'));
    assert.ok(braces.pattern.test('{literal}_7'), 'doubled braces are literal braces');
    assert.ok(nested.pattern.test('x_a_2'), 'holes with nested brackets and braces');
  });

  it('escapes regex characters in names and skips bytes and empty names', () => {
    const [dotted] = scanTimerCalls('timer("a.b(c)+")');
    assert.ok(dotted.pattern.test('a.b(c)+') && !dotted.pattern.test('aXb(c)+'));
    assert.deepEqual(scanTimerCalls('timer(b"x") timer("")'), []);
    const [escaped] = scanTimerCalls('timer("say \\"hi\\"")');
    assert.equal(escaped.name, 'say "hi"');
  });
});

describe('extension lens index', () => {
  const planning = site('agent.py', 10, ['llm:planning'], { count: 3, p50Ms: 1200, p95Ms: 3100, shareOfRun: 0.41, costUsd: 0.14, tokens: 900, spans: [0, 1, 2] });
  const steps = site('agent.py', 20, ['step_0:llm_call', 'step_1:llm_call'], { count: 2, p50Ms: 500, p95Ms: 900, shareOfRun: 0.2, spans: [3, 4] });
  const other = site('lib/tools.py', 5, ['tool:search'], { count: 4, spans: [5, 6, 7, 8] });
  const a = analysis({
    timing: {
      byCategory: [],
      byName: [nameTiming('llm:planning', { count: 3 }), nameTiming('tool:search', { count: 4, p50Ms: 70, p95Ms: 90 }), nameTiming('tool:fetch', { count: 1, totalMs: 50 })],
      bySite: [planning, steps, other],
    },
  });
  const result = runResult(a, {
    cwd: '/ws',
    views: { sites: [{ spanIds: [1, 2, 3], models: [] }, { spanIds: [4, 5], models: [] }, { spanIds: [6, 7, 8, 9], models: [] }], nameSpanIds: [[1, 2, 3], [6, 7, 8, 9], [10]] },
  });
  const index = buildSiteIndex(result, 1, '/ws', posix);

  it('resolves recorded files against the run cwd, else by path suffix', () => {
    assert.deepEqual(sitesOfDocument(index, '/ws/agent.py').map((s) => s.siteIndex), [0, 1]);
    assert.deepEqual(sitesOfDocument(index, '/ws/lib/tools.py').map((s) => s.siteIndex), [2]);
    // The run was recorded elsewhere (cwd /ws), the checkout now lives in /home/me/proj.
    assert.deepEqual(sitesOfDocument(index, '/home/me/proj/lib/tools.py').map((s) => s.siteIndex), [2]);
    assert.deepEqual(sitesOfDocument(index, '/ws/other.py'), []);
  });

  it('matches by recorded line first, including f-string sites', () => {
    const text = [...Array(9).fill(''), 'with profiler.timer("llm:planning"):', ...Array(9).fill(''), '    with profiler.timer(f"step_{i}:llm_call"):'].join('\n');
    const matches = matchCalls(scanTimerCalls(text), index, '/ws/agent.py');
    assert.deepEqual(matches.map((m) => [m.call.line, m.how, m.siteIndex]), [
      [9, 'site', 0],
      [19, 'site', 1],
    ]);
    assert.equal(matches[0].stats.count, 3);
    assert.deepEqual(spanIdsOf(matches[1], result), [4, 5]);
  });

  it('follows edits: a timer whose line moved matches the nearest site of its name', () => {
    // Three lines were inserted above both timers: they are now at lines 13 and 23 (1-based).
    const text = [...Array(12).fill(''), 'with profiler.timer("llm:planning"):', ...Array(9).fill(''), 'with profiler.timer(f"step_{i}:llm_call"):'].join('\n');
    const matches = matchCalls(scanTimerCalls(text), index, '/ws/agent.py');
    assert.deepEqual(matches.map((m) => [m.call.line, m.how, m.siteIndex]), [
      [12, 'moved', 0],
      [22, 'moved', 1],
    ]);
  });

  it('does not give a renamed timer the stats of the old name at that line', () => {
    const text = [...Array(9).fill(''), 'with profiler.timer("llm:replanning"):'].join('\n');
    assert.deepEqual(matchCalls(scanTimerCalls(text), index, '/ws/agent.py'), []);
  });

  it('falls back to a unique site elsewhere, then to name statistics', () => {
    const text = 'with profiler.timer("tool:search"):\nwith profiler.timer(f"tool:{kind}"):\nwith profiler.timer("tool:fetch"):';
    const matches = matchCalls(scanTimerCalls(text), index, '/ws/new_file.py');
    assert.deepEqual(matches.map((m) => [m.call.line, m.how, m.siteIndex, m.nameIndices]), [
      [0, 'name', 2, []],
      // The site of tool:search is taken by line 0; the template then matches two names.
      [1, 'name', undefined, [1, 2]],
      [2, 'name', undefined, [2]],
    ]);
    // Two names: counts and totals add up (4 + 1 calls, 100 + 50 ms); percentiles cannot be combined.
    assert.equal(matches[1].stats.count, 5);
    assert.equal(matches[1].stats.totalMs, 150);
    assert.equal(matches[1].stats.p95Ms, undefined);
    assert.deepEqual(spanIdsOf(matches[1], result), [6, 7, 8, 9, 10]);
    // One name keeps its own percentiles.
    assert.equal(matches[2].stats.p50Ms, 100);
  });

  it('puts a match on recorded sites no timer call claims (OpenTelemetry spans with code.* attributes)', () => {
    // Line 10 holds an OTel span, not a timer call; line 20 a timer call of its own site.
    const lines = [...Array(9).fill(''), '    with tracer.start_as_current_span("llm:planning") as span:  ', ...Array(9).fill(''), '    with profiler.timer(f"step_{i}:llm_call"):'];
    const calls = scanTimerCalls(lines.join('\n'));
    const matches = matchCalls(calls, index, '/ws/agent.py');
    assert.deepEqual(matches.map((m) => m.siteIndex), [1]);
    const recorded = matchRecordedSites(matches, calls, index, '/ws/agent.py', lines);
    assert.deepEqual(recorded.map((m) => [m.call.line, m.call.method, m.how, m.siteIndex]), [[9, 'recorded', 'site', 0]]);
    // The match spans the line's text without its indentation and trailing blanks: columns 4–61.
    assert.deepEqual([recorded[0].call.startColumn, recorded[0].call.endColumn], [4, lines[9].trimEnd().length]);
    assert.equal(recorded[0].stats.count, 3);
    assert.equal(recorded[0].stats.costUsd, 0.14);
    assert.ok(recorded[0].call.pattern.test('llm:planning') && !recorded[0].call.pattern.test('llm:planning2'));
    // A line holding a timer call keeps that call's match, even when it did not claim the site;
    // a recorded line past the end of the document or blank gets nothing.
    const renamed = [...Array(9).fill(''), 'with profiler.timer("llm:replanning"):'];
    const renamedCalls = scanTimerCalls(renamed.join('\n'));
    assert.deepEqual(matchRecordedSites(matchCalls(renamedCalls, index, '/ws/agent.py'), renamedCalls, index, '/ws/agent.py', renamed), []);
    assert.deepEqual(matchRecordedSites([], [], index, '/ws/agent.py', ['x']), []);
    assert.deepEqual(matchRecordedSites([], [], index, '/ws/agent.py', Array(30).fill('  ')), []);
  });

  it('writes lens titles with the configured parts', () => {
    const s = { count: 12, totalMs: 20000, avgMs: 1666.7, p50Ms: 1200, p95Ms: 3100, shareOfRun: 0.41, costUsd: 0.14, tokens: 5000 };
    assert.equal(lensTitle(s, ['calls', 'p50', 'p95', 'share', 'cost']), '$(watch) 12 calls · p50 1.20 s · p95 3.10 s · 41 % of run · $0.1400');
    assert.equal(lensTitle({ ...s, count: 1 }, ['calls', 'avg', 'total']), '$(watch) 1 call · avg 1.67 s · total 20.0 s');
    // No cost part when nothing was spent and no tokens were used; no percentiles when unknown.
    assert.equal(lensTitle({ ...s, costUsd: 0, tokens: 0, p50Ms: undefined }, ['calls', 'p50', 'cost']), '$(watch) 12 calls');
  });
});
