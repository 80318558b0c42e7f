/**
 * What the compare view shows, built on the host from a {@link Comparison}: the same facts, order
 * and wording as `agentprof compare` (the cells come from the comparison document's helpers in
 * core/report/compare-doc.ts), plus row ids for Go to code and the spans of both runs for the
 * stacked waterfalls. Pure (no `vscode`), so it is unit-tested with hand-built comparisons.
 */
import type { Comparison, ComparisonRow } from '../core/compare';
import { regressionsFirst } from '../core/compare-notes';
import { formatCount, formatMs, formatUsd } from '../core/format';
import { attributionText, changePctText, rowLabel, signedMs, signedUsd } from '../core/report/compare-doc';
import { SPAN_FLAGS, type WaterfallColumns } from '../core/waterfall-columns';
import { StringTableReader } from '../core/string-table';
import type { CompareCell, CompareRowView, CompareTableView, CompareViewModel, LaneRun } from '../webview/compare/protocol';

/** Rows per table sent to the page; the rest are counted ("… N more"), as in the exports. */
export const MAX_TABLE_ROWS = 200;
/** Spans per run drawn in the stacked waterfalls: the longest ones, so the shape stays visible. */
export const MAX_LANE_SPANS = 2000;

export interface CompareModelInput {
  comparison: Comparison;
  baseLabel: string;
  headLabel: string;
  baseColumns: WaterfallColumns | undefined;
  headColumns: WaterfallColumns | undefined;
}

/** The model, and the rows behind the row ids (the host opens their code, never the page's text). */
export interface CompareModel {
  model: CompareViewModel;
  rows: ComparisonRow[];
}

function arrow(b: number | undefined, h: number | undefined, f: (x: number) => string): string {
  return `${b === undefined ? '–' : f(b)} → ${h === undefined ? '–' : f(h)}`;
}

const ROW_COLUMNS: CompareTableView['columns'] = [
  { title: 'what', align: 'left' },
  { title: 'count', align: 'right' },
  { title: 'p50', align: 'right' },
  { title: 'p95', align: 'right' },
  { title: 'Δ p95', align: 'right' },
  { title: 'Δ% p95', align: 'right' },
  { title: 'total', align: 'right' },
  { title: 'Δ total', align: 'right' },
  { title: 'cost', align: 'right' },
  { title: 'Δ% cost', align: 'right' },
];

/**
 * The row's label with the file's base name only (`agent.py:118→120 tool:web_scrape`), so the
 * numbers fit beside it; the full path is the row's `where` (its tooltip and accessible name).
 */
export function shortRowLabel(r: ComparisonRow): string {
  const label = rowLabel(r);
  if (r.file === undefined || !label.startsWith(r.file)) return label;
  const slash = Math.max(r.file.lastIndexOf('/'), r.file.lastIndexOf('\\'));
  return slash < 0 ? label : label.slice(slash + 1);
}

function rowCells(r: ComparisonRow): CompareCell[] {
  return [
    { text: shortRowLabel(r) },
    { text: arrow(r.base?.count, r.head?.count, formatCount) },
    { text: arrow(r.base?.p50Ms, r.head?.p50Ms, formatMs) },
    { text: arrow(r.base?.p95Ms, r.head?.p95Ms, formatMs) },
    { text: signedMs(r.delta.p95Ms) },
    r.regression ? { text: `${changePctText(r.p95ChangePct)} ✗`, tone: 'bad' } : { text: changePctText(r.p95ChangePct) },
    { text: arrow(r.base?.totalMs, r.head?.totalMs, formatMs) },
    { text: signedMs(r.delta.totalMs) },
    { text: arrow(r.base?.costUsd, r.head?.costUsd, formatUsd) },
    r.costUp ? { text: `${changePctText(r.costChangePct)} ▲`, tone: 'warn' } : { text: changePctText(r.costChangePct) },
  ];
}

function summaryTable(c: Comparison): CompareTableView {
  const b = c.base;
  const h = c.head;
  const signedCount = (d: number) => `${d >= 0 ? '+' : '−'}${formatCount(Math.abs(d))}`;
  const pct = (x: number, y: number) => changePctText(x > 0 ? ((y - x) / x) * 100 : undefined);
  const line = (what: string, base: string, head: string, delta: string, change: string, tone?: CompareCell['tone']): CompareRowView => ({
    id: -1,
    cells: [{ text: what }, { text: base }, { text: head }, { text: delta, tone }, { text: change, tone }],
    regression: false,
    costUp: false,
    openable: false,
    where: undefined,
  });
  const worse = (d: number): CompareCell['tone'] => (d > 0 ? 'bad' : d < 0 ? 'good' : undefined);
  return {
    id: 'summary',
    title: 'Summary',
    columns: [
      { title: '', align: 'left' },
      { title: 'baseline', align: 'right' },
      { title: 'this run', align: 'right' },
      { title: 'Δ', align: 'right' },
      { title: 'Δ %', align: 'right' },
    ],
    rows: [
      line('wall', formatMs(b.wallMs), formatMs(h.wallMs), signedMs(h.wallMs - b.wallMs), pct(b.wallMs, h.wallMs), worse(h.wallMs - b.wallMs)),
      line('cost', formatUsd(b.costUsd), formatUsd(h.costUsd), signedUsd(h.costUsd - b.costUsd), pct(b.costUsd, h.costUsd), worse(h.costUsd - b.costUsd)),
      line('tokens', formatCount(b.tokens), formatCount(h.tokens), signedCount(h.tokens - b.tokens), pct(b.tokens, h.tokens)),
      line('errors', formatCount(b.errors), formatCount(h.errors), signedCount(h.errors - b.errors), '', worse(h.errors - b.errors)),
      line('spans', formatCount(b.spans), formatCount(h.spans), signedCount(h.spans - b.spans), ''),
    ],
    more: 0,
  };
}

/** The spans of a run for the stacked waterfalls: the longest {@link MAX_LANE_SPANS}, in start order. */
export function laneRun(label: string, columns: WaterfallColumns | undefined): LaneRun {
  const empty: LaneRun = { label, wallMs: 0, start: [], end: [], depth: [], name: [], kind: [], error: [], names: [], hidden: 0 };
  if (!columns) return empty;
  const n = columns.count;
  let picked: number[] = Array.from({ length: n }, (_, i) => i);
  if (n > MAX_LANE_SPANS) {
    picked.sort((a, b) => columns.end[b] - columns.start[b] - (columns.end[a] - columns.start[a]) || a - b);
    picked = picked.slice(0, MAX_LANE_SPANS);
  }
  picked.sort((a, b) => columns.start[a] - columns.start[b] || a - b);
  const strings = new StringTableReader(columns.strings);
  const nameIndex = new Map<number, number>();
  const out: LaneRun = { ...empty, wallMs: columns.wallMs, hidden: n - picked.length };
  for (const i of picked) {
    const k = columns.name[i];
    let at = nameIndex.get(k);
    if (at === undefined) {
      at = out.names.length;
      nameIndex.set(k, at);
      out.names.push(strings.get(k).slice(0, 200));
    }
    out.start.push(columns.start[i]);
    out.end.push(columns.end[i]);
    out.depth.push(columns.depth[i]);
    out.name.push(at);
    out.kind.push(columns.kind[i]);
    out.error.push((columns.flags[i] & SPAN_FLAGS.error) !== 0);
  }
  return out;
}

/** Builds the view model; row ids index `rows` across all tables. */
export function buildCompareModel(input: CompareModelInput): CompareModel {
  const c = input.comparison;
  const rows: ComparisonRow[] = [];
  const table = (id: string, title: string, list: ComparisonRow[]): CompareTableView => {
    const ordered = regressionsFirst(list);
    const shown = ordered.slice(0, MAX_TABLE_ROWS).map((r): CompareRowView => {
      const rowId = rows.length;
      rows.push(r);
      const openable = r.file !== undefined && r.line !== undefined;
      return { id: rowId, cells: rowCells(r), regression: r.regression, costUp: r.costUp, openable, where: openable ? `${r.file}:${r.line}` : undefined };
    });
    return { id, title, columns: ROW_COLUMNS, rows: shown, more: Math.max(0, ordered.length - MAX_TABLE_ROWS) };
  };
  const tables = [table('by-site', 'By call site', c.bySite), table('by-name', 'By name', c.byName), table('by-category', 'By category', c.byCategory)];
  const attributed = c.attribution ? rows.findIndex((r) => r.key === c.attribution!.key && r.file !== undefined) : -1;
  const verdict: CompareCell = c.regressions.length
    ? { text: `${formatCount(c.regressions.length)} regression${c.regressions.length === 1 ? '' : 's'} (p95 up more than ${c.regressionPct} %): ${c.regressions.map((r) => r.key).join(', ')}`, tone: 'bad' }
    : { text: `No regressions (p95 up more than ${c.regressionPct} %).`, tone: 'good' };
  return {
    rows,
    model: {
      title: `${c.base.name} → ${c.head.name}`,
      baseLabel: input.baseLabel,
      headLabel: input.headLabel,
      warnings: c.warnings.map((w) => w.text),
      summary: summaryTable(c),
      attribution: attributionText(c),
      attributionRow: attributed >= 0 ? attributed : undefined,
      verdict,
      tables,
      lanes: [laneRun(`Baseline: ${input.baseLabel}`, input.baseColumns), laneRun(`This run: ${input.headLabel}`, input.headColumns)],
    },
  };
}
