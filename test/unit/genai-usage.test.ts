import { strict as assert } from 'assert';
import { readConventions } from '../../src/ingest/genai-conventions';

/** Input, cache read, cache write of the usage the conventions read from these attributes. */
const usage = (attrs: Record<string, unknown>, scope?: string) => {
  const u = readConventions(attrs, undefined, 'x', scope).usage;
  return u && [u.input, u.cacheRead, u.cacheWrite, u.output];
};

describe('token conventions: whether input includes cached tokens, by attribute, scope and provider', () => {
  // One Anthropic call: the API's input_tokens 312, cache read 2 048, cache write 1 536, output 71.
  it('OpenLLMetry (scope @traceloop/…) writes Anthropic\'s input under the GenAI names: the cache is added', () => {
    const attrs = {
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.usage.input_tokens': 312,
      'gen_ai.usage.cache_read.input_tokens': 2048,
      'gen_ai.usage.cache_creation.input_tokens': 1536,
      'gen_ai.usage.output_tokens': 71,
    };
    assert.deepEqual(usage(attrs, '@traceloop/instrumentation-anthropic'), [3896, 2048, 1536, 71]);
    // The same names from an instrumentation that follows the GenAI convention (the Anthropic SDK's
    // own spans write 3 896, cache included): taken as they are.
    assert.deepEqual(usage({ ...attrs, 'gen_ai.usage.input_tokens': 3896 }, 'com.anthropic.sdk.typescript'), [3896, 2048, 1536, 71]);
  });

  it('Anthropic-shaped names (older OpenLLMetry) and the AI SDK 5: the provider decides, never the sizes', () => {
    // Input larger than the cache (the case a size heuristic got wrong): still added for Anthropic.
    const anthropic = { 'gen_ai.system': 'Anthropic', 'gen_ai.usage.prompt_tokens': 3000, 'gen_ai.usage.cache_read_input_tokens': 2000 };
    assert.deepEqual(usage(anthropic), [5000, 2000, 0, 0]);
    // OpenAI includes cached tokens in prompt_tokens, even when they are most of it.
    assert.deepEqual(usage({ ...anthropic, 'gen_ai.system': 'openai' }), [3000, 2000, 0, 0]);
    // AI SDK 5 on Anthropic: ai.usage.inputTokens without the cache; ai.usage.cachedInputTokens.
    assert.deepEqual(usage({ 'ai.model.provider': 'anthropic.messages', 'ai.usage.inputTokens': 300, 'ai.usage.cachedInputTokens': 1000, 'ai.usage.outputTokens': 5 }), [1300, 1000, 0, 5]);
    // A Claude model on a cloud that does not say "anthropic": the model says.
    assert.deepEqual(usage({ 'gen_ai.system': 'aws.bedrock', 'gen_ai.request.model': 'claude-sonnet-4-5', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.cache_read_input_tokens': 5 }), [15, 5, 0, 0]);
  });

  it('conventions that define the whole input: OpenInference, AI SDK 6 details, Mastra', () => {
    assert.deepEqual(usage({ 'llm.provider': 'anthropic', 'llm.token_count.prompt': 3896, 'llm.token_count.prompt_details.cache_read': 2048, 'llm.token_count.prompt_details.cache_write': 1536 }), [3896, 2048, 1536, 0]);
    assert.deepEqual(
      usage({ 'ai.model.provider': 'anthropic.messages', 'ai.usage.inputTokens': 3896, 'ai.usage.inputTokenDetails.noCacheTokens': 312, 'ai.usage.inputTokenDetails.cacheReadTokens': 2048, 'ai.usage.inputTokenDetails.cacheWriteTokens': 1536 }),
      [3896, 2048, 1536, 0],
    );
    assert.deepEqual(usage({ 'gen_ai.provider.name': 'openai', 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.cached_input_tokens': 1024, 'gen_ai.usage.output_tokens': 9 }), [1200, 1024, 0, 9]);
  });

  it('reasoning from every spelling; the AI SDK wrapper operations are marked', () => {
    const f = readConventions({ 'ai.operationId': 'ai.streamText', 'ai.usage.inputTokens': 5, 'ai.usage.outputTokenDetails.reasoningTokens': 256 });
    assert.equal(f.usage?.reasoning, 256);
    assert.equal(f.wrapperOperation, true);
    assert.equal(f.category, 'chain');
    const call = readConventions({ 'ai.operationId': 'ai.streamText.doStream', 'ai.usage.reasoningTokens': 256, 'ai.usage.outputTokens': 300 });
    assert.deepEqual([call.usage?.reasoning, call.wrapperOperation, call.category], [256, false, 'llm']);
  });
});
