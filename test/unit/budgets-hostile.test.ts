/**
 * Budgets from an untrusted workspace: a budget target can be any string, the file any size and
 * shape. Parsing is linear, inherited keys are no limits, the entries and the problems reported
 * are capped, and matching budgets to records is by look-up, not budgets × records.
 */
import { strict as assert } from 'assert';
import { BudgetIndex } from '../../src/core/budget-index';
import { evaluateBudgets, MAX_BUDGET_DIAGNOSTICS, MAX_BUDGET_ENTRIES, parseBudgetsFile, parseSite } from '../../src/core/budgets';
import { ProfileBuilder } from '../../src/core/builder';
import type { Budget } from '../../src/core/model';

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

describe('budgets from an untrusted workspace', () => {
  it('parseSite is linear: 300 KB targets of the backtracking shapes take milliseconds', () => {
    // The old /^(.*[./\\].*):(\d+)$/ took 92 s on 300 KB of this kind.
    const shapes = ['.'.repeat(300_000) + ':', '/'.repeat(300_000) + 'x', ('a.' + ':1'.repeat(2)).repeat(50_000) + ':x', ':'.repeat(300_000)];
    for (const target of shapes) {
      const { ms } = timed(() => parseSite(target));
      assert.ok(ms < 50, `${ms.toFixed(1)} ms for a target of ${target.length}`);
    }
    assert.equal(parseSite('.'.repeat(300_000) + ':'), undefined);
    assert.deepEqual(parseSite('a/b.py:1:2'), { file: 'a/b.py:1', line: 2 }); // the last colon splits
    assert.deepEqual(parseSite('C:\\src\\a.py:7'), { file: 'C:\\src\\a.py', line: 7 });
    assert.equal(parseSite('a.py:'), undefined);
    assert.equal(parseSite('a.py:1x'), undefined);
    assert.equal(parseSite('llm:12'), undefined); // no path character: an operation prefix
  });

  it('inherited keys (toString, constructor, __proto__, hasOwnProperty) are never limits', () => {
    const text = '{"budgets":[{"target":"llm","toString":5,"constructor":6,"__proto__":7,"hasOwnProperty":8,"valueOf":9}]}';
    const { budgets, diagnostics } = parseBudgetsFile(text, 'agentprof.budgets.json');
    assert.deepEqual(budgets, []);
    assert.deepEqual(
      diagnostics.map((d) => d.message),
      [
        'budgets[0]: unknown key "toString" ignored (expected tokens, cost, ms)',
        'budgets[0]: unknown key "constructor" ignored (expected tokens, cost, ms)',
        'budgets[0]: unknown key "__proto__" ignored (expected tokens, cost, ms)',
        'budgets[0]: unknown key "hasOwnProperty" ignored (expected tokens, cost, ms)',
        'budgets[0]: unknown key "valueOf" ignored (expected tokens, cost, ms)',
        'budgets[0]: no valid limit for "llm" (set tokens, cost or ms); skipped',
      ],
    );
  });

  it('reads at most 1 000 entries and reports at most 100 problems, then one that counts the rest', () => {
    // 30 000 entries, each with one unknown key: 30 000 problems before the cap.
    const entries = Array.from({ length: 30_000 }, (_, i) => `{"target":"t${i}","tokens":1,"x":1}`);
    const text = `{"budgets":[\n${entries.join(',\n')}\n]}`;
    const { value, ms } = timed(() => parseBudgetsFile(text, 'agentprof.budgets.json'));
    assert.equal(MAX_BUDGET_ENTRIES, 1000);
    assert.equal(value.budgets.length, 1000);
    assert.equal(value.budgets[999].target, 't999');
    assert.equal(value.diagnostics.length, MAX_BUDGET_DIAGNOSTICS + 1);
    // First the cap (line 1002: entry 1000 is on line 2 + 1000), then entries 0..98, then the count.
    assert.deepEqual(value.diagnostics[0], { line: 1002, severity: 'warning', message: 'agentprof.budgets.json holds 30000 budgets; only the first 1000 are read' });
    assert.equal(value.diagnostics[1].message, 'budgets[0]: unknown key "x" ignored (expected tokens, cost, ms)');
    assert.equal(value.diagnostics[1].line, 2);
    // 1 cap warning + 1 000 unknown keys = 1 001 problems; 100 shown, 901 counted.
    assert.deepEqual(value.diagnostics[100], { line: 101, severity: 'warning', message: '… and 901 more problems' });
    assert.ok(ms < 2000, `${ms} ms`);
  });

  it('the index matches as testing each budget did: sites with either slash, every prefix, shortest first', () => {
    const index = new BudgetIndex<string>();
    for (const t of ['llm', 'llm:plan', 'l', 'tool', 'src/a.py:10', 'src\\a.py:10', 'llm:plan:deep']) index.add(t, t);
    assert.deepEqual(index.withPrefixOf('llm:planning'), ['l', 'llm', 'llm:plan']);
    assert.deepEqual(index.withPrefixOf('llm:planning'), ['l', 'llm', 'llm:plan']); // from the memo
    assert.deepEqual(index.withPrefixOf('tool:x'), ['tool']);
    assert.deepEqual(index.withPrefixOf('xyz'), []);
    assert.deepEqual(index.atSite('src/a.py', 10), ['src/a.py:10', 'src\\a.py:10']);
    assert.deepEqual(index.atSite('src\\a.py', 10), ['src/a.py:10', 'src\\a.py:10']);
    assert.deepEqual(index.atSite('src/a.py', 11), []);
    index.add('ll', 'll'); // a later budget is seen by names looked up before
    assert.deepEqual(index.withPrefixOf('llm:planning'), ['l', 'll', 'llm', 'llm:plan']);
  });

  it('30 000 budgets × 30 000 call sites evaluate in well under a second', () => {
    const b = new ProfileBuilder();
    for (let i = 0; i < 30_000; i++) b.addUsage({ operation: `op${i}:call`, model: 'm', input: 10, output: 1, file: 'agent.py', line: i + 1 }, i + 2);
    const profile = b.finish();
    const budgets: Budget[] = [];
    for (let i = 0; i < 15_000; i++) budgets.push({ target: `agent.py:${i + 1}`, maxTokens: 5, maxCostUsd: undefined, maxMs: undefined, source: 'workspace' as const });
    for (let i = 0; i < 15_000; i++) budgets.push({ target: `op${i}:`, maxTokens: 20, maxCostUsd: undefined, maxMs: undefined, source: 'workspace' as const });
    const { value, ms } = timed(() => evaluateBudgets(profile, budgets, new Float64Array(30_000), { byCategory: [], bySite: [] }));
    assert.equal(value.length, 30_000);
    assert.deepEqual([value[0].used, value[0].breached], [11, true]); // agent.py:1 holds op0: 10 + 1 tokens
    assert.deepEqual([value[15_000].target, value[15_000].used, value[15_000].breached], ['op0:', 11, false]);
    assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  });
});
