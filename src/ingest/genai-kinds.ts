/**
 * How the conventions sort spans into our kinds and categories (llm, tool, agent, retrieval,
 * embedding, chain), and the names they give spans people recognise. Read by genai-conventions.ts.
 */
import type { SpanKind } from '../core/model';

/** A category of the timing table and the kind it implies. */
export interface Sort {
  kind: SpanKind;
  category: string;
}
export const LLM: Sort = { kind: 'llm', category: 'llm' };
export const TOOL: Sort = { kind: 'tool', category: 'tool' };
const AGENT: Sort = { kind: 'agent', category: 'agent' };
const RETRIEVAL: Sort = { kind: 'retrieval', category: 'retrieval' };
const EMBEDDING: Sort = { kind: 'retrieval', category: 'embedding' };
const CHAIN: Sort = { kind: 'other', category: 'chain' };
const NONE: Sort = { kind: 'other', category: '' };

/** `gen_ai.operation.name` values. */
export const GENAI_OPERATION: Record<string, Sort> = {
  chat: LLM,
  text_completion: LLM,
  generate_content: LLM,
  embeddings: EMBEDDING,
  retrieval: RETRIEVAL,
  execute_tool: TOOL,
  invoke_agent: AGENT,
  create_agent: AGENT,
  // Mastra's own operations around its calls: a generation's steps, each step's model call.
  model_generation: CHAIN,
  agent_step: CHAIN,
  model_chunk: NONE,
};

/** `openinference.span.kind` values (upper case). */
export const OPENINFERENCE_KIND: Record<string, Sort> = {
  LLM,
  TOOL,
  AGENT,
  RETRIEVER: RETRIEVAL,
  EMBEDDING,
  RERANKER: RETRIEVAL,
  CHAIN,
  GUARDRAIL: NONE,
  EVALUATOR: NONE,
};

/** `traceloop.span.kind` values (lower case). */
export const TRACELOOP_KIND: Record<string, Sort> = {
  workflow: AGENT,
  agent: AGENT,
  task: CHAIN,
  tool: TOOL,
};

/**
 * The Vercel AI SDK's `ai.operationId` values. The outer operations (`ai.generateText`, …) wrap
 * the provider calls (`….doGenerate`, `….doStream`) and the tool calls of a tool loop: a chain,
 * whose `ai.usage.*` totals repeat their calls' usage ({@link VERCEL_WRAPPERS}).
 */
export const VERCEL_OPERATION: Record<string, Sort> = {
  'ai.generateText': CHAIN,
  'ai.streamText': CHAIN,
  'ai.generateObject': CHAIN,
  'ai.streamObject': CHAIN,
  'ai.generateText.doGenerate': LLM,
  'ai.streamText.doStream': LLM,
  'ai.generateObject.doGenerate': LLM,
  'ai.streamObject.doStream': LLM,
  'ai.toolCall': TOOL,
  'ai.embed': CHAIN,
  'ai.embedMany': CHAIN,
  'ai.embed.doEmbed': EMBEDDING,
  'ai.embedMany.doEmbed': EMBEDDING,
};

/** Vercel AI SDK operations whose usage is the sum of the calls inside them: it never adds. */
export const VERCEL_WRAPPERS = new Set(['ai.generateText', 'ai.streamText', 'ai.generateObject', 'ai.streamObject', 'ai.embed', 'ai.embedMany']);

/** An entry of a lookup table; own keys only, so `__proto__` or `constructor` in a file is none. */
export function own(table: Record<string, Sort>, key: string): Sort | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/**
 * `chat gpt-4o-mini`, `tool get_weather`, `agent Planner`: operation and subject, as the GenAI
 * conventions name spans; undefined when the attributes name no subject, or when `name` already
 * carries it (`execute_tool get_weather`, a tool span named after its tool): that name stays, but
 * for OpenLLMetry's mechanical `get_weather.tool`.
 */
export function displayName(
  name: string,
  kind: SpanKind | undefined,
  op: string | undefined,
  model: string | undefined,
  tool: string | undefined,
  agent: string | undefined,
): string | undefined {
  const subject = kind === 'llm' ? model : kind === 'tool' ? tool : kind === 'agent' ? agent : undefined;
  // OpenLLMetry's `<entity>.<kind>` names (`get_weather.tool`) are mechanical: they are replaced.
  if (subject === undefined) return undefined;
  const mechanical = name.startsWith(`${subject}.`) && own(TRACELOOP_KIND, name.slice(subject.length + 1)) !== undefined;
  // `handoff to travel_agent` carries `handoff_to_travel_agent`: spaces for underscores.
  if ((name.includes(subject) || name.replaceAll(' ', '_').includes(subject)) && !mechanical) return undefined;
  if (kind === 'llm') return `${op && own(GENAI_OPERATION, op)?.kind === 'llm' ? op : 'chat'} ${subject}`;
  return `${kind} ${subject}`;
}
