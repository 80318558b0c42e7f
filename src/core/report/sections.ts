/**
 * The report of a run as a small document model — sections of paragraphs, lists, tables and bar
 * rows holding plain text — built once from an analysis and rendered by text.ts (the terminal),
 * markdown.ts and html.ts. This builder alone decides which sections, columns and rows a report
 * has, so the three formats show the same: summary, bottlenecks, timing, call sites, critical
 * path, tokens and cost, budgets, suggestions and problems. Every string here is plain text; the
 * renderers escape, clip and colour it.
 */
import { coverageComplete, coverageText } from '../llm-calls';
import type { Analysis, Bottleneck, BudgetStatus } from '../analysis-types';
import { formatCount, formatMs, formatShare, formatUsd } from '../format';
import type { Profile } from '../model';

/** How a piece of text is shown: red for errors and breaches, yellow for warnings, green for good news. */
export type Tone = 'bad' | 'warn' | 'good' | 'dim';

/** A piece of plain text with its emphasis. */
export type Inline = string | { text: string; strong?: boolean; tone?: Tone };

export interface TableColumn {
  title: string;
  align?: 'left' | 'right';
}

/** One bar of a time chart: fractions of the run's wall time. */
export interface Bar {
  label: string;
  /** Start and width as fractions (0…1) of the run. */
  from: number;
  width: number;
  text: string;
}

export type Block =
  | { kind: 'para'; parts: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'table'; columns: TableColumn[]; rows: Inline[][]; more: number }
  | { kind: 'bars'; bars: Bar[]; /** A line under the bars about those not drawn, or ''. */ note: string };

export interface Section {
  /** Stable anchor id. */
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportDoc {
  title: string;
  /** Lines under the title: profile file, price source. */
  meta: Inline[][];
  sections: Section[];
}

export interface ReportOptions {
  /** How the profile is named in the title (a path). */
  file?: string;
  /** Rows per table or list before "… N more" (default 25). */
  maxRows?: number;
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** `~2.00 s + ~$0.0100`, or '' when nothing is saved; `(not in addition to #1)` when it overlaps. */
export function savingsText(b: Pick<Bottleneck, 'savingsMs' | 'savingsUsd' | 'overlaps'>): string {
  const text = [b.savingsMs > 0 ? `~${formatMs(b.savingsMs)}` : '', b.savingsUsd > 0 ? `~${formatUsd(b.savingsUsd)}` : ''].filter(Boolean).join(' + ');
  return text && b.overlaps ? `${text} (same calls as #${b.overlaps.rank}: not in addition)` : text;
}

/** A budget quantity in its unit. */
export function budgetValueText(metric: BudgetStatus['metric'], value: number): string {
  return metric === 'cost' ? formatUsd(value) : metric === 'ms' ? formatMs(value) : `${formatCount(value)} tokens`;
}

function table(columns: TableColumn[], rows: Inline[][], maxRows: number): Block {
  return { kind: 'table', columns, rows: rows.slice(0, maxRows), more: Math.max(0, rows.length - maxRows) };
}

const r = (title: string): TableColumn => ({ title, align: 'right' });

function summary(a: Analysis): Section {
  const run = a.run;
  const blocks: Block[] = [];
  blocks.push(
    table(
      [{ title: 'Measure' }, r('Value')],
      [
        ['Wall time', formatMs(run.wallMs)],
        ['Spans', formatCount(run.spans)],
        ['Errors', run.errors ? { text: formatCount(run.errors), tone: 'bad' } : '0'],
        ['Unfinished spans', run.unfinished ? { text: formatCount(run.unfinished), tone: 'warn' } : '0'],
        ['Tokens', formatCount(run.tokens)],
        ['Cost', { text: formatUsd(run.costUsd), strong: true }],
      ],
      10,
    ),
  );
  const coverage = run.costCoverage;
  if (coverage && coverage.calls > 0) {
    blocks.push({ kind: 'para', parts: [coverageComplete(coverage) ? { text: coverageText(coverage), tone: 'dim' } : { text: coverageText(coverage), tone: 'warn' }] });
  }
  if (run.unpricedModels.length) {
    blocks.push({ kind: 'para', parts: [{ text: 'Unpriced models (not in the price table, cost not counted): ', tone: 'warn' }, run.unpricedModels.join(', ')] });
  }
  if (run.exitStatus === 'error') blocks.push({ kind: 'para', parts: [{ text: 'The run ended with an error: ', tone: 'bad', strong: true }, run.exitError ?? 'unknown'] });
  else if (!run.ended && run.spans > 0) blocks.push({ kind: 'para', parts: [{ text: 'No end record: the run is still going or was killed.', tone: 'dim' }] });
  return { id: 'summary', title: 'Summary', blocks };
}

function bottlenecks(a: Analysis, max: number): Section {
  if (!a.bottlenecks.length) return { id: 'bottlenecks', title: 'Bottlenecks', blocks: [{ kind: 'para', parts: ['None found.'] }] };
  const items = a.bottlenecks.slice(0, max).map((b): Inline[] => {
    const saves = savingsText(b);
    const parts: Inline[] = [{ text: b.impact, strong: true, tone: b.impact === 'high' ? 'bad' : b.impact === 'medium' ? 'warn' : undefined }, ' ', { text: b.component, strong: true }, ` — ${b.kind}`];
    if (b.file) parts.push(` at ${b.file}:${b.line ?? ''}`);
    if (saves) parts.push(', saves ', { text: saves, tone: 'good' });
    parts.push('. ', b.suggestion);
    return parts;
  });
  const blocks: Block[] = [{ kind: 'list', ordered: true, items }];
  if (a.bottlenecks.length > max) blocks.push({ kind: 'para', parts: [{ text: `… ${a.bottlenecks.length - max} more`, tone: 'dim' }] });
  return { id: 'bottlenecks', title: 'Bottlenecks (fix the first one first)', blocks };
}

function timing(a: Analysis, max: number): Section {
  const rows = a.timing.byCategory.map((t): Inline[] => [
    t.category,
    formatCount(t.count),
    formatMs(t.totalMs),
    formatMs(t.selfMs),
    formatMs(t.avgMs),
    formatMs(t.p50Ms),
    formatMs(t.p95Ms),
    formatMs(t.p99Ms),
    formatMs(t.maxMs),
    formatShare(t.shareOfRun),
    t.errors ? { text: formatCount(t.errors), tone: 'bad' } : '0',
  ]);
  const columns = [{ title: 'Category' }, ...['Calls', 'Total', 'Self', 'Avg', 'p50', 'p95', 'p99', 'Max', 'Of run', 'Errors'].map(r)];
  return { id: 'timing', title: 'Timing by category', blocks: [table(columns, rows, max)] };
}

function sites(a: Analysis, max: number): Section {
  const rows = a.timing.bySite.map((t): Inline[] => [
    `${t.file}:${t.line}`,
    t.names.length === 1 ? t.names[0] : `${t.names[0]} (+${t.names.length - 1})`,
    formatCount(t.count),
    formatMs(t.totalMs),
    formatMs(t.p95Ms),
    formatUsd(t.costUsd),
  ]);
  const columns = [{ title: 'Site' }, { title: 'Name' }, r('Calls'), r('Total'), r('p95'), r('Cost')];
  const blocks = rows.length ? [table(columns, rows, max)] : [{ kind: 'para' as const, parts: ['No call sites were recorded.'] }];
  return { id: 'sites', title: 'Call sites', blocks };
}

function criticalPath(a: Analysis, max: number): Section {
  const path = a.criticalPath;
  if (!path.length) return { id: 'critical-path', title: 'Critical path', blocks: [{ kind: 'para', parts: ['Empty.'] }] };
  const origin = path[0].startMs;
  const wall = Math.max(path[path.length - 1].endMs - origin, 1e-9);
  // Slivers of a parent's own time between two children (µs of bookkeeping) are real but say
  // nothing to a reader: draw the segments of at least 0.5 % of the run and count the rest.
  const shown = path.filter((seg) => seg.endMs - seg.startMs >= wall * 0.005).slice(0, max * 2);
  const bars: Bar[] = shown.map((seg) => ({
    label: seg.name,
    from: (seg.startMs - origin) / wall,
    width: (seg.endMs - seg.startMs) / wall,
    text: `${formatMs(seg.endMs - seg.startMs)} at ${formatMs(seg.startMs - origin)} (${formatShare((seg.endMs - seg.startMs) / wall)})`,
  }));
  const hidden = path.length - shown.length;
  const hiddenMs = wall - shown.reduce((sum, seg) => sum + (seg.endMs - seg.startMs), 0);
  const note = hidden > 0 ? `… ${hidden} shorter segment${hidden === 1 ? '' : 's'} (${formatMs(hiddenMs)} in all) not drawn` : '';
  return { id: 'critical-path', title: 'Critical path', blocks: [{ kind: 'bars', bars, note }] };
}

function tokens(a: Analysis, max: number): Section {
  const tk = a.tokens;
  const blocks: Block[] = [];
  blocks.push({
    kind: 'para',
    parts: [
      `${formatCount(tk.input)} in (${formatCount(tk.cacheRead)} cache read, ${formatCount(tk.cacheWrite)} cache write) · ` +
        `${formatCount(tk.output)} out (${formatCount(tk.reasoning)} reasoning) · `,
      { text: formatUsd(tk.costUsd), strong: true },
      tk.reportedCostUsd !== undefined ? ` · provider reported ${formatUsd(tk.reportedCostUsd)}` : '',
    ],
  });
  blocks.push(
    table(
      [{ title: 'Model' }, { title: 'Provider' }, r('Calls'), r('Input'), r('Cache read'), r('Output'), r('Cost')],
      tk.byModel.map((m): Inline[] => [
        m.model,
        m.provider ?? '',
        formatCount(m.calls),
        formatCount(m.input),
        formatCount(m.cacheRead),
        formatCount(m.output),
        m.priced ? formatUsd(m.costUsd) : { text: 'unpriced', tone: 'warn' },
      ]),
      max,
    ),
  );
  blocks.push(
    table(
      [{ title: 'Operation' }, r('Calls'), r('Input'), r('Output'), r('Cost')],
      tk.byOperation.map((o): Inline[] => [o.operation, formatCount(o.calls), formatCount(o.input), formatCount(o.output), formatUsd(o.costUsd)]),
      max,
    ),
  );
  blocks.push({ kind: 'para', parts: [{ text: `Prices: ${tk.priceSource}`, tone: 'dim' }] });
  return { id: 'tokens', title: 'Tokens & cost', blocks };
}

function budgets(a: Analysis, max: number): Section | undefined {
  if (!a.budgets.length) return undefined;
  const rows = a.budgets.map((b): Inline[] => [
    b.target,
    b.metric === 'ms' ? 'time' : b.metric,
    budgetValueText(b.metric, b.used),
    budgetValueText(b.metric, b.limit),
    budgetValueText(b.metric, b.remaining),
    b.breached ? { text: 'BREACHED', tone: 'bad', strong: true } : { text: 'within', tone: 'good' },
  ]);
  const columns = [{ title: 'Target' }, { title: 'Limit on' }, r('Used'), r('Limit'), r('Left'), { title: 'Status' }];
  return { id: 'budgets', title: 'Budgets', blocks: [table(columns, rows, max)] };
}

function suggestions(a: Analysis, max: number): Section | undefined {
  if (!a.suggestions.length) return undefined;
  const items = a.suggestions.slice(0, max).map((g): Inline[] => [{ text: g.operation, strong: true }, `: ${g.suggestion}`]);
  return { id: 'suggestions', title: 'Suggestions', blocks: [{ kind: 'list', ordered: false, items }] };
}

function problems(a: Analysis, max: number, file: string | undefined): Section | undefined {
  if (!a.diagnostics.length) return undefined;
  const items = a.diagnostics.slice(0, max).map((d): Inline[] => [
    `${file ?? 'profile'}:${d.line}: `,
    { text: d.severity, tone: d.severity === 'error' ? 'bad' : d.severity === 'warning' ? 'warn' : undefined },
    `: ${d.message}`,
  ]);
  const blocks: Block[] = [{ kind: 'list', ordered: false, items }];
  if (a.diagnostics.length > max) blocks.push({ kind: 'para', parts: [{ text: `… ${a.diagnostics.length - max} more`, tone: 'dim' }] });
  return { id: 'problems', title: `Problems reading the profile (${formatCount(a.diagnostics.length)})`, blocks };
}

/** The report of one run as a document, for the terminal, Markdown and HTML renderers. */
export function buildReport(profile: Profile, a: Analysis, options: ReportOptions = {}): ReportDoc {
  const max = Math.max(1, options.maxRows ?? 25);
  const meta: Inline[][] = [];
  if (options.file) meta.push(['Profile: ', options.file]);
  meta.push([`${plural(a.run.spans, 'span')} from ${profile.run.source}`, profile.run.recorder ? ` (${profile.run.recorder})` : '']);
  const sections = [
    summary(a),
    bottlenecks(a, max),
    timing(a, max),
    sites(a, max),
    criticalPath(a, max),
    tokens(a, max),
    budgets(a, max),
    suggestions(a, max),
    problems(a, max, options.file),
  ].filter((s): s is Section => s !== undefined);
  return { title: `Agent Profiler report: ${a.run.name}`, meta, sections };
}
