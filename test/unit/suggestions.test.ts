import { strict as assert } from 'assert';
import { DEFAULT_THRESHOLDS, TokenStats, TokenSummary } from '../../src/core/analysis-types';
import { optimizationSuggestions } from '../../src/core/suggestions';

type OpRow = TokenStats & { operation: string };

function op(operation: string, calls: number, input: number, output: number, costUsd: number, cacheRead = 0): OpRow {
  return { operation, calls, input, output, cacheRead, cacheWrite: 0, reasoning: 0, costUsd, reportedCostUsd: undefined, unpricedCalls: 0 };
}

function summary(rows: OpRow[]): TokenSummary {
  const total = op('', 0, 0, 0, 0);
  for (const r of rows) {
    total.calls += r.calls;
    total.input += r.input;
    total.output += r.output;
    total.costUsd += r.costUsd;
  }
  const { operation: _ignored, ...stats } = total;
  return { ...stats, unpricedModels: [], byOperation: rows, byModel: [], bySite: [], priceSource: 'test' };
}

describe('optimizationSuggestions', () => {
  it('flags an operation costing more than $0.10, not one costing exactly $0.10', () => {
    const found = optimizationSuggestions(
      summary([op('llm:research', 4, 30_000, 20_000, 0.1001), op('llm:plan', 2, 5_000, 5_000, 0.1)]),
      DEFAULT_THRESHOLDS,
    );
    assert.deepEqual(found.map((s) => [s.kind, s.operation]), [['expensive_operation', 'llm:research']]);
    const s = found[0];
    assert.equal(s.costUsd, 0.1001);
    assert.equal(s.inputShare, 0.6); // 30 000 / 50 000
    // $0.1001 / 4 calls = $0.0250 a call.
    assert.equal(
      s.suggestion,
      '"llm:research" cost $0.1001 over 4 calls (limit $0.1000), $0.0250 a call: use a cheaper model for it, shorten its prompt, or cache repeated calls.',
    );
  });

  it('flags input over 80 % of an operation\'s tokens, not exactly 80 %', () => {
    const found = optimizationSuggestions(
      summary([op('llm:summarize', 3, 8_010, 1_990, 0.01), op('llm:answer', 1, 800, 200, 0.02), op('llm:empty', 1, 0, 0, 0)]),
      DEFAULT_THRESHOLDS,
    );
    assert.deepEqual(found.map((s) => [s.kind, s.operation]), [['prompt_heavy', 'llm:summarize']]);
    const s = found[0];
    assert.equal(s.inputShare, 0.801); // 8010 / 10 000
    assert.equal(s.costUsd, 0.01);
    assert.match(s.suggestion, /80.1 % of its 10,000 tokens are input \(8,010 in, 1,990 out; limit 80.0 %\)/);
    assert.match(s.suggestion, /put the fixed part first/);
  });

  it('gives both for an expensive prompt-heavy operation, and mentions cache reads when there are some', () => {
    const found = optimizationSuggestions(summary([op('llm:rag', 10, 95_000, 5_000, 0.5, 60_000)]), DEFAULT_THRESHOLDS);
    assert.deepEqual(found.map((s) => s.kind), ['expensive_operation', 'prompt_heavy']);
    assert.equal(found[1].inputShare, 0.95); // 95 000 / 100 000
    assert.match(found[1].suggestion, /95.0 % of its 100,000 tokens.*60,000 tokens already came from the prompt cache/);
  });

  it('follows the thresholds given', () => {
    const rows = [op('llm:x', 1, 700, 300, 0.03)]; // share 0.7, $0.03
    assert.deepEqual(optimizationSuggestions(summary(rows), DEFAULT_THRESHOLDS), []);
    const found = optimizationSuggestions(summary(rows), { ...DEFAULT_THRESHOLDS, suggestionExpensiveUsd: 0.02, promptHeavyShare: 0.6 });
    assert.deepEqual(found.map((s) => s.kind), ['expensive_operation', 'prompt_heavy']);
  });
});
