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

/** Distinct names of a folded stretch looked up by a scan before a map is made. */
const SCAN_NAMES = 8;

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
    // A stretch of slivers: up to the next kept segment. Its names are few (templates, shared
    // strings), so a short list compared by === (same string object: one pointer check) beats a
    // map look-up per segment; past SCAN_NAMES distinct names the map takes over. The worker folds
    // the whole path on every update of a live file, so this loop is kept cheap.
    const first = k;
    const list: FoldedName[] = [];
    let byName: Map<string, FoldedName> | undefined;
    while (k < total) {
      const s = path[k];
      const ms = s.endMs - s.startMs;
      if (ms >= minMs && wall > 0) break;
      const name = groupOf(s);
      let entry: FoldedName | undefined;
      if (byName) entry = byName.get(name);
      else {
        for (let e = 0; e < list.length; e++) {
          if (list[e].name === name) {
            entry = list[e];
            break;
          }
        }
      }
      if (!entry) {
        entry = { name, segments: 0, ms: 0 };
        list.push(entry);
        if (byName) byName.set(name, entry);
        else if (list.length > SCAN_NAMES) byName = new Map(list.map((x) => [x.name, x]));
      }
      entry.segments++;
      entry.ms += ms;
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
    const names = list.sort((a, b) => b.ms - a.ms || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, TOP_NAMES);
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
