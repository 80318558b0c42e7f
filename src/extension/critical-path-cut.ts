/**
 * The critical path as the host receives it: a run of a million spans can have a million segments,
 * too many to post and to list, so the worker sends the first few and the whole path's size.
 */
import type { Analysis } from '../core/analysis-types';

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
export function cutCriticalPath(analysis: Analysis, max: number): { analysis: Analysis; total: CriticalPathTotal } {
  const path = analysis.criticalPath;
  let ms = 0;
  for (const seg of path) ms += seg.endMs - seg.startMs;
  const total = { segments: path.length, ms };
  if (path.length <= max) return { analysis, total };
  return { analysis: { ...analysis, criticalPath: path.slice(0, max) }, total };
}
