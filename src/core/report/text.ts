/**
 * The terminal report of `agentprof report`: summary, bottlenecks, timing table, call sites,
 * critical path, waterfall, tokens and cost, budgets, suggestions and diagnostics.
 * Bottlenecks come right after the summary: they are what a reader should act on first.
 */
import type { Analysis } from '../analysis-types';
import type { Comparison, ComparisonRow } from '../compare';
import { formatChangePct, formatCount, formatMs, formatShare, formatUsd } from '../format';
import type { Profile } from '../model';
import { renderWaterfallText, waterfallRows } from '../waterfall';
import { Column, renderTable, Style, styler } from './table';

export interface TextReportOptions {
  color?: boolean;
  /** Terminal width for the waterfall bars. */
  width?: number;
  /** Rows shown per table before "… N more". */
  maxRows?: number;
  file?: string;
}

/**
 * Profile strings (names, models, errors) can be any length in a hostile file; a terminal report
 * shows at most this much of one, so a 1 MB span name cannot flood the output.
 */
const MAX_TEXT = 120;

function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function renderTextReport(profile: Profile, a: Analysis, options: TextReportOptions = {}): string {
  const s = styler(options.color ?? false);
  const maxRows = options.maxRows ?? 15;
  const out: string[] = [];
  const heading = (title: string) => out.push('', s.bold(s.cyan(title)));

  // Summary
  const run = a.run;
  out.push(s.bold(`Agent Profiler — ${clip(run.name)}`) + s.dim(options.file ? `  (${options.file})` : ''));
  const facts = [
    `wall ${formatMs(run.wallMs)}`,
    plural(run.spans, 'span'),
    run.errors ? s.red(plural(run.errors, 'error')) : '0 errors',
    run.unfinished ? s.yellow(`${formatCount(run.unfinished)} unfinished`) : '',
    `${formatCount(run.tokens)} tokens`,
    `${formatUsd(run.costUsd)}`,
  ].filter(Boolean);
  out.push('  ' + facts.join(' · '));
  if (run.unpricedModels.length) {
    out.push('  ' + s.yellow(`unpriced (not in the price table, cost not counted): ${clip(run.unpricedModels.join(', '), 4 * MAX_TEXT)}`));
  }
  if (run.exitStatus === 'error') out.push('  ' + s.red(`run ended with an error: ${clip(run.exitError ?? 'unknown', 4 * MAX_TEXT)}`));
  else if (!run.ended && run.spans > 0) out.push('  ' + s.dim('no end record: the run is still going or was killed'));

  // Bottlenecks
  heading(a.bottlenecks.length ? 'Bottlenecks (fix the first one first)' : 'Bottlenecks: none found');
  a.bottlenecks.slice(0, maxRows).forEach((b, i) => {
    const impact = b.impact === 'high' ? s.red(b.impact) : b.impact === 'medium' ? s.yellow(b.impact) : b.impact;
    const saving = [b.savingsMs > 0 ? `~${formatMs(b.savingsMs)}` : '', b.savingsUsd > 0 ? `~${formatUsd(b.savingsUsd)}` : '']
      .filter(Boolean)
      .join(' + ');
    out.push(`  ${i + 1}. [${impact}] ${s.bold(clip(b.component))} — ${b.kind}${saving ? `, saves ${s.green(saving)}` : ''}`);
    if (b.file) out.push(`     ${s.dim(`${clip(b.file)}:${b.line ?? ''}`)}`);
    out.push(`     ${clip(b.suggestion, 4 * MAX_TEXT)}`);
  });
  if (a.bottlenecks.length > maxRows) out.push(s.dim(`  … ${a.bottlenecks.length - maxRows} more`));

  // Timing by category
  heading('Timing by category');
  const timingCols: Column[] = [
    { title: 'category' },
    { title: 'count', align: 'right' },
    { title: 'total', align: 'right' },
    { title: 'self', align: 'right' },
    { title: 'avg', align: 'right' },
    { title: 'p50', align: 'right' },
    { title: 'p95', align: 'right' },
    { title: 'p99', align: 'right' },
    { title: 'max', align: 'right' },
    { title: 'of run', align: 'right' },
    { title: 'errors', align: 'right' },
  ];
  out.push(
    ...renderTable(
      timingCols,
      a.timing.byCategory.map((t) => [
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
        t.errors ? s.red(String(t.errors)) : '0',
      ]),
      { indent: 2, maxRows, style: s },
    ),
  );

  // Call sites
  if (a.timing.bySite.length) {
    heading('Call sites');
    out.push(
      ...renderTable(
        [
          { title: 'site' },
          { title: 'name' },
          { title: 'count', align: 'right' },
          { title: 'total', align: 'right' },
          { title: 'p95', align: 'right' },
          { title: 'cost', align: 'right' },
        ],
        a.timing.bySite.map((t) => [
          `${t.file}:${t.line}`,
          t.names.length === 1 ? t.names[0] : `${t.names[0]} (+${t.names.length - 1})`,
          formatCount(t.count),
          formatMs(t.totalMs),
          formatMs(t.p95Ms),
          formatUsd(t.costUsd),
        ]),
        { indent: 2, maxRows, style: s },
      ),
    );
  }

  // Critical path
  heading('Critical path');
  // Slivers of a parent's own time between two children (µs of bookkeeping) are real but say
  // nothing to a reader: list the segments that take at least 0.5 % of the run, count the rest.
  const minMs = run.wallMs * 0.005;
  const significant = a.criticalPath.filter((seg) => seg.endMs - seg.startMs >= minMs);
  const shown = significant.slice(0, maxRows * 2);
  for (const seg of shown) {
    const share = run.wallMs > 0 ? (seg.endMs - seg.startMs) / run.wallMs : 0;
    out.push(
      `  ${s.dim(formatMs(seg.startMs).padStart(9))}  ${clip(seg.name, 60).padEnd(28)} ${s.bold(formatMs(seg.endMs - seg.startMs).padStart(8))}  ${s.dim(formatShare(share))}`,
    );
  }
  const hidden = a.criticalPath.length - shown.length;
  if (hidden > 0) {
    const hiddenMs = a.criticalPath.reduce((sum, seg) => sum + (seg.endMs - seg.startMs), 0) - shown.reduce((sum, seg) => sum + (seg.endMs - seg.startMs), 0);
    out.push(s.dim(`  … ${hidden} shorter segments (${formatMs(hiddenMs)} in all) not listed`));
  }

  // Waterfall
  heading('Waterfall');
  const rows = waterfallRows(profile, a.criticalPath);
  out.push(
    renderWaterfallText(profile, rows, { width: options.width ?? 50, maxRows: maxRows * 3, color: options.color ?? false })
      .split('\n')
      .map((l) => '  ' + l)
      .join('\n'),
  );

  // Tokens and cost
  heading('Tokens & cost by model');
  const tk = a.tokens;
  out.push(
    `  ${formatCount(tk.input)} in (${formatCount(tk.cacheRead)} cache read, ${formatCount(tk.cacheWrite)} cache write) · ` +
      `${formatCount(tk.output)} out (${formatCount(tk.reasoning)} reasoning) · ${s.bold(formatUsd(tk.costUsd))}` +
      (tk.reportedCostUsd !== undefined ? ` · provider reported ${formatUsd(tk.reportedCostUsd)}` : ''),
  );
  out.push(
    ...renderTable(
      [
        { title: 'model' },
        { title: 'calls', align: 'right' },
        { title: 'input', align: 'right' },
        { title: 'cache read', align: 'right' },
        { title: 'output', align: 'right' },
        { title: 'cost', align: 'right' },
      ],
      tk.byModel.map((m) => [
        m.model,
        formatCount(m.calls),
        formatCount(m.input),
        formatCount(m.cacheRead),
        formatCount(m.output),
        m.priced ? formatUsd(m.costUsd) : s.yellow('unpriced'),
      ]),
      { indent: 2, maxRows, style: s },
    ),
  );
  heading('Tokens & cost by operation');
  out.push(
    ...renderTable(
      [
        { title: 'operation' },
        { title: 'calls', align: 'right' },
        { title: 'input', align: 'right' },
        { title: 'output', align: 'right' },
        { title: 'cost', align: 'right' },
      ],
      tk.byOperation.map((o) => [o.operation, formatCount(o.calls), formatCount(o.input), formatCount(o.output), formatUsd(o.costUsd)]),
      { indent: 2, maxRows, style: s },
    ),
  );
  out.push(s.dim(`  prices: ${tk.priceSource}`));

  // Budgets
  if (a.budgets.length) {
    heading('Budgets');
    for (const b of a.budgets) {
      const fmt = (v: number) => (b.metric === 'cost' ? formatUsd(v) : b.metric === 'ms' ? formatMs(v) : formatCount(v));
      const state = b.breached ? s.red('BREACHED') : s.green('within');
      out.push(`  ${clip(b.target)} ${b.metric}: ${fmt(b.used)} of ${fmt(b.limit)} — ${state} (${fmt(b.remaining)} left)`);
    }
  }

  // Suggestions
  if (a.suggestions.length) {
    heading('Suggestions');
    for (const g of a.suggestions) out.push(`  • ${s.bold(clip(g.operation))}: ${clip(g.suggestion, 4 * MAX_TEXT)}`);
  }

  // Diagnostics
  if (a.diagnostics.length) {
    heading(`Problems reading the profile (${a.diagnostics.length})`);
    for (const d of a.diagnostics.slice(0, maxRows)) {
      const sev = d.severity === 'error' ? s.red(d.severity) : d.severity === 'warning' ? s.yellow(d.severity) : d.severity;
      out.push(`  ${options.file ?? 'profile'}:${d.line}: ${sev}: ${d.message}`);
    }
    if (a.diagnostics.length > maxRows) out.push(s.dim(`  … ${a.diagnostics.length - maxRows} more`));
  }
  return out.join('\n') + '\n';
}

/** The terminal rendering of `agentprof compare`. */
export function renderTextComparison(c: Comparison, options: { color?: boolean; maxRows?: number } = {}): string {
  const s: Style = styler(options.color ?? false);
  const maxRows = options.maxRows ?? 20;
  const out: string[] = [];
  out.push(s.bold(`Agent Profiler — compare ${c.base.name} → ${c.head.name}`));
  out.push(
    `  wall ${formatMs(c.base.wallMs)} → ${formatMs(c.head.wallMs)} (${formatChangePct(c.wallChangePct)}) · ` +
      `cost ${formatUsd(c.base.costUsd)} → ${formatUsd(c.head.costUsd)} (${formatChangePct(c.costChangePct)})`,
  );
  const table = (title: string, rows: ComparisonRow[]) => {
    out.push('', s.bold(s.cyan(title)));
    out.push(
      ...renderTable(
        [
          { title: 'what' },
          { title: 'count', align: 'right' },
          { title: 'p50', align: 'right' },
          { title: 'p95', align: 'right' },
          { title: 'p95 change', align: 'right' },
          { title: 'total', align: 'right' },
          { title: 'cost', align: 'right' },
        ],
        rows.map((r) => {
          const arrow = (b: number | undefined, h: number | undefined, f: (x: number) => string) =>
            `${b === undefined ? '–' : f(b)} → ${h === undefined ? '–' : f(h)}`;
          const change = formatChangePct(r.p95ChangePct);
          return [
            r.key,
            arrow(r.base?.count, r.head?.count, formatCount),
            arrow(r.base?.p50Ms, r.head?.p50Ms, formatMs),
            arrow(r.base?.p95Ms, r.head?.p95Ms, formatMs),
            r.regression ? s.red(change + ' ✗') : change,
            arrow(r.base?.totalMs, r.head?.totalMs, formatMs),
            arrow(r.base?.costUsd, r.head?.costUsd, formatUsd),
          ];
        }),
        { indent: 2, maxRows, style: s },
      ),
    );
  };
  table('By category', c.byCategory);
  table('By call site', c.bySite);
  out.push('');
  out.push(
    c.regressions.length
      ? s.red(`${plural(c.regressions.length, 'regression')}: ${c.regressions.map((r) => r.key).join(', ')}`)
      : s.green('No regressions.'),
  );
  return out.join('\n') + '\n';
}
