/**
 * The terminal report of `agentprof report`, rendered from the shared report layout (sections.ts)
 * that the Markdown and HTML reports render too, so all three show the same sections, columns and
 * rows. The one terminal-only addition is the character waterfall after the critical path: a
 * picture of the span tree that the other formats leave to the extension's view.
 * Also the terminal rendering of `agentprof compare`.
 */
import type { Analysis } from '../analysis-types';
import type { Comparison } from '../compare';
import { formatCount } from '../format';
import { buildComparisonDoc } from './compare-doc';
import type { Profile } from '../model';
import { renderWaterfallText, waterfallRows } from '../waterfall';
import { printable } from './printable';
import { Bar, Block, buildReport, Inline } from './sections';
import { renderTable, Style, styler } from './table';

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
 * shows at most this much of a title and of a bar label, and four times this much of any other
 * piece of text, so a 1 MB span name cannot flood the output.
 */
const MAX_TEXT = 120;

/** Characters of the track each critical-path bar is drawn in. */
const BAR_TRACK = 24;

/** Profile text made printable (control characters shown escaped: printable.ts), then cut to `max`. */
function clip(text: string, max: number): string {
  // Only the start of a long text is shown, so only the start is escaped (a 1 MB name costs nothing).
  const safe = printable(text.length > max ? text.slice(0, max + 1) : text);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** One piece of text, clipped, in its tone and weight. */
function inline(part: Inline, s: Style): string {
  if (typeof part === 'string') return clip(part, 4 * MAX_TEXT);
  let text = clip(part.text, 4 * MAX_TEXT);
  if (part.tone === 'bad') text = s.red(text);
  else if (part.tone === 'warn') text = s.yellow(text);
  else if (part.tone === 'good') text = s.green(text);
  else if (part.tone === 'dim') text = s.dim(text);
  return part.strong ? s.bold(text) : text;
}

/** `label |   ====   | text`, labels padded to the longest; the track spans the whole run. */
function barLines(bars: Bar[], s: Style): string[] {
  const labels = bars.map((bar) => clip(bar.label, MAX_TEXT / 2));
  const labelWidth = Math.max(0, ...labels.map((l) => l.length));
  return bars.map((bar, i) => {
    const from = Number.isFinite(bar.from) ? Math.min(Math.max(bar.from, 0), 1) : 0;
    const first = Math.min(Math.floor(from * BAR_TRACK), BAR_TRACK - 1);
    // At least one character, so a segment of 0.5 % of the run is still seen.
    const last = Math.min(Math.max(first + 1, Math.round((from + Math.max(bar.width, 0)) * BAR_TRACK)), BAR_TRACK);
    const track = ' '.repeat(first) + '='.repeat(last - first) + ' '.repeat(BAR_TRACK - last);
    return `  ${labels[i].padEnd(labelWidth)} |${track}| ${s.dim(clip(bar.text, 4 * MAX_TEXT))}`;
  });
}

function blockLines(b: Block, s: Style): string[] {
  const line = (parts: Inline[]) => parts.map((p) => inline(p, s)).join('');
  switch (b.kind) {
    case 'para':
      return [`  ${line(b.parts)}`];
    case 'list':
      return b.items.map((item, i) => `  ${b.ordered ? `${i + 1}.` : '•'} ${line(item)}`);
    case 'table': {
      const rows = b.rows.map((row) => row.map((cell) => inline(cell, s)));
      // Column titles can carry profile text too (the compare summary names both runs).
      const columns = b.columns.map((c) => ({ ...c, title: clip(c.title, MAX_TEXT / 2) }));
      const out = renderTable(columns, rows, { indent: 2, style: s });
      if (b.more > 0) out.push(s.dim(`  … ${b.more} more rows`));
      return out;
    }
    case 'bars': {
      const out = barLines(b.bars, s);
      if (b.note) out.push(s.dim(`  ${clip(b.note, 4 * MAX_TEXT)}`));
      return out;
    }
  }
}

/** The terminal report of one run: the shared report layout, plus the waterfall. */
export function renderTextReport(profile: Profile, a: Analysis, options: TextReportOptions = {}): string {
  const s = styler(options.color ?? false);
  const maxRows = options.maxRows ?? 15;
  const doc = buildReport(profile, a, { file: options.file, maxRows });
  const out: string[] = [s.bold(clip(doc.title, MAX_TEXT))];
  for (const meta of doc.meta) out.push(s.dim(`  ${meta.map((p) => inline(p, s)).join('')}`));
  for (const section of doc.sections) {
    out.push('', s.bold(s.cyan(clip(section.title, MAX_TEXT))));
    section.blocks.forEach((b, i) => {
      if (i > 0) out.push('');
      out.push(...blockLines(b, s));
    });
    if (section.id === 'critical-path') {
      out.push('', s.bold(s.cyan('Waterfall')));
      const rows = waterfallRows(profile, a.criticalPath);
      const picture = renderWaterfallText(profile, rows, { width: options.width ?? 50, maxRows: maxRows * 3, color: options.color ?? false });
      out.push(...picture.split('\n').map((l) => '  ' + l));
    }
  }
  return out.join('\n') + '\n';
}

/** The terminal rendering of `agentprof compare`: the comparison document (compare-doc.ts). */
export function renderTextComparison(c: Comparison, options: { color?: boolean; maxRows?: number; baseFile?: string; headFile?: string } = {}): string {
  const s: Style = styler(options.color ?? false);
  const doc = buildComparisonDoc(c, { maxRows: options.maxRows ?? 20, baseFile: options.baseFile, headFile: options.headFile });
  const out: string[] = [s.bold(clip(doc.title, MAX_TEXT))];
  for (const meta of doc.meta) out.push(s.dim(`  ${meta.map((p) => inline(p, s)).join('')}`));
  for (const section of doc.sections) {
    out.push('', s.bold(s.cyan(clip(section.title, MAX_TEXT))));
    section.blocks.forEach((b, i) => {
      if (i > 0) out.push('');
      out.push(...blockLines(b, s));
    });
  }
  return out.join('\n') + '\n';
}
