/**
 * The sums `many_calls` reads of a span name (its total duration and heaviest call site) kept
 * across updates, so a name that gained spans costs the new spans, not all of them. The batch
 * rule adds durations in index order (floats: the order matters), so each name keeps its sums
 * over a prefix of its spans — up to its first open span, the first whose duration may change —
 * and adds the rest on each render in the same order. A delta to a span inside the kept prefix
 * (a closed span changed after all) drops the name's sums; they are then summed from the start.
 */
import type { NameSums } from '../bottlenecks';
import { MAX_BOTTLENECK_SPANS, type RunIndex, spanRefs } from '../bottleneck-index';
import type { Profile } from '../model';
import type { LiveRunIndex } from './live-run-index';

/** Running `many_calls` sums of one name over its first `at` spans. */
interface Prefix {
  at: number;
  totalMs: number;
  /** The sites seen so far, and each one's duration, as `heaviestSite` adds them. */
  sites: number[];
  siteMs: number[];
  /** The site that first reached the most so far (−1: none), and its time. */
  best: number;
  bestMs: number;
  /** `spanRefs` of the name once it has all the spans they list (later spans come after them). */
  refs: { spans: number[]; spanIds: Array<string | number> } | undefined;
}

/** Sums being added up: a prefix's, then more spans (see {@link addSpans}). */
interface Running {
  totalMs: number;
  best: number;
  bestMs: number;
  /** Sites touched, in first-touch order; their sums are in the scratch array. */
  sites: number[];
}

/**
 * Adds spans `list[from, to)` to `sums`, as `manyCalls` and `heaviestSite` add them (alone in its
 * function: the loop is hot and must not share feedback with its callers). `siteMs[s]` is a
 * site's sum while `seen[s] === epoch`.
 */
function addSpans(
  sums: Running,
  list: readonly number[],
  from: number,
  to: number,
  durationMs: Float64Array,
  siteOf: Int32Array,
  siteMs: Float64Array,
  seen: Uint32Array,
  epoch: number,
): void {
  let totalMs = sums.totalMs;
  let best = sums.best;
  let bestMs = sums.bestMs;
  for (let k = from; k < to; k++) {
    const i = list[k];
    totalMs += durationMs[i];
    const site = siteOf[i];
    if (site < 0) continue;
    if (seen[site] !== epoch) {
      seen[site] = epoch;
      siteMs[site] = 0;
      sums.sites.push(site);
    }
    const ms = (siteMs[site] += durationMs[i]);
    // Strictly greater: on a tie the site seen first keeps it, as in `heaviestSite`.
    if (best < 0 || ms > bestMs) {
      best = site;
      bestMs = ms;
    }
  }
  sums.totalMs = totalMs;
  sums.best = best;
  sums.bestMs = bestMs;
}

/** First position in ascending `list` holding a value ≥ `x`. */
function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Kept `many_calls` sums per span name; see the module comment. */
export class LiveNameSums {
  private readonly byName = new Map<string, Prefix>();
  /** Scratch: sums by site while one name is added up. */
  private siteMs = new Float64Array(0);
  private seen = new Uint32Array(0);
  private epoch = 0;

  constructor(private readonly runIndex: LiveRunIndex) {}

  /** Drops the sums of names whose kept prefix holds a span whose duration just changed. */
  update(profile: Profile, index: RunIndex): void {
    const spans = profile.spans;
    // A new span comes after every kept prefix of its name: only known spans can invalidate.
    for (const i of this.runIndex.durationChanged) {
      const name = spans[i].name;
      const kept = this.byName.get(name);
      if (!kept) continue;
      const list = index.spansByName.get(name) ?? [];
      if (lowerBound(list, i) < kept.at) this.byName.delete(name);
    }
  }

  /** The sums of `name` for `nameBottlenecks`, from its kept prefix on. */
  of(index: RunIndex, name: string): NameSums {
    return (list) => {
      let kept = this.byName.get(name);
      if (!kept) this.byName.set(name, (kept = { at: 0, totalMs: 0, sites: [], siteMs: [], best: -1, bestMs: -Infinity, refs: undefined }));
      const { durationMs, siteOf } = index;
      if (this.siteMs.length < index.sites.length) {
        const size = Math.max(index.sites.length, 2 * this.siteMs.length, 64);
        this.siteMs = new Float64Array(size);
        this.seen = new Uint32Array(size);
        this.epoch = 0;
      }
      const epoch = ++this.epoch;
      const sums: Running = { totalMs: kept.totalMs, best: kept.best, bestMs: kept.bestMs, sites: kept.sites.slice() };
      for (let j = 0; j < kept.sites.length; j++) {
        this.seen[kept.sites[j]] = epoch;
        this.siteMs[kept.sites[j]] = kept.siteMs[j];
      }
      // The spans up to the first open one keep their durations: their sums are kept.
      let open = kept.at;
      while (open < list.length && !this.runIndex.isOpen(list[open])) open++;
      addSpans(sums, list, kept.at, open, durationMs, siteOf, this.siteMs, this.seen, epoch);
      kept.at = open;
      kept.totalMs = sums.totalMs;
      kept.best = sums.best;
      kept.bestMs = sums.bestMs;
      kept.sites = sums.sites.slice();
      kept.siteMs = kept.sites.map((site) => this.siteMs[site]);
      addSpans(sums, list, open, list.length, durationMs, siteOf, this.siteMs, this.seen, epoch);
      const best = sums.best < 0 ? undefined : index.sites[sums.best];
      // Copies of the kept refs: each result owns its arrays.
      let refs = kept.refs;
      if (!refs) {
        refs = spanRefs(index.profile, list);
        if (list.length >= MAX_BOTTLENECK_SPANS) kept.refs = refs;
      }
      return { totalMs: sums.totalMs, site: best && { file: best.file, line: best.line }, refs: { spans: refs.spans.slice(), spanIds: refs.spanIds.slice() } };
    };
  }
}
