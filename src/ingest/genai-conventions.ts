/**
 * Attribute conventions of instrumented agents mapped onto our model: the OpenTelemetry GenAI
 * semantic conventions (current and older names), OpenInference (Arize Phoenix), OpenLLMetry
 * (Traceloop), the Vercel AI SDK's `ai.*` telemetry, Mastra and the Anthropic SDK's own spans. One alias table per concept; the
 * first name present wins, newest names first. Token counts are read in genai-usage.ts.
 */
import type { SpanKind } from '../core/model';
import { readUsage, type ReadUsage } from './genai-usage';
import {
  displayName, GENAI_OPERATION, LLM, OPENINFERENCE_KIND, own, type Sort, TOOL, TRACELOOP_KIND,
  VERCEL_OPERATION, VERCEL_WRAPPERS,
} from './genai-kinds';

export type { ReadUsage } from './genai-usage';

/** Names that carry each concept, in order of preference (see docs/conventions.md for each one). */
export const ALIASES = {
  model: [
    'gen_ai.response.model',
    'gen_ai.request.model',
    'llm.model_name',
    'llm.response.model',
    'llm.request.model',
    'ai.response.model',
    'ai.model.id',
  ],
  /** The model asked for, undated as callers write it: the display name uses it. */
  requestModel: ['gen_ai.request.model', 'llm.request.model', 'ai.model.id', 'llm.model_name', 'gen_ai.response.model', 'ai.response.model'],
  provider: ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system', 'ai.model.provider'],
  input: [
    'gen_ai.usage.input_tokens',
    'gen_ai.usage.prompt_tokens',
    'llm.token_count.prompt',
    'llm.usage.prompt_tokens',
    'ai.usage.inputTokens',
    'ai.usage.promptTokens',
  ],
  output: [
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.completion_tokens',
    'llm.token_count.completion',
    'llm.usage.completion_tokens',
    'ai.usage.outputTokens',
    'ai.usage.completionTokens',
  ],
  total: ['llm.usage.total_tokens', 'llm.token_count.total', 'gen_ai.usage.total_tokens', 'ai.usage.totalTokens'],
  /** Input tokens that were neither read from nor written to a cache (AI SDK 6). */
  noCache: ['ai.usage.inputTokenDetails.noCacheTokens'],
  cacheRead: [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
    'gen_ai.usage.input_tokens.cached',
    'llm.token_count.prompt_details.cache_read',
    'ai.usage.inputTokenDetails.cacheReadTokens',
    'ai.usage.cachedInputTokens',
    'gen_ai.usage.cached_input_tokens',
  ],
  cacheWrite: [
    'gen_ai.usage.cache_creation.input_tokens',
    'gen_ai.usage.cache_write.input_tokens',
    'gen_ai.usage.cache_creation_input_tokens',
    'gen_ai.usage.input_tokens.cache_write',
    'llm.token_count.prompt_details.cache_write',
    'ai.usage.inputTokenDetails.cacheWriteTokens',
  ],
  reasoning: [
    'gen_ai.usage.reasoning.output_tokens',
    'gen_ai.usage.reasoning_tokens',
    'llm.token_count.completion_details.reasoning',
    'ai.usage.outputTokenDetails.reasoningTokens',
    'ai.usage.reasoningTokens',
  ],
  cost: ['llm.cost.total', 'gen_ai.usage.cost'],
  toolName: ['gen_ai.tool.name', 'ai.toolCall.name', 'tool.name'],
  agentName: ['gen_ai.agent.name', 'agent.name'],
  entityName: ['traceloop.entity.name'],
  file: ['code.file.path', 'code.filepath'],
  line: ['code.line.number', 'code.lineno'],
  thread: ['thread.name'],
} as const;

/** First attribute of `names` that is present. */
export function pick(attrs: Record<string, unknown>, names: readonly string[]): unknown {
  for (const n of names) {
    const v = attrs[n];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

/** A text attribute. Lists and kvlists are not text (String() of a null-prototype object throws). */
function stringOf(v: unknown): string | undefined {
  return v === undefined || typeof v === 'object' ? undefined : String(v);
}

/** 2^53: like the native format, a larger count is not exact in a double and is taken as absent. */
const MAX_COUNT = 9007199254740992;

/** The concepts {@link readConventions} reads, each with its names in order of preference. */
const CONCEPTS = [
  ['gen_ai.operation.name'],
  ['openinference.span.kind'],
  ['traceloop.span.kind'],
  ['llm.request.type'],
  ['ai.operationId'],
  ALIASES.toolName,
  ALIASES.input,
  ALIASES.output,
  ALIASES.total,
  ALIASES.noCache,
  ALIASES.cacheRead,
  ALIASES.cacheWrite,
  ALIASES.reasoning,
  ALIASES.cost,
  ALIASES.line,
  ALIASES.model,
  ALIASES.requestModel,
  ALIASES.provider,
  ALIASES.file,
  ALIASES.thread,
  ALIASES.agentName,
  ALIASES.entityName,
] as const;
const [
  OP, OI, TL, REQUEST_TYPE, VERCEL_OP, TOOL_NAME, INPUT, OUTPUT, TOTAL, NO_CACHE, CACHE_READ, CACHE_WRITE, REASONING, COST, LINE,
  MODEL, REQUEST_MODEL, PROVIDER, FILE, THREAD, AGENT_NAME, ENTITY,
] = CONCEPTS.map((_, i) => i);

/** Every name of {@link CONCEPTS} → its concept and rank, encoded `concept * RANKS + rank`. */
const RANKS = 64;
const SLOTS = new Map<string, number[]>();
CONCEPTS.forEach((names, concept) =>
  names.forEach((name, rank) => {
    const slots = SLOTS.get(name);
    if (slots) slots.push(concept * RANKS + rank);
    else SLOTS.set(name, [concept * RANKS + rank]);
  }),
);

/** The value picked for each concept, and the rank of its name (reused: one span at a time). */
const picked: unknown[] = CONCEPTS.map(() => undefined);
const pickedRank: number[] = CONCEPTS.map(() => RANKS);

/**
 * Fills {@link picked} as {@link pick} would for each concept. With `keys` (every key of
 * `attrs`), only those are looked at: a span has a few attributes, the alias table ~45 names.
 */
function pickAll(attrs: Record<string, unknown>, keys: readonly string[] | undefined): void {
  picked.fill(undefined);
  pickedRank.fill(RANKS);
  if (keys === undefined) {
    for (let c = 0; c < CONCEPTS.length; c++) {
      const names = CONCEPTS[c];
      for (let rank = 0; rank < names.length; rank++) {
        const v = attrs[names[rank]];
        if (v === undefined || v === null || v === '') continue;
        picked[c] = v;
        pickedRank[c] = rank;
        break;
      }
    }
    return;
  }
  for (const key of keys) {
    const slots = SLOTS.get(key);
    if (slots === undefined) continue;
    const v = attrs[key];
    if (v === undefined || v === null || v === '') continue;
    for (const slot of slots) {
      const concept = (slot / RANKS) | 0;
      const rank = slot % RANKS;
      if (rank < pickedRank[concept]) {
        pickedRank[concept] = rank;
        picked[concept] = v;
      }
    }
  }
}

/** What the conventions say about one span. */
export interface ConventionFacts {
  kind: SpanKind | undefined;
  /** The category the attributes give (llm, tool, agent, retrieval, embedding, chain), if any. */
  category: string | undefined;
  model: string | undefined;
  provider: string | undefined;
  usage: ReadUsage | undefined;
  /**
   * True when the span is a framework operation whose usage sums the calls made inside it (the
   * Vercel AI SDK's `ai.generateText`, …): that usage never adds to the run's.
   */
  wrapperOperation: boolean;
  /** A name people recognise (`chat gpt-4o-mini`, `tool get_weather`), when the attributes give one. */
  displayName: string | undefined;
  file: string | undefined;
  line: number | undefined;
  thread: string | undefined;
  toolName: string | undefined;
}

/**
 * What the conventions say about a span with these attributes (and this `name`, for the display
 * name). `keys`, when given, must list every key of `attrs` (repeats are harmless); it only makes
 * the lookup faster.
 */
export function readConventions(attrs: Record<string, unknown>, keys?: readonly string[], name = '', scope?: string): ConventionFacts {
  pickAll(attrs, keys);
  const op = stringOf(picked[OP]);
  const oi = stringOf(picked[OI]);
  const tl = stringOf(picked[TL]);
  const vercel = stringOf(picked[VERCEL_OP]);
  // Attribute sorts in order: the GenAI operation, OpenInference, OpenLLMetry, the AI SDK's id.
  let sort: Sort | undefined =
    (op && own(GENAI_OPERATION, op)) ||
    (oi && own(OPENINFERENCE_KIND, oi.toUpperCase())) ||
    (tl && own(TRACELOOP_KIND, tl.toLowerCase())) ||
    (vercel && own(VERCEL_OPERATION, vercel)) ||
    undefined;
  if (!sort && picked[REQUEST_TYPE] !== undefined) sort = LLM;
  const toolName = stringOf(picked[TOOL_NAME]);
  if (!sort && toolName) sort = TOOL;

  const provider = normaliseProvider(stringOf(picked[PROVIDER]));
  const model = stringOf(picked[MODEL]);
  const usage = readUsage(
    {
      input: picked[INPUT],
      inputName: pickedName(INPUT),
      output: picked[OUTPUT],
      total: picked[TOTAL],
      noCache: picked[NO_CACHE],
      cacheRead: picked[CACHE_READ],
      cacheReadName: pickedName(CACHE_READ),
      cacheWrite: picked[CACHE_WRITE],
      cacheWriteName: pickedName(CACHE_WRITE),
      reasoning: picked[REASONING],
      cost: picked[COST],
    },
    provider,
    model,
    scope,
  );
  if (usage && !sort) sort = LLM;

  const lineRaw = picked[LINE];
  const line = typeof lineRaw === 'number' ? lineRaw : typeof lineRaw === 'string' ? Number(lineRaw) : undefined;
  const kind = sort?.kind;
  return {
    kind,
    category: sort && sort.category !== '' ? sort.category : undefined,
    model,
    provider,
    usage,
    wrapperOperation: vercel !== undefined && VERCEL_WRAPPERS.has(vercel),
    displayName: displayName(name, kind, op, stringOf(picked[REQUEST_MODEL]), toolName ?? (kind === 'tool' ? stringOf(picked[ENTITY]) : undefined),
      stringOf(picked[AGENT_NAME]) ?? (kind === 'agent' ? stringOf(picked[ENTITY]) : undefined)),
    file: stringOf(picked[FILE]),
    line: line !== undefined && Number.isSafeInteger(line) && line > 0 ? line : undefined,
    thread: stringOf(picked[THREAD]),
    toolName,
  };
}

/** The name of the attribute picked for `concept` (after {@link pickAll}). */
function pickedName(concept: number): string | undefined {
  const rank = pickedRank[concept];
  return picked[concept] === undefined || rank >= RANKS ? undefined : CONCEPTS[concept][rank];
}

/**
 * Provider ids as one spelling: lower case (OpenLLMetry writes `Anthropic`, `OpenAI`), and the AI
 * SDK's `openai.chat` / `anthropic.messages` (provider, then API) reduced to the provider.
 */
export function normaliseProvider(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const lower = raw.trim().toLowerCase();
  const dot = lower.indexOf('.');
  if (dot > 0 && SDK_PROVIDERS.has(lower.slice(0, dot))) return lower.slice(0, dot);
  return lower || undefined;
}

/** Providers the AI SDK writes as `<provider>.<api>`. */
const SDK_PROVIDERS = new Set(['openai', 'anthropic', 'google', 'mistral', 'cohere', 'groq', 'xai', 'deepseek', 'azure', 'bedrock']);
