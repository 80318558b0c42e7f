/**
 * Per-span facts every time-based bottleneck rule needs, computed once per analysis: effective
 * durations, time on the critical path, nesting under a span of the same name, and the spans of
 * each name. Also the small helpers the rules share (heaviest call site, span references, impact
 * by size). Pure; iterative walks only (profiles can nest 100 000 deep).
 */
import type { CriticalSegment, Impact, Thresholds } from './analysis-types';
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

/** Builds the {@link RunIndex}: one pass over the spans, one over the critical path, one tree walk. */
export function indexRun(profile: Profile, critical: CriticalSegment[], thresholds: Thresholds): RunIndex {
  const spans = profile.spans;
  const n = spans.length;
  const durationMs = new Float64Array(n);
  const criticalMs = new Float64Array(n);
  const nestedInSameName = new Uint8Array(n);
  const spansByName = new Map<string, number[]>();
  // Dense ids of names and sites, so the walk below and the rules count in arrays, not maps.
  const nameOf = new Int32Array(n);
  let names = 0;
  const nameIds = new Map<string, number>();
  const siteOf = new Int32Array(n);
  const sites: RunIndex['sites'] = [];
  const siteIds = new Map<string, Map<number | undefined, number>>();
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
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
  for (const segment of critical) {
    if (segment.span >= 0 && segment.span < n) criticalMs[segment.span] += Math.max(0, segment.endMs - segment.startMs);
  }

  // Depth-first walk with an explicit stack. A non-negative entry enters a span; `~index`
  // (always negative) leaves it, after all its children have left: the moment to clip its
  // critical time and hand it to the parent.
  // A visited bitmap keeps bad input (a span listed under two parents) from being walked twice.
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
  return { profile, thresholds, wallMs: wallTime(profile) / 1e6, durationMs, criticalMs, nestedInSameName, spansByName, siteOf, sites };
}

/** The call site with the most (effective) time among these spans, or undefined when none has a site. */
export function heaviestSite(index: RunIndex, spanIndices: readonly number[]): { file: string; line: number | undefined } | undefined {
  const { siteOf, durationMs } = index;
  // Time per site in a sparse map of site id → ms: a rule passes a few spans or a whole name's.
  const timeBySite = new Map<number, number>();
  let best = -1;
  let bestMs = -Infinity;
  for (const i of spanIndices) {
    const site = siteOf[i];
    if (site < 0) continue;
    const ms = (timeBySite.get(site) ?? 0) + durationMs[i];
    timeBySite.set(site, ms);
    // Strictly greater: on a tie the site seen first (earliest span) wins, which is stable.
    if (best < 0 || ms > bestMs) {
      best = site;
      bestMs = ms;
    }
  }
  if (best < 0) return undefined;
  const { file, line } = index.sites[best];
  return { file, line };
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
