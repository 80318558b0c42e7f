/**
 * What a comparison must say before its numbers, and where its change comes from.
 *
 * Warnings: a run that did not finish (no end record, spans still open), that failed, or that
 * comes from another agent or other source files is not a like-for-like baseline. Its numbers are
 * still shown (the user may want them), but after the warning: "wall 8.74 s → 3.11 s (−64 %)"
 * between a cancelled run and a finished one is not a speed-up.
 *
 * Attribution: the wall-time change is laid on the call sites by their self time. Self times do
 * not double-count nesting (a step's time is not also its tools' time), so a tool that got 2.3 s
 * slower is "2.3 s of the 2.4 s" and its enclosing step is not. The share is of the wall-time
 * change, capped at 100 % (concurrent work can add more self time than wall time).
 */
import type { RunSummary } from './analysis-types';
import type { ComparisonRow } from './compare';

export type ComparisonWarningKind = 'unfinished' | 'failed' | 'differentAgent' | 'differentFiles';

/** A reason the two runs may not compare like for like; `run` is the side it concerns. */
export interface ComparisonWarning {
  kind: ComparisonWarningKind;
  run: 'base' | 'head' | 'both';
  text: string;
}

/** Where the wall-time change comes from: the site with the largest self-time change that way. */
export interface ChangeAttribution {
  /** head wall − base wall, ms. */
  wallDeltaMs: number;
  /** The row (a call site) that moved most in the direction of the wall change. */
  key: string;
  file: string | undefined;
  line: number | undefined;
  name: string | undefined;
  /** That row's self-time change, ms (same sign as `wallDeltaMs`). */
  deltaMs: number;
  /** Its self-time change as a share (0…1) of the wall-time change; at most 1 (concurrent work). */
  share: number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function runWarnings(run: RunSummary, side: 'base' | 'head'): ComparisonWarning[] {
  const who = side === 'base' ? 'The baseline' : 'This run';
  const out: ComparisonWarning[] = [];
  if (!run.ended || run.unfinished > 0) {
    const open = run.unfinished > 0 ? `; ${plural(run.unfinished, 'span')} never closed and count as cut short` : '';
    out.push({
      kind: 'unfinished',
      run: side,
      text: `${who} (${run.name}) did not finish: it was cancelled or is still running${open}. Its times are not comparable.`,
    });
  }
  if (run.exitStatus === 'error') {
    const why = run.exitError ? `: ${run.exitError.length > 200 ? run.exitError.slice(0, 199) + '…' : run.exitError}` : '';
    out.push({ kind: 'failed', run: side, text: `${who} (${run.name}) failed${why}. It may have stopped before the slow part.` });
  }
  return out;
}

/**
 * Warnings about the pair, in the order they are shown: each run's state, then whether the two
 * runs are of the same agent (run name and source format) and touch the same source files.
 */
export function comparisonWarnings(base: RunSummary, head: RunSummary, baseFiles: Iterable<string>, headFiles: Iterable<string>): ComparisonWarning[] {
  const out = [...runWarnings(base, 'base'), ...runWarnings(head, 'head')];
  if (base.name !== head.name || base.source !== head.source) {
    out.push({
      kind: 'differentAgent',
      run: 'both',
      text: `The runs come from different agents (${base.name}, ${base.source} → ${head.name}, ${head.source}).`,
    });
  }
  const b = new Set(baseFiles);
  const h = [...new Set(headFiles)];
  if (b.size > 0 && h.length > 0 && !h.some((f) => b.has(f))) {
    out.push({ kind: 'differentFiles', run: 'both', text: 'The runs have no source file in common: their call sites cannot be matched.' });
  }
  return out;
}

/**
 * The site behind most of the wall-time change, or undefined when the wall time did not change or
 * no site moved that way. `rows` are the call-site rows of a comparison.
 */
export function attributeChange(base: RunSummary, head: RunSummary, rows: readonly ComparisonRow[]): ChangeAttribution | undefined {
  const wallDeltaMs = head.wallMs - base.wallMs;
  if (!(Math.abs(wallDeltaMs) > 0)) return undefined;
  const sign = Math.sign(wallDeltaMs);
  let best: ComparisonRow | undefined;
  for (const r of rows) {
    if (r.file === undefined) continue;
    const d = r.delta.selfMs * sign;
    if (d > 0 && (!best || d > best.delta.selfMs * sign)) best = r;
  }
  if (!best) return undefined;
  return {
    wallDeltaMs,
    key: best.key,
    file: best.file,
    line: best.line,
    name: best.name,
    deltaMs: best.delta.selfMs,
    share: Math.min(1, (best.delta.selfMs * sign) / Math.abs(wallDeltaMs)),
  };
}

/**
 * Rows with regressions first, then cost rises, then the rest in their order. Regressions are
 * ordered by how much of the slow-down is their own (self-time increase), then by the p95
 * increase: when a tool got slower, its enclosing step and the run's root span regress by as
 * much, but the tool is the one to look at.
 */
export function regressionsFirst(rows: readonly ComparisonRow[]): ComparisonRow[] {
  const regressed = rows.filter((r) => r.regression).sort((a, b) => b.delta.selfMs - a.delta.selfMs || b.delta.p95Ms - a.delta.p95Ms);
  const costUp = rows.filter((r) => !r.regression && r.costUp);
  const rest = rows.filter((r) => !r.regression && !r.costUp);
  return [...regressed, ...costUp, ...rest];
}
