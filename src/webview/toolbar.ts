/// <reference lib="dom" />
/**
 * The toolbar (search, category filter, focus chip, zoom buttons) and the status line with the
 * legend. Category names are untrusted text: labels are built with `textContent`.
 */
import { KIND_CODES } from '../core/waterfall-columns';
import { el } from './details';
import type { CategoryInfo } from './model';
import type { RunLabel } from './protocol';
import type { Theme } from './theme';
import { formatDuration } from './ticks';

/** Categories shown as chips in the toolbar; more go in a drop-down. */
const MAX_CHIPS = 8;

export interface ToolbarActions {
  search(query: string): void;
  stepMatch(step: 1 | -1): void;
  setCategoryHidden(name: string, hidden: boolean): void;
  clearFocus(): void;
  zoom(factor: number): void;
  fit(): void;
}

/** Looks up an element of the page skeleton (waterfall-html.ts) by id. */
export function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as T;
}

export class Toolbar {
  readonly searchBox = byId<HTMLInputElement>('search');
  private readonly matchCount = byId('match-count');
  private readonly categories = byId('categories');
  private readonly focusChip = byId('focus-chip');
  private readonly focusText = byId('focus-text');
  private readonly runInfo = byId('run-info');
  private readonly legend = byId('legend');

  constructor(private readonly actions: ToolbarActions) {
    this.searchBox.addEventListener('input', () => actions.search(this.searchBox.value));
    this.searchBox.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        actions.stepMatch(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        this.searchBox.value = '';
        actions.search('');
      }
    });
    byId('prev-match').addEventListener('click', () => actions.stepMatch(-1));
    byId('next-match').addEventListener('click', () => actions.stepMatch(1));
    byId('clear-focus').addEventListener('click', () => actions.clearFocus());
    byId('zoom-in').addEventListener('click', () => actions.zoom(0.5));
    byId('zoom-out').addEventListener('click', () => actions.zoom(2));
    byId('fit').addEventListener('click', () => actions.fit());
  }

  /** Category chips (checkboxes), the most used first; the rest in a drop-down. */
  setCategories(list: CategoryInfo[], hidden: ReadonlySet<string>, theme: Theme): void {
    this.categories.replaceChildren();
    const chip = (cat: CategoryInfo): HTMLElement => {
      const label = el('label', 'chip');
      const box = el('input');
      box.type = 'checkbox';
      box.checked = !hidden.has(cat.name);
      box.addEventListener('change', () => this.actions.setCategoryHidden(cat.name, !box.checked));
      const swatch = el('span', 'swatch');
      swatch.style.background = theme.kind[cat.kind];
      label.title = `${cat.name}: ${cat.count.toLocaleString('en-US')} spans`;
      label.append(box, swatch, el('span', 'chip-name', cat.name || '(none)'), el('span', 'chip-count', cat.count.toLocaleString('en-US')));
      return label;
    };
    for (const cat of list.slice(0, MAX_CHIPS)) this.categories.append(chip(cat));
    if (list.length > MAX_CHIPS) {
      const more = el('details', 'more-categories');
      more.append(el('summary', undefined, `+${list.length - MAX_CHIPS} more`));
      const panel = el('div', 'more-panel');
      for (const cat of list.slice(MAX_CHIPS)) panel.append(chip(cat));
      more.append(panel);
      this.categories.append(more);
    }
  }

  setMatches(current: number, total: number, query: string): void {
    this.matchCount.textContent = query.trim() ? (total ? `${current > 0 ? current : '–'} of ${total.toLocaleString('en-US')}` : 'no match') : '';
    this.matchCount.classList.toggle('none', query.trim() !== '' && total === 0);
  }

  /** Shows the focus chip while a code lens filter is on. */
  setFocus(count: number | undefined): void {
    this.focusChip.hidden = count === undefined;
    if (count !== undefined) this.focusText.textContent = `${count.toLocaleString('en-US')} span${count === 1 ? '' : 's'} from the editor`;
  }

  setRun(run: RunLabel | undefined, spans: number, shown: number, wallMs: number): void {
    if (!run) {
      this.runInfo.textContent = '';
      return;
    }
    const parts = [run.name, run.fileName, `${spans.toLocaleString('en-US')} spans`];
    if (shown !== spans) parts.push(`${shown.toLocaleString('en-US')} shown`);
    parts.push(formatDuration(wallMs));
    this.runInfo.textContent = parts.join(' · ');
    this.runInfo.classList.toggle('live', run.live);
    this.runInfo.title = run.live ? 'Recording: new spans appear as they are written' : '';
  }

  setLegend(theme: Theme): void {
    this.legend.replaceChildren();
    KIND_CODES.forEach((kind, code) => {
      const item = el('span', 'legend-item');
      const swatch = el('span', 'swatch');
      swatch.style.background = theme.kind[code];
      item.append(swatch, document.createTextNode(kind));
      this.legend.append(item);
    });
    const marker = (classes: string[], text: string) => {
      const item = el('span', 'legend-item');
      item.append(...classes.map((cls) => el('span', `marker ${cls}`)), document.createTextNode(text));
      this.legend.append(item);
    };
    // Spans on the critical path are painted solid, the others light.
    marker(['normal', 'critical'], 'critical path');
    marker(['error'], 'failed');
    marker(['open'], 'unfinished');
  }
}
