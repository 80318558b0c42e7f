/**
 * The Markdown report of Export Report…: summary, bottlenecks, timing, call sites, critical path,
 * tokens and cost, budgets, suggestions and read problems. Pure; every profile string is escaped,
 * so a report can be pasted into a pull request without a span name turning into markup.
 */
import type { Analysis } from '../core/analysis-types';
import { formatCount, formatMs, formatShare, formatUsd } from '../core/format';
import { budgetValueText, savingsText } from './finding-text';
import { escapeMarkdown as esc } from './markdown';

export interface MarkdownReportOptions {
  /** How the profile is named in the title (a workspace-relative path). */
  file?: string;
  /** Rows per table before "… N more". */
  maxRows?: number;
  /** When the report was made, ISO text (a parameter so tests are stable). */
  generatedAt?: string;
}

function table(header: string[], align: Array<'l' | 'r'>, rows: string[][], maxRows: number): string[] {
  const out = [`| ${header.join(' | ')} |`, `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`];
  for (const r of rows.slice(0, maxRows)) out.push(`| ${r.join(' | ')} |`);
  if (rows.length > maxRows) out.push('', `… ${formatCount(rows.length - maxRows)} more rows`);
  return out;
}

export function renderMarkdownReport(a: Analysis, options: MarkdownReportOptions = {}): string {
  const max = options.maxRows ?? 25;
  const run = a.run;
  const out: string[] = [];
  out.push(`# Agent Profiler report: ${esc(run.name)}`, '');
  if (options.file) out.push(`Profile: ${esc(options.file)}  `);
  if (options.generatedAt) out.push(`Generated: ${esc(options.generatedAt)}  `);
  out.push(`Prices: ${esc(a.tokens.priceSource)}`, '');

  out.push('## Summary', '');
  out.push(
    ...table(
      ['', ''],
      ['l', 'r'],
      [
        ['Wall time', formatMs(run.wallMs)],
        ['Spans', formatCount(run.spans)],
        ['Errors', formatCount(run.errors)],
        ['Unfinished spans', formatCount(run.unfinished)],
        ['Tokens', formatCount(run.tokens)],
        ['Cost', formatUsd(run.costUsd)],
      ],
      max,
    ),
  );
  if (run.unpricedModels.length) out.push('', `Unpriced models (cost not counted): ${run.unpricedModels.map((m) => esc(m)).join(', ')}`);
  if (run.exitStatus === 'error') out.push('', `**The run ended with an error:** ${esc(run.exitError ?? 'unknown')}`);
  else if (!run.ended) out.push('', 'No end record: the run was still going or was killed.');

  out.push('', '## Bottlenecks', '');
  if (!a.bottlenecks.length) out.push('None found.');
  a.bottlenecks.slice(0, max).forEach((b, i) => {
    const saves = savingsText(b);
    const where = b.file ? ` at ${esc(`${b.file}:${b.line ?? ''}`)}` : '';
    out.push(`${i + 1}. **${b.impact}** ${esc(b.kind)}: ${esc(b.component)}${where}${saves ? ` — saves ${saves}` : ''}  `);
    out.push(`   ${esc(b.suggestion)}`);
  });

  out.push('', '## Timing by category', '');
  out.push(
    ...table(
      ['Category', 'Calls', 'Total', 'Avg', 'p50', 'p95', 'Share of run', 'Errors'],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      a.timing.byCategory.map((c) => [esc(c.category), formatCount(c.count), formatMs(c.totalMs), formatMs(c.avgMs), formatMs(c.p50Ms), formatMs(c.p95Ms), formatShare(c.shareOfRun), formatCount(c.errors)]),
      max,
    ),
  );

  out.push('', '## Call sites', '');
  out.push(
    ...table(
      ['Site', 'Names', 'Calls', 'Total', 'p95', 'Cost'],
      ['l', 'l', 'r', 'r', 'r', 'r'],
      [...a.timing.bySite]
        .sort((x, y) => y.totalMs - x.totalMs)
        .map((s) => [esc(`${s.file}:${s.line}`), esc(s.names.slice(0, 3).join(', ') + (s.names.length > 3 ? ', …' : '')), formatCount(s.count), formatMs(s.totalMs), formatMs(s.p95Ms), formatUsd(s.costUsd)]),
      max,
    ),
  );

  out.push('', '## Critical path', '');
  if (!a.criticalPath.length) out.push('Empty.');
  for (const seg of a.criticalPath.slice(0, max)) out.push(`- ${esc(seg.name)}: ${formatMs(seg.endMs - seg.startMs)} (at ${formatMs(seg.startMs)})`);
  if (a.criticalPath.length > max) out.push(`- … ${formatCount(a.criticalPath.length - max)} more`);

  out.push('', '## Tokens and cost by model', '');
  out.push(
    ...table(
      ['Model', 'Provider', 'Calls', 'Input', 'Output', 'Cache read', 'Cost'],
      ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
      a.tokens.byModel.map((m) => [esc(m.model), esc(m.provider ?? ''), formatCount(m.calls), formatCount(m.input), formatCount(m.output), formatCount(m.cacheRead), m.priced ? formatUsd(m.costUsd) : 'unpriced']),
      max,
    ),
  );
  out.push('', '## Tokens and cost by operation', '');
  out.push(
    ...table(
      ['Operation', 'Calls', 'Input', 'Output', 'Cost'],
      ['l', 'r', 'r', 'r', 'r'],
      a.tokens.byOperation.map((o) => [esc(o.operation), formatCount(o.calls), formatCount(o.input), formatCount(o.output), formatUsd(o.costUsd)]),
      max,
    ),
  );

  if (a.budgets.length) {
    out.push('', '## Budgets', '');
    out.push(
      ...table(
        ['Target', 'Limit on', 'Used', 'Limit', 'Status'],
        ['l', 'l', 'r', 'r', 'l'],
        a.budgets.map((b) => [esc(b.target), b.metric === 'ms' ? 'time' : b.metric, budgetValueText(b.metric, b.used), budgetValueText(b.metric, b.limit), b.breached ? '**over**' : 'within']),
        max,
      ),
    );
  }
  if (a.suggestions.length) {
    out.push('', '## Suggestions', '');
    for (const s of a.suggestions.slice(0, max)) out.push(`- **${esc(s.operation)}**: ${esc(s.suggestion)}`);
  }
  if (a.diagnostics.length) {
    out.push('', `## Problems reading the profile (${formatCount(a.diagnostics.length)})`, '');
    for (const d of a.diagnostics.slice(0, max)) out.push(`- line ${d.line}: ${d.severity}: ${esc(d.message)}`);
    if (a.diagnostics.length > max) out.push(`- … ${formatCount(a.diagnostics.length - max)} more`);
  }
  return out.join('\n') + '\n';
}
