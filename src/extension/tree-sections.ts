/**
 * The sections under the active run in the runs tree: Summary, Bottlenecks (in the order analyze()
 * gives them), Critical path, Timing by category → name → call site, Tokens & cost, Budgets.
 */
import { coverageComplete, coverageText } from '../core/llm-calls';
import type { Analysis, Bottleneck, Impact, TimingStats } from '../core/analysis-types';
import type { FoldedPath } from '../core/critical-fold';
import { formatCount, formatMs, formatShare, formatUsd } from '../core/format';
import { budgetValueText, savingsText } from './finding-text';
import { capped, locationCommand, type TreeNode } from './tree-node';
import { criticalPathDescription, criticalPathNodes } from './tree-critical-path';
import type { RunResult } from './worker-protocol';
import { traceSection } from './tree-traces';

const IMPACT_STYLE: Record<Impact, { icon: string; color: string }> = {
  high: { icon: 'flame', color: 'charts.red' },
  medium: { icon: 'warning', color: 'charts.yellow' },
  low: { icon: 'info', color: 'charts.blue' },
};

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

function timingDescription(t: TimingStats): string {
  return `${plural(t.count, 'call')} · total ${formatMs(t.totalMs)} · p95 ${formatMs(t.p95Ms)} · ${formatShare(t.shareOfRun)}`;
}

function timingTooltip(title: string, t: TimingStats): string {
  return [
    title,
    `${plural(t.count, 'call')}, ${plural(t.errors, 'error')}${t.unfinished ? `, ${formatCount(t.unfinished)} unfinished` : ''}`,
    `total ${formatMs(t.totalMs)} · self ${formatMs(t.selfMs)} · ${formatShare(t.shareOfRun)} of the run's wall time`,
    `avg ${formatMs(t.avgMs)} · min ${formatMs(t.minMs)} · max ${formatMs(t.maxMs)}`,
    `p50 ${formatMs(t.p50Ms)} · p95 ${formatMs(t.p95Ms)} · p99 ${formatMs(t.p99Ms)}`,
  ].join('\n');
}

/** A bottleneck's measured value in its unit (`avg_ms`, `cost_usd`, `count`, …). */
function formatMetric(metric: string, v: number): string {
  if (/(^|_)ms$/.test(metric)) return formatMs(v);
  if (/usd$/.test(metric)) return formatUsd(v);
  if (/share|ratio|rate/.test(metric)) return formatShare(v);
  return Number.isInteger(v) ? formatCount(v) : String(Number(v.toPrecision(4)));
}

function summaryNodes(r: RunResult, id: string): TreeNode[] {
  const s = r.analysis.run;
  const t = r.analysis.tokens;
  const nodes: TreeNode[] = [
    { id: `${id}/wall`, label: 'Wall time', description: formatMs(s.wallMs), icon: 'clock' },
    {
      id: `${id}/spans`,
      label: 'Spans',
      description: [formatCount(s.spans), s.unfinished ? `${formatCount(s.unfinished)} unfinished` : '', s.orphans ? `${formatCount(s.orphans)} orphaned` : '']
        .filter(Boolean)
        .join(' · '),
      icon: 'list-tree',
    },
    {
      id: `${id}/errors`,
      label: 'Errors',
      description: formatCount(s.errors),
      icon: s.errors ? 'error' : 'pass',
      color: s.errors ? 'problemsErrorIcon.foreground' : undefined,
    },
    {
      id: `${id}/tokens`,
      label: 'Tokens',
      description: `${formatCount(s.tokens)} in ${plural(t.calls, 'LLM call')}`,
      tooltip: `input ${formatCount(t.input)} (cache read ${formatCount(t.cacheRead)}, cache write ${formatCount(t.cacheWrite)})\noutput ${formatCount(t.output)} (reasoning ${formatCount(t.reasoning)})`,
      icon: 'symbol-number',
    },
    {
      id: `${id}/cost`,
      label: 'Cost',
      description:
        formatUsd(s.costUsd) +
        (t.reportedCostUsd !== undefined ? ` (provider reported ${formatUsd(t.reportedCostUsd)})` : '') +
        (s.costCoverage && !coverageComplete(s.costCoverage) ? ` · covers ${s.costCoverage.covered} of ${s.costCoverage.calls} LLM calls` : ''),
      tooltip: `${s.costCoverage && s.costCoverage.calls ? `${capitalise(coverageText(s.costCoverage, 10))}.\n` : ''}Prices: ${t.priceSource}`,
      icon: 'credit-card',
    },
  ];
  if (s.unpricedModels.length) {
    nodes.push({
      id: `${id}/unpriced`,
      label: 'Unpriced models',
      description: s.unpricedModels.join(', '),
      tooltip: `Not in the price table, so their cost is not counted: ${s.unpricedModels.join(', ')}.\nAdd them with agentProfiler.priceOverrides.`,
      icon: 'warning',
      color: 'problemsWarningIcon.foreground',
    });
  }
  if (s.exitStatus === 'error') {
    nodes.push({ id: `${id}/exit`, label: 'Run failed', description: s.exitError, tooltip: s.exitError, icon: 'error', color: 'problemsErrorIcon.foreground' });
  } else if (!s.ended) {
    nodes.push({ id: `${id}/exit`, label: 'No end record', description: 'still running, or killed', icon: 'question' });
  }
  return nodes;
}

function bottleneckNode(r: RunResult, b: Bottleneck, i: number, id: string): TreeNode {
  const style = IMPACT_STYLE[b.impact];
  const saves = savingsText(b);
  const nid = `${id}/${i}`;
  return {
    id: nid,
    label: b.component,
    description: [b.impact, b.kind, saves ? `saves ${saves}` : ''].filter(Boolean).join(' · '),
    tooltip: [
      `${b.kind} (${b.impact} impact): ${b.component}`,
      `${b.metric} ${formatMetric(b.metric, b.value)} (threshold ${formatMetric(b.metric, b.threshold)})`,
      saves ? `Estimated saving: ${saves}` : undefined,
      b.file ? `At ${b.file}:${b.line ?? ''}` : undefined,
      `\n${b.suggestion}`,
    ]
      .filter((l) => l !== undefined)
      .join('\n'),
    icon: style.icon,
    color: style.color,
    contextValue: 'bottleneck',
    command: locationCommand(r, b.file, b.line),
    children: () => [{ id: `${nid}/suggestion`, label: b.suggestion, tooltip: b.suggestion, icon: 'lightbulb' }],
  };
}

function timingNodes(r: RunResult, id: string, max: number): TreeNode[] {
  const t = r.analysis.timing;
  return capped(
    id,
    t.byCategory.map((c): TreeNode => ({
      id: `${id}/${c.category}`,
      label: c.category,
      description: timingDescription(c),
      tooltip: timingTooltip(`Category ${c.category}`, c),
      icon: 'symbol-folder',
      children: () =>
        capped(
          `${id}/${c.category}`,
          t.byName
            .filter((n) => n.category === c.category)
            .map((n): TreeNode => ({
              id: `${id}/${c.category}/${n.name}`,
              label: n.name,
              description: timingDescription(n),
              tooltip: timingTooltip(n.name, n),
              icon: 'symbol-event',
              // Spans without a recorded call site (most OTLP traces) have nothing to expand to.
              children: !t.bySite.some((s) => s.names.includes(n.name))
                ? undefined
                : () =>
                  capped(
                    `${id}/${c.category}/${n.name}`,
                    t.bySite
                      .filter((s) => s.names.includes(n.name))
                      .map((s): TreeNode => ({
                        id: `${id}/${c.category}/${n.name}/${s.file}:${s.line}`,
                        label: `${s.file}:${s.line}`,
                        description: timingDescription(s) + (s.costUsd > 0 ? ` · ${formatUsd(s.costUsd)}` : ''),
                        tooltip: timingTooltip(`${s.file}:${s.line}\n${s.names.slice(0, 5).join(', ')}`, s),
                        icon: 'go-to-file',
                        contextValue: 'site',
                        command: locationCommand(r, s.file, s.line),
                      })),
                    max,
                  ),
            })),
          max,
        ),
    })),
    max,
  );
}

function tokenNodes(a: Analysis, id: string, max: number): TreeNode[] {
  const t = a.tokens;
  const desc = (s: { calls: number; input: number; output: number; costUsd: number; unpricedCalls: number }) =>
    `${plural(s.calls, 'call')} · ${formatCount(s.input + s.output)} tokens · ${s.unpricedCalls === s.calls && s.calls > 0 ? 'unpriced' : formatUsd(s.costUsd)}`;
  const tip = (title: string, s: { input: number; output: number; cacheRead: number; cacheWrite: number; reasoning: number; costUsd: number }) =>
    `${title}\ninput ${formatCount(s.input)} (cache read ${formatCount(s.cacheRead)}, cache write ${formatCount(s.cacheWrite)})\noutput ${formatCount(s.output)} (reasoning ${formatCount(s.reasoning)})\ncost ${formatUsd(s.costUsd)}`;
  return [
    {
      id: `${id}/models`,
      label: 'By model',
      icon: 'server-environment',
      expanded: true,
      children: () =>
        capped(
          `${id}/models`,
          t.byModel.map((m) => ({
            id: `${id}/models/${m.provider ?? ''}/${m.model}`,
            label: m.model,
            description: desc(m),
            tooltip: tip(`${m.model}${m.provider ? ` (${m.provider})` : ''}${m.priced ? '' : '\nnot in the price table: cost not counted'}`, m),
            icon: m.priced ? 'symbol-constant' : 'warning',
            color: m.priced ? undefined : 'problemsWarningIcon.foreground',
          })),
          max,
        ),
    },
    {
      id: `${id}/ops`,
      label: 'By operation',
      icon: 'symbol-method',
      children: () =>
        capped(
          `${id}/ops`,
          t.byOperation.map((o) => ({ id: `${id}/ops/${o.operation}`, label: o.operation, description: desc(o), tooltip: tip(o.operation, o), icon: 'symbol-event' })),
          max,
        ),
    },
  ];
}

function budgetNodes(r: RunResult, id: string): TreeNode[] {
  return r.analysis.budgets.map((b, i) => ({
    id: `${id}/${i}`,
    label: `${b.target} (${b.metric === 'ms' ? 'time' : b.metric})`,
    description: `${budgetValueText(b.metric, b.used)} of ${budgetValueText(b.metric, b.limit)}${b.breached ? ' — over' : ''}`,
    tooltip: `${b.target}: ${budgetValueText(b.metric, b.used)} used of ${budgetValueText(b.metric, b.limit)}; ${b.breached ? `over by ${budgetValueText(b.metric, -b.remaining)}` : `${budgetValueText(b.metric, b.remaining)} left`}\nfrom ${b.source}`,
    icon: b.breached ? 'warning' : 'pass',
    color: b.breached ? 'problemsWarningIcon.foreground' : 'testing.iconPassed',
    contextValue: b.breached ? 'budget.breached' : 'budget',
    command: locationCommand(r, b.file, b.line),
  }));
}

/** The sections of an analysed run. */
export function sectionNodes(r: RunResult, max: number): TreeNode[] {
  const a = r.analysis;
  const base = `${r.file}/s`;
  const nodes: TreeNode[] = [
    { id: `${base}/summary`, label: 'Summary', icon: 'dashboard', expanded: true, children: () => summaryNodes(r, `${base}/summary`) },
    ...traceSection(r, base),
    {
      id: `${base}/bottlenecks`,
      label: a.bottlenecks.length ? `Bottlenecks (${formatCount(a.bottlenecks.length)})` : 'Bottlenecks: none found',
      icon: 'flame',
      expanded: a.bottlenecks.length > 0,
      children: a.bottlenecks.length ? () => capped(`${base}/bottlenecks`, a.bottlenecks.map((b, i) => bottleneckNode(r, b, i, `${base}/bottlenecks`)), max) : undefined,
    },
    {
      id: `${base}/critical`,
      label: `Critical path (${formatCount(r.criticalPathTotal.segments)})`,
      description: criticalPathDescription(r),
      tooltip: 'The chain of spans that set the run\'s wall time, first to last.',
      icon: 'git-commit',
      children: a.criticalPath.length ? () => criticalPathNodes(r, `${base}/critical`, max) : undefined,
    },
    {
      id: `${base}/timing`,
      label: 'Timing by category',
      icon: 'watch',
      children: a.timing.byCategory.length ? () => timingNodes(r, `${base}/timing`, max) : undefined,
    },
    {
      id: `${base}/tokens`,
      label: 'Tokens & cost',
      description: `${formatCount(a.run.tokens)} tokens · ${formatUsd(a.run.costUsd)}`,
      icon: 'credit-card',
      children: a.tokens.calls ? () => tokenNodes(a, `${base}/tokens`, max) : undefined,
    },
  ];
  if (a.budgets.length) {
    const breached = a.budgets.filter((b) => b.breached).length;
    nodes.push({
      id: `${base}/budgets`,
      label: `Budgets (${formatCount(a.budgets.length)})`,
      description: breached ? `${formatCount(breached)} over` : 'all within',
      icon: breached ? 'warning' : 'pass',
      color: breached ? 'problemsWarningIcon.foreground' : 'testing.iconPassed',
      expanded: breached > 0,
      children: () => budgetNodes(r, `${base}/budgets`),
    });
  }
  return nodes;
}

/** The text with its first letter in upper case (a sentence of a tooltip). */
function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
