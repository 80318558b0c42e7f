/**
 * Token counts of one LLM call from the attributes the conventions put them in, made to mean what
 * our model means: `input` includes the tokens read from and written to a prompt cache.
 *
 * Whether a reported input count already includes the cached tokens is a property of the API that
 * reported it, not of the numbers: OpenAI-style APIs (`prompt_tokens`, the Responses API's
 * `input_tokens`) count cached tokens inside the input; Anthropic's Messages API reports
 * `input_tokens` beside `cache_read_input_tokens` and `cache_creation_input_tokens`, and the
 * instrumentations that copy its usage (OpenLLMetry, even under the GenAI attribute names; the AI SDK
 * before version 6) keep that meaning. Conventions that define the input as the whole: OpenInference's
 * `llm.token_count.prompt` (its `prompt_details` are parts of it), the OpenTelemetry GenAI cache
 * attributes (`gen_ai.usage.cache_read.input_tokens`, whose convention says the input includes
 * them), and the AI SDK 6 usage with `ai.usage.inputTokenDetails.*` (input = no-cache + cache
 * read + cache write). Never by size.
 */

/** The raw attribute values picked for each count (see `ALIASES` in genai-conventions.ts). */
export interface RawCounts {
  input: unknown;
  /** The attribute name the input came from. */
  inputName: string | undefined;
  output: unknown;
  total: unknown;
  noCache: unknown;
  cacheRead: unknown;
  cacheReadName: string | undefined;
  cacheWrite: unknown;
  cacheWriteName: string | undefined;
  reasoning: unknown;
  cost: unknown;
}

/** One call's usage in the model's meaning (`input` includes cache reads and writes). */
export interface ReadUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
  reportedCostUsd: number | undefined;
}

/** 2^53: like the native format, a larger count is not exact in a double and is taken as absent. */
const MAX_COUNT = 9007199254740992;

/** A token count: finite, non-negative integer up to 2^53; anything else is absent. */
export function countOf(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= MAX_COUNT ? Math.floor(n) : undefined;
}

/** True when the API behind a call reports input tokens without the cached ones (Anthropic's Messages API). */
export function inputExcludesCache(provider: string | undefined, model: string | undefined): boolean {
  if (provider !== undefined) {
    if (provider.includes('anthropic')) return true;
    // A cloud that serves Claude (Bedrock, Vertex) passes Anthropic's usage through: the model says.
    if (provider.includes('openai')) return false;
  }
  return model !== undefined && model.toLowerCase().startsWith('claude');
}

/**
 * Names that say the input is the whole, whatever the provider: OpenInference's prompt count (its
 * `prompt_details` are parts of it) and the OpenTelemetry GenAI cache attributes, whose convention
 * defines `gen_ai.usage.input_tokens` to include them (the Anthropic SDK's own spans follow it).
 * OpenLLMetry's older `gen_ai.usage.cache_read_input_tokens` spelling copies Anthropic's field
 * names, and with them Anthropic's meaning: the provider decides there.
 */
const WHOLE_INPUT_NAMES = new Set([
  'llm.token_count.prompt',
  'llm.token_count.prompt_details.cache_read',
  'llm.token_count.prompt_details.cache_write',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_write.input_tokens',
]);

/**
 * Instrumentation scopes (prefixes of `scope.name`) that write the GenAI attribute names with the
 * provider's meaning: OpenLLMetry's JS instrumentations put Anthropic's `input_tokens` (cache
 * excluded) into `gen_ai.usage.input_tokens` beside `gen_ai.usage.cache_read.input_tokens`.
 */
const PROVIDER_MEANING_SCOPES = ['@traceloop/'];

/** True when the input read is the whole input by its convention (see {@link WHOLE_INPUT_NAMES}). */
function wholeInput(raw: RawCounts, scope: string | undefined): boolean {
  if (raw.inputName === 'llm.token_count.prompt') return true;
  if (scope !== undefined && PROVIDER_MEANING_SCOPES.some((p) => scope.startsWith(p))) return false;
  for (const name of [raw.inputName, raw.cacheReadName, raw.cacheWriteName]) if (name !== undefined && WHOLE_INPUT_NAMES.has(name)) return true;
  return false;
}

/** The usage of a span, or undefined when it reports no counts. */
export function readUsage(raw: RawCounts, provider: string | undefined, model: string | undefined, scope?: string): ReadUsage | undefined {
  let input = countOf(raw.input);
  let output = countOf(raw.output);
  const total = countOf(raw.total);
  const noCache = countOf(raw.noCache);
  const cacheRead = countOf(raw.cacheRead) ?? 0;
  const cacheWrite = countOf(raw.cacheWrite) ?? 0;
  const reasoning = countOf(raw.reasoning) ?? 0;
  const cost = typeof raw.cost === 'number' && Number.isFinite(raw.cost) && raw.cost >= 0 ? raw.cost : undefined;

  if (input === undefined && output !== undefined && total !== undefined) input = Math.max(0, total - output);
  if (output === undefined && input !== undefined && total !== undefined) output = Math.max(0, total - input);
  // Only a total: its split is unknown; count it as input so totals stay right.
  if (input === undefined && output === undefined && total !== undefined) input = total;
  if (input === undefined && output === undefined && noCache === undefined && !cacheRead && !cacheWrite) return undefined;

  let inTokens: number;
  if (noCache !== undefined) {
    // AI SDK 6: the parts are given, and they make the whole.
    inTokens = noCache + cacheRead + cacheWrite;
  } else if (input === undefined) {
    inTokens = cacheRead + cacheWrite;
  } else if (
    (cacheRead || cacheWrite) &&
    !wholeInput(raw, scope) &&
    inputExcludesCache(provider, model)
  ) {
    inTokens = input + cacheRead + cacheWrite;
  } else {
    inTokens = input;
  }
  return { input: inTokens, output: output ?? 0, cacheRead, cacheWrite, reasoning, reportedCostUsd: cost };
}
