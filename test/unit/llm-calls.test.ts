import * as assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import { costCoverage, coverageText } from '../../src/core/llm-calls';
import { PriceBook } from '../../src/core/prices';
import { parseOtlp } from '../../src/ingest/otlp';
import { datedNames } from '../../src/ingest/call-identity';

/** One OTLP span with string and integer attributes. */
function span(id: string, name: string, parent: string | undefined, start: number, end: number, attrs: Record<string, string | number>, error?: string) {
  return {
    traceId: 'ab'.repeat(16),
    spanId: id.padStart(16, '0'),
    parentSpanId: parent ? parent.padStart(16, '0') : '',
    name,
    startTimeUnixNano: String(BigInt(start) * 1_000_000n),
    endTimeUnixNano: String(BigInt(end) * 1_000_000n),
    attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } })),
    status: error ? { code: 2, message: error } : { code: 0 },
  };
}
const doc = (spans: unknown[]) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
const at = new PriceBook({ at: new Date('2026-11-23T00:00:00Z') });

describe('LLM calls and what the cost covers', () => {
  it('counts a failed call without usage as an LLM call, and names it in the coverage', () => {
    // An AI SDK generateText with two provider calls: the first got HTTP 500 (no usage), the
    // retry answered. The wrapper's ai.usage.* repeats the retry's usage and must not add.
    const [run] = parseOtlp(
      doc([
        span('2', 'ai.generateText.doGenerate', '1', 0, 100, { 'ai.operationId': 'ai.generateText.doGenerate', 'gen_ai.request.model': 'gpt-4o-mini' }, 'HTTP 500'),
        span('3', 'ai.generateText.doGenerate', '1', 100, 300, {
          'ai.operationId': 'ai.generateText.doGenerate',
          'gen_ai.system': 'openai.chat',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.output_tokens': 100,
        }),
        span('1', 'ai.generateText', undefined, 0, 300, { 'ai.operationId': 'ai.generateText', 'ai.model.id': 'gpt-4o-mini', 'ai.usage.inputTokens': 1000, 'ai.usage.outputTokens': 100 }),
      ]),
    );
    assert.deepEqual(
      run.spans.map((s) => [s.name, s.category, s.kind, s.status]),
      [
        ['chat gpt-4o-mini', 'llm', 'llm', 'error'],
        ['chat gpt-4o-mini', 'llm', 'llm', 'ok'],
        ['ai.generateText', 'chain', 'other', 'ok'],
      ],
    );
    assert.equal(run.usage.length, 1, 'the wrapper total is not a second call');
    assert.equal(run.usage[0].model, 'gpt-4o-mini-2024-07-18');
    assert.match(String(run.spans[2].attrs?.['agentprof.usage']), /^wrapper/);
    const a = analyze(run, { prices: at });
    assert.deepEqual(a.run.costCoverage, {
      calls: 2,
      covered: 1,
      noUsage: 1,
      noUsageFailed: 1,
      noUsageSpanIds: ['0000000000000002'],
      unpricedCalls: 0,
      unpricedModels: [],
    });
    assert.equal(
      coverageText(a.run.costCoverage!),
      'cost covers 1 of 2 LLM calls; 1 has no usage (span 0000000000000002), 1 failed; 0 unpriced models',
    );
    // gpt-4o-mini: $0.15 / $0.60 per MTok: 1000 × 0.15e-6 + 100 × 0.6e-6 = 0.00021.
    assert.ok(Math.abs(a.tokens.costUsd - 0.00021) < 1e-12, String(a.tokens.costUsd));
  });

  it('an LLM span without usage under a span with usage is that call, not another', () => {
    const [run] = parseOtlp(
      doc([
        span('2', 'openai.chat', '1', 10, 90, { 'openinference.span.kind': 'LLM' }),
        span('1', 'ChatOpenAI', undefined, 0, 100, { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o', 'llm.token_count.prompt': 10, 'llm.token_count.completion': 5 }),
        span('3', 'mystery', undefined, 100, 200, { 'openinference.span.kind': 'LLM', 'llm.model_name': 'no-such-model-x' , 'llm.token_count.prompt': 7 }),
      ]),
    );
    const c = costCoverage(run, new Uint8Array([1, 0]));
    assert.deepEqual([c.calls, c.covered, c.noUsage, c.unpricedCalls, c.unpricedModels], [2, 1, 0, 1, ['no-such-model-x']]);
    assert.equal(coverageText(c), 'cost covers 1 of 2 LLM calls; 0 have no usage; 1 unpriced model (no-such-model-x)');
  });

  it("an LLM span answered from the agent's own cache is no call the cost leaves out", () => {
    // The example agent's third summary: `span.metadata["cache"] = "hit"`, no provider call, no usage.
    const [run] = parseOtlp(
      doc([
        span('1', 'llm:summarize', undefined, 0, 100, { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 10 }),
        span('2', 'llm:summarize', undefined, 100, 101, { cache: 'hit' }),
        span('3', 'llm:summarize', undefined, 101, 102, { cache: 'miss' }),
      ]),
    );
    assert.deepEqual(run.spans.map((x) => x.kind), ['llm', 'llm', 'llm']);
    const c = costCoverage(run, new Uint8Array([1]));
    // Span 3 says "miss" and has no usage: a call the cost leaves out. Span 2 is the cache hit.
    assert.deepEqual([c.calls, c.covered, c.noUsage, c.noUsageSpanIds], [2, 1, 1, ['0000000000000003']]);
  });
});

describe('dated and undated names of one model', () => {
  it('are one model under the dated name when a trace has both', () => {
    const map = datedNames(['gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'o4-mini', undefined, 'x-1-2025-01-01', 'x-1-2025-02-02', 'x-1']);
    assert.deepEqual([...map], [
      ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'],
      ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'],
    ]);
  });
});
