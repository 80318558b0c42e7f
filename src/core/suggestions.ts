/**
 * The textbook's `get_optimization_suggestions()`, per operation: `expensive_operation` when its
 * cost is over `thresholds.suggestionExpensiveUsd`, `prompt_heavy` when input tokens are over
 * `thresholds.promptHeavyShare` of its tokens. Each carries the numbers that triggered it and a
 * suggestion text that repeats them.
 */
import type { Suggestion, Thresholds, TokenStats, TokenSummary } from './analysis-types';
import { formatCount, formatUsd } from './format';

/** Suggestions in the order of `tokens.byOperation` (most expensive first); per operation, cost before prompt share. */
export function optimizationSuggestions(tokens: TokenSummary, thresholds: Thresholds): Suggestion[] {
  const found: Suggestion[] = [];
  for (const op of tokens.byOperation) {
    const all = op.input + op.output;
    const inputShare = all > 0 ? op.input / all : 0;
    if (op.costUsd > thresholds.suggestionExpensiveUsd) {
      found.push({
        kind: 'expensive_operation',
        operation: op.operation,
        costUsd: op.costUsd,
        inputShare,
        suggestion:
          `"${op.operation}" cost ${formatUsd(op.costUsd)} over ${calls(op)} (limit ${formatUsd(thresholds.suggestionExpensiveUsd)}), ` +
          `${formatUsd(op.costUsd / op.calls)} a call: use a cheaper model for it, shorten its prompt, ` +
          `or cache repeated calls.`,
      });
    }
    if (all > 0 && inputShare > thresholds.promptHeavyShare) {
      found.push({
        kind: 'prompt_heavy',
        operation: op.operation,
        costUsd: op.costUsd,
        inputShare,
        suggestion:
          `"${op.operation}" is prompt-heavy: ${percent(inputShare)} of its ${formatCount(all)} tokens are input ` +
          `(${formatCount(op.input)} in, ${formatCount(op.output)} out; limit ${percent(thresholds.promptHeavyShare)}). ` +
          `Trim or summarize the context, send only the relevant documents, ` +
          (op.cacheRead > 0
            ? `and keep the fixed prefix stable (${formatCount(op.cacheRead)} tokens already came from the prompt cache).`
            : `and put the fixed part first so the provider's prompt cache can serve it.`),
      });
    }
  }
  return found;
}

function calls(op: TokenStats): string {
  return `${op.calls} call${op.calls === 1 ? '' : 's'}`;
}

/** A share with one decimal, so 80.1 % over an 80 % limit does not read as 80 %. */
function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
