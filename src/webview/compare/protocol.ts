/**
 * The messages between the compare panel (src/extension/compare-panel.ts) and its page
 * (src/webview/compare/main.ts). As with the waterfall: the page says `ready` first, data arrives
 * only as messages (never pasted into HTML) and is shown as `textContent`; what the page sends is
 * parsed by {@link parseFromCompare}, which accepts only known shapes and row ids the host gave.
 */

/** A cell of a table: its text, and how it is marked. */
export interface CompareCell {
  text: string;
  tone?: 'bad' | 'warn' | 'good' | 'dim';
}

/** One row of a delta table. `id` indexes the host's list of rows (for Go to code). */
export interface CompareRowView {
  id: number;
  cells: CompareCell[];
  regression: boolean;
  costUp: boolean;
  /** The row has a recorded call site the host can open. */
  openable: boolean;
  /** `file:line` said to a screen reader with the open action. */
  where: string | undefined;
}

export interface CompareTableView {
  id: string;
  title: string;
  columns: Array<{ title: string; align: 'left' | 'right' }>;
  rows: CompareRowView[];
  /** Rows not sent (the list is capped); said under the table. */
  more: number;
}

/** The spans of one run for the stacked waterfalls: parallel arrays, times in ms from its start. */
export interface LaneRun {
  label: string;
  wallMs: number;
  start: number[];
  end: number[];
  depth: number[];
  /** Index into `names`. */
  name: number[];
  /** 0 llm, 1 tool, 2 memory, 3 retrieval, 4 agent, 5 other (core/waterfall-columns KIND_CODES). */
  kind: number[];
  error: boolean[];
  names: string[];
  /** Spans of the run not drawn (only the longest are sent). */
  hidden: number;
}

export interface CompareViewModel {
  title: string;
  baseLabel: string;
  headLabel: string;
  /** Shown before any number. */
  warnings: string[];
  summary: CompareTableView;
  /** "+4.20 s wall, 80 % of it at agent.py:42 (tool:web_scrape)…", or undefined. */
  attribution: string | undefined;
  /** Row id of the attributed site, when it can be opened. */
  attributionRow: number | undefined;
  verdict: CompareCell;
  tables: CompareTableView[];
  lanes: LaneRun[];
}

export type ToCompare = { type: 'model'; model: CompareViewModel } | { type: 'status'; message: string };

export type FromCompare =
  | { type: 'ready' }
  /** Go to the code of row `id`. */
  | { type: 'open'; id: number }
  | { type: 'export'; format: 'markdown' | 'json' };

/** The page's message if it is one of the known shapes with a row id below `rowCount`, else undefined. */
export function parseFromCompare(raw: unknown, rowCount: number): FromCompare | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const msg = raw as { type?: unknown; id?: unknown; format?: unknown };
  switch (msg.type) {
    case 'ready':
      return { type: 'ready' };
    case 'open':
      return typeof msg.id === 'number' && Number.isInteger(msg.id) && msg.id >= 0 && msg.id < rowCount ? { type: 'open', id: msg.id } : undefined;
    case 'export':
      return msg.format === 'markdown' || msg.format === 'json' ? { type: 'export', format: msg.format } : undefined;
    default:
      return undefined;
  }
}
