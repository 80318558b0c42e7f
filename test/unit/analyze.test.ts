import { strict as assert } from 'assert';
import { analyze, compactCriticalPath } from '../../src/core/analyze';
import { ProfileBuilder } from '../../src/core/builder';
import { Profile } from '../../src/core/model';
import { PriceBook } from '../../src/core/prices';

const MS = 1e6; // ns per ms

/**
 * A small research run (times in ms):
 *   agent:run        [0, 7000]   agent.py:10
 *     llm:plan       [0, 800]    agent.py:20   1000 in + 500 out tokens of test-model
 *     tool:web_scrape [1000, 3000], [3000, 5000], [5000, 7000]  agent.py:42, the last one failing
 * The profile sets an LLM token budget of 1000; the workspace adds a 5000 ms budget on tools.
 */
function researchRun(): Profile {
  const b = new ProfileBuilder();
  b.setRun({ name: 'research', endedAt: 7000 * MS, exitStatus: 'ok' });
  let line = 2;
  b.addSpan({ id: 1, name: 'agent:run', start: 0, end: 7000 * MS, file: 'agent.py', line: 10 }, line++);
  b.addSpan({ id: 2, parentId: 1, name: 'llm:plan', start: 0, end: 800 * MS, file: 'agent.py', line: 20 }, line++);
  b.addUsage({ spanId: 2, model: 'test-model', provider: 'test', input: 1000, output: 500 }, line++);
  for (let k = 0; k < 3; k++) {
    b.addSpan(
      {
        id: 3 + k,
        parentId: 1,
        name: 'tool:web_scrape',
        start: (1000 + k * 2000) * MS,
        end: (3000 + k * 2000) * MS,
        file: 'agent.py',
        line: 42,
        error: k === 2 ? 'TimeoutError: slow site' : undefined,
      },
      line++,
    );
  }
  b.addBudget({ target: 'llm', maxTokens: 1000, maxCostUsd: undefined, maxMs: undefined, source: 'profile' });
  return b.finish();
}

// $1 per million input tokens, $2 per million output tokens:
// 1000 × 1 / 1e6 + 500 × 2 / 1e6 = 0.001 + 0.001 = $0.002.
const prices = () =>
  new PriceBook({ overrides: [{ model: 'test-model', provider: 'test', inputPerMTok: 1, outputPerMTok: 2 }] });
const workspaceBudget = { target: 'tool', maxTokens: undefined, maxCostUsd: undefined, maxMs: 5000, source: 'workspace' as const };

describe('analyze', () => {
  it('summarizes the run', () => {
    const profile = researchRun();
    const a = analyze(profile, { prices: prices(), budgets: [workspaceBudget] });
    assert.deepEqual(
      { ...a.run, costUsd: Math.round(a.run.costUsd * 1e9) / 1e9 },
      {
        name: 'research',
        source: 'agentprof',
        spans: 5,
        wallMs: 7000,
        errors: 1,
        unfinished: 0,
        orphans: 0,
        tokens: 1500,
        costUsd: 0.002,
        unpricedModels: [],
        // One usage record, on the llm span: the cost covers the run's one LLM call.
        costCoverage: { calls: 1, covered: 1, noUsage: 0, noUsageFailed: 0, noUsageSpanIds: [], unpricedCalls: 0, unpricedModels: [] },
        ended: true,
        exitStatus: 'ok',
        exitError: undefined,
      },
    );
    assert.equal(a.diagnostics, profile.diagnostics);
    // The critical path tiles the 7000 ms run.
    const covered = a.criticalPath.reduce((sum, s) => sum + s.endMs - s.startMs, 0);
    assert.equal(covered, 7000);
  });

  it('puts the slow sequential tool first, with its line and a saving in ms', () => {
    const a = analyze(researchRun(), { prices: prices() });
    const top = a.bottlenecks[0];
    // 3 × 2000 ms in sequence, all on the critical path: 6000 − 2000 = 4000 ms if run concurrently.
    assert.equal(top.kind, 'slow_tool');
    assert.equal(top.component, 'tool:web_scrape');
    assert.equal(top.file, 'agent.py');
    assert.equal(top.line, 42);
    assert.equal(top.savingsMs, 4000);
    assert.ok(a.bottlenecks.some((b) => b.kind === 'sequential_siblings' && b.savingsMs === 4000));
  });

  it('fills cost and tokens of call sites from the token summary', () => {
    const a = analyze(researchRun(), { prices: prices() });
    const plan = a.timing.bySite.find((s) => s.line === 20)!;
    assert.equal(plan.tokens, 1500);
    assert.ok(Math.abs(plan.costUsd - 0.002) < 1e-12);
    const scrape = a.timing.bySite.find((s) => s.line === 42)!;
    assert.equal(scrape.tokens, 0);
    assert.equal(scrape.costUsd, 0);
  });

  it('counts usage at the site of the span it was recorded in, as the hover does', () => {
    // The Node recorder writes a usage record at its tokens.record line (agent.py:24), inside the
    // llm:plan span timed at agent.py:20: the lens on the timer shows that cost. A record outside
    // any span stays at its own line (agent.py:50) and makes no timing row (no span there).
    const b = new ProfileBuilder();
    b.addSpan({ id: 1, name: 'llm:plan', start: 0, end: 800 * MS, file: 'agent.py', line: 20 }, 1);
    b.addUsage({ spanId: 1, model: 'test-model', provider: 'test', input: 1000, output: 500, file: 'agent.py', line: 24 }, 2);
    b.addUsage({ model: 'test-model', provider: 'test', input: 100, output: 0, file: 'agent.py', line: 50 }, 3);
    const a = analyze(b.finish(), { prices: prices() });
    assert.deepEqual(a.timing.bySite.map((s) => [s.line, s.tokens]), [[20, 1500]]);
    // 1000 × $1 / M + 500 × $2 / M = 0.001 + 0.001 = $0.002
    assert.ok(Math.abs(a.timing.bySite[0].costUsd - 0.002) < 1e-12);
    // The token summary still lists where each record was written.
    assert.deepEqual(a.tokens.bySite.map((s) => s.line).sort(), [24, 50]);
  });

  it('evaluates the profile budgets and the given ones', () => {
    const a = analyze(researchRun(), { prices: prices(), budgets: [workspaceBudget] });
    const rows = a.budgets.map((s) => [s.target, s.source, s.metric, s.limit, s.used, s.breached]);
    // llm tokens: 1000 + 500 = 1500 > 1000. tool latency: 3 × 2000 = 6000 ms > 5000.
    assert.deepEqual(rows, [
      ['llm', 'profile', 'tokens', 1000, 1500, true],
      ['tool', 'workspace', 'ms', 5000, 6000, true],
    ]);
  });

  it('keeps the critical path compact until it is read, then gives the segments a data property would', () => {
    // Walking back from 7000: the three scrapes end last in turn (5000–7000, 3000–5000,
    // 1000–3000); nothing of agent:run's children covers 800–1000 (its own time); llm:plan 0–800.
    const a = analyze(researchRun(), { prices: prices() });
    const compact = compactCriticalPath(a)!;
    assert.deepEqual(Array.from(compact.span), [1, 0, 2, 3, 4]);
    assert.deepEqual(Array.from(compact.start), [0, 800 * MS, 1000 * MS, 3000 * MS, 5000 * MS]);
    assert.deepEqual(Array.from(compact.end), [800 * MS, 1000 * MS, 3000 * MS, 5000 * MS, 7000 * MS]);
    const expected = [
      { span: 1, spanId: 2, name: 'llm:plan', startMs: 0, endMs: 800 },
      { span: 0, spanId: 1, name: 'agent:run', startMs: 800, endMs: 1000 },
      { span: 2, spanId: 3, name: 'tool:web_scrape', startMs: 1000, endMs: 3000 },
      { span: 3, spanId: 4, name: 'tool:web_scrape', startMs: 3000, endMs: 5000 },
      { span: 4, spanId: 5, name: 'tool:web_scrape', startMs: 5000, endMs: 7000 },
    ];
    assert.deepEqual({ ...a }.criticalPath, expected);
    // Made once: the same array on every read, and no compact form once the objects exist.
    assert.equal(a.criticalPath, a.criticalPath);
    assert.equal(compactCriticalPath(a), undefined);
    assert.deepEqual(JSON.parse(JSON.stringify(a)).criticalPath, expected);
    // Assigning replaces the path, as for a plain property.
    a.criticalPath = expected.slice(0, 1);
    assert.deepEqual(a.criticalPath, expected.slice(0, 1));
    assert.equal(compactCriticalPath({ ...a }), undefined);
  });

  it('applies threshold overrides', () => {
    // No tool averages over 2500 ms (they take 2000), so no slow_tool; the sequential run stays.
    const a = analyze(researchRun(), { prices: prices(), thresholds: { slowToolAvgMs: 2500 } });
    assert.equal(a.bottlenecks.filter((b) => b.kind === 'slow_tool').length, 0);
    assert.equal(a.bottlenecks[0].kind, 'sequential_siblings');
  });
});
