import { strict as assert } from 'assert';
import { Bottleneck, DEFAULT_THRESHOLDS, Thresholds } from '../../src/core/analysis-types';
import { ProfileBuilder, UsageInput } from '../../src/core/builder';
import { costBottlenecks, modelComponent } from '../../src/core/cost-bottlenecks';
import type { Profile } from '../../src/core/model';
import { PriceBook, PriceOverride } from '../../src/core/prices';
import { computeTokens, usageCosts } from '../../src/core/tokens';

/*
 * Rates (USD per million tokens) of the bundled data at 2026-11-01:
 *   gpt-4o 2.50 in / 10 out; gpt-4o-mini 0.15 / 0.60; gpt-5-nano 0.05 / 0.40 (the cheapest OpenAI
 *   candidate, so the first alternative of OpenAI models); claude-3-5-sonnet 3 / 15;
 *   claude-haiku-4-5 1 / 5 (the cheapest Anthropic candidate).
 */
const AT = new Date('2026-11-01T12:00:00Z');
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) <= 1e-12 + 1e-9 * Math.abs(expected), `${actual} != ${expected}`);

/** Each usage record gets its own span, id = position + 1, so spans can be checked. */
function profileOf(usage: UsageInput[]): Profile {
  const b = new ProfileBuilder();
  usage.forEach((u, i) => {
    b.addSpan({ id: i + 1, name: u.operation ?? 'llm', start: i * 1e6, end: (i + 1) * 1e6 }, 2 * i + 2);
    b.addUsage({ ...u, spanId: i + 1 }, 2 * i + 3);
  });
  return b.finish();
}

function analyse(usage: UsageInput[], overrides: PriceOverride[] = [], thresholds: Thresholds = DEFAULT_THRESHOLDS): Bottleneck[] {
  const book = new PriceBook({ at: AT, overrides });
  const profile = profileOf(usage);
  return costBottlenecks(profile, computeTokens(profile, book), book, usageCosts(profile, book), thresholds);
}

const gpt4o = (input: number, output: number, line: number): UsageInput => ({
  operation: 'llm:research', model: 'gpt-4o', provider: 'openai', input, output, file: 'agent.py', line,
});

describe('costBottlenecks', () => {
  it('flags an operation over $0.05 with the saving of its cheaper model, at its costliest site', () => {
    // Call 1: 10 000 × 2.50 + 1 000 × 10 = 35 000 µ$ at agent.py:10.
    // Call 2: 20 000 × 2.50 + 1 000 × 10 = 60 000 µ$ at agent.py:12.  Total $0.095 > $0.05.
    // On gpt-5-nano: 10 000 × 0.05 + 1 000 × 0.40 = 900 µ$ and 20 000 × 0.05 + 1 000 × 0.40 = 1 400 µ$ → $0.0023.
    // Saving: 0.095 − 0.0023 = $0.0927.
    const found = analyse([gpt4o(10_000, 1_000, 10), gpt4o(20_000, 1_000, 12)]);
    assert.deepEqual(found.map((b) => [b.kind, b.component, b.impact]), [
      ['expensive_operation', 'llm:research', 'high'],
      ['cheaper_model', 'llm:research on gpt-4o', 'high'],
    ]);
    const [expensive, cheaper] = found;
    close(expensive.value, 0.095);
    assert.equal(expensive.threshold, 0.05);
    assert.equal(expensive.metric, 'cost_usd');
    close(expensive.savingsUsd, 0.0927);
    assert.equal(expensive.savingsMs, 0);
    assert.deepEqual([expensive.file, expensive.line], ['agent.py', 12]);
    assert.deepEqual(expensive.spans, [0, 1]);
    assert.deepEqual(expensive.spanIds, [1, 2]);
    assert.match(expensive.suggestion, /cost \$0\.0950 over 2 calls \(limit \$0\.0500\)/);
    assert.match(expensive.suggestion, /on gpt-5-nano the gpt-4o calls would have cost \$0\.0023 instead of \$0\.0950/);

    close(cheaper.value, 0.095);
    close(cheaper.threshold, 0.0023);
    close(cheaper.savingsUsd, 0.0927);
    assert.match(cheaper.suggestion, /used gpt-5-nano \(openai\) instead of gpt-4o\? The same 2 calls would have cost \$0\.0023 instead of \$0\.0950: \$0\.0927 \(98 %\) less/);
  });

  it('prefers an alternative of the same provider: claude-3-5-sonnet → claude-haiku-4-5', () => {
    // 20 000 × 3 + 2 000 × 15 = 90 000 µ$; on claude-haiku-4-5 20 000 × 1 + 2 000 × 5 = 30 000 µ$; saving $0.06.
    const found = analyse([{ operation: 'llm:draft', model: 'claude-3-5-sonnet', provider: 'anthropic', input: 20_000, output: 2_000, file: 'a.py', line: 3 }]);
    const cheaper = found.find((b) => b.kind === 'cheaper_model')!;
    assert.match(cheaper.suggestion, /claude-haiku-4-5 \(anthropic\)/);
    close(cheaper.threshold, 0.03);
    close(cheaper.savingsUsd, 0.06);
  });

  it('grades cheaper-model impact by the saving and skips negligible ones', () => {
    const mini = (operation: string, input: number): UsageInput => ({ operation, model: 'gpt-4o-mini', provider: 'openai', input, output: 0 });
    const found = analyse([
      mini('llm:medium', 100_000), // 100 000 × 0.15 = $0.015 vs × 0.05 = $0.005: saving $0.01 → medium
      mini('llm:low', 20_000), //     20 000 × 0.15 = $0.003 vs $0.001: saving $0.002 → low
      mini('llm:tiny', 1_000), //      1 000 × 0.15 = $0.00015 vs $0.00005: saving $0.0001 < $0.001 → none
    ]);
    assert.deepEqual(
      found.map((b) => [b.kind, b.component, b.impact]),
      [['cheaper_model', 'llm:medium on gpt-4o-mini', 'medium'], ['cheaper_model', 'llm:low on gpt-4o-mini', 'low']],
    );
    close(found[0].savingsUsd, 0.01);
    close(found[1].savingsUsd, 0.002);
    assert.equal(found[1].file, undefined);
  });

  it('makes no claim when the best alternative saves under 10 %', () => {
    // my-model (override) 0.0525 in: 2 000 000 × 0.0525 = $0.105 > $0.05 → expensive.
    // Cheapest candidate gpt-5-nano: 2 000 000 × 0.05 = $0.10; saving $0.005 = 4.8 % < 10 % → no cheaper_model.
    const found = analyse(
      [{ operation: 'llm:custom', model: 'my-model', input: 2_000_000, output: 0 }],
      [{ model: 'my-model', inputPerMTok: 0.0525, outputPerMTok: 0.42 }],
    );
    assert.deepEqual(found.map((b) => b.kind), ['expensive_operation']);
    close(found[0].value, 0.105);
    assert.equal(found[0].savingsUsd, 0);
    assert.match(found[0].suggestion, /no model in the catalog of current models would have cost notably less/);
  });

  it('follows the threshold, ignores unpriced models and caps the spans at 100', () => {
    // Raising the limit to $0.10 leaves the $0.095 operation unflagged (its cheaper model stays).
    const kinds = analyse([gpt4o(10_000, 1_000, 10), gpt4o(20_000, 1_000, 12)], [], { ...DEFAULT_THRESHOLDS, expensiveOperationUsd: 0.1 });
    assert.deepEqual(kinds.map((b) => b.kind), ['cheaper_model']);
    assert.deepEqual(analyse([{ operation: 'llm:local', model: 'my-local-llm', input: 5_000_000, output: 100_000 }]), []);
    // 150 calls of 1 000 gpt-4o-mini tokens: 150 × 150 µ$ = $0.0225 vs 150 × 50 µ$ = $0.0075, saving $0.015.
    const many = analyse(Array.from({ length: 150 }, () => ({ operation: 'llm:many', model: 'gpt-4o-mini', provider: 'openai', input: 1_000, output: 0 })));
    assert.equal(many.length, 1);
    close(many[0].savingsUsd, 0.015);
    assert.equal(many[0].spans.length, 100);
    assert.deepEqual(many[0].spanIds.slice(0, 3), [1, 2, 3]);
  });
});

describe('cheaper_model component names', () => {
  it('names the model once when the operation already does (OpenTelemetry "chat gpt-4o")', () => {
    assert.equal(modelComponent('chat gpt-4o', 'gpt-4o'), 'chat gpt-4o');
    assert.equal(modelComponent('llm:research', 'gpt-4o'), 'llm:research on gpt-4o');
    // A longer model name containing the operation's word is another model.
    assert.equal(modelComponent('chat gpt-4o', 'gpt-4o-mini'), 'chat gpt-4o on gpt-4o-mini');
  });
});
