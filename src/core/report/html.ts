/**
 * The report of a run as one self-contained HTML page: inline CSS only, no scripts, no external
 * resources, light and dark colours by `prefers-color-scheme`. Same sections as the terminal
 * report. Every string from the profile is HTML-escaped; nothing from it reaches an attribute
 * except through the same escaping, and the bars' geometry is computed numbers only.
 */
import type { Analysis } from '../analysis-types';
import type { Profile } from '../model';
import { Bar, Block, buildReport, Inline } from './sections';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  --bad: #cf222e; --warn: #9a6700; --good: #1a7f37; --bar: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --head: #151b23;
    --bad: #ff7b72; --warn: #d29922; --good: #3fb950; --bar: #4493f8; }
}
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.meta { color: var(--muted); margin: 0; }
table { border-collapse: collapse; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: .2rem .6rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--head); } .r { text-align: right; white-space: nowrap; }
.bad { color: var(--bad); } .warn { color: var(--warn); } .good { color: var(--good); } .dim { color: var(--muted); }
.bars { display: grid; grid-template-columns: minmax(8rem, 18rem) 1fr auto; gap: .2rem .75rem; align-items: center; margin: .5rem 0; }
.track { position: relative; height: 1.1rem; background: var(--head); border: 1px solid var(--line); }
.bar { position: absolute; top: 0; bottom: 0; background: var(--bar); min-width: 1px; }
.bar-text { font-size: .85rem; white-space: nowrap; color: var(--muted); font-variant-numeric: tabular-nums; }
.label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
`;

/** Longest string shown in one place (a hostile profile may hold megabyte names); the rest is cut. */
const MAX_CHARS = 1000;

/** Escaped, and cut to {@link MAX_CHARS}. */
function text(value: string): string {
  return escapeHtml(value.length > MAX_CHARS ? `${value.slice(0, MAX_CHARS - 1)}…` : value);
}

function inline(part: Inline): string {
  if (typeof part === 'string') return text(part);
  let html = text(part.text);
  if (part.strong) html = `<strong>${html}</strong>`;
  return part.tone ? `<span class="${part.tone}">${html}</span>` : html;
}

const parts = (list: Inline[]) => list.map(inline).join('');

/** A percentage for CSS, clamped to 0…100 and rounded; only numbers reach the style attribute. */
function pct(fraction: number): string {
  const value = Number.isFinite(fraction) ? Math.min(100, Math.max(0, fraction * 100)) : 0;
  return `${Math.round(value * 100) / 100}%`;
}

function bars(list: Bar[]): string {
  const rows = list.map((bar) => {
    const left = pct(bar.from);
    const width = pct(Math.min(bar.width, 1 - bar.from));
    return (
      `<div class="label" title="${text(bar.label)}">${text(bar.label)}</div>` +
      `<div class="track"><div class="bar" style="left:${left};width:${width}"></div></div><div class="bar-text">${text(bar.text)}</div>`
    );
  });
  return `<div class="bars">${rows.join('\n')}</div>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'para':
      return `<p>${parts(b.parts)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((item) => `<li>${parts(item)}</li>`).join('\n')}</${tag}>`;
    }
    case 'table': {
      const cls = (i: number) => (b.columns[i]?.align === 'right' ? ' class="r"' : '');
      const head = `<tr>${b.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c.title)}</th>`).join('')}</tr>`;
      const body = b.rows.map((row) => `<tr>${row.map((cell, i) => `<td${cls(i)}>${inline(cell)}</td>`).join('')}</tr>`);
      const more = b.more > 0 ? `\n<p class="dim">… ${b.more} more rows</p>` : '';
      return `<table>\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>${more}`;
    }
    case 'bars':
      return bars(b.bars) + (b.note ? `\n<p class="dim">${text(b.note)}</p>` : '');
  }
}

export interface HtmlReportOptions {
  /** How the profile is named in the report (a path). */
  file?: string;
  /** Rows per table before "… N more" (default 25). */
  maxRows?: number;
}

/** The HTML report of one run: a complete, self-contained page. */
export function renderHtmlReport(profile: Profile, analysis: Analysis, options: HtmlReportOptions = {}): string {
  const doc = buildReport(profile, analysis, options);
  const body: string[] = [`<h1>${text(doc.title)}</h1>`];
  for (const meta of doc.meta) body.push(`<p class="meta">${parts(meta)}</p>`);
  for (const section of doc.sections) {
    body.push(`<section id="${escapeHtml(section.id)}">`, `<h2>${text(section.title)}</h2>`);
    for (const b of section.blocks) body.push(block(b));
    body.push('</section>');
  }
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    // Defence in depth: even a string that escaped escaping could not run or load anything.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${text(doc.title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`
  );
}
