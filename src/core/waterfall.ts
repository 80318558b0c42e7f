/**
 * The waterfall: every span as a row in tree order with its place on the run's time axis, and its
 * plain-text rendering (the textbook's `get_waterfall()`, with nesting, the critical path, errors
 * and unfinished spans marked).
 */
import { printable } from './report/printable';
import type { CriticalSegment, WaterfallRow } from './analysis-types';
import { formatMs } from './format';
import { Profile, spanLabel, wallTime } from './model';
import { styler } from './report/table';
import { preorder, SPAN_FAILED, SPAN_OPEN, spanTable } from './tree-order';

/**
 * Rows in depth-first pre-order (each span followed by its subtree, siblings in start order), with
 * depth, start in ms since the run's first start (`profile.minTime`), duration in ms (open spans
 * last to the run's last time), and whether the span has a segment on `critical`.
 */
export function waterfallRows(profile: Profile, critical: CriticalSegment[]): WaterfallRow[] {
  const spans = profile.spans;
  const n = spans.length;
  const onPath = new Uint8Array(n);
  for (const segment of critical) if (segment.span >= 0 && segment.span < n) onPath[segment.span] = 1;
  const table = spanTable(profile);
  const { order, depth } = preorder(profile, table);
  const origin = n ? profile.minTime : 0;
  const rows: WaterfallRow[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const index = order[k];
    const start = table.start[index];
    const flags = table.flags[index];
    rows[k] = {
      span: index,
      depth: depth[k],
      startMs: (start - origin) / 1e6,
      durationMs: (table.end[index] - start) / 1e6,
      critical: onPath[index] === 1,
      open: (flags & SPAN_OPEN) !== 0,
      error: (flags & SPAN_FAILED) !== 0,
    };
  }
  return rows;
}

/** Options of {@link renderWaterfallText}. */
export interface WaterfallTextOptions {
  /** Columns of the time axis the bars are drawn on. Default 50, like the textbook. */
  width?: number;
  /** Rows shown before a "… N more rows" line. Default 200. */
  maxRows?: number;
  /** ANSI colours: critical path red, errors red, unfinished yellow. Default false. */
  color?: boolean;
}

/** Longest name column, indent included; longer names are cut with `…`. */
const MAX_NAME_WIDTH = 48;
/** Deeper rows stop moving right and show their depth instead, so deep trees stay readable. */
const MAX_INDENT_LEVELS = 12;

function labelOf(name: string, depth: number): string {
  const levels = Math.min(depth, MAX_INDENT_LEVELS);
  const deep = depth > MAX_INDENT_LEVELS ? `[${depth}] ` : '';
  const label = '  '.repeat(levels) + deep + printable(name.length > MAX_NAME_WIDTH ? name.slice(0, MAX_NAME_WIDTH + 1) : name);
  return label.length > MAX_NAME_WIDTH ? label.slice(0, MAX_NAME_WIDTH - 1) + '…' : label;
}

/**
 * One line per row: three marker columns (`*` on the critical path, `!` failed, `…` unfinished),
 * the name indented by depth, the duration, and a bar of `=` placed on a `width`-column axis that
 * spans the run's wall time. A scale line heads the bars; a legend follows when markers appear.
 */
export function renderWaterfallText(profile: Profile, rows: WaterfallRow[], options: WaterfallTextOptions = {}): string {
  if (rows.length === 0) return '(no spans)';
  const width = Math.max(1, Math.floor(options.width ?? 50));
  const maxRows = Math.max(0, Math.floor(options.maxRows ?? 200));
  const s = styler(options.color ?? false);
  const wallMs = wallTime(profile) / 1e6;
  const shown = rows.slice(0, maxRows);

  const labels = shown.map((r) => labelOf(r.span in profile.spans ? spanLabel(profile.spans[r.span]) : '?', r.depth));
  const durations = shown.map((r) => formatMs(r.durationMs));
  const labelWidth = Math.max(4, ...labels.map((l) => l.length));
  const durationWidth = Math.max(...durations.map((d) => d.length), 1);
  const lines: string[] = [];

  // Scale: 0 at the left edge of the axis, the wall time at the right edge.
  const left = ' '.repeat(4 + labelWidth + 1 + durationWidth + 1);
  const total = formatMs(wallMs);
  const gap = Math.max(1, width + 2 - 1 - total.length);
  lines.push(s.dim(`${left}0${' '.repeat(gap)}${total}`));

  let marked = false;
  shown.forEach((row, k) => {
    let offset = 0;
    let length = 1;
    if (wallMs > 0) {
      // Multiply before dividing: whole-ms times then land on exact columns.
      offset = Math.min(width - 1, Math.max(0, Math.floor((row.startMs * width) / wallMs)));
      length = Math.max(1, Math.round((row.durationMs * width) / wallMs));
      length = Math.min(length, width - offset);
    }
    const markers = (row.critical ? '*' : ' ') + (row.error ? '!' : ' ') + (row.open ? '…' : ' ');
    if (row.critical || row.error || row.open) marked = true;
    const bar = '='.repeat(length);
    const paintedBar = row.error ? s.red(bar) : row.critical ? s.bold(s.red(bar)) : row.open ? s.yellow(bar) : s.cyan(bar);
    const label = labels[k].padEnd(labelWidth);
    const paintedLabel = row.critical ? s.bold(label) : label;
    lines.push(
      `${markers} ${paintedLabel} ${durations[k].padStart(durationWidth)} ` +
        `|${' '.repeat(offset)}${paintedBar}${' '.repeat(width - offset - length)}|`,
    );
  });
  if (rows.length > shown.length) lines.push(s.dim(`… ${rows.length - shown.length} more rows`));
  if (marked) lines.push(s.dim('* critical path  ! error  … unfinished'));
  return lines.join('\n');
}
