/**
 * Answers that are tables: the runs to pick from, a run broken down by site, name, category or
 * model, and the comparison with a baseline. Top-N rows with the rest summed, so the answer stays
 * small however big the run.
 */
import type { TokenStats } from '../../analysis-types';
import { compareRuns, type ComparisonRow, type ComparisonSide } from '../../compare';
import { formatChangePct, formatCount, formatMs, formatUsd } from '../../format';
import { categoryOf } from '../../model';
import type { BREAKDOWN_BY, BREAKDOWN_SORT } from './definitions';
import { clip, location, roundMs, roundUsd, type CatalogRun, type ToolRun } from './shape';

export function listRunsAnswer(runs: CatalogRun[], limit: number) {
  const shown = runs.slice(0, limit);
  const active = runs.find((r) => r.active);
  const baseline = runs.find((r) => r.baseline);
  const headline = runs.length
    ? `${runs.length} profiled run${runs.length === 1 ? '' : 's'}, newest first. Active: ${active ? clip(active.id, 120) : 'none'}; baseline: ${baseline ? clip(baseline.id, 120) : 'none set'}.`
    : 'No profiled runs in the workspace.';
  return {
    headline,
    total: runs.length,
    shown: shown.length,
    runs: shown.map((r) => ({
      id: clip(r.id, 300),
      name: r.name === undefined ? null : clip(r.name, 120),
      started_at: r.startedAt ?? null,
      active: r.active,
      baseline: r.baseline,
      analysed: r.summary !== undefined,
      wall_ms: r.summary ? roundMs(r.summary.wallMs) : null,
      spans: r.summary?.spans ?? null,
      errors: r.summary?.errors ?? null,
      cost_usd: r.summary ? roundUsd(r.summary.costUsd) : null,
    })),
    not_shown: Math.max(0, runs.length - shown.length),
  };
}

type By = (typeof BREAKDOWN_BY)[number];
type Sort = (typeof BREAKDOWN_SORT)[number];

interface Row {
  key: string;
  fields: Record<string, unknown>;
  totalMs: number;
  selfMs: number;
  tokens: number;
  costUsd: number;
}

function usageBy(stats: Array<TokenStats & { operation: string }>, keyOf: (op: string) => string): Map<string, { tokens: number; costUsd: number }> {
  const out = new Map<string, { tokens: number; costUsd: number }>();
  for (const s of stats) {
    const key = keyOf(s.operation);
    const sum = out.get(key) ?? { tokens: 0, costUsd: 0 };
    sum.tokens += s.input + s.output;
    sum.costUsd += s.costUsd;
    out.set(key, sum);
  }
  return out;
}

function breakdownRows(run: ToolRun, by: By): Row[] {
  const a = run.analysis;
  const timing = (t: { count: number; totalMs: number; selfMs: number; p50Ms: number; p95Ms: number; shareOfRun: number; errors: number }) => ({
    calls: t.count,
    total_ms: roundMs(t.totalMs),
    self_ms: roundMs(t.selfMs),
    p50_ms: roundMs(t.p50Ms),
    p95_ms: roundMs(t.p95Ms),
    share_of_run: roundMs(t.shareOfRun),
    errors: t.errors,
  });
  switch (by) {
    case 'site':
      return a.timing.bySite.map((s) => ({
        key: `${s.file}:${s.line}`,
        fields: { location: location(run, s.file, s.line), names: s.names.slice(0, 3).map((n) => clip(n, 80)), ...timing(s), tokens: s.tokens, cost_usd: roundUsd(s.costUsd) },
        totalMs: s.totalMs,
        selfMs: s.selfMs,
        tokens: s.tokens,
        costUsd: s.costUsd,
      }));
    case 'name': {
      const usage = usageBy(a.tokens.byOperation, (op) => op);
      return a.timing.byName.map((n) => {
        const u = usage.get(n.name) ?? { tokens: 0, costUsd: 0 };
        return { key: n.name, fields: { name: clip(n.name), category: clip(n.category, 80), ...timing(n), tokens: u.tokens, cost_usd: roundUsd(u.costUsd) }, totalMs: n.totalMs, selfMs: n.selfMs, ...u };
      });
    }
    case 'category': {
      const usage = usageBy(a.tokens.byOperation, categoryOf);
      return a.timing.byCategory.map((c) => {
        const u = usage.get(c.category) ?? { tokens: 0, costUsd: 0 };
        return { key: c.category, fields: { category: clip(c.category, 80), ...timing(c), tokens: u.tokens, cost_usd: roundUsd(u.costUsd) }, totalMs: c.totalMs, selfMs: c.selfMs, ...u };
      });
    }
    case 'model':
      return a.tokens.byModel.map((m) => ({
        key: `${m.provider ?? ''}/${m.model}`,
        fields: {
          model: clip(m.model, 80),
          provider: m.provider === undefined ? null : clip(m.provider, 40),
          calls: m.calls,
          input_tokens: m.input,
          cache_read_tokens: m.cacheRead,
          output_tokens: m.output,
          reasoning_tokens: m.reasoning,
          tokens: m.input + m.output,
          cost_usd: roundUsd(m.costUsd),
          priced: m.priced,
        },
        totalMs: 0,
        selfMs: 0,
        tokens: m.input + m.output,
        costUsd: m.costUsd,
      }));
  }
}

export function breakdownAnswer(run: ToolRun, by: By, sort: Sort, limit: number) {
  const rows = breakdownRows(run, by);
  // Models have no time of their own: sorting them "by time" sorts by cost.
  const byCost = sort === 'cost' || (by === 'model' && sort !== 'tokens');
  const measure = (r: Row) => (sort === 'tokens' ? r.tokens : byCost ? r.costUsd : sort === 'self' ? r.selfMs : r.totalMs);
  rows.sort((x, y) => measure(y) - measure(x) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const shown = rows.slice(0, limit);
  const rest = rows.slice(limit);
  const sum = (list: Row[], f: (r: Row) => number) => list.reduce((s, r) => s + f(r), 0);
  const r = run.analysis.run;
  const first = shown[0];
  const firstName = first ? clip(String(first.fields.location ?? first.fields.name ?? first.fields.category ?? first.fields.model), 120) : '';
  const firstFigure = first
    ? sort === 'tokens'
      ? `${formatCount(first.tokens)} tokens`
      : byCost
        ? formatUsd(first.costUsd)
        : sort === 'self'
          ? `${formatMs(first.selfMs)} of self time`
          : formatMs(first.totalMs)
    : '';
  const order = sort === 'tokens' ? 'tokens' : byCost ? 'cost' : sort === 'self' ? 'self time' : 'total time';
  const headline = first
    ? `Run ${clip(r.name, 80)} by ${by}, biggest ${order} first: ${firstName} leads with ${firstFigure}. The run took ${formatMs(r.wallMs)} and cost ${formatUsd(r.costUsd)}.`
    : `Run ${clip(r.name, 80)} has no rows by ${by}${by === 'site' ? ' (no call sites were recorded; try by "name")' : ''}.`;
  return {
    run: run.id,
    headline,
    by,
    sort,
    run_wall_ms: roundMs(r.wallMs),
    run_tokens: r.tokens,
    run_cost_usd: roundUsd(r.costUsd),
    total_rows: rows.length,
    rows: shown.map((x) => x.fields),
    // Total times of groups overlap when spans nest or run concurrently: compare them, do not add them to the wall time.
    not_shown: rest.length
      ? { rows: rest.length, total_ms: roundMs(sum(rest, (x) => x.totalMs)), self_ms: roundMs(sum(rest, (x) => x.selfMs)), tokens: sum(rest, (x) => x.tokens), cost_usd: roundUsd(sum(rest, (x) => x.costUsd)) }
      : null,
  };
}

function side(s: ComparisonSide | undefined) {
  return s ? { calls: s.count, p95_ms: roundMs(s.p95Ms), total_ms: roundMs(s.totalMs), tokens: s.tokens, cost_usd: roundUsd(s.costUsd) } : null;
}

function comparisonRow(head: ToolRun, r: ComparisonRow) {
  return {
    key: clip(r.key, 300),
    location: r.file ? location(head, r.file, r.line) : null,
    category: clip(r.category, 80),
    name: r.name === undefined ? null : clip(r.name),
    baseline: side(r.base),
    run: side(r.head),
    p95_change_pct: r.p95ChangePct === undefined ? null : roundMs(r.p95ChangePct),
    total_ms_change: roundMs(r.delta.totalMs),
    cost_usd_change: roundUsd(r.delta.costUsd),
    regression: r.regression,
  };
}

/** Uses the core's comparison as is; this only picks and bounds the rows. */
export function compareAnswer(head: ToolRun, base: ToolRun, regressionPct: number | undefined, limit: number) {
  const c = compareRuns(base.analysis, head.analysis, regressionPct === undefined ? {} : { regressionPct });
  const rows = [...c.byCategory, ...c.bySite];
  const others = c.bySite
    .filter((r) => !r.regression && r.base && r.head && r.delta.totalMs !== 0)
    .sort((x, y) => Math.abs(y.delta.totalMs) - Math.abs(x.delta.totalMs) || (x.key < y.key ? -1 : 1));
  const worst = c.regressions[0];
  const headline =
    `Run ${clip(c.head.name, 80)} against baseline ${clip(c.base.name, 80)}: wall time ${formatChangePct(c.wallChangePct)}, cost ${formatChangePct(c.costChangePct)}; ` +
    (worst
      ? `${c.regressions.length} regression${c.regressions.length === 1 ? '' : 's'}, the worst ${clip(worst.key, 120)} (p95 ${formatChangePct(worst.p95ChangePct)}).`
      : 'no regressions.');
  return {
    run: head.id,
    baseline: base.id,
    headline,
    wall_ms: { baseline: roundMs(c.base.wallMs), run: roundMs(c.head.wallMs), change_pct: roundMs(c.wallChangePct) },
    cost_usd: { baseline: roundUsd(c.base.costUsd), run: roundUsd(c.head.costUsd), change_pct: c.costChangePct === undefined ? null : roundMs(c.costChangePct) },
    regressions_total: c.regressions.length,
    regressions: c.regressions.slice(0, limit).map((r) => comparisonRow(head, r)),
    other_changes_total: others.length,
    other_changes: others.slice(0, limit).map((r) => comparisonRow(head, r)),
    only_in_run: rows.filter((r) => !r.base).length,
    only_in_baseline: rows.filter((r) => !r.head).length,
  };
}
