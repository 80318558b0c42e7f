import { strict as assert } from 'assert';
import type { BudgetStatus, CategoryTiming, SiteTiming } from '../../src/core/analysis-types';
import { evaluateBudgets, parseBudgetsFile, parseSite } from '../../src/core/budgets';
import { ProfileBuilder } from '../../src/core/builder';
import type { Budget, Profile } from '../../src/core/model';

const MS = 1e6; // ns per ms

describe('parseBudgetsFile', () => {
  it('reads the documented format', () => {
    const { budgets, diagnostics } = parseBudgetsFile(
      '{"budgets":[{"target":"llm","tokens":50000,"cost":0.5,"ms":30000},{"target":"agent.py:44","cost":0.1}]}',
      'agentprof.budgets.json',
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(budgets, [
      { target: 'llm', maxTokens: 50000, maxCostUsd: 0.5, maxMs: 30000, source: 'workspace' },
      { target: 'agent.py:44', maxTokens: undefined, maxCostUsd: 0.1, maxMs: undefined, source: 'workspace' },
    ]);
  });

  it('reports each bad entry on its own line and keeps the good ones', () => {
    const text = [
      '{', //                                                                     1
      '  "budgets": [', //                                                         2
      '    {"target": "llm", "tokens": 50000, "cost": 0.5, "ms": 30000},', //     3
      '    {', //                                                                 4
      '      "target": "tool ] , { \\" tricky",', //                              5
      '      "ms": "fast"', //                                                    6
      '    },', //                                                                7
      '    {"tokens": 10},', //                                                   8
      '    "oops",', //                                                           9
      '    {"target": "agent.py:44", "cost": 0.1, "colour": "red"}', //           10
      '  ]', //                                                                   11
      '}', //                                                                     12
    ].join('\n');
    const { budgets, diagnostics } = parseBudgetsFile(text, 'agentprof.budgets.json');
    assert.deepEqual(budgets.map((b) => b.target), ['llm', 'agent.py:44']);
    assert.deepEqual(
      diagnostics.map((d) => [d.line, d.severity]),
      [[4, 'error'], [4, 'error'], [8, 'error'], [9, 'error'], [10, 'warning']],
    );
    assert.match(diagnostics[0].message, /budgets\[1\]: "ms" must be a number >= 0, got "fast"/);
    assert.match(diagnostics[1].message, /no valid limit/);
    assert.match(diagnostics[2].message, /"target" must be a non-empty string/);
    assert.match(diagnostics[4].message, /unknown key "colour"/);
  });

  it('points at the line of a JSON syntax error', () => {
    const trailingComma = '{\n  "budgets": [\n    {"target": "llm", "tokens": 5},\n  ]\n}\n';
    assert.deepEqual(parseBudgetsFile(trailingComma, 'b.json').diagnostics.map((d) => [d.line, d.severity]), [[4, 'error']]);
    const badLiteral = '{\n  "budgets": [\n    {"target": "llm",\n     "tokens": tru}\n  ]\n}\n';
    assert.equal(parseBudgetsFile(badLiteral, 'b.json').diagnostics[0].line, 4);
    const missingColon = '{\n  "budgets" [\n  ]\n}';
    assert.equal(parseBudgetsFile(missingColon, 'b.json').diagnostics[0].line, 2);
  });

  it('rejects a file without a budgets array, and accepts a byte-order mark', () => {
    const { budgets, diagnostics } = parseBudgetsFile('[{"target":"llm","tokens":1}]', 'agentprof.budgets.json');
    assert.deepEqual(budgets, []);
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0].message, /agentprof.budgets.json must be an object with a "budgets" array/);
    assert.equal(parseBudgetsFile('\uFEFF{"budgets":[{"target":"llm","tokens":1}]}', 'x').budgets.length, 1);
  });
});

describe('parseSite', () => {
  it('tells call sites from operation prefixes', () => {
    assert.deepEqual(parseSite('agent.py:44'), { file: 'agent.py', line: 44 });
    assert.deepEqual(parseSite('src/a:7'), { file: 'src/a', line: 7 });
    assert.equal(parseSite('step:3'), undefined); // an operation prefix, not a file
    assert.equal(parseSite('llm'), undefined);
  });
});

describe('evaluateBudgets', () => {
  /*
   * Spans: llm:plan 0–1000 ms at agent.py:10, llm:answer 1000–3000 ms, tool:search 3000–3500 ms.
   * Usage (costs given by hand, as usageCosts would):
   *   0 llm:plan    1000 in + 100 out = 1100 tokens, $0.02  at agent.py:10
   *   1 llm:answer  3000 in + 400 out = 3400 tokens, $0.04  at agent.py:20
   *   2 summarize    200 in +  50 out =  250 tokens, $0.001 at agent.py:10
   */
  function run(): Profile {
    const b = new ProfileBuilder();
    b.addSpan({ id: 1, name: 'llm:plan', start: 0, end: 1000 * MS, file: 'agent.py', line: 10 }, 2);
    b.addSpan({ id: 2, name: 'llm:answer', start: 1000 * MS, end: 3000 * MS }, 3);
    b.addSpan({ id: 3, name: 'tool:search', start: 3000 * MS, end: 3500 * MS }, 4);
    b.addUsage({ operation: 'llm:plan', model: 'm', input: 1000, output: 100, file: 'agent.py', line: 10 }, 5);
    b.addUsage({ operation: 'llm:answer', model: 'm', input: 3000, output: 400, file: 'agent.py', line: 20 }, 6);
    b.addUsage({ operation: 'summarize', model: 'm', input: 200, output: 50, file: 'agent.py', line: 10 }, 7);
    return b.finish();
  }
  const costs = Float64Array.from([0.02, 0.04, 0.001]);
  const timing = {
    byCategory: [
      { category: 'llm', totalMs: 3000 },
      { category: 'tool', totalMs: 500 },
    ] as CategoryTiming[],
    bySite: [{ file: 'agent.py', line: 10, totalMs: 1000 }] as SiteTiming[],
  };
  const budget = (target: string, limits: Partial<Budget>, source: Budget['source'] = 'workspace'): Budget => ({
    target,
    maxTokens: undefined,
    maxCostUsd: undefined,
    maxMs: undefined,
    source,
    ...limits,
  });
  const row = (s: BudgetStatus) => [s.target, s.metric, s.limit, s.used, s.remaining, s.breached];
  const near = (statuses: BudgetStatus[]) => statuses.map((s) => ({ ...s, used: round(s.used), remaining: round(s.remaining) }));
  const round = (v: number) => Math.round(v * 1e9) / 1e9;

  it('uses tokens, cost and ms of a category (operation prefix), one row per limit', () => {
    const statuses = near(evaluateBudgets(run(), [budget('llm', { maxTokens: 5000, maxCostUsd: 0.05, maxMs: 2500 }, 'profile')], costs, timing));
    assert.deepEqual(statuses.map(row), [
      ['llm', 'tokens', 5000, 4500, 500, false], // 1100 + 3400
      ['llm', 'cost', 0.05, 0.06, -0.01, true], // 0.02 + 0.04
      ['llm', 'ms', 2500, 3000, -500, true], // category llm total
    ]);
    assert.equal(statuses[0].source, 'profile');
    assert.equal(statuses[0].file, undefined);
  });

  it('uses the summed span durations for a prefix that is not a category', () => {
    // llm:answer lasted 2000 ms.
    const [status] = evaluateBudgets(run(), [budget('llm:ans', { maxMs: 1500 })], costs, timing);
    assert.deepEqual(row(status), ['llm:ans', 'ms', 1500, 2000, -500, true]);
  });

  it('uses the usage and the timing of a call site; used == limit is not a breach', () => {
    const statuses = near(evaluateBudgets(run(), [budget('agent.py:10', { maxTokens: 1350, maxCostUsd: 0.1, maxMs: 900 })], costs, timing));
    assert.deepEqual(statuses.map(row), [
      ['agent.py:10', 'tokens', 1350, 1350, 0, false], // 1100 + 250
      ['agent.py:10', 'cost', 0.1, 0.021, 0.079, false], // 0.02 + 0.001
      ['agent.py:10', 'ms', 900, 1000, -100, true],
    ]);
    assert.deepEqual([statuses[0].file, statuses[0].line], ['agent.py', 10]);
  });

  it('counts nothing for a target without usage or spans', () => {
    const statuses = evaluateBudgets(run(), [budget('tool', { maxTokens: 10 }), budget('nothing', { maxMs: 5 })], costs, timing);
    assert.deepEqual(statuses.map(row), [
      ['tool', 'tokens', 10, 0, 10, false],
      ['nothing', 'ms', 5, 0, 5, false],
    ]);
  });
});
