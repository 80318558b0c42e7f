/**
 * The change of one call site against the baseline run, for lenses and hovers:
 * "p95 1.68 s (+12 % vs baseline)", "$0.0081 (−40 %)", "new since the baseline".
 *
 * Call sites are matched across the two runs by file and timer name, not by line, so an edit above
 * a call (which moves its line) keeps its baseline. When one file holds several sites of the same
 * names (a timer in a loop body and one after it), the nearest line wins. A call matched by name
 * only (no recorded site) is compared with the baseline's statistics of that name. Pure: no
 * `vscode`; the service (baseline-service.ts) owns the baseline run and its lookup.
 */
import type { NameTiming, SiteTiming } from '../core/analysis-types';
import { changePctText } from '../core/report/compare-doc';
import { formatCount, formatMs, formatUsd } from '../core/format';
import type { LensPart } from './config';
import { lensTitle, type LensMatch, type LensStats } from './lens-index';
import type { RunResult } from './worker-protocol';

/** The baseline run, indexed for matching. */
export interface BaselineLookup {
  result: RunResult;
  /** `file \0 sorted names` → sites. */
  bySignature: Map<string, SiteTiming[]>;
  /** `file` → sites, for a site whose set of names changed. */
  byFile: Map<string, SiteTiming[]>;
  byName: Map<string, NameTiming>;
}

export interface BaselineSide {
  count: number;
  p95Ms: number | undefined;
  costUsd: number | undefined;
  line: number | undefined;
}

export type LensDelta =
  /** No site or name of the baseline matches: the call is new since the baseline. */
  | { kind: 'new' }
  | {
      kind: 'changed';
      base: BaselineSide;
      /** Percent changes; undefined when a side has no value or the baseline's is 0. */
      p95Pct: number | undefined;
      costPct: number | undefined;
      /** p95 up by more than the regression threshold. */
      regression: boolean;
      /** Cost up by more than the same threshold. */
      costUp: boolean;
    };

/** The recorded path in comparable form: `/` separators, no leading `./`. */
export function siteFileKey(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function signature(file: string, names: readonly string[]): string {
  return `${siteFileKey(file)}\u0000${[...names].sort().join('\u0000')}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildBaselineLookup(result: RunResult): BaselineLookup {
  const bySignature = new Map<string, SiteTiming[]>();
  const byFile = new Map<string, SiteTiming[]>();
  for (const site of result.analysis.timing.bySite) {
    if (!site.file) continue;
    push(bySignature, signature(site.file, site.names), site);
    push(byFile, siteFileKey(site.file), site);
  }
  const byName = new Map<string, NameTiming>();
  for (const n of result.analysis.timing.byName) byName.set(n.name, n);
  return { result, bySignature, byFile, byName };
}

function nearest(sites: readonly SiteTiming[], line: number): SiteTiming {
  let best = sites[0];
  for (const s of sites) if (Math.abs(s.line - line) < Math.abs(best.line - line)) best = s;
  return best;
}

/** The baseline site of a head site: same file and names, else same file sharing a name. */
export function baselineSiteOf(head: SiteTiming, lookup: BaselineLookup): SiteTiming | undefined {
  const same = lookup.bySignature.get(signature(head.file, head.names));
  if (same?.length) return nearest(same, head.line);
  const names = new Set(head.names);
  const sharing = (lookup.byFile.get(siteFileKey(head.file)) ?? []).filter((s) => s.names.some((n) => names.has(n)));
  return sharing.length ? nearest(sharing, head.line) : undefined;
}

function pct(base: number | undefined, head: number | undefined): number | undefined {
  if (base === undefined || head === undefined || !(base > 0)) return undefined;
  return ((head - base) / base) * 100;
}

/** The change of a matched call against the baseline; undefined when it cannot be told. */
export function lensDelta(match: LensMatch, head: RunResult, lookup: BaselineLookup, regressionPct: number): LensDelta | undefined {
  let base: BaselineSide | undefined;
  if (match.siteIndex !== undefined) {
    const site = head.analysis.timing.bySite[match.siteIndex];
    const b = site && baselineSiteOf(site, lookup);
    if (b) base = { count: b.count, p95Ms: b.p95Ms, costUsd: b.costUsd, line: b.line };
    else if (site) {
      // A site the baseline recorded elsewhere (another file) or not at all: by its names.
      const named = site.names.map((n) => lookup.byName.get(n)).filter((n): n is NameTiming => n !== undefined);
      if (named.length === 1 && site.names.length === 1) base = { count: named[0].count, p95Ms: named[0].p95Ms, costUsd: undefined, line: undefined };
      else if (!named.length) return { kind: 'new' };
      else return undefined;
    }
  } else {
    const names = match.nameIndices.map((i) => head.analysis.timing.byName[i]?.name).filter((n): n is string => n !== undefined);
    const named = names.map((n) => lookup.byName.get(n)).filter((n): n is NameTiming => n !== undefined);
    if (!named.length) return names.length ? { kind: 'new' } : undefined;
    if (names.length !== 1) return undefined; // percentiles of several names do not combine
    base = { count: named[0].count, p95Ms: named[0].p95Ms, costUsd: undefined, line: undefined };
  }
  if (!base) return undefined;
  const p95Pct = pct(base.p95Ms, match.stats.p95Ms);
  const costPct = pct(base.costUsd, match.stats.costUsd);
  return {
    kind: 'changed',
    base,
    p95Pct,
    costPct,
    regression: p95Pct !== undefined && p95Pct > regressionPct,
    costUp: costPct !== undefined && costPct > regressionPct,
  };
}

/** The p95 part of a lens with its change: `p95 1.68 s (+12 % vs baseline)`, marked when regressed. */
export function p95DeltaText(p95Ms: number, delta: LensDelta | undefined): string {
  const text = `p95 ${formatMs(p95Ms)}`;
  if (delta?.kind !== 'changed' || delta.p95Pct === undefined) return text;
  return `${text} (${changePctText(delta.p95Pct)} vs baseline${delta.regression ? ' ⚠ regression' : ''})`;
}

/** The cost part: `$0.0081 (−40 %)`, marked when it rose by more than the threshold. */
export function costDeltaText(costUsd: number, delta: LensDelta | undefined): string {
  const text = formatUsd(costUsd);
  if (delta?.kind !== 'changed' || delta.costPct === undefined) return text;
  return `${text} (${changePctText(delta.costPct)}${delta.costUp ? ' ⚠ cost up' : ''})`;
}

/** What a lens ends with for a call new since the baseline. */
export const NEW_SINCE_BASELINE = 'new since the baseline';

/** The lens of a call the baseline ran and this run did not. */
export function vanishedLensTitle(base: LensStats): string {
  const p95 = base.p95Ms !== undefined ? ` · p95 ${formatMs(base.p95Ms)}` : '';
  return `$(circle-slash) not called in this run (baseline: ${formatCount(base.count)} call${base.count === 1 ? '' : 's'}${p95})`;
}

/** One hover line about the baseline, Markdown-safe (numbers only, plus a line number). */
export function deltaHoverLine(delta: LensDelta, stats: LensStats): string {
  if (delta.kind === 'new') return `**vs baseline:** new since the baseline (not called there).`;
  const parts: string[] = [];
  const b = delta.base;
  parts.push(`${formatCount(b.count)} → ${formatCount(stats.count)} call${stats.count === 1 ? '' : 's'}`);
  if (b.p95Ms !== undefined && stats.p95Ms !== undefined) {
    parts.push(`p95 ${formatMs(b.p95Ms)} → ${formatMs(stats.p95Ms)} (${changePctText(delta.p95Pct)})${delta.regression ? ' **⚠ regression**' : ''}`);
  }
  if (b.costUsd !== undefined && stats.costUsd !== undefined && (b.costUsd > 0 || stats.costUsd > 0)) {
    parts.push(`cost ${formatUsd(b.costUsd)} → ${formatUsd(stats.costUsd)} (${changePctText(delta.costPct)})${delta.costUp ? ' **⚠ cost up**' : ''}`);
  }
  const where = b.line !== undefined ? ` (baseline line ${b.line})` : '';
  return `**vs baseline${where}:** ${parts.join(' · ')}`;
}

const WATCH = '$(watch) ';

/**
 * The lens title with the baseline's changes: `lensTitle` part by part, with p95 and cost carrying
 * their change and a call new since the baseline said as such. Without a delta it is `lensTitle`.
 */
export function lensTitleWithDelta(stats: LensStats, parts: readonly LensPart[], delta: LensDelta | undefined): string {
  if (!delta) return lensTitle(stats, parts);
  const out: string[] = [];
  for (const part of parts) {
    if (part === 'p95' && stats.p95Ms !== undefined) out.push(p95DeltaText(stats.p95Ms, delta));
    else if (part === 'cost' && stats.costUsd !== undefined && (stats.costUsd > 0 || (stats.tokens ?? 0) > 0)) out.push(costDeltaText(stats.costUsd, delta));
    else {
      const one = lensTitle(stats, [part]).slice(WATCH.length);
      if (one) out.push(one);
    }
  }
  if (delta.kind === 'new') out.push(NEW_SINCE_BASELINE);
  const regressed = delta.kind === 'changed' && (delta.regression || delta.costUp);
  // The codicon says "look here" before any number is read.
  return `${regressed ? '$(warning) ' : WATCH}${out.join(' · ')}`;
}
