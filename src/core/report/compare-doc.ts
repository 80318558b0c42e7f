/**
 * The comparison of two runs as a report document (sections.ts), built once and rendered by the
 * terminal (`agentprof compare`), Markdown (`agentprof compare --markdown`, the compare view's
 * export) and, with the same facts, JSON (json.ts). Order is the point: warnings come before any
 * number, then the summary, where the change comes from, and the tables with regressions first.
 */
import type { Comparison, ComparisonRow, ComparisonSide } from '../compare';
import { regressionsFirst } from '../compare-notes';
import { formatCount, formatMs, formatShare, formatUsd } from '../format';
import { renderMarkdownDoc } from './markdown';
import type { Inline, ReportDoc, Section } from './sections';

export interface ComparisonDocOptions {
  baseFile?: string;
  headFile?: string;
  /** Rows per table before "… N more" (default 25). */
  maxRows?: number;
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${Math.abs(n) === 1 ? '' : 's'}`;
}

/** `+1.20 s`, `−340 ms`: a signed duration. */
export function signedMs(ms: number): string {
  // Below what formatMs shows (0.00 ms) there is no sign to give.
  return ms >= 0.005 ? `+${formatMs(ms)}` : ms <= -0.005 ? `−${formatMs(-ms)}` : '±0 ms';
}

/** `+$0.0040`, `−$0.0100`. */
export function signedUsd(usd: number): string {
  return usd > 0 ? `+${formatUsd(usd)}` : usd < 0 ? `−${formatUsd(-usd)}` : '±$0';
}

/** `+12 %`, `−40 %`: a change in whole percent (one decimal under 1 %), with a real minus sign. */
export function changePctText(pct: number | undefined): string {
  if (pct === undefined || !Number.isFinite(pct)) return '–';
  const abs = Math.abs(pct);
  const shown = abs > 0 && abs < 1 ? abs.toFixed(1) : String(Math.round(abs));
  if (Number(shown) === 0) return '±0 %'; // a change that rounds to nothing has no sign
  return `${pct > 0 ? '+' : '−'}${shown} %`;
}

/** "+4.20 s, 80 % of it at agent.py:42 (tool:web_scrape)" — or undefined when nothing moved. */
export function attributionText(c: Comparison): string | undefined {
  const a = c.attribution;
  if (!a) return undefined;
  const where = a.file !== undefined ? `${a.file}:${a.line}` : a.key;
  const what = a.name ? ` (${a.name})` : '';
  return `${signedMs(a.wallDeltaMs)} wall, ${formatShare(a.share)} of it at ${where}${what}: ${signedMs(a.deltaMs)} of its own time`;
}

function arrow(b: number | undefined, h: number | undefined, f: (x: number) => string): string {
  return `${b === undefined ? '–' : f(b)} → ${h === undefined ? '–' : f(h)}`;
}

/** What a row is: its key, its names for a call site, and "new" / "gone" for rows of one run only. */
export function rowLabel(r: ComparisonRow): string {
  let out = r.key;
  if (r.name && r.file !== undefined) out += ` ${r.name}`;
  if (!r.base) out += ' (new)';
  else if (!r.head) out += ' (gone)';
  return out;
}

function rowCells(r: ComparisonRow): Inline[] {
  const sideOf = (s: ComparisonSide | undefined, k: keyof ComparisonSide) => (s ? s[k] : undefined);
  const p95: Inline = r.regression ? { text: `${changePctText(r.p95ChangePct)} ✗`, tone: 'bad', strong: true } : changePctText(r.p95ChangePct);
  const cost: Inline = r.costUp ? { text: `${changePctText(r.costChangePct)} ▲`, tone: 'warn' } : changePctText(r.costChangePct);
  return [
    rowLabel(r),
    arrow(sideOf(r.base, 'count'), sideOf(r.head, 'count'), formatCount),
    arrow(sideOf(r.base, 'p50Ms'), sideOf(r.head, 'p50Ms'), formatMs),
    arrow(sideOf(r.base, 'p95Ms'), sideOf(r.head, 'p95Ms'), formatMs),
    signedMs(r.delta.p95Ms),
    p95,
    arrow(sideOf(r.base, 'totalMs'), sideOf(r.head, 'totalMs'), formatMs),
    signedMs(r.delta.totalMs),
    arrow(sideOf(r.base, 'costUsd'), sideOf(r.head, 'costUsd'), formatUsd),
    cost,
  ];
}

const COLUMNS = [
  { title: 'what' },
  { title: 'count', align: 'right' as const },
  { title: 'p50', align: 'right' as const },
  { title: 'p95', align: 'right' as const },
  { title: 'Δ p95', align: 'right' as const },
  { title: 'Δ% p95', align: 'right' as const },
  { title: 'total', align: 'right' as const },
  { title: 'Δ total', align: 'right' as const },
  { title: 'cost', align: 'right' as const },
  { title: 'Δ% cost', align: 'right' as const },
];

function tableSection(id: string, title: string, rows: ComparisonRow[], maxRows: number): Section {
  const ordered = regressionsFirst(rows);
  const shown = ordered.slice(0, maxRows).map(rowCells);
  return { id, title, blocks: [{ kind: 'table', columns: COLUMNS, rows: shown, more: Math.max(0, ordered.length - maxRows) }] };
}

/** The comparison as a report document. */
export function buildComparisonDoc(c: Comparison, options: ComparisonDocOptions = {}): ReportDoc {
  const maxRows = options.maxRows ?? 25;
  const meta: Inline[][] = [];
  if (options.baseFile) meta.push([`Baseline: ${options.baseFile}`]);
  if (options.headFile) meta.push([`This run: ${options.headFile}`]);
  const sections: Section[] = [];
  if (c.warnings.length) {
    sections.push({
      id: 'warnings',
      title: 'Warnings',
      blocks: [{ kind: 'list', ordered: false, items: c.warnings.map((w) => [{ text: '⚠ ', tone: 'warn' }, { text: w.text, tone: 'warn', strong: true }]) }],
    });
  }
  const b = c.base;
  const h = c.head;
  const summaryRows: Inline[][] = [
    ['wall', formatMs(b.wallMs), formatMs(h.wallMs), signedMs(h.wallMs - b.wallMs), changePctText(b.wallMs > 0 ? c.wallChangePct : undefined)],
    ['cost', formatUsd(b.costUsd), formatUsd(h.costUsd), signedUsd(h.costUsd - b.costUsd), changePctText(c.costChangePct)],
    ['tokens', formatCount(b.tokens), formatCount(h.tokens), `${h.tokens - b.tokens >= 0 ? '+' : '−'}${formatCount(Math.abs(h.tokens - b.tokens))}`, changePctText(b.tokens > 0 ? ((h.tokens - b.tokens) / b.tokens) * 100 : undefined)],
    ['errors', formatCount(b.errors), formatCount(h.errors), `${h.errors - b.errors >= 0 ? '+' : '−'}${formatCount(Math.abs(h.errors - b.errors))}`, ''],
    ['spans', formatCount(b.spans), formatCount(h.spans), `${h.spans - b.spans >= 0 ? '+' : '−'}${formatCount(Math.abs(h.spans - b.spans))}`, ''],
  ];
  const summary: Section = {
    id: 'summary',
    title: 'Summary',
    blocks: [
      {
        kind: 'table',
        columns: [{ title: '' }, { title: `baseline (${b.name})`, align: 'right' }, { title: `this run (${h.name})`, align: 'right' }, { title: 'Δ', align: 'right' }, { title: 'Δ %', align: 'right' }],
        rows: summaryRows,
        more: 0,
      },
    ],
  };
  const where = attributionText(c);
  if (where) summary.blocks.push({ kind: 'para', parts: ['Where the change comes from: ', { text: where, strong: true }] });
  summary.blocks.push({
    kind: 'para',
    parts: c.regressions.length
      ? [{ text: `${plural(c.regressions.length, 'regression')} (p95 up more than ${c.regressionPct} %): ${c.regressions.map((r) => r.key).join(', ')}`, tone: 'bad', strong: true }]
      : [{ text: `No regressions (p95 up more than ${c.regressionPct} %).`, tone: 'good' }],
  });
  sections.push(summary);
  sections.push(tableSection('by-site', 'By call site', c.bySite, maxRows));
  sections.push(tableSection('by-name', 'By name', c.byName, maxRows));
  sections.push(tableSection('by-category', 'By category', c.byCategory, maxRows));
  return { title: `Agent Profiler — compare ${b.name} → ${h.name}`, meta, sections };
}

/** `agentprof compare --markdown`, and the compare view's Markdown export. */
export function renderMarkdownComparison(c: Comparison, options: ComparisonDocOptions = {}): string {
  return renderMarkdownDoc(buildComparisonDoc(c, options));
}
