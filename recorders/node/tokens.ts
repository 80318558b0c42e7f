/**
 * `TokenProfiler`: the textbook token API, writing each LLM call as a `u` record linked to the
 * span it happened in, and budgets as `b` records.
 *
 * Costs are the provider-reported ones only: the recorder has no price table (prices change and
 * unknown models must stay unpriced, not guessed); the extension prices calls from dated tables.
 */
import { callSiteOf } from './callsite';
import { currentSpan } from './context';
import { recordLine } from './lines';
import { hooks } from './observer';
import { nowNs } from './run';
import type { ProfilerOptions } from './performance';
import { warnOnce } from './warn';
import { writerFor, type ProfileWriter } from './writer';

/** Optional details of one LLM call. Unknown keys are kept as free attributes. */
export interface TokenExtra {
  /** Provider id: `openai`, `anthropic`, `google`, … */
  provider?: string;
  /** Input tokens read from the prompt cache (part of `promptTokens`). */
  cacheReadTokens?: number;
  /** Input tokens written to the prompt cache (part of `promptTokens`). */
  cacheWriteTokens?: number;
  /** Reasoning tokens (part of `completionTokens`). */
  reasoningTokens?: number;
  /** Cost in USD as the provider reported it. */
  cost?: number;
  /** Hash of the prompt, to spot repeated (cacheable) calls. */
  promptHash?: string;
  [key: string]: unknown;
}

/** One recorded LLM call. */
export interface UsageRecord {
  operation: string;
  /** All input tokens, cache reads and writes included. */
  promptTokens: number;
  completionTokens: number;
  model: string;
  /** `Date.now()` of the record, ms since the epoch. */
  timestamp: number;
  metadata: TokenExtra;
  totalTokens: number;
  /** The provider-reported cost in USD, when given. */
  estimatedCost: number | undefined;
  /** Id of the span the call happened in, or null. */
  spanId: number | null;
}

/** Token and cost totals of one operation or model. */
export interface TokenTotals {
  count: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost: number;
}

/** The textbook summary; `total_cost` counts provider-reported costs only. */
export interface TokenSummary {
  total_tokens: number;
  total_cost: number;
  by_operation: Record<string, TokenTotals>;
  by_model: Record<string, TokenTotals>;
  record_count: number;
}

/** Records token usage of LLM calls and token budgets. */
export class TokenProfiler {
  readonly usageRecords: UsageRecord[] = [];
  /** Max tokens per category (operation-name prefix). */
  readonly budgets = new Map<string, number>();
  readonly writer: ProfileWriter;

  constructor(options: ProfilerOptions = {}) {
    this.writer = options.writer ?? writerFor(options.out);
  }

  /**
   * Records one LLM call. `promptTokens` counts all input tokens including cache reads and
   * writes (OpenAI's `prompt_tokens`; for Anthropic `input_tokens + cache_read_input_tokens +
   * cache_creation_input_tokens`). Cache tokens larger than `promptTokens` can only mean they
   * were left out, so they are added (with one warning). The call is linked to the current span.
   */
  record(operation: string, promptTokens: number, completionTokens: number, model: string, extra: TokenExtra = {}): void {
    const site = this.writer.active ? callSiteOf(recordEntry) : undefined;
    const span = currentSpan();
    const { provider, cacheReadTokens, cacheWriteTokens, reasoningTokens, cost, promptHash, ...rest } = extra;
    const cacheRead = tokenCount(cacheReadTokens);
    const cacheWrite = tokenCount(cacheWriteTokens);
    let input = tokenCount(promptTokens);
    if (cacheRead + cacheWrite > input) {
      warnOnce('cache-tokens', `cache tokens exceed promptTokens in '${operation}': counted as excluded and added`);
      input += cacheRead + cacheWrite;
    }
    const output = tokenCount(completionTokens);
    const reportedCost = typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? cost : undefined;
    this.usageRecords.push({
      operation: String(operation),
      promptTokens: input,
      completionTokens: output,
      model: String(model),
      timestamp: Date.now(),
      metadata: extra,
      totalTokens: input + output,
      estimatedCost: reportedCost,
      spanId: span === undefined ? null : span.id,
    });
    hooks.observer?.usage(span, {
      model: String(model),
      provider: typeof provider === 'string' ? provider : undefined,
      input,
      output,
      cacheRead,
      cacheWrite,
      reasoning: tokenCount(reasoningTokens),
      cost: reportedCost,
    });
    if (!this.writer.active) return;
    const attrs = Object.keys(rest).length > 0 ? rest : undefined;
    const record = {
      t: 'u',
      span: span?.id,
      op: String(operation),
      model: String(model),
      prov: typeof provider === 'string' ? provider : undefined,
      in: input,
      out: output,
      cr: cacheRead || undefined,
      cw: cacheWrite || undefined,
      rs: tokenCount(reasoningTokens) || undefined,
      cost: reportedCost,
      at: nowNs(),
      f: site?.file,
      l: site?.line,
      k: typeof promptHash === 'string' ? promptHash : undefined,
      a: attrs,
    };
    this.writer.write(serialise(record));
  }

  /** Sets a token budget for a category (operation-name prefix) and records it in the profile. */
  setBudget(category: string, maxTokens: number): void {
    this.budgets.set(category, maxTokens);
    if (this.writer.active) {
      this.writer.write(recordLine({ t: 'b', target: String(category), tokens: tokenCount(maxTokens) }));
    }
  }

  /**
   * `[within, remaining]` of a category's budget: tokens of operations whose name starts with
   * `category`, against its maximum. `remaining` is negative when over; `[true, Infinity]` when
   * the category has no budget.
   */
  checkBudget(category: string): [boolean, number] {
    const max = this.budgets.get(category);
    if (max === undefined) return [true, Infinity];
    let used = 0;
    for (const usage of this.usageRecords) {
      if (usage.operation.startsWith(category)) used += usage.totalTokens;
    }
    return [used <= max, max - used];
  }

  /** Totals overall, per operation and per model. */
  getSummary(): TokenSummary {
    const summary: TokenSummary = { total_tokens: 0, total_cost: 0, by_operation: {}, by_model: {}, record_count: 0 };
    for (const usage of this.usageRecords) {
      const cost = usage.estimatedCost ?? 0;
      summary.total_tokens += usage.totalTokens;
      summary.total_cost += cost;
      summary.record_count += 1;
      addTotals(summary.by_operation, usage.operation, usage, cost);
      addTotals(summary.by_model, usage.model, usage, cost);
    }
    return summary;
  }
}

const recordEntry = TokenProfiler.prototype.record;

function addTotals(table: Record<string, TokenTotals>, key: string, usage: UsageRecord, cost: number): void {
  const totals = (table[key] ??= { count: 0, prompt_tokens: 0, completion_tokens: 0, cost: 0 });
  totals.count += 1;
  totals.prompt_tokens += usage.promptTokens;
  totals.completion_tokens += usage.completionTokens;
  totals.cost += cost;
}

/** A token count as the format wants it: a non-negative integer; anything else is 0 (warned). */
function tokenCount(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
  warnOnce('token-count', `token counts must be non-negative numbers; got ${String(value)}, counted as 0`);
  return 0;
}

/** The `u` line; free attributes that cannot be written as JSON are left out (warned once). */
function serialise(record: Record<string, unknown>): string {
  try {
    return recordLine(record);
  } catch {
    warnOnce('attrs', `token-record attributes left out of the profile: they cannot be written as JSON`);
    return recordLine({ ...record, a: undefined });
  }
}
