/**
 * The rows of "Traces in this file": every trace of a file that holds several, each analysed with
 * the same prices as the shown one (whose analysis is reused), so no trace is dropped silently.
 * Runs in the analysis worker.
 */
import { analyze } from '../core/analyze';
import type { Analysis } from '../core/analysis-types';
import type { Profile } from '../core/model';
import type { PriceBook } from '../core/prices';
import { runsOfFile } from '../io/otlp-tail';
import type { TraceRow } from './worker-protocol';

/** At most this many traces are listed (each is analysed). */
export const MAX_TRACE_ROWS = 200;

/** The rows for the file `shown` came from, or undefined when it holds one trace. */
export function traceRows(shown: Profile, shownAnalysis: Analysis, prices: PriceBook): TraceRow[] | undefined {
  const runs = runsOfFile(shown);
  if (!runs || runs.length < 2) return undefined;
  return runs.slice(0, MAX_TRACE_ROWS).map((run) => {
    const a = run === shown ? shownAnalysis : analyze(run, { prices });
    return {
      name: run.run.name,
      traceId: run.run.traceId,
      sessionId: run.run.sessionId,
      spans: a.run.spans,
      wallMs: a.run.wallMs,
      errors: a.run.errors,
      tokens: a.run.tokens,
      costUsd: a.run.costUsd,
      llmCalls: a.run.costCoverage?.calls ?? a.tokens.calls,
      covered: a.run.costCoverage?.covered ?? a.tokens.calls,
      shown: run === shown,
    };
  });
}
