/**
 * The critical path folded for a reader: a run of a million sequential spans has a path of a
 * million segments, each a sliver of the run. Segments of at least {@link FOLD_MIN_SHARE} of the
 * path are kept; each stretch of shorter ones between them becomes one folded entry that says how
 * many segments it holds and which names took most of its time. The terminal report draws the same
 * cut (sections.ts); this is the form the JSON report and other lists show, with the full path on
 * request.
 */
import type { CriticalSegment } from './analysis-types';

/** Segments shorter than this share of the whole path are folded (the terminal report's cut). */
export const FOLD_MIN_SHARE = 0.005;

/** Names listed per folded entry, largest time first. */
const TOP_NAMES = 3;

/** Time of one name inside a folded stretch. */
export interface FoldedName {
  name: string;
  segments: number;
  ms: number;
}

/** A kept segment, or a stretch of folded ones (`folded` > 0, `span` −1). */
export interface FoldedSegment extends CriticalSegment {
  /** Segments folded into this entry; 0 for a kept segment. */
  folded: number;
  /** For a folded entry: the names that took most of its time (at most 3), by `groupOf`. */
  names: FoldedName[];
}

export interface FoldedPath {
  /** Kept segments and folded stretches in path order, at most `max` (then `more` says how many were left off). */
  segments: FoldedSegment[];
  /** Entries (kept or folded) past `max`. */
  more: number;
  /** Segments of the whole path. */
  total: number;
}

/**
 * Folds `path` (segments in order, tiling the path): kept segments and folded stretches, at most
 * `max` entries. `groupOf` gives the name a folded stretch counts a segment under (the name's
 * template, so a stretch of `step_<i>:llm_call` says `step_{n}:llm_call ×100 000`).
 */
export function foldCriticalPath(
  path: readonly CriticalSegment[],
  max: number,
  groupOf: (segment: CriticalSegment) => string = (s) => s.name,
): FoldedPath {
  const total = path.length;
  if (total === 0) return { segments: [], more: 0, total };
  const wall = path[total - 1].endMs - path[0].startMs;
  const minMs = wall * FOLD_MIN_SHARE;
  const out: FoldedSegment[] = [];
  let more = 0;
  let k = 0;
  while (k < total) {
    const seg = path[k];
    if (seg.endMs - seg.startMs >= minMs && wall > 0) {
      if (out.length < max) out.push({ ...seg, folded: 0, names: [] });
      else more++;
      k++;
      continue;
    }
    // A stretch of slivers: up to the next kept segment.
    const first = k;
    const byName = new Map<string, FoldedName>();
    while (k < total && !(path[k].endMs - path[k].startMs >= minMs && wall > 0)) {
      const s = path[k];
      const name = groupOf(s);
      let entry = byName.get(name);
      if (!entry) byName.set(name, (entry = { name, segments: 0, ms: 0 }));
      entry.segments++;
      entry.ms += s.endMs - s.startMs;
      k++;
    }
    if (out.length >= max) {
      more++;
      continue;
    }
    const count = k - first;
    if (count === 1) {
      out.push({ ...path[first], folded: 0, names: [] });
      continue;
    }
    const names = [...byName.values()].sort((a, b) => b.ms - a.ms || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, TOP_NAMES);
    out.push({
      span: -1,
      spanId: undefined,
      name: `${count} shorter segments`,
      startMs: path[first].startMs,
      endMs: path[k - 1].endMs,
      folded: count,
      names,
    });
  }
  return { segments: out, more, total };
}
