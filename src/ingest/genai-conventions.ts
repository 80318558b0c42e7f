/**
 * Attribute conventions of instrumented agents mapped onto our model: the OpenTelemetry GenAI
 * semantic conventions (current and older names), OpenInference (Arize Phoenix) and OpenLLMetry
 * (Traceloop). One alias table per concept; the first name present wins, newest names first.
 */
import type { SpanKind } from '../core/model';

/** Names that carry each concept, in order of preference. */
export const ALIASES = {
  model: ['gen_ai.response.model', 'gen_ai.request.model', 'llm.model_name', 'llm.response.model', 'llm.request.model'],
  provider: ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system'],
  input: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt', 'llm.usage.prompt_tokens'],
  output: [
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.completion_tokens',
    'llm.token_count.completion',
    'llm.usage.completion_tokens',
  ],
  total: ['llm.usage.total_tokens', 'llm.token_count.total', 'gen_ai.usage.total_tokens'],
  cacheRead: [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
    'gen_ai.usage.input_tokens.cached',
    'llm.token_count.prompt_details.cache_read',
  ],
  cacheWrite: [
    'gen_ai.usage.cache_creation.input_tokens',
    'gen_ai.usage.cache_creation_input_tokens',
    'gen_ai.usage.input_tokens.cache_write',
    'llm.token_count.prompt_details.cache_write',
  ],
  reasoning: [
    'gen_ai.usage.reasoning.output_tokens',
    'gen_ai.usage.reasoning_tokens',
    'llm.token_count.completion_details.reasoning',
  ],
  cost: ['llm.cost.total', 'gen_ai.usage.cost'],
  toolName: ['gen_ai.tool.name', 'tool.name'],
  agentName: ['gen_ai.agent.name', 'agent.name'],
  entityName: ['traceloop.entity.name'],
  file: ['code.file.path', 'code.filepath'],
  line: ['code.line.number', 'code.lineno'],
  thread: ['thread.name'],
} as const;

/** `gen_ai.operation.name` values → our kinds. */
const GENAI_OPERATION: Record<string, SpanKind> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  embeddings: 'retrieval',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
};

/** `openinference.span.kind` values → our kinds. */
const OPENINFERENCE_KIND: Record<string, SpanKind> = {
  LLM: 'llm',
  TOOL: 'tool',
  AGENT: 'agent',
  RETRIEVER: 'retrieval',
  EMBEDDING: 'retrieval',
  RERANKER: 'retrieval',
  CHAIN: 'other',
  GUARDRAIL: 'other',
  EVALUATOR: 'other',
};

/** `traceloop.span.kind` values → our kinds. */
const TRACELOOP_KIND: Record<string, SpanKind> = {
  workflow: 'agent',
  agent: 'agent',
  task: 'other',
  tool: 'tool',
};

/** First attribute of `names` that is present. */
export function pick(attrs: Record<string, unknown>, names: readonly string[]): unknown {
  for (const n of names) {
    const v = attrs[n];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

/** A kind from a lookup table; own keys only, so `__proto__` or `constructor` in a file is no kind. */
function ownKind(table: Record<string, SpanKind>, key: string): SpanKind | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** A text attribute. Lists and kvlists are not text (String() of a null-prototype object throws). */
function stringOf(v: unknown): string | undefined {
  return v === undefined || typeof v === 'object' ? undefined : String(v);
}

/** 2^53: like the native format, a larger count is not exact in a double and is taken as absent. */
const MAX_COUNT = 9007199254740992;

/** A token count: finite, non-negative integer up to 2^53; anything else is absent. */
function countOf(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= MAX_COUNT ? Math.floor(n) : undefined;
}

/** The concepts {@link readConventions} reads, each with its names in order of preference. */
const CONCEPTS = [
  ['gen_ai.operation.name'],
  ['openinference.span.kind'],
  ['traceloop.span.kind'],
  ['llm.request.type'],
  ALIASES.toolName,
  ALIASES.input,
  ALIASES.output,
  ALIASES.total,
  ALIASES.cacheRead,
  ALIASES.cacheWrite,
  ALIASES.reasoning,
  ALIASES.cost,
  ALIASES.line,
  ALIASES.model,
  ALIASES.provider,
  ALIASES.file,
  ALIASES.thread,
] as const;
const [OP, OI, TL, REQUEST_TYPE, TOOL, INPUT, OUTPUT, TOTAL, CACHE_READ, CACHE_WRITE, REASONING, COST, LINE, MODEL, PROVIDER, FILE, THREAD] =
  CONCEPTS.map((_, i) => i);

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
  if (keys === undefined) {
    for (let c = 0; c < CONCEPTS.length; c++) picked[c] = pick(attrs, CONCEPTS[c]);
    return;
  }
  picked.fill(undefined);
  pickedRank.fill(RANKS);
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
  /** The operation kind's word for the timing table when the name has no `category:` prefix. */
  category: string | undefined;
  model: string | undefined;
  provider: string | undefined;
  usage:
    | { input: number; output: number; cacheRead: number; cacheWrite: number; reasoning: number; reportedCostUsd: number | undefined }
    | undefined;
  /** Set when the input count evidently excluded cached tokens and was corrected. */
  inputCorrected: boolean;
  file: string | undefined;
  line: number | undefined;
  thread: string | undefined;
  toolName: string | undefined;
}

/**
 * What the conventions say about a span with these attributes. `keys`, when given, must list
 * every key of `attrs` (repeats are harmless); it only makes the lookup faster.
 */
export function readConventions(attrs: Record<string, unknown>, keys?: readonly string[]): ConventionFacts {
  pickAll(attrs, keys);
  const op = stringOf(picked[OP]);
  const oi = stringOf(picked[OI]);
  const tl = stringOf(picked[TL]);
  let kind: SpanKind | undefined =
    (op && ownKind(GENAI_OPERATION, op)) || (oi && ownKind(OPENINFERENCE_KIND, oi.toUpperCase())) || (tl && ownKind(TRACELOOP_KIND, tl.toLowerCase())) || undefined;
  if (!kind && picked[REQUEST_TYPE] !== undefined) kind = 'llm';

  const toolName = stringOf(picked[TOOL]);
  if (!kind && toolName) kind = 'tool';

  let input = countOf(picked[INPUT]);
  let output = countOf(picked[OUTPUT]);
  const total = countOf(picked[TOTAL]);
  const cacheRead = countOf(picked[CACHE_READ]) ?? 0;
  const cacheWrite = countOf(picked[CACHE_WRITE]) ?? 0;
  const reasoning = countOf(picked[REASONING]) ?? 0;
  const costRaw = picked[COST];
  const cost = typeof costRaw === 'number' && Number.isFinite(costRaw) && costRaw >= 0 ? costRaw : undefined;

  if (input === undefined && output !== undefined && total !== undefined) input = Math.max(0, total - output);
  if (output === undefined && input !== undefined && total !== undefined) output = Math.max(0, total - input);
  // Only a total: its split is unknown; count it as input so totals stay right.
  if (input === undefined && output === undefined && total !== undefined) input = total;

  let usage: ConventionFacts['usage'];
  let inputCorrected = false;
  if (input !== undefined || output !== undefined || cacheRead || cacheWrite) {
    let inTokens = input ?? 0;
    // GenAI rule: input includes cached tokens. Some instrumentations (Anthropic's API shape)
    // report them apart; an input smaller than its cached part is such a case.
    if (inTokens < cacheRead + cacheWrite) {
      inTokens += cacheRead + cacheWrite;
      inputCorrected = true;
    }
    usage = { input: inTokens, output: output ?? 0, cacheRead, cacheWrite, reasoning, reportedCostUsd: cost };
    if (!kind) kind = 'llm';
  }

  const lineRaw = picked[LINE];
  const line = typeof lineRaw === 'number' ? lineRaw : typeof lineRaw === 'string' ? Number(lineRaw) : undefined;
  return {
    kind,
    category: kind && kind !== 'other' ? kind : undefined,
    model: stringOf(picked[MODEL]),
    provider: stringOf(picked[PROVIDER]),
    usage,
    inputCorrected,
    file: stringOf(picked[FILE]),
    line: line !== undefined && Number.isSafeInteger(line) && line > 0 ? line : undefined,
    thread: stringOf(picked[THREAD]),
    toolName,
  };
}
