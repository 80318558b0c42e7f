/**
 * Answers about one run: its summary, its bottlenecks and its critical path. Plain JSON objects,
 * snake_case like `agentprof report --json`, every list bounded, every location `path:line`
 * relative to the workspace, and a `headline` sentence a model can repeat to the user.
 */
import type { Bottleneck } from '../../analysis-types';
import { formatCount, formatMs, formatShare, formatUsd } from '../../format';
import { savingsText } from '../../report/sections';
import { clip, location, roundMs, roundUsd, type ToolRun } from './shape';

/** A measured quantity in its unit, by the suffix of its metric name (`avg_ms`, `cost_usd`, `count`). */
function quantity(metric: string, value: number): string {
  if (metric.endsWith('_ms')) return formatMs(value);
  if (metric.endsWith('_usd')) return formatUsd(value);
  return formatCount(value);
}

/** What was measured against which threshold, in words: `avg_ms 3.41 s (threshold 3.00 s)`. */
export function evidence(b: Bottleneck): string {
  const over = b.threshold > 0 ? ` (threshold ${quantity(b.metric, b.threshold)})` : '';
  return `${b.metric} ${quantity(b.metric, b.value)}${over}`;
}

function bottleneckRow(run: ToolRun, b: Bottleneck, rank: number) {
  return {
    rank,
    kind: b.kind,
    component: clip(b.component),
    impact: b.impact,
    location: location(run, b.file, b.line),
    evidence: evidence(b),
    savings_ms: roundMs(b.savingsMs),
    savings_usd: roundUsd(b.savingsUsd),
    suggestion: clip(b.suggestion, 400),
    span_ids: b.spanIds.slice(0, 5).map((id) => (typeof id === 'string' ? clip(id, 64) : id)),
  };
}

/** One bottleneck in a sentence: `tool:web_scrape (sequential_siblings) at agent.py:88, saves ~3.20 s`. */
function bottleneckPhrase(run: ToolRun, b: Bottleneck): string {
  const at = location(run, b.file, b.line);
  const saves = savingsText(b);
  return `${clip(b.component, 80)} (${b.kind})${at ? ` at ${at}` : ''}${saves ? `, saves ${saves}` : ''}`;
}

export function summaryAnswer(run: ToolRun) {
  const a = run.analysis;
  const r = a.run;
  const categories = [...a.timing.byCategory].sort((x, y) => y.totalMs - x.totalMs || (x.category < y.category ? -1 : 1));
  const top = a.bottlenecks.slice(0, 3);
  const breached = a.budgets.filter((b) => b.breached);
  const headline =
    `Run ${clip(r.name, 80)}: ${formatMs(r.wallMs)} wall time, ${formatCount(r.spans)} spans, ${formatCount(r.errors)} error${r.errors === 1 ? '' : 's'}, ` +
    `${formatCount(r.tokens)} tokens, ${formatUsd(r.costUsd)}.` +
    (top.length ? ` Top bottleneck: ${bottleneckPhrase(run, top[0])}.` : ' No bottlenecks found.');
  return {
    run: run.id,
    headline,
    name: clip(r.name),
    source: clip(r.source, 80),
    wall_ms: roundMs(r.wallMs),
    spans: r.spans,
    errors: r.errors,
    unfinished: r.unfinished,
    tokens: r.tokens,
    cost_usd: roundUsd(r.costUsd),
    unpriced_models: r.unpricedModels.slice(0, 10).map((m) => clip(m, 80)),
    ended: r.ended,
    exit_status: r.exitStatus ?? null,
    exit_error: r.exitError === undefined ? null : clip(r.exitError, 300),
    critical_path_ms: roundMs(run.criticalPathTotal.ms),
    top_categories: categories.slice(0, 5).map((c) => ({
      category: clip(c.category, 80),
      calls: c.count,
      total_ms: roundMs(c.totalMs),
      share_of_run: roundMs(c.shareOfRun),
    })),
    categories_total: categories.length,
    bottlenecks_total: a.bottlenecks.length,
    top_bottlenecks: top.map((b, i) => bottleneckRow(run, b, i + 1)),
    budgets_breached: breached.slice(0, 5).map((b) => ({ target: clip(b.target, 80), metric: b.metric, used: roundUsd(b.used), limit: b.limit })),
    problems_reading_profile: a.diagnostics.length,
  };
}

export function bottlenecksAnswer(run: ToolRun, limit: number) {
  const all = run.analysis.bottlenecks;
  const shown = all.slice(0, limit);
  const rest = all.slice(limit);
  const sum = (list: Bottleneck[], f: (b: Bottleneck) => number) => list.reduce((s, b) => s + f(b), 0);
  const headline = all.length
    ? `${all.length} bottleneck${all.length === 1 ? '' : 's'} in run ${clip(run.analysis.run.name, 80)}; fix the first one first: ${bottleneckPhrase(run, all[0])}.`
    : `No bottlenecks found in run ${clip(run.analysis.run.name, 80)} with the current thresholds.`;
  return {
    run: run.id,
    headline,
    total: all.length,
    shown: shown.length,
    // Savings of different bottlenecks can overlap (two rules about the same spans): not summed as one promise.
    note: all.length > 1 ? 'Estimated savings of different bottlenecks may overlap; do not add them up.' : undefined,
    bottlenecks: shown.map((b, i) => bottleneckRow(run, b, i + 1)),
    not_shown: rest.length ? { count: rest.length, savings_ms: roundMs(sum(rest, (b) => b.savingsMs)), savings_usd: roundUsd(sum(rest, (b) => b.savingsUsd)) } : null,
  };
}

interface Step {
  name: string;
  span: number;
  segments: number;
  startMs: number;
  ms: number;
}

/** A segment shorter than this share of the path is a sliver (a parent's bookkeeping between two children). */
const SLIVER_SHARE = 0.005;

/**
 * The critical path with consecutive segments of one name folded into a step (a loop of 200 LLM
 * calls on the path is one step of 200 segments). A sliver of a parent's own time between two
 * segments of one name does not split their fold: it is set aside and counts with the steps not
 * listed. The `limit` longest steps are kept in time order and the others summed; segments the
 * host did not receive (it keeps the first 1 000) count as others.
 */
export function criticalPathAnswer(run: ToolRun, limit: number) {
  const path = run.analysis.criticalPath;
  const total = run.criticalPathTotal;
  const sliver = total.ms * SLIVER_SHARE;
  const same = (step: Step, seg: { name: string; span: number }) => step.name === seg.name && (step.span >= 0) === (seg.span >= 0);
  const steps: Step[] = [];
  for (const seg of path) {
    const ms = seg.endMs - seg.startMs;
    const last = steps[steps.length - 1];
    const before = steps[steps.length - 2];
    let into: Step | undefined;
    if (last && same(last, seg)) into = last;
    else if (before && last.segments === 1 && last.ms < sliver && same(before, seg)) {
      steps.pop();
      into = before;
    }
    if (into) {
      into.segments++;
      into.ms += ms;
    } else {
      steps.push({ name: seg.name, span: seg.span, segments: 1, startMs: seg.startMs, ms });
    }
  }
  const origin = path.length ? path[0].startMs : 0;
  const wall = total.ms > 0 ? total.ms : 1;
  const keep = new Set([...steps].sort((x, y) => y.ms - x.ms || x.startMs - y.startMs).slice(0, limit));
  const listed = steps.filter((s) => keep.has(s));
  const listedMs = listed.reduce((s, x) => s + x.ms, 0);
  const listedSegments = listed.reduce((s, x) => s + x.segments, 0);
  const longest = [...listed].sort((x, y) => y.ms - x.ms)[0];
  const headline = longest
    ? `The critical path of run ${clip(run.analysis.run.name, 80)} is ${formatMs(total.ms)} over ${formatCount(total.segments)} segments; its longest step is ${clip(longest.name, 80)} (${formatMs(longest.ms)}, ${formatShare(longest.ms / wall)} of the path).`
    : `Run ${clip(run.analysis.run.name, 80)} has no critical path (no finished spans).`;
  return {
    run: run.id,
    headline,
    path_ms: roundMs(total.ms),
    segments: total.segments,
    steps_total: steps.length,
    steps: listed.map((s) => {
      const site = s.span >= 0 ? run.spanSite(s.span) : undefined;
      return {
        name: s.span >= 0 ? clip(s.name) : '(time outside any top-level span)',
        location: site ? location(run, site.file, site.line) : null,
        start_ms: roundMs(s.startMs - origin),
        ms: roundMs(s.ms),
        share_of_path: roundMs(s.ms / wall),
        folded_segments: s.segments,
      };
    }),
    not_shown: total.segments > listedSegments ? { segments: total.segments - listedSegments, ms: roundMs(Math.max(0, total.ms - listedMs)) } : null,
  };
}
