/**
 * The report of a run as Markdown (CommonMark + GitHub tables), for a pull request, an issue or
 * a CI summary. Same sections as the terminal report. Every string from the profile is escaped,
 * so a span name or an error message cannot turn into a link, an image, HTML or a table cell.
 */
import type { Analysis } from '../analysis-types';
import type { Profile } from '../model';
import { Block, buildReport, Inline, type ReportDoc } from './sections';

/** Longest string shown in one place (a hostile profile may hold megabyte names); the rest is cut. */
const MAX_CHARS = 1000;

/**
 * Escapes text so Markdown shows it literally, and the raw file stays readable: only the
 * characters that can start markup are backslash-escaped — emphasis and code (`* _ ~ \``), links
 * and images (`[ ]`), HTML and autolinks (`< >`), entities (`&`), table pipes, headings (`#`),
 * the backslash itself — plus a list, quote or setext marker at the start, and the `://` / `www.`
 * of GFM's bare autolinks. `8.66 s` and `17,941` stay as they are. Line breaks and control
 * characters become spaces, so nothing can start a new block.
 */
export function escapeMarkdownText(text: string, maxChars = MAX_CHARS, blockStart = true): string {
  // eslint-disable-next-line no-control-regex
  let s = String(text).replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  if (s.length > maxChars) s = s.slice(0, maxChars - 1) + '…';
  s = s.replace(/[\\`*_~[\]<>&|#]/g, '\\$&');
  // A table cell cannot start a block; elsewhere `- x`, `+ x`, `1. x` would start a list.
  if (blockStart) s = s.replace(/^(\s*)([-+=])/, '$1\\$2').replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2');
  return s
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.');
}

function inline(part: Inline, blockStart = true): string {
  if (typeof part === 'string') return escapeMarkdownText(part, MAX_CHARS, blockStart);
  const text = escapeMarkdownText(part.text, MAX_CHARS, blockStart);
  const marker = part.strong || part.tone === 'bad' ? '**' : part.tone === 'dim' ? '_' : '';
  // Emphasis markers must touch the text (`** x**` is not bold): keep outer spaces outside them.
  const m = /^(\s*)(.*?)(\s*)$/s.exec(text) as RegExpExecArray;
  return marker && m[2] ? `${m[1]}${marker}${m[2]}${marker}${m[3]}` : text;
}

const line = (parts: Inline[]) => parts.map((p, i) => inline(p, i === 0)).join('');

function block(b: Block): string[] {
  switch (b.kind) {
    case 'para':
      return [line(b.parts)];
    case 'list':
      return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${line(item)}`);
    case 'table': {
      const out = [
        `| ${b.columns.map((c) => escapeMarkdownText(c.title)).join(' | ')} |`,
        `|${b.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`,
        ...b.rows.map((row) => `| ${row.map((cell) => inline(cell, false) || ' ').join(' | ')} |`),
      ];
      if (b.more > 0) out.push('', `_… ${b.more} more rows_`);
      return out;
    }
    case 'bars': {
      const out = b.bars.map((bar) => `- ${escapeMarkdownText(bar.label)}: ${escapeMarkdownText(bar.text)}`);
      if (b.note) out.push('', `_${escapeMarkdownText(b.note)}_`);
      return out;
    }
  }
}

export interface MarkdownReportOptions {
  /** How the profile is named in the report (a path). */
  file?: string;
  /** Rows per table before "… N more" (default 25). */
  maxRows?: number;
}

/** The Markdown report of one run. */
export function renderMarkdownReport(profile: Profile, analysis: Analysis, options: MarkdownReportOptions = {}): string {
  return renderMarkdownDoc(buildReport(profile, analysis, options));
}

/** Any report document (a run's, a comparison's) as Markdown. */
export function renderMarkdownDoc(doc: ReportDoc): string {
  const out: string[] = [`# ${escapeMarkdownText(doc.title)}`, ''];
  for (const meta of doc.meta) out.push(`${line(meta)}  `);
  for (const section of doc.sections) {
    out.push('', `## ${escapeMarkdownText(section.title)}`);
    for (const b of section.blocks) out.push('', ...block(b));
  }
  return out.join('\n') + '\n';
}
