/**
 * The critical path as the host receives it: a run of a million spans can have a million segments,
 * too many to post and to list, so the worker sends the first few and the whole path's size.
 */
import type { Analysis } from '../core/analysis-types';
import { compactCriticalPath } from '../core/analyze';
import { criticalSegments } from '../core/critical-path';
import type { Profile } from '../core/model';

/**
 * Critical-path segments sent to the host at most. A sequential run of a million spans has a path
 * of 1.5 million segments; the views show the first 200 (the runs tree) or 25 (the report), and
 * the structured clone of all of them made a 230 MB message that took seconds to pass.
 */
export const MAX_HOST_CRITICAL_SEGMENTS = 1000;

/** The whole critical path's size, sent next to the segments that were kept. */
export interface CriticalPathTotal {
  /** Segments of the whole path (`analysis.criticalPath` may hold only the first of them). */
  segments: number;
  /** Sum of every segment's duration, ms: the time the run cannot go below with this structure. */
  ms: number;
}

/**
 * `analysis` with its critical path cut to the first `max` segments (the same object when it is
 * short enough), and the size of the whole path.
 */
export function cutCriticalPath(analysis: Analysis, max: number, profile?: Profile): { analysis: Analysis; total: CriticalPathTotal } {
  // A batch analysis keeps its path compact until read: make objects for the kept segments only.
  const compact = profile ? compactCriticalPath(analysis) : undefined;
  if (compact && profile) {
    const length = compact.length;
    const ms = length ? (compact.end[length - 1] - compact.start[0]) / 1e6 : 0;
    const kept = Math.min(max, length);
    const head = { span: compact.span.subarray(0, kept), start: compact.start.subarray(0, kept), end: compact.end.subarray(0, kept), length: kept };
    return { analysis: { ...withoutPath(analysis), criticalPath: criticalSegments(profile.spans, profile.minTime, head) }, total: { segments: length, ms } };
  }
  const path = analysis.criticalPath;
  // The segments tile the run without gaps or overlaps (critical-path.ts), so their durations
  // add up to the span from the first start to the last end: O(1) on a path of a million.
  const ms = path.length ? path[path.length - 1].endMs - path[0].startMs : 0;
  const total = { segments: path.length, ms };
  if (path.length <= max) return { analysis, total };
  return { analysis: { ...analysis, criticalPath: path.slice(0, max) }, total };
}

/** The analysis' other fields, without reading its (maybe not yet materialized) critical path. */
function withoutPath(analysis: Analysis): Omit<Analysis, 'criticalPath'> {
  const { run, timing, tokens, budgets, bottlenecks, suggestions, diagnostics } = analysis;
  return { run, timing, tokens, budgets, bottlenecks, suggestions, diagnostics };
}
