/**
 * The machine-readable report: one JSON document per run, the shape `agentprof report --json`
 * prints and `docs/cli.md` documents. Keys are snake_case and stable; times are milliseconds,
 * money is USD. Adding keys is fine; renaming or removing one is a breaking change.
 */
import { coverageText } from '../llm-calls';
import type { Analysis, Bottleneck, BudgetStatus, CriticalSegment, TokenStats } from '../analysis-types';
import type { Comparison, ComparisonRow } from '../compare';
import { foldCriticalPath, type FoldedSegment } from '../critical-fold';
import type { Profile } from '../model';
import { nameInstances, type TemplateInstances } from '../name-instances';

/** Rows per list of the CLI's default `--json` report (`--limit N` changes it, `--full` lifts it). */
export const DEFAULT_JSON_LIMIT = 50;

/** Names as written listed under each name template. */
const INSTANCES_SHOWN = 5;

/** Names listed for one call site; a site of a million distinct names lists these and a count. */
const SITE_NAMES_SHOWN = 5;

export interface ReportJsonOptions {
  /**
   * Rows per list (timing, sites, bottlenecks and the span ids of each, tokens, suggestions,
   * diagnostics) and entries of the folded critical path. Undefined: every row, the whole path
   * unfolded (the `--full` report; what callers got before limits existed).
   */
  limit?: number;
  /** The run, for the names as written under each template and the templates of folded stretches. */
  profile?: Profile;
}

/** Rounds to 3 decimals (µs precision for ms values) to keep the document readable and stable. */
export function roundMs(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Money keeps 6 decimals: a cheap call costs fractions of a cent. */
export function roundUsd(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const r3 = roundMs;
const usd = roundUsd;

function tokenCounts(t: TokenStats) {
  return {
    calls: t.calls,
    input: t.input,
    output: t.output,
    cache_read: t.cacheRead,
    cache_write: t.cacheWrite,
    reasoning: t.reasoning,
    cost_usd: usd(t.costUsd),
    reported_cost_usd: t.reportedCostUsd === undefined ? null : usd(t.reportedCostUsd),
    unpriced_calls: t.unpricedCalls,
  };
}

function segment(s: CriticalSegment) {
  return { span_id: s.spanId ?? null, name: s.name, start_ms: r3(s.startMs), end_ms: r3(s.endMs) };
}

function foldedSegment(s: FoldedSegment) {
  const out: Record<string, unknown> = segment(s);
  if (s.folded > 0) {
    out.folded_segments = s.folded;
    out.names = s.names.map((n) => ({ name: n.name, segments: n.segments, ms: r3(n.ms) }));
  }
  return out;
}

function bottleneck(b: Bottleneck, limit: number) {
  return {
    kind: b.kind,
    component: b.component,
    impact: b.impact,
    metric: b.metric,
    value: r3(b.value),
    threshold: b.threshold,
    savings_ms: r3(b.savingsMs),
    savings_usd: usd(b.savingsUsd),
    suggestion: b.suggestion,
    file: b.file ?? null,
    line: b.line ?? null,
    span_ids: b.spanIds.length > limit ? b.spanIds.slice(0, limit) : b.spanIds,
    span_count: b.spanIds.length,
  };
}

/** The first `limit` rows of a list. */
function head<T>(rows: readonly T[], limit: number): readonly T[] {
  return rows.length > limit ? rows.slice(0, limit) : rows;
}

/** Names as written under a template row: those of its longest spans, and how many of its spans are not theirs (none when the row is no template). */
function instancesOf(instances: Map<string, TemplateInstances> | undefined, name: string) {
  const found = instances?.get(name);
  if (!found) return {};
  return {
    instances: found.top.map((i) => ({ name: i.name, count: i.count, total_ms: r3(i.totalMs) })),
    more_instance_spans: found.moreSpans,
  };
}

function budget(b: BudgetStatus) {
  return {
    category: b.target,
    metric: b.metric,
    limit: b.limit,
    used: b.metric === 'cost' ? usd(b.used) : r3(b.used),
    remaining: b.metric === 'cost' ? usd(b.remaining) : r3(b.remaining),
    breached: b.breached,
    source: b.source,
  };
}

/**
 * The `--json` document of `agentprof report`. With `options.limit`, every list holds at most that
 * many rows and `totals` says how many there were; the critical path is folded (critical-fold.ts)
 * — so the document does not grow with the span count. Without it, everything, path unfolded.
 */
export function analysisToJson(a: Analysis, file?: string, options: ReportJsonOptions = {}) {
  const limit = options.limit ?? Infinity;
  const bounded = options.limit !== undefined;
  const profile = options.profile;
  const instances = profile ? nameInstances(profile, INSTANCES_SHOWN) : undefined;
  const groupOf = (seg: CriticalSegment) => (profile && seg.span >= 0 && seg.span < profile.spans.length ? profile.spans[seg.span].name : seg.name);
  const folded = bounded ? foldCriticalPath(a.criticalPath, limit, groupOf) : undefined;
  return {
    file: file ?? null,
    run: {
      name: a.run.name,
      source: a.run.source,
      spans: a.run.spans,
      wall_ms: r3(a.run.wallMs),
      errors: a.run.errors,
      unfinished: a.run.unfinished,
      orphans: a.run.orphans,
      ended: a.run.ended,
      exit_status: a.run.exitStatus ?? null,
      exit_error: a.run.exitError ?? null,
    },
    limit: bounded ? limit : null,
    totals: {
      timing: a.timing.byCategory.length,
      timing_by_name: a.timing.byName.length,
      sites: a.timing.bySite.length,
      critical_path_segments: a.criticalPath.length,
      critical_path_entries: folded ? folded.segments.length + folded.more : a.criticalPath.length,
      by_operation: a.tokens.byOperation.length,
      by_model: a.tokens.byModel.length,
      budgets: a.budgets.length,
      bottlenecks: a.bottlenecks.length,
      suggestions: a.suggestions.length,
      diagnostics: a.diagnostics.length,
    },
    timing: head(a.timing.byCategory, limit).map((t) => ({
      category: t.category,
      count: t.count,
      total_ms: r3(t.totalMs),
      self_ms: r3(t.selfMs),
      avg_ms: r3(t.avgMs),
      min_ms: r3(t.minMs),
      max_ms: r3(t.maxMs),
      p50_ms: r3(t.p50Ms),
      p95_ms: r3(t.p95Ms),
      p99_ms: r3(t.p99Ms),
      share_of_run: r3(t.shareOfRun),
      errors: t.errors,
    })),
    timing_by_name: head(a.timing.byName, limit).map((t) => ({
      name: t.name,
      category: t.category,
      count: t.count,
      total_ms: r3(t.totalMs),
      self_ms: r3(t.selfMs),
      p50_ms: r3(t.p50Ms),
      p95_ms: r3(t.p95Ms),
      errors: t.errors,
      ...instancesOf(instances, t.name),
    })),
    sites: head(a.timing.bySite, limit).map((s) => ({
      file: s.file,
      line: s.line,
      name:
        s.names.length === 1
          ? s.names[0]
          : s.names.length > SITE_NAMES_SHOWN && bounded
            ? `${s.names.slice(0, SITE_NAMES_SHOWN).join(', ')} (+${s.names.length - SITE_NAMES_SHOWN} more)`
            : s.names.join(', '),
      count: s.count,
      total_ms: r3(s.totalMs),
      p50_ms: r3(s.p50Ms),
      p95_ms: r3(s.p95Ms),
      tokens: s.tokens,
      cost_usd: usd(s.costUsd),
    })),
    critical_path: folded ? folded.segments.map(foldedSegment) : a.criticalPath.map(segment),
    tokens: {
      input: a.tokens.input,
      output: a.tokens.output,
      cache_read: a.tokens.cacheRead,
      cache_write: a.tokens.cacheWrite,
      reasoning: a.tokens.reasoning,
      cost_usd: usd(a.tokens.costUsd),
      reported_cost_usd: a.tokens.reportedCostUsd === undefined ? null : usd(a.tokens.reportedCostUsd),
      unpriced_models: head(a.tokens.unpricedModels, limit),
      coverage: a.run.costCoverage
        ? {
            llm_calls: a.run.costCoverage.calls,
            covered_calls: a.run.costCoverage.covered,
            no_usage_calls: a.run.costCoverage.noUsage,
            no_usage_failed: a.run.costCoverage.noUsageFailed,
            no_usage_span_ids: head(a.run.costCoverage.noUsageSpanIds, limit).map(String),
            unpriced_calls: a.run.costCoverage.unpricedCalls,
            unpriced_models: a.run.costCoverage.unpricedModels,
            text: coverageText(a.run.costCoverage),
          }
        : null,
      price_source: a.tokens.priceSource,
      by_operation: head(a.tokens.byOperation, limit).map((o) => ({ operation: o.operation, ...tokenCounts(o) })),
      by_model: head(a.tokens.byModel, limit).map((m) => ({
        model: m.model,
        provider: m.provider ?? null,
        priced: m.priced,
        ...tokenCounts(m),
      })),
    },
    budgets: head(a.budgets, limit).map(budget),
    bottlenecks: head(a.bottlenecks, limit).map((b) => bottleneck(b, limit)),
    suggestions: head(a.suggestions, limit).map((s) => ({
      kind: s.kind,
      operation: s.operation,
      cost_usd: usd(s.costUsd),
      input_share: r3(s.inputShare),
      suggestion: s.suggestion,
    })),
    diagnostics: head(a.diagnostics, limit).map((d) => ({ line: d.line, severity: d.severity, message: d.message })),
  };
}

function comparisonRow(r: ComparisonRow) {
  const side = (s: ComparisonRow['base']) =>
    s
      ? {
          count: s.count,
          p50_ms: r3(s.p50Ms),
          p95_ms: r3(s.p95Ms),
          total_ms: r3(s.totalMs),
          self_ms: r3(s.selfMs),
          tokens: s.tokens,
          cost_usd: usd(s.costUsd),
        }
      : null;
  return {
    key: r.key,
    category: r.category,
    name: r.name ?? null,
    file: r.file ?? null,
    line: r.line ?? null,
    base: side(r.base),
    head: side(r.head),
    delta: side(r.delta),
    p95_change_pct: r.p95ChangePct === undefined ? null : r3(r.p95ChangePct),
    regression: r.regression,
    cost_change_pct: r.costChangePct === undefined ? null : r3(r.costChangePct),
    cost_up: r.costUp,
  };
}

function runSide(run: Comparison['base'], file: string | undefined) {
  return {
    file: file ?? null,
    name: run.name,
    wall_ms: r3(run.wallMs),
    cost_usd: usd(run.costUsd),
    tokens: run.tokens,
    errors: run.errors,
    spans: run.spans,
    ended: run.ended,
    unfinished: run.unfinished,
    exit_status: run.exitStatus ?? null,
  };
}

/**
 * The `--json` document of `agentprof compare` (and of the compare view's JSON export); with
 * `limit`, at most that many rows per list (`regressions` included: the exit code still counts
 * all of them), `totals` saying how many.
 */
export function comparisonToJson(c: Comparison, baseFile?: string, headFile?: string, limit?: number) {
  const max = limit ?? Infinity;
  return {
    base: runSide(c.base, baseFile),
    head: runSide(c.head, headFile),
    wall_change_pct: r3(c.wallChangePct),
    cost_change_pct: c.costChangePct === undefined ? null : r3(c.costChangePct),
    regression_pct: c.regressionPct,
    warnings: c.warnings.map((w) => ({ kind: w.kind, run: w.run, text: w.text })),
    attribution: c.attribution
      ? {
          wall_delta_ms: r3(c.attribution.wallDeltaMs),
          key: c.attribution.key,
          file: c.attribution.file ?? null,
          line: c.attribution.line ?? null,
          name: c.attribution.name ?? null,
          delta_ms: r3(c.attribution.deltaMs),
          share: r3(c.attribution.share),
        }
      : null,
    limit: limit ?? null,
    totals: { by_category: c.byCategory.length, by_name: c.byName.length, by_site: c.bySite.length, regressions: c.regressions.length },
    by_category: head(c.byCategory, max).map(comparisonRow),
    by_name: head(c.byName, max).map(comparisonRow),
    by_site: head(c.bySite, max).map(comparisonRow),
    regressions: head(c.regressions, max).map(comparisonRow),
  };
}
