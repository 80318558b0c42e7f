/**
 * The per-file index behind code lenses, hovers and Problems: built once per analysis, read by
 * every provider. A timer call in a document is matched to the analysis by the recorded call site
 * (file resolved against the run's cwd, then line), then — when the line moved because the code was
 * edited — to a site in the same file with a matching name, and last by name alone. Pure.
 */
import * as nodePath from 'node:path';
import type { NameTiming, SiteTiming } from '../core/analysis-types';
import { formatCount, formatMs, formatShare, formatUsd } from '../core/format';
import type { SpanId } from '../core/model';
import type { LensPart } from './config';
import { NameSetMatcher } from './name-template';
import type { TimerCall } from './timer-scan';
import { MAX_IDS_PER_GROUP, type RunResult } from './worker-protocol';

type PathApi = Pick<typeof nodePath, 'resolve' | 'normalize' | 'isAbsolute' | 'sep'>;

export interface IndexedSite {
  /** Index in `analysis.timing.bySite`. */
  siteIndex: number;
  site: SiteTiming;
  /** The recorded file resolved against the run's cwd, in comparable form. */
  key: string;
  /** The recorded path with `/` separators, for suffix matching when the cwd is foreign. */
  relative: string | undefined;
}

export interface SiteIndex {
  result: RunResult;
  /** Profile generation the index was built from. */
  generation: number;
  sites: IndexedSite[];
  byFile: Map<string, IndexedSite[]>;
  /** Comparable form of a path: normalized, and case-folded where the file system folds case. */
  keyOf(file: string): string;
}

/** Builds the index of a run's call sites; `baseDir` is where relative recorded paths start. */
export function buildSiteIndex(
  result: RunResult,
  generation: number,
  baseDir: string,
  options: { path?: PathApi; caseInsensitive?: boolean } = {},
): SiteIndex {
  const p = options.path ?? nodePath;
  const fold = options.caseInsensitive ?? process.platform === 'win32';
  const keyOf = (file: string) => {
    const n = p.normalize(file);
    return fold ? n.toLowerCase() : n;
  };
  const sites: IndexedSite[] = [];
  const byFile = new Map<string, IndexedSite[]>();
  result.analysis.timing.bySite.forEach((site, siteIndex) => {
    if (!site.file) return;
    const key = keyOf(p.resolve(baseDir, site.file));
    const slashed = site.file.replace(/\\/g, '/');
    const relative = p.isAbsolute(site.file) || slashed.startsWith('../') ? undefined : slashed.replace(/^\.\//, '');
    const entry: IndexedSite = { siteIndex, site, key, relative };
    sites.push(entry);
    const list = byFile.get(key);
    if (list) list.push(entry);
    else byFile.set(key, [entry]);
  });
  return { result, generation, sites, byFile, keyOf };
}

/** Sites recorded in the document at `docPath`: by resolved path, else by a matching path suffix. */
export function sitesOfDocument(index: SiteIndex, docPath: string): IndexedSite[] {
  const key = index.keyOf(docPath);
  const exact = index.byFile.get(key);
  if (exact) return exact;
  const slashed = key.replace(/\\/g, '/');
  const fold = index.keyOf('A') === 'a';
  return index.sites.filter((s) => s.relative && slashed.endsWith('/' + (fold ? s.relative.toLowerCase() : s.relative)));
}

export interface LensStats {
  count: number;
  totalMs: number;
  avgMs: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  shareOfRun: number | undefined;
  costUsd: number | undefined;
  tokens: number | undefined;
}

export interface LensMatch {
  call: TimerCall;
  /** `site`: recorded file and line; `moved`: same file, other line; `name`: by name only. */
  how: 'site' | 'moved' | 'name';
  /** The timing site, when matched to one. */
  siteIndex: number | undefined;
  /** Indices in `analysis.timing.byName` when matched by names. */
  nameIndices: number[];
  stats: LensStats;
}

function siteMatches(site: SiteTiming, call: TimerCall): boolean {
  return site.names.some((n) => call.pattern.test(n));
}

function siteStats(s: SiteTiming): LensStats {
  return {
    count: s.count,
    totalMs: s.totalMs,
    avgMs: s.avgMs,
    p50Ms: s.p50Ms,
    p95Ms: s.p95Ms,
    shareOfRun: s.shareOfRun,
    costUsd: s.costUsd,
    tokens: s.tokens,
  };
}

/** Stats of the names a call matched; percentiles of several names cannot be combined, so are left out. */
function nameStats(names: NameTiming[]): LensStats {
  if (names.length === 1) {
    const n = names[0];
    return { count: n.count, totalMs: n.totalMs, avgMs: n.avgMs, p50Ms: n.p50Ms, p95Ms: n.p95Ms, shareOfRun: n.shareOfRun, costUsd: undefined, tokens: undefined };
  }
  const count = names.reduce((sum, n) => sum + n.count, 0);
  const totalMs = names.reduce((sum, n) => sum + n.totalMs, 0);
  return { count, totalMs, avgMs: count ? totalMs / count : 0, p50Ms: undefined, p95Ms: undefined, shareOfRun: undefined, costUsd: undefined, tokens: undefined };
}

/** Matches the timer calls of one document (at `docPath`) to the analysis. */
export function matchCalls(calls: TimerCall[], index: SiteIndex, docPath: string): LensMatch[] {
  const local = sitesOfDocument(index, docPath);
  const used = new Set<number>();
  const matched = new Map<TimerCall, LensMatch>();
  const bySite = (call: TimerCall, s: IndexedSite, how: LensMatch['how']) => {
    used.add(s.siteIndex);
    matched.set(call, { call, how, siteIndex: s.siteIndex, nameIndices: [], stats: siteStats(s.site) });
  };

  // 1. Recorded file and line (1-based in the profile, 0-based in the editor).
  for (const call of calls) {
    const s = local.find((x) => !used.has(x.siteIndex) && x.site.line === call.line + 1 && (x.site.names.length === 0 || siteMatches(x.site, call)));
    if (s) bySite(call, s, 'site');
  }
  // 2. Same file, the line moved (code edited since the run): the nearest site with a matching name.
  for (const call of calls) {
    if (matched.has(call)) continue;
    let best: IndexedSite | undefined;
    for (const s of local) {
      if (used.has(s.siteIndex) || !siteMatches(s.site, call)) continue;
      if (!best || Math.abs(s.site.line - 1 - call.line) < Math.abs(best.site.line - 1 - call.line)) best = s;
    }
    if (best) bySite(call, best, 'moved');
  }
  // 3. By name: one site elsewhere (the file moved), else the names' statistics.
  const byName = index.result.analysis.timing.byName;
  const localSet = new Set(local.map((s) => s.siteIndex));
  for (const call of calls) {
    if (matched.has(call)) continue;
    const elsewhere = index.sites.filter((s) => !localSet.has(s.siteIndex) && !used.has(s.siteIndex) && siteMatches(s.site, call));
    if (elsewhere.length === 1) {
      bySite(call, elsewhere[0], 'name');
      continue;
    }
    const nameIndices: number[] = [];
    byName.forEach((n, i) => {
      if (call.pattern.test(n.name)) nameIndices.push(i);
    });
    if (nameIndices.length) {
      matched.set(call, { call, how: 'name', siteIndex: undefined, nameIndices, stats: nameStats(nameIndices.map((i) => byName[i])) });
    }
  }
  return calls.filter((c) => matched.has(c)).map((c) => matched.get(c)!);
}

/**
 * Recorded call sites of the document that no timer call in its text claimed: code instrumented
 * another way (OpenTelemetry's `tracer.startActiveSpan(…)` exported with `code.file.path` /
 * `code.line.number`, a timer whose name is a variable). Each gets a match on its recorded line,
 * spanning the line's text, unless that line holds a timer call already. `lines` is the document
 * text split into lines; a recorded line past its end or blank gets nothing.
 */
export function matchRecordedSites(matches: readonly LensMatch[], calls: readonly TimerCall[], index: SiteIndex, docPath: string, lines: readonly string[]): LensMatch[] {
  const claimed = new Set<number>();
  for (const m of matches) if (m.siteIndex !== undefined) claimed.add(m.siteIndex);
  const callLines = new Set(calls.map((c) => c.line));
  const out: LensMatch[] = [];
  for (const s of sitesOfDocument(index, docPath)) {
    const line = s.site.line - 1;
    if (claimed.has(s.siteIndex) || callLines.has(line) || line < 0 || line >= lines.length) continue;
    const text = lines[line];
    const startColumn = text.length - text.trimStart().length;
    const endColumn = text.trimEnd().length;
    if (endColumn <= startColumn) continue;
    const name = s.site.names[0] ?? '';
    const call: TimerCall = { line, startColumn, endColumn, method: 'recorded', name, template: false, pattern: new NameSetMatcher(s.site.names) };
    callLines.add(line);
    out.push({ call, how: 'site', siteIndex: s.siteIndex, nameIndices: [], stats: siteStats(s.site) });
  }
  return out;
}

/** Span ids behind a match (for the waterfall filter). */
export function spanIdsOf(match: LensMatch, result: RunResult): SpanId[] {
  if (match.siteIndex !== undefined) return result.views.sites[match.siteIndex]?.spanIds ?? [];
  const ids: SpanId[] = [];
  for (const i of match.nameIndices) {
    for (const id of result.views.nameSpanIds[i] ?? []) {
      if (ids.length >= MAX_IDS_PER_GROUP) return ids;
      ids.push(id);
    }
  }
  return ids;
}

/** Lens text such as `$(watch) 12 calls · p50 1.20 s · p95 3.10 s · 41 % of run · $0.1400`. */
export function lensTitle(stats: LensStats, parts: readonly LensPart[]): string {
  const out: string[] = [];
  for (const part of parts) {
    switch (part) {
      case 'calls':
        out.push(`${formatCount(stats.count)} call${stats.count === 1 ? '' : 's'}`);
        break;
      case 'p50':
        if (stats.p50Ms !== undefined) out.push(`p50 ${formatMs(stats.p50Ms)}`);
        break;
      case 'p95':
        if (stats.p95Ms !== undefined) out.push(`p95 ${formatMs(stats.p95Ms)}`);
        break;
      case 'avg':
        out.push(`avg ${formatMs(stats.avgMs)}`);
        break;
      case 'total':
        out.push(`total ${formatMs(stats.totalMs)}`);
        break;
      case 'share':
        if (stats.shareOfRun !== undefined) out.push(`${formatShare(stats.shareOfRun)} of run`);
        break;
      case 'cost':
        if (stats.costUsd !== undefined && (stats.costUsd > 0 || (stats.tokens ?? 0) > 0)) out.push(formatUsd(stats.costUsd));
        break;
      default: {
        const never: never = part;
        throw new Error(`unknown lens part ${String(never)}`);
      }
    }
  }
  // A codicon, not an emoji: it renders in every font and follows the theme.
  return `$(watch) ${out.join(' · ')}`;
}
