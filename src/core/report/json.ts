/**
 * The machine-readable report: one JSON document per run, the shape `agentprof report --json`
 * prints and `docs/cli.md` documents. Keys are snake_case and stable; times are milliseconds,
 * money is USD. Adding keys is fine; renaming or removing one is a breaking change.
 */
import type { Analysis, Bottleneck, BudgetStatus, CriticalSegment, TokenStats } from '../analysis-types';
import type { Comparison, ComparisonRow } from '../compare';

/** Rounds to 3 decimals (µs precision for ms values) to keep the document readable and stable. */
function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Money keeps 6 decimals: a cheap call costs fractions of a cent. */
function usd(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

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

function bottleneck(b: Bottleneck) {
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
    span_ids: b.spanIds,
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

/** The `--json` document of `agentprof report`. */
export function analysisToJson(a: Analysis, file?: string) {
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
    timing: a.timing.byCategory.map((t) => ({
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
    timing_by_name: a.timing.byName.map((t) => ({
      name: t.name,
      category: t.category,
      count: t.count,
      total_ms: r3(t.totalMs),
      self_ms: r3(t.selfMs),
      p50_ms: r3(t.p50Ms),
      p95_ms: r3(t.p95Ms),
      errors: t.errors,
    })),
    sites: a.timing.bySite.map((s) => ({
      file: s.file,
      line: s.line,
      name: s.names.length === 1 ? s.names[0] : s.names.join(', '),
      count: s.count,
      total_ms: r3(s.totalMs),
      p50_ms: r3(s.p50Ms),
      p95_ms: r3(s.p95Ms),
      tokens: s.tokens,
      cost_usd: usd(s.costUsd),
    })),
    critical_path: a.criticalPath.map(segment),
    tokens: {
      input: a.tokens.input,
      output: a.tokens.output,
      cache_read: a.tokens.cacheRead,
      cache_write: a.tokens.cacheWrite,
      reasoning: a.tokens.reasoning,
      cost_usd: usd(a.tokens.costUsd),
      reported_cost_usd: a.tokens.reportedCostUsd === undefined ? null : usd(a.tokens.reportedCostUsd),
      unpriced_models: a.tokens.unpricedModels,
      price_source: a.tokens.priceSource,
      by_operation: a.tokens.byOperation.map((o) => ({ operation: o.operation, ...tokenCounts(o) })),
      by_model: a.tokens.byModel.map((m) => ({
        model: m.model,
        provider: m.provider ?? null,
        priced: m.priced,
        ...tokenCounts(m),
      })),
    },
    budgets: a.budgets.map(budget),
    bottlenecks: a.bottlenecks.map(bottleneck),
    suggestions: a.suggestions.map((s) => ({
      kind: s.kind,
      operation: s.operation,
      cost_usd: usd(s.costUsd),
      input_share: r3(s.inputShare),
      suggestion: s.suggestion,
    })),
    diagnostics: a.diagnostics.map((d) => ({ line: d.line, severity: d.severity, message: d.message })),
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

/** The `--json` document of `agentprof compare` (and of the compare view's JSON export). */
export function comparisonToJson(c: Comparison, baseFile?: string, headFile?: string) {
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
    by_category: c.byCategory.map(comparisonRow),
    by_name: c.byName.map(comparisonRow),
    by_site: c.bySite.map(comparisonRow),
    regressions: c.regressions.map(comparisonRow),
  };
}
