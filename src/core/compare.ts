/**
 * Comparison of two analyzed runs (`agentprof compare base head`): per category and per call site,
 * what changed, and which rows regressed.
 *
 * The regression rule is the one benchmark users know: a row regressed when its p95 is more than
 * `thresholds.regressionPct` (10 %) above the base's. Only p95 decides; a cost increase is shown in
 * the deltas and in `costChangePct` but is not a regression by itself (cost follows tokens, and a
 * bigger answer may be the point of the change). Rows present in one run only have no baseline to
 * regress from: they are listed with `base` or `head` undefined and never marked.
 *
 * A cost rise beyond the same threshold is marked apart (`costUp`), so views can show it next to
 * the time regressions without changing what `--fail-on-regression` fails on. Warnings (runs that
 * did not finish, failed, or are of other agents) and where the change comes from are in
 * compare-notes.ts; every renderer (terminal, Markdown, JSON, the compare view) shows them first.
 */
import type { Analysis, NameTiming, RunSummary, SiteTiming, Thresholds, TimingStats, TokenStats } from './analysis-types';
import { resolveThresholds } from './bottlenecks';
import { attributeChange, comparisonWarnings, type ChangeAttribution, type ComparisonWarning } from './compare-notes';
import { categoryOf } from './model';

export type { ChangeAttribution, ComparisonWarning } from './compare-notes';

/** The compared numbers of one row in one run. */
export interface ComparisonSide {
  count: number;
  p50Ms: number;
  p95Ms: number;
  totalMs: number;
  /** Sum of self times (duration minus children), for laying a change on the sites. */
  selfMs: number;
  tokens: number;
  costUsd: number;
}

export interface ComparisonRow {
  /** What the row is: a category, `file:line` (`file:40→42` when the line moved), or a span name. */
  key: string;
  category: string;
  name?: string;
  file?: string;
  line?: number;
  base: ComparisonSide | undefined;
  head: ComparisonSide | undefined;
  /** head − base; a missing side counts as zeros. */
  delta: ComparisonSide;
  /** (head p95 − base p95) / base p95 × 100; undefined when a side is missing or the base p95 is 0. */
  p95ChangePct: number | undefined;
  regression: boolean;
  /** (head cost − base cost) / base cost × 100; undefined when a side is missing or the base cost 0. */
  costChangePct: number | undefined;
  /** Cost rose by more than the regression threshold (both sides present). */
  costUp: boolean;
}

export interface Comparison {
  base: RunSummary;
  head: RunSummary;
  byCategory: ComparisonRow[];
  /** Span names. */
  byName: ComparisonRow[];
  /** Call sites, plus span names for spans recorded without a site. */
  bySite: ComparisonRow[];
  /** Regressed rows of both tables, the largest p95 increase (ms) first. */
  regressions: ComparisonRow[];
  /** Wall-time change in percent; 0 when the base run has no wall time. */
  wallChangePct: number;
  /** Computed-cost change in percent; undefined when the base run cost nothing. */
  costChangePct: number | undefined;
  /** What makes the two runs not like for like; shown before any number. */
  warnings: ComparisonWarning[];
  /** The call site behind most of the wall-time change. */
  attribution: ChangeAttribution | undefined;
  /** The threshold the rows were judged with, percent. */
  regressionPct: number;
}

/** One row of one run before matching. */
interface Entry {
  key: string;
  category: string;
  name?: string;
  file?: string;
  line?: number;
  /** Names of a site, for matching a site whose line moved. */
  signature?: string;
  /** What must agree for two rows to be the same without a move: a site's line and names. */
  matchKey?: string;
  side: ComparisonSide;
}

/** Compares `head` against `base`. Thresholds default to the textbook's (regression at +10 % p95). */
export function compareRuns(base: Analysis, head: Analysis, thresholds?: Partial<Thresholds>): Comparison {
  const regressionPct = resolveThresholds(thresholds).regressionPct;
  const byCategory = matchRows(categoryEntries(base), categoryEntries(head), regressionPct);
  const byName = matchRows(nameEntries(base), nameEntries(head), regressionPct);
  const bySite = matchRows(siteEntries(base), siteEntries(head), regressionPct);
  const files = (a: Analysis) => a.timing.bySite.map((s) => s.file).filter((f) => f);
  const regressions = [...byCategory, ...bySite]
    .filter((r) => r.regression)
    .sort((a, b) => b.delta.p95Ms - a.delta.p95Ms || compareKeys(a.key, b.key));
  return {
    base: base.run,
    head: head.run,
    byCategory,
    bySite,
    regressions,
    wallChangePct: base.run.wallMs > 0 ? ((head.run.wallMs - base.run.wallMs) / base.run.wallMs) * 100 : 0,
    costChangePct: base.run.costUsd > 0 ? ((head.run.costUsd - base.run.costUsd) / base.run.costUsd) * 100 : undefined,
    byName,
    warnings: comparisonWarnings(base.run, head.run, files(base), files(head)),
    attribution: attributeChange(base.run, head.run, bySite),
    regressionPct,
  };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function side(stats: TimingStats, usage: { tokens: number; costUsd: number } | undefined): ComparisonSide {
  return {
    count: stats.count,
    p50Ms: stats.p50Ms,
    p95Ms: stats.p95Ms,
    totalMs: stats.totalMs,
    selfMs: stats.selfMs,
    tokens: usage?.tokens ?? 0,
    costUsd: usage?.costUsd ?? 0,
  };
}

function addUsage(into: Map<string, { tokens: number; costUsd: number }>, key: string, stats: TokenStats): void {
  const sum = into.get(key) ?? { tokens: 0, costUsd: 0 };
  sum.tokens += stats.input + stats.output;
  sum.costUsd += stats.costUsd;
  into.set(key, sum);
}

/** Category rows; tokens and cost are those of operations whose name has that category. */
function categoryEntries(a: Analysis): Entry[] {
  const usage = new Map<string, { tokens: number; costUsd: number }>();
  for (const op of a.tokens.byOperation) addUsage(usage, categoryOf(op.operation), op);
  return a.timing.byCategory.map((c) => ({ key: c.category, category: c.category, side: side(c, usage.get(c.category)) }));
}

/** Span-name rows; tokens and cost are those of the operation of the same name. */
function nameEntries(a: Analysis): Entry[] {
  const usage = new Map<string, { tokens: number; costUsd: number }>();
  for (const op of a.tokens.byOperation) addUsage(usage, op.operation, op);
  return a.timing.byName.map((n) => ({ key: n.name, category: n.category, name: n.name, side: side(n, usage.get(n.name)) }));
}

/**
 * Call-site rows, then one row per span name none of whose spans has a site (their usage is
 * found by operation name, the recorder's default operation).
 */
function siteEntries(a: Analysis): Entry[] {
  const categoryOfName = new Map<string, string>();
  for (const n of a.timing.byName) categoryOfName.set(n.name, n.category);
  const namesAtSites = new Set<string>();
  const entries: Entry[] = a.timing.bySite.map((s: SiteTiming) => {
    for (const name of s.names) namesAtSites.add(name);
    const names = [...s.names].sort();
    return {
      key: `${s.file}:${s.line}`,
      category: categoryOfName.get(s.names[0]) ?? categoryOf(s.names[0] ?? ''),
      name: s.names.join(', '),
      file: s.file,
      line: s.line,
      signature: `${s.file}\u0000${names.join('\u0000')}`,
      // After an edit, another call can land on a recorded line: same line, other names, is not a match.
      matchKey: `${s.file}:${s.line}\u0000${names.join('\u0000')}`,
      side: side(s, { tokens: s.tokens, costUsd: s.costUsd }),
    };
  });
  const usage = new Map<string, { tokens: number; costUsd: number }>();
  for (const op of a.tokens.byOperation) addUsage(usage, op.operation, op);
  for (const n of a.timing.byName as NameTiming[]) {
    if (namesAtSites.has(n.name)) continue;
    entries.push({ key: n.name, category: n.category, name: n.name, side: side(n, usage.get(n.name)) });
  }
  return entries;
}

function delta(base: ComparisonSide | undefined, head: ComparisonSide | undefined): ComparisonSide {
  const b = base ?? ZERO;
  const h = head ?? ZERO;
  return {
    count: h.count - b.count,
    p50Ms: h.p50Ms - b.p50Ms,
    p95Ms: h.p95Ms - b.p95Ms,
    totalMs: h.totalMs - b.totalMs,
    selfMs: h.selfMs - b.selfMs,
    tokens: h.tokens - b.tokens,
    costUsd: h.costUsd - b.costUsd,
  };
}

const ZERO: ComparisonSide = { count: 0, p50Ms: 0, p95Ms: 0, totalMs: 0, selfMs: 0, tokens: 0, costUsd: 0 };

function row(base: Entry | undefined, head: Entry | undefined, regressionPct: number, key?: string): ComparisonRow {
  const shown = head ?? base!;
  const b = base?.side;
  const h = head?.side;
  const p95ChangePct = b && h && b.p95Ms > 0 ? ((h.p95Ms - b.p95Ms) / b.p95Ms) * 100 : undefined;
  const costChangePct = b && h && b.costUsd > 0 ? ((h.costUsd - b.costUsd) / b.costUsd) * 100 : undefined;
  const out: ComparisonRow = {
    key: key ?? shown.key,
    category: shown.category,
    base: b,
    head: h,
    delta: delta(b, h),
    p95ChangePct,
    regression: p95ChangePct !== undefined && p95ChangePct > regressionPct,
    costChangePct,
    costUp: costChangePct !== undefined && costChangePct > regressionPct,
  };
  if (shown.name !== undefined) out.name = shown.name;
  if (shown.file !== undefined) out.file = shown.file;
  if (shown.line !== undefined) out.line = shown.line;
  return out;
}

/**
 * Matches rows by key (for sites: line and names). Sites left unmatched on both sides whose file and span names agree, and
 * that are the only such site on each side, are the same call whose line moved (code was edited
 * above it): they are paired under `file:baseLine→headLine`. Rows are ordered by the larger of
 * their two totals, biggest first.
 */
function matchRows(base: Entry[], head: Entry[], regressionPct: number): ComparisonRow[] {
  const keyOf = (e: Entry) => e.matchKey ?? e.key;
  const baseByKey = new Map(base.map((e) => [keyOf(e), e]));
  const headKeys = new Set(head.map(keyOf));
  const rows: ComparisonRow[] = [];
  const headOnly: Entry[] = [];
  for (const h of head) {
    const b = baseByKey.get(keyOf(h));
    if (b) rows.push(row(b, h, regressionPct));
    else headOnly.push(h);
  }
  const baseOnly = base.filter((b) => !headKeys.has(keyOf(b)));

  const uniqueBySignature = (entries: Entry[]) => {
    const bySignature = new Map<string, Entry | null>(); // null: more than one, ambiguous
    for (const e of entries) if (e.signature) bySignature.set(e.signature, bySignature.has(e.signature) ? null : e);
    return bySignature;
  };
  const baseMoved = uniqueBySignature(baseOnly);
  const headMoved = uniqueBySignature(headOnly);
  const paired = new Set<Entry>();
  for (const [signature, h] of headMoved) {
    const b = baseMoved.get(signature);
    if (!h || !b) continue;
    paired.add(h).add(b);
    rows.push(row(b, h, regressionPct, `${h.file}:${b.line}→${h.line}`));
  }
  for (const h of headOnly) if (!paired.has(h)) rows.push(row(undefined, h, regressionPct));
  for (const b of baseOnly) if (!paired.has(b)) rows.push(row(b, undefined, regressionPct));

  const size = (r: ComparisonRow) => Math.max(r.base?.totalMs ?? 0, r.head?.totalMs ?? 0);
  return rows.sort((x, y) => size(y) - size(x) || compareKeys(x.key, y.key));
}
