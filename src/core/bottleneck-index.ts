/**
 * Per-span facts every time-based bottleneck rule needs, computed once per analysis: effective
 * durations, time on the critical path, nesting under a span of the same name, and the spans of
 * each name. Also the small helpers the rules share (heaviest call site, span references, impact
 * by size). Pure; iterative walks only (profiles can nest 100 000 deep).
 */
import type { CriticalSegment, Impact, Thresholds } from './analysis-types';
import type { CriticalPathNs } from './critical-path';
import { Profile, spanEnd, wallTime } from './model';

/** At most this many span ids/indices are attached to one bottleneck. */
export const MAX_BOTTLENECK_SPANS = 100;

/**
 * A group whose time on the critical path is at least this share of the run's wall time is
 * "on the critical path a lot": fixing it shortens the run noticeably. Also the share of wall
 * time above which an estimated saving makes a `repeated_calls` item high impact.
 */
export const CRITICAL_SHARE_HIGH = 0.25;

/** Share of wall time above which an estimated saving makes a `repeated_calls` item medium impact. */
export const SAVING_SHARE_MEDIUM = 0.05;

/** What the rules read about the run. Built by {@link indexRun}. */
export interface RunIndex {
  profile: Profile;
  thresholds: Thresholds;
  wallMs: number;
  /** Effective duration of each span in ms (open spans run to the run's last time). */
  durationMs: Float64Array;
  /**
   * Time each span's subtree spent on the critical path, ms, clipped to the span's duration. A
   * tool span whose HTTP child is the critical segment still counts that time as its own.
   */
  criticalMs: Float64Array;
  /** 1 when an ancestor has the same name (recursion): such spans are not counted twice in savings. */
  nestedInSameName: Uint8Array;
  /** Span indices of each name, in index order. */
  spansByName: Map<string, number[]>;
  /** Call site of each span as an index into {@link sites}, −1 when the span has no file. */
  siteOf: Int32Array;
  /** The distinct call sites, in first-seen order. */
  sites: Array<{ file: string; line: number | undefined }>;
}

/**
 * Builds the {@link RunIndex}: one pass over the spans, one over the critical path, one tree walk.
 * `critical` may be the segments or the same path in ns ({@link CriticalPathNs}); the ns form adds
 * exactly the same ms (each end and start converted as `criticalPath()` converts them) without
 * reading a segment object per step.
 */
export function indexRun(profile: Profile, critical: CriticalSegment[] | CriticalPathNs, thresholds: Thresholds): RunIndex {
  const spans = profile.spans;
  const n = spans.length;
  const durationMs = new Float64Array(n);
  const criticalMs = new Float64Array(n);
  const nestedInSameName = new Uint8Array(n);
  const spansByName = new Map<string, number[]>();
  // Dense ids of names and sites, so the walk below and the rules count in arrays, not maps.
  const nameOf = new Int32Array(n);
  const siteOf = new Int32Array(n);
  const sites: RunIndex['sites'] = [];
  const roots: number[] = [];
  // Each pass is a function of its own: indexRun runs once per analysis, so a loop inline here
  // is compiled on the fly (on-stack replacement) without feedback for the code after it, which
  // then deoptimized at the next pass, and that pass began in the interpreter (--trace-deopt).
  const names = indexSpans(profile, durationMs, nameOf, spansByName, siteOf, sites, roots);
  if (Array.isArray(critical)) addCriticalTime(criticalMs, critical, n);
  else addCriticalTimeNs(criticalMs, critical, profile.minTime, n);
  walkTree(spans, roots, names, nameOf, durationMs, criticalMs, nestedInSameName);
  return { profile, thresholds, wallMs: wallTime(profile) / 1e6, durationMs, criticalMs, nestedInSameName, spansByName, siteOf, sites };
}

/** Fills durations, name ids (and `spansByName`), site ids (and `sites`) and the roots; returns the number of names. */
function indexSpans(
  profile: Profile,
  durationMs: Float64Array,
  nameOf: Int32Array,
  spansByName: Map<string, number[]>,
  siteOf: Int32Array,
  sites: RunIndex['sites'],
  roots: number[],
): number {
  const spans = profile.spans;
  let names = 0;
  const nameIds = new Map<string, number>();
  const siteIds = new Map<string, Map<number | undefined, number>>();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    durationMs[i] = Math.max(0, spanEnd(profile, span) - span.start) / 1e6;
    let nameId = nameIds.get(span.name);
    if (nameId === undefined) {
      nameIds.set(span.name, (nameId = names++));
      spansByName.set(span.name, [i]);
    } else spansByName.get(span.name)!.push(i);
    nameOf[i] = nameId;
    if (span.file === undefined) siteOf[i] = -1;
    else {
      let lines = siteIds.get(span.file);
      if (!lines) siteIds.set(span.file, (lines = new Map()));
      let site = lines.get(span.line);
      if (site === undefined) {
        lines.set(span.line, (site = sites.length));
        sites.push({ file: span.file, line: span.line });
      }
      siteOf[i] = site;
    }
    if (span.parent === -1) roots.push(i);
  }
  return names;
}

/** Each critical segment's length added to its span's critical time (ms). */
function addCriticalTime(criticalMs: Float64Array, critical: CriticalSegment[], n: number): void {
  for (let k = 0; k < critical.length; k++) {
    const segment = critical[k];
    if (segment.span >= 0 && segment.span < n) criticalMs[segment.span] += Math.max(0, segment.endMs - segment.startMs);
  }
}

/** {@link addCriticalTime} from the ns path; `origin` is the run's start, as in `criticalPath()`. */
function addCriticalTimeNs(criticalMs: Float64Array, path: CriticalPathNs, origin: number, n: number): void {
  const spanOf = path.span;
  const starts = path.start;
  const ends = path.end;
  for (let k = 0; k < path.length; k++) {
    const span = spanOf[k];
    if (span >= 0 && span < n) criticalMs[span] += Math.max(0, (ends[k] - origin) / 1e6 - (starts[k] - origin) / 1e6);
  }
}

/**
 * Depth-first walk with an explicit stack: flags spans nested under a span of the same name, and
 * hands each span's critical time (clipped to its duration) up to its parent. A non-negative
 * entry enters a span; `~index` (always negative) leaves it, after all its children have left.
 * A visited bitmap keeps bad input (a span listed under two parents) from being walked twice.
 */
function walkTree(
  spans: Profile['spans'],
  roots: number[],
  names: number,
  nameOf: Int32Array,
  durationMs: Float64Array,
  criticalMs: Float64Array,
  nestedInSameName: Uint8Array,
): void {
  const n = spans.length;
  const openNames = new Int32Array(names);
  const visited = new Uint8Array(n);
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]);
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (entry >= 0) {
      if (entry >= n || visited[entry]) continue;
      visited[entry] = 1;
      const name = nameOf[entry];
      if (openNames[name] > 0) nestedInSameName[entry] = 1;
      openNames[name]++;
      stack.push(~entry);
      const children = spans[entry].children;
      if (children) for (let c = children.length - 1; c >= 0; c--) stack.push(children[c]);
    } else {
      const index = ~entry;
      const span = spans[index];
      openNames[nameOf[index]]--;
      if (criticalMs[index] > durationMs[index]) criticalMs[index] = durationMs[index];
      if (span.parent >= 0 && span.parent < n) criticalMs[span.parent] += criticalMs[index];
    }
  }
}

/**
 * Time per call site while {@link heaviestSite} runs, by site id; all zero between calls. Kept
 * across calls: a rule passes a whole name's spans (a million for a hot name), and a `Map` of
 * site → ms cost a hash look-up and a store per span.
 */
let timeBySite = new Float64Array(0);

/** The call site with the most (effective) time among these spans, or undefined when none has a site. */
export function heaviestSite(index: RunIndex, spanIndices: readonly number[]): { file: string; line: number | undefined } | undefined {
  if (timeBySite.length < index.sites.length) timeBySite = new Float64Array(Math.max(index.sites.length, 2 * timeBySite.length));
  const best = sumBySite(timeBySite, index.siteOf, index.durationMs, spanIndices);
  clearSites(timeBySite, index.siteOf, spanIndices);
  if (best < 0) return undefined;
  const { file, line } = index.sites[best];
  return { file, line };
}

/*
 * The two loops of heaviestSite, each alone in its function. A rule calls heaviestSite a few
 * times per analysis with up to a million spans, so V8 compiles its loop on the fly (on-stack
 * replacement) with no feedback yet for the code after the loop; that code then deoptimized on
 * every call and the rest ran in the interpreter (--trace-deopt). Nothing follows these loops.
 */

/** Adds each span's duration to its site in `time`; returns the site that first reached the most (−1: none). */
function sumBySite(time: Float64Array, siteOf: Int32Array, durationMs: Float64Array, spanIndices: readonly number[]): number {
  let best = -1;
  let bestMs = -Infinity;
  for (let k = 0; k < spanIndices.length; k++) {
    const site = siteOf[spanIndices[k]];
    if (site < 0) continue;
    const ms = (time[site] += durationMs[spanIndices[k]]);
    // Strictly greater: on a tie the site seen first (earliest span) wins, which is stable.
    if (best < 0 || ms > bestMs) {
      best = site;
      bestMs = ms;
    }
  }
  return best;
}

/** Back to all zero, touching only the sites of these spans. */
function clearSites(time: Float64Array, siteOf: Int32Array, spanIndices: readonly number[]): void {
  for (let k = 0; k < spanIndices.length; k++) {
    const site = siteOf[spanIndices[k]];
    if (site >= 0) time[site] = 0;
  }
}

/** The first {@link MAX_BOTTLENECK_SPANS} span indices and their ids. */
export function spanRefs(profile: Profile, spanIndices: readonly number[]): { spans: number[]; spanIds: Array<string | number> } {
  const spans = spanIndices.slice(0, MAX_BOTTLENECK_SPANS);
  return { spans, spanIds: spans.map((i) => profile.spans[i].id) };
}

/** Sum of the critical time of the spans that are not nested in a span of the same name. */
export function criticalTimeOf(index: RunIndex, spanIndices: readonly number[]): number {
  let ms = 0;
  for (const i of spanIndices) if (!index.nestedInSameName[i]) ms += index.criticalMs[i];
  return ms;
}

/**
 * Impact from the size of an estimated saving: high when it is at least
 * {@link CRITICAL_SHARE_HIGH} of the wall time or at least the expensive-operation cost threshold;
 * medium from {@link SAVING_SHARE_MEDIUM} of the wall time or a tenth of that cost; low below.
 */
export function impactBySaving(index: RunIndex, savingsMs: number, savingsUsd: number): Impact {
  const wall = index.wallMs;
  const usd = index.thresholds.expensiveOperationUsd;
  if ((wall > 0 && savingsMs >= CRITICAL_SHARE_HIGH * wall) || (usd > 0 && savingsUsd >= usd)) return 'high';
  if ((wall > 0 && savingsMs >= SAVING_SHARE_MEDIUM * wall) || (usd > 0 && savingsUsd >= usd / 10)) return 'medium';
  return 'low';
}
