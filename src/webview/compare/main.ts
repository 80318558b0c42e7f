/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Entry of the compare webview (bundled to dist/compare.js). Renders the host's view model with
 * DOM nodes and `textContent` only (nothing from a profile becomes markup): warnings first, the
 * two runs' summary, where the change comes from, the delta tables with regressions first (each
 * row with a call site is a button to its code), and both runs' waterfalls on one time axis.
 */
import { drawLanes } from './lanes';
import type { CompareCell, CompareTableView, CompareViewModel, FromCompare, ToCompare } from './protocol';

declare function acquireVsCodeApi(): { postMessage(msg: unknown): void; getState(): unknown; setState(state: unknown): void };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function cell(tag: 'td' | 'th', c: CompareCell, align: 'left' | 'right'): HTMLTableCellElement {
  const node = el(tag, `${align === 'right' ? 'num' : ''}${c.tone ? ` tone-${c.tone}` : ''}`.trim(), c.text);
  return node;
}

function renderTable(t: CompareTableView, post: (msg: FromCompare) => void): HTMLElement {
  const section = el('section', 'table-section');
  section.setAttribute('aria-labelledby', `h-${t.id}`);
  const h = el('h2', undefined, t.title);
  h.id = `h-${t.id}`;
  section.append(h);
  const table = el('table', 'deltas');
  table.dataset.table = t.id;
  const head = el('thead');
  const hr = el('tr');
  for (const c of t.columns) hr.append(cell('th', { text: c.title }, c.align));
  head.append(hr);
  const body = el('tbody');
  for (const r of t.rows) {
    const tr = el('tr');
    if (r.regression) tr.classList.add('regression');
    else if (r.costUp) tr.classList.add('cost-up');
    r.cells.forEach((c, i) => {
      const align = t.columns[i]?.align ?? 'left';
      if (i === 0 && r.openable) {
        const td = el('td');
        const button = el('button', 'row-link');
        button.type = 'button';
        button.dataset.row = String(r.id);
        if (r.regression) button.append(el('span', 'mark tone-bad', '✗ '));
        button.append(document.createTextNode(c.text));
        button.title = `Go to ${r.where ?? 'the code'}`;
        button.setAttribute('aria-label', `${r.regression ? 'Regression: ' : ''}${c.text}; go to ${r.where ?? 'the code'}`);
        button.addEventListener('click', () => post({ type: 'open', id: r.id }));
        td.append(button);
        tr.append(td);
      } else {
        const td = cell('td', c, align);
        if (i === 0 && r.regression) td.prepend(el('span', 'mark tone-bad', '✗ '));
        tr.append(td);
      }
    });
    if (r.openable) {
      tr.classList.add('openable');
      tr.addEventListener('click', (e) => {
        if (!(e.target instanceof HTMLButtonElement)) post({ type: 'open', id: r.id });
      });
    }
    body.append(tr);
  }
  table.append(head, body);
  // A narrow editor scrolls the table sideways instead of squeezing the names.
  const scroll = el('div', 'table-scroll');
  scroll.append(table);
  section.append(scroll);
  if (t.more > 0) section.append(el('p', 'more', `… ${t.more} more rows (in the exports)`));
  return section;
}

function render(model: CompareViewModel, post: (msg: FromCompare) => void): void {
  const title = document.getElementById('title');
  if (title) title.textContent = `Compare: ${model.title}`;
  const content = document.getElementById('content');
  if (!content) return;
  content.replaceChildren();
  const runs = el('p', 'runs');
  runs.append(el('span', 'tone-dim', 'Baseline: '), document.createTextNode(model.baseLabel), el('span', 'tone-dim', '   This run: '), document.createTextNode(model.headLabel));
  content.append(runs);
  if (model.warnings.length) {
    const box = el('section', 'warnings');
    box.setAttribute('role', 'alert');
    box.append(el('h2', undefined, 'Not a like-for-like comparison'));
    const list = el('ul');
    for (const w of model.warnings) list.append(el('li', undefined, `⚠ ${w}`));
    box.append(list);
    content.append(box);
  }
  content.append(renderTable(model.summary, post));
  if (model.attribution) {
    const p = el('p', 'attribution');
    p.append(el('span', 'tone-dim', 'Where the change comes from: '), el('strong', undefined, model.attribution));
    if (model.attributionRow !== undefined) {
      const go = el('button', 'secondary', 'Go to code');
      go.type = 'button';
      const id = model.attributionRow;
      go.addEventListener('click', () => post({ type: 'open', id }));
      p.append(' ', go);
    }
    content.append(p);
  }
  content.append(el('p', `verdict tone-${model.verdict.tone ?? 'dim'}`, model.verdict.text));
  const [site, ...rest] = model.tables;
  if (site) content.append(renderTable(site, post));
  const lanes = el('section', 'lanes-section');
  lanes.setAttribute('aria-label', 'Both runs on one time axis');
  lanes.append(el('h2', undefined, 'Waterfalls on one time axis'));
  drawLanes(lanes, model.lanes);
  content.append(lanes);
  for (const t of rest) content.append(renderTable(t, post));
}

function start(): void {
  const vscode = acquireVsCodeApi();
  const post = (msg: FromCompare) => vscode.postMessage(msg);
  document.getElementById('export-markdown')?.addEventListener('click', () => post({ type: 'export', format: 'markdown' }));
  document.getElementById('export-json')?.addEventListener('click', () => post({ type: 'export', format: 'json' }));
  window.addEventListener('message', (event: MessageEvent<ToCompare>) => {
    const msg = event.data;
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'model') render(msg.model, post);
    else if (msg.type === 'status') {
      const status = document.getElementById('status');
      if (status) status.textContent = msg.message;
    }
  });
  // Up and down arrows move between the rows' buttons of a table, as in a list.
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const active = document.activeElement;
    if (!(active instanceof HTMLButtonElement) || !active.classList.contains('row-link')) return;
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('button.row-link')];
    const at = buttons.indexOf(active);
    const next = buttons[at + (e.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      next.focus();
      e.preventDefault();
    }
  });
  post({ type: 'ready' });
}

start();
