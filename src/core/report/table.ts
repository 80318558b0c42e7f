/** Plain-text tables and ANSI styling for terminal reports. */

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const identity = (s: string) => s;

/** ANSI styles when `color` is true, no-ops otherwise. */
export function styler(color: boolean): Style {
  if (!color) return { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

export interface Column {
  title: string;
  align?: 'left' | 'right';
  /** Cells longer than this are cut with `…`. */
  maxWidth?: number;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Printed width of a cell, ignoring ANSI escapes. */
export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

function fit(cell: string, max: number): string {
  if (visibleLength(cell) <= max) return cell;
  const plain = cell.replace(ANSI, '');
  return plain.slice(0, Math.max(1, max - 1)) + '…';
}

/** Renders rows under a header, columns padded to their widest cell. */
export function renderTable(
  columns: Column[],
  rows: string[][],
  options: { indent?: number; maxRows?: number; style?: Style } = {},
): string[] {
  const indent = ' '.repeat(options.indent ?? 0);
  const maxRows = options.maxRows ?? rows.length;
  const shown = rows.slice(0, maxRows).map((r) => r.map((c, i) => fit(c, columns[i]?.maxWidth ?? 48)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...shown.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i] - visibleLength(c)));
        return columns[i]?.align === 'right' ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  const dim = options.style?.dim ?? identity;
  const out = [dim(line(columns.map((c) => c.title)))];
  for (const r of shown) out.push(line(r));
  if (rows.length > shown.length) out.push(indent + dim(`… ${rows.length - shown.length} more`));
  if (rows.length === 0) out.push(indent + dim('(none)'));
  return out;
}
