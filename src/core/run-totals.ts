/**
 * Totals over the runs of one file (every trace of an OpenTelemetry file is a run), and over the
 * runs of one session (`session.id` / `gen_ai.conversation.id`). Summed: spans, LLM calls,
 * tokens, cost, errors; wall time is summed too (runs of a file may overlap, so it is the time
 * spent in runs, not the span of the file).
 */
import type { Analysis } from './analysis-types';
import { formatCount, formatMs, formatUsd } from './format';

/** Sums over a group of runs. */
export interface RunTotals {
  runs: number;
  spans: number;
  wallMs: number;
  llmCalls: number;
  /** LLM calls without usage (failed, or recorded without counts). */
  noUsage: number;
  tokens: number;
  costUsd: number;
  errors: number;
}

/** The totals of `analyses`. */
export function runTotals(analyses: readonly Analysis[]): RunTotals {
  const t: RunTotals = { runs: 0, spans: 0, wallMs: 0, llmCalls: 0, noUsage: 0, tokens: 0, costUsd: 0, errors: 0 };
  for (const a of analyses) {
    t.runs++;
    t.spans += a.run.spans;
    t.wallMs += a.run.wallMs;
    t.llmCalls += a.run.costCoverage?.calls ?? a.tokens.calls;
    t.noUsage += a.run.costCoverage?.noUsage ?? 0;
    t.tokens += a.run.tokens;
    t.costUsd += a.run.costUsd;
    t.errors += a.run.errors;
  }
  return t;
}

/** "3 runs: 41 spans, 1.2 s in runs, 7 LLM calls (2 without usage), 12 345 tokens, $0.0123, 2 errors". */
export function runTotalsText(t: RunTotals): string {
  return (
    `${t.runs} run${t.runs === 1 ? '' : 's'}: ${formatCount(t.spans)} spans, ${formatMs(t.wallMs)} in runs, ` +
    `${formatCount(t.llmCalls)} LLM call${t.llmCalls === 1 ? '' : 's'}${t.noUsage ? ` (${formatCount(t.noUsage)} without usage)` : ''}, ` +
    `${formatCount(t.tokens)} tokens, ${formatUsd(t.costUsd)}, ${formatCount(t.errors)} error${t.errors === 1 ? '' : 's'}`
  );
}

/** Runs grouped by session id, in first-seen order; runs without one are left out. */
export function sessionsOf<T extends { sessionId?: string }>(runs: readonly T[]): Array<{ session: string; runs: number[] }> {
  const by = new Map<string, number[]>();
  runs.forEach((r, i) => {
    if (r.sessionId === undefined) return;
    const list = by.get(r.sessionId);
    if (list) list.push(i);
    else by.set(r.sessionId, [i]);
  });
  return [...by].map(([session, list]) => ({ session, runs: list }));
}
