import { strict as assert } from 'assert';
import fc from 'fast-check';
import type { TokenStats } from '../../src/core/analysis-types';
import { ProfileBuilder, UsageInput } from '../../src/core/builder';
import type { Profile } from '../../src/core/model';
import { PriceBook } from '../../src/core/prices';
import { computeTokens, priceUsage, usageCosts } from '../../src/core/tokens';

// Rates (USD per million tokens) of the bundled data, as listed in prices.test.ts:
// gpt-4o 2.50 in / 1.25 cache read / 10 out; gpt-4o-mini 0.15 / 0.60; claude-3-5-sonnet 3 in /
// 3.75 cache write / 0.30 cache read / 15 out; o3 10 / 40 before 2025-06-10.
const book = new PriceBook({ at: new Date('2026-11-01T12:00:00Z') });
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) <= 1e-12 + 1e-9 * Math.abs(expected), `${actual} != ${expected}`);

function profileOf(usage: UsageInput[], startEpochNs?: string): Profile {
  const b = new ProfileBuilder();
  if (startEpochNs) b.setRun({ startEpochNs });
  usage.forEach((u, i) => b.addUsage(u, i + 2));
  return b.finish();
}

const RUN: UsageInput[] = [
  // 200 × 2.50 + 800 × 1.25 + 100 × 10 = 500 + 1000 + 1000 = 2500 µ$
  { operation: 'llm:plan', model: 'gpt-4o', provider: 'openai', input: 1000, cacheRead: 800, output: 100, reportedCostUsd: 0.003, file: 'agent.py', line: 10 },
  // 12 000 × 0.15 + 3 000 × 0.60 = 1800 + 1800 = 3600 µ$
  { operation: 'llm:plan', model: 'gpt-4o-mini', provider: 'openai', input: 12_000, output: 3_000, file: 'agent.py', line: 10 },
  // 3000 × 3 + 2000 × 3.75 + 5000 × 0.30 + 500 × 15 = 9000 + 7500 + 1500 + 7500 = 25 500 µ$
  { operation: 'llm:answer', model: 'claude-3-5-sonnet', provider: 'anthropic', input: 10_000, cacheRead: 5_000, cacheWrite: 2_000, output: 500, reasoning: 200, file: 'agent.py', line: 20 },
  // no price anywhere: counted, not costed; no call site
  { operation: 'llm:answer', model: 'my-local-llm', input: 5_000, output: 500 },
];

describe('computeTokens', () => {
  it('sums tokens and cost, lists unpriced models and the reported cost beside the computed', () => {
    const t = computeTokens(profileOf(RUN), book);
    assert.equal(t.calls, 4);
    assert.equal(t.input, 28_000); // 1000 + 12 000 + 10 000 + 5000
    assert.equal(t.output, 4_100); // 100 + 3000 + 500 + 500
    assert.equal(t.cacheRead, 5_800); // 800 + 5000
    assert.equal(t.cacheWrite, 2_000);
    assert.equal(t.reasoning, 200);
    close(t.costUsd, 0.0316); // 0.0025 + 0.0036 + 0.0255
    assert.equal(t.reportedCostUsd, 0.003);
    assert.equal(t.unpricedCalls, 1);
    assert.deepEqual(t.unpricedModels, ['my-local-llm']);
    assert.equal(t.priceSource, book.source);
  });

  it('groups by operation, model and call site, most expensive first', () => {
    const t = computeTokens(profileOf(RUN), book);
    assert.deepEqual(t.byOperation.map((r) => r.operation), ['llm:answer', 'llm:plan']);
    const answer = t.byOperation[0];
    close(answer.costUsd, 0.0255);
    assert.equal(answer.calls, 2);
    assert.equal(answer.unpricedCalls, 1);
    assert.equal(answer.reportedCostUsd, undefined);
    close(t.byOperation[1].costUsd, 0.0061); // 0.0025 + 0.0036

    assert.deepEqual(
      t.byModel.map((r) => [r.model, r.provider, r.priced]),
      [['claude-3-5-sonnet', 'anthropic', true], ['gpt-4o-mini', 'openai', true], ['gpt-4o', 'openai', true], ['my-local-llm', undefined, false]],
    );
    close(t.byModel[1].costUsd, 0.0036);
    assert.equal(t.byModel[3].costUsd, 0);
    assert.equal(t.byModel[3].unpricedCalls, 1);

    assert.deepEqual(t.bySite.map((r) => `${r.file}:${r.line}`), ['agent.py:20', 'agent.py:10']);
    assert.equal(t.bySite[1].input, 13_000); // 1000 + 12 000
    close(t.bySite[1].costUsd, 0.0061);
  });

  it('orders equal costs by total tokens, then by name', () => {
    const t = computeTokens(
      profileOf([
        { operation: 'small', model: 'free-a', input: 10, output: 0 },
        { operation: 'big', model: 'free-b', input: 100, output: 5 },
        { operation: 'also-small', model: 'free-c', input: 5, output: 5 },
      ]),
      book,
    );
    assert.deepEqual(t.byOperation.map((r) => r.operation), ['big', 'also-small', 'small']);
  });

  it('prices at the run start: o3 in a run of 2025-05-01 costs the old price', () => {
    // 1000 × 10 + 1000 × 40 = 50 000 µ$ (after 2025-06-10 it would be 1000 × 2 + 1000 × 8 = 10 000 µ$).
    const start = `${BigInt(Date.parse('2025-05-01T00:00:00Z')) * 1_000_000n}`;
    const profile = profileOf([{ operation: 'llm', model: 'o3', provider: 'openai', input: 1000, output: 1000 }], start);
    const t = computeTokens(profile, new PriceBook());
    close(t.costUsd, 0.05);
    assert.match(t.priceSource, /prices as of 2025-05-01/);
    close(usageCosts(profile, new PriceBook())[0], 0.05);
  });

  it('gives per-usage costs that add up to the total, and accepts them pre-computed', () => {
    const profile = profileOf(RUN);
    const costs = usageCosts(profile, book);
    assert.equal(costs.length, 4);
    close(costs[0], 0.0025);
    close(costs[1], 0.0036);
    close(costs[2], 0.0255);
    assert.equal(costs[3], 0);
    assert.deepEqual(computeTokens(profile, book, priceUsage(profile, book)), computeTokens(profile, book));
  });

  it('conserves totals across the three views (property)', () => {
    const usage = fc.record({
      operation: fc.constantFrom('llm:plan', 'llm:answer', 'tool:search', 'embed'),
      model: fc.constantFrom('gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet', 'unknown-model'),
      provider: fc.constantFrom(undefined, 'openai', 'anthropic'),
      input: fc.integer({ min: 0, max: 50_000 }),
      output: fc.integer({ min: 0, max: 5_000 }),
      cacheRead: fc.integer({ min: 0, max: 10_000 }),
      reasoning: fc.integer({ min: 0, max: 100 }),
      reportedCostUsd: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      file: fc.constantFrom(undefined, 'a.py', 'b.py'),
      line: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(usage, { maxLength: 40 }), (records) => {
        const t = computeTokens(profileOf(records), book);
        const keys: Array<keyof TokenStats> = ['calls', 'input', 'output', 'cacheRead', 'cacheWrite', 'reasoning', 'unpricedCalls'];
        const sum = (rows: TokenStats[], key: keyof TokenStats) => rows.reduce((s, r) => s + ((r[key] as number | undefined) ?? 0), 0);
        const unsited = computeTokens(profileOf(records.filter((r) => r.file === undefined)), book);
        for (const key of keys) {
          assert.equal(sum(t.byOperation, key), t[key]);
          assert.equal(sum(t.byModel, key), t[key]);
          assert.equal(sum(t.bySite, key), (t[key] as number) - (unsited[key] as number));
        }
        close(sum(t.byOperation, 'costUsd'), t.costUsd);
        close(sum(t.byModel, 'costUsd'), t.costUsd);
        close(sum(t.bySite, 'costUsd'), t.costUsd - unsited.costUsd);
        close(sum(t.byModel, 'reportedCostUsd'), t.reportedCostUsd ?? 0);
      }),
      { numRuns: 200 },
    );
  });
});
