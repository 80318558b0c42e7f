/**
 * The markdown of a hover on a timer call: timing, tokens and cost per call and per run, models,
 * share of the run's cost, cost per 1 000 runs, the cheapest cheaper model, budgets and the
 * bottlenecks at this site. Pure; every profile string is escaped.
 */
import { coverageComplete, coverageText } from '../core/llm-calls';
import type { Bottleneck, BudgetStatus, SiteTiming } from '../core/analysis-types';
import { formatCount, formatMs, formatShare, formatUsd } from '../core/format';
import type { SpanId } from '../core/model';
import { budgetValueText, savingsText } from './finding-text';
import { COMMANDS } from './ids';
import type { LensMatch } from './lens-index';
import { commandLink, escapeMarkdown } from './markdown';
import type { ModelUse, RunResult } from './worker-protocol';

/** Commands a hover may link to (and so the only ones its `isTrusted` enables). */
export const HOVER_COMMANDS: readonly string[] = [COMMANDS.showWaterfall, COMMANDS.openLocation];

export interface HoverInput {
  match: LensMatch;
  result: RunResult;
  spanIds: SpanId[];
  /** The change against the baseline run, one Markdown line (baseline-deltas.ts), when one is set. */
  baseline?: string;
}

function names(match: LensMatch, result: RunResult): string[] {
  if (match.siteIndex !== undefined) return result.analysis.timing.bySite[match.siteIndex].names;
  return match.nameIndices.map((i) => result.analysis.timing.byName[i].name);
}

/** Budgets that concern this site: its own `file:line`, or a name prefix (category, operation). */
export function budgetsAt(site: SiteTiming | undefined, spanNames: string[], budgets: BudgetStatus[]): BudgetStatus[] {
  return budgets.filter(
    (b) => (site && (b.target === `${site.file}:${site.line}` || (b.file === site.file && b.line === site.line))) || spanNames.some((n) => n.startsWith(b.target)),
  );
}

/** Bottlenecks that involve this site's spans, are recorded at it, or name one of its span names. */
export function bottlenecksAt(site: SiteTiming | undefined, spanNames: string[], bottlenecks: Bottleneck[]): Bottleneck[] {
  const spans = new Set(site?.spans ?? []);
  return bottlenecks.filter(
    (b) =>
      (site && b.file === site.file && b.line === site.line) ||
      b.spans.some((i) => spans.has(i)) ||
      spanNames.includes(b.component),
  );
}

function modelLine(m: ModelUse): string {
  const who = escapeMarkdown(m.provider ? `${m.model} (${m.provider})` : m.model);
  const tokens = m.input + m.output;
  const cost = m.priced ? formatUsd(m.costUsd) : 'unpriced (not in the price table)';
  return `- ${who}: ${formatCount(m.calls)} call${m.calls === 1 ? '' : 's'}, ${formatCount(tokens)} tokens, ${cost}`;
}

/** The best saving any model at this site would get from its cheapest cheaper alternative. */
function bestSaving(models: ModelUse[]): { from: ModelUse; to: NonNullable<ModelUse['cheapest']>; saves: number } | undefined {
  let best: { from: ModelUse; to: NonNullable<ModelUse['cheapest']>; saves: number } | undefined;
  for (const m of models) {
    if (!m.cheapest) continue;
    const saves = m.costUsd - m.cheapest.costUsd;
    if (saves > 0 && (!best || saves > best.saves)) best = { from: m, to: m.cheapest, saves };
  }
  return best;
}

/**
 * A cost per run projected to 1 000 runs, in cents from one cent up (`$0.36`, `$6.00`): beside
 * each other, "$0.3600" and "$6.00" read as if they were measured differently.
 */
export function perThousandRuns(usdPerRun: number): string {
  const usd = usdPerRun * 1000;
  return usd >= 0.01 && usd < 1000 ? `$${usd.toFixed(2)}` : formatUsd(usd);
}

export function hoverMarkdown(input: HoverInput): string {
  const { match, result } = input;
  const a = result.analysis;
  const site = match.siteIndex !== undefined ? a.timing.bySite[match.siteIndex] : undefined;
  const spanNames = names(match, result);
  const out: string[] = [];
  const s = match.stats;

  const shown = spanNames.slice(0, 3).map((n) => escapeMarkdown(n)).join(', ') + (spanNames.length > 3 ? ` and ${spanNames.length - 3} more` : '');
  out.push(`**Agent Profiler** · ${shown}`);
  out.push('');
  const timing = [`${formatCount(s.count)} call${s.count === 1 ? '' : 's'}`];
  if (s.p50Ms !== undefined) timing.push(`p50 ${formatMs(s.p50Ms)}`);
  if (s.p95Ms !== undefined) timing.push(`p95 ${formatMs(s.p95Ms)}`);
  timing.push(`avg ${formatMs(s.avgMs)}`, `total ${formatMs(s.totalMs)}`);
  if (s.shareOfRun !== undefined) timing.push(`${formatShare(s.shareOfRun)} of the run's time`);
  out.push(timing.join(' · '));
  if (input.baseline) out.push('', input.baseline);
  // A decorated function's spans are recorded where it is called, never on the decorator's line:
  // that is not an edit, so it is not said as one.
  if (match.how === 'moved' && match.call.method === 'timed') out.push('', `_Recorded where the function is called: line ${site?.line}._`);
  else if (match.how === 'moved') out.push('', `_Recorded at line ${site?.line}; the code moved since the run._`);
  if (match.how === 'name') out.push('', `_Matched by name${site ? ` (recorded at ${escapeMarkdown(`${site.file}:${site.line}`)})` : ''}._`);

  const models = match.siteIndex !== undefined ? result.views.sites[match.siteIndex]?.models ?? [] : [];
  if (models.length) {
    const calls = models.reduce((sum, m) => sum + m.calls, 0);
    const tokens = models.reduce((sum, m) => sum + m.input + m.output, 0);
    const cost = models.reduce((sum, m) => sum + m.costUsd, 0);
    out.push('', '**Tokens and cost**', '');
    out.push('| | per LLM call | this run |', '|---|---:|---:|');
    out.push(`| tokens | ${formatCount(tokens / calls)} | ${formatCount(tokens)} |`);
    out.push(`| cost | ${formatUsd(cost / calls)} | ${formatUsd(cost)} |`);
    out.push('');
    const facts: string[] = [];
    if (a.run.costUsd > 0) facts.push(`${formatShare(cost / a.run.costUsd)} of the run's cost`);
    facts.push(`${perThousandRuns(cost)} per 1 000 runs`);
    out.push(facts.join(' · '));
    const coverage = a.run.costCoverage;
    if (coverage && !coverageComplete(coverage)) out.push('', `_Run ${escapeMarkdown(coverageText(coverage))}._`);
    out.push('', ...models.slice(0, 5).map(modelLine));
    if (models.length > 5) out.push(`- … ${models.length - 5} more models`);
    const saving = bestSaving(models);
    if (saving) {
      const pct = saving.from.costUsd > 0 ? saving.saves / saving.from.costUsd : 0;
      out.push(
        '',
        `Cheaper: ${escapeMarkdown(saving.to.model)} would have cost ${formatUsd(saving.to.costUsd)} instead of ${formatUsd(saving.from.costUsd)} ` +
          `for the ${escapeMarkdown(saving.from.model)} calls here — ${formatUsd(saving.saves)} less per run (${formatShare(pct)}), ` +
          `${perThousandRuns(saving.saves)} per 1 000 runs.`,
      );
    }
  }

  const budgets = budgetsAt(site, spanNames, a.budgets);
  if (budgets.length) {
    out.push('', '**Budgets**', '');
    for (const b of budgets.slice(0, 6)) {
      const mark = b.breached ? '⚠ over' : '✓ within';
      out.push(`- ${mark} ${escapeMarkdown(b.target)}: ${budgetValueText(b.metric, b.used)} of ${budgetValueText(b.metric, b.limit)}`);
    }
  }

  const found = bottlenecksAt(site, spanNames, a.bottlenecks);
  if (found.length) {
    out.push('', '**Bottlenecks here**', '');
    for (const b of found.slice(0, 5)) {
      const saves = savingsText(b);
      out.push(`- **${b.impact}** ${escapeMarkdown(b.kind)} (${escapeMarkdown(b.component)})${saves ? `, saves ${saves}` : ''}: ${escapeMarkdown(b.suggestion)}`);
    }
  }

  if (input.spanIds.length) {
    out.push('', commandLink('Show these spans in the waterfall', COMMANDS.showWaterfall, [{ spanIds: input.spanIds, file: result.file }]));
  }
  return out.join('\n');
}

