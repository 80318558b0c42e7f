/// <reference lib="dom" />
/**
 * The details pane and the hover tooltip. Every piece of span text (names, attributes, errors,
 * paths) comes from the profile and is untrusted: it is only ever set as `textContent` of elements
 * created here, never parsed as HTML.
 */
import { formatUsd } from '../core/format';
import type { SpanDetails } from '../core/span-details';
import { SPAN_FLAGS } from '../core/waterfall-columns';
import type { ViewModel } from './model';
import type { Theme } from './theme';
import { formatDuration } from './ticks';

/** Creates an element with optional class and text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** What the details pane's buttons do. */
export interface DetailActions {
  openSource(span: number): void;
  zoomTo(span: number): void;
  toggleCollapse(span: number): void;
  select(span: number): void;
}

function tokensText(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Label/value rows of the timing and usage facts of a span. */
function facts(model: ViewModel, span: number): Array<[string, string]> {
  const c = model.c;
  const rows: Array<[string, string]> = [
    ['Start', formatDuration(c.start[span])],
    ['Duration', formatDuration(c.end[span] - c.start[span])],
    ['Self time', formatDuration(c.selfMs[span])],
  ];
  const usage = model.usageOf(span);
  if (usage) {
    rows.push(['Tokens', tokensText(usage.tokens)]);
    rows.push(['Cost', formatUsd(usage.costUsd)]);
  }
  if (model.childCount[span] > 0) rows.push(['Children', tokensText(model.childCount[span])]);
  return rows;
}

/** Badges for the flags of a span. */
function badges(model: ViewModel, span: number): HTMLElement {
  const box = el('div', 'badges');
  const add = (text: string, cls: string) => box.append(el('span', `badge ${cls}`, text));
  if (model.has(span, SPAN_FLAGS.critical)) add('critical path', 'critical');
  if (model.has(span, SPAN_FLAGS.error)) add('failed', 'error');
  if (model.has(span, SPAN_FLAGS.open)) add('unfinished', 'open');
  if (model.has(span, SPAN_FLAGS.orphan)) add('parent missing', 'orphan');
  return box;
}

function grid(rows: Array<[string, string]>, className = 'facts'): HTMLElement {
  const dl = el('dl', className);
  for (const [k, v] of rows) dl.append(el('dt', undefined, k), el('dd', undefined, v));
  return dl;
}

/** Fills the details pane for `span` (−1: the hint shown when nothing is selected). */
export function renderDetails(box: HTMLElement, model: ViewModel | undefined, span: number, details: SpanDetails | undefined, theme: Theme, actions: DetailActions): void {
  box.replaceChildren();
  if (!model || span < 0 || span >= model.c.count) {
    box.append(el('p', 'hint', 'Select a span to see its details.'));
    const keys = grid(
      [
        ['Wheel, + / −', 'zoom around the pointer'],
        ['Drag, arrows', 'pan'],
        ['Home', 'fit the whole run'],
        ['Tab / Shift+Tab', 'next / previous span'],
        ['Enter', 'zoom to the selected span'],
        ['Space', 'collapse or expand its subtree'],
        ['/ , n / N', 'search, next / previous match'],
        ['Double-click', 'go to code'],
      ],
      'keys',
    );
    box.append(keys);
    return;
  }
  const head = el('div', 'd-head');
  const swatch = el('span', 'swatch');
  swatch.style.background = theme.kind[model.c.kind[span]];
  head.append(swatch, el('h2', 'd-name', model.name(span)));
  box.append(head);
  box.append(el('div', 'd-sub', `${model.kindName(span)} · ${model.category(span)}`));
  box.append(badges(model, span));
  box.append(grid(facts(model, span)));

  const buttons = el('div', 'd-actions');
  if (model.has(span, SPAN_FLAGS.site)) {
    const go = el('button', 'primary', 'Go to code');
    go.title = 'Open the call site that recorded this span (double-click)';
    go.addEventListener('click', () => actions.openSource(span));
    buttons.append(go);
  }
  const zoom = el('button', undefined, 'Zoom to span');
  zoom.addEventListener('click', () => actions.zoomTo(span));
  buttons.append(zoom);
  if (model.childCount[span] > 0) {
    const fold = el('button', undefined, model.collapsed[span] ? 'Expand' : 'Collapse');
    fold.addEventListener('click', () => actions.toggleCollapse(span));
    buttons.append(fold);
  }
  const parent = model.c.parent[span];
  if (parent >= 0) {
    const up = el('button', undefined, 'Parent');
    up.title = model.name(parent);
    up.addEventListener('click', () => actions.select(parent));
    buttons.append(up);
  }
  box.append(buttons);

  if (!details) {
    box.append(el('p', 'hint', 'Loading details…'));
    return;
  }
  if (details.error) box.append(el('div', 'd-error', details.error));
  const where: Array<[string, string]> = [['Id', details.id]];
  if (details.file) where.push(['Call site', details.line ? `${details.file}:${details.line}` : details.file]);
  if (details.thread) where.push(['Thread', details.thread]);
  if (details.task) where.push(['Task', details.task]);
  box.append(grid(where));
  if (details.calls.length) {
    box.append(el('h3', undefined, 'LLM calls'));
    box.append(
      grid(
        details.calls.map((c): [string, string] => [c.model, `${tokensText(c.input)} in · ${tokensText(c.output)} out · ${formatUsd(c.costUsd)}`]),
        'facts calls',
      ),
    );
    if (details.moreCalls) box.append(el('p', 'hint', `… ${details.moreCalls} more calls`));
  }
  if (details.attrs.length) {
    box.append(el('h3', undefined, 'Attributes'));
    box.append(grid(details.attrs, 'facts attrs'));
    if (details.moreAttrs) box.append(el('p', 'hint', `… ${details.moreAttrs} more attributes`));
  }
}

/** Fills the tooltip for `span`: the facts at once, a few attributes once the details arrived. */
export function renderTooltip(box: HTMLElement, model: ViewModel, span: number, details: SpanDetails | undefined): void {
  box.replaceChildren();
  box.append(el('div', 't-name', model.name(span)));
  box.append(el('div', 't-sub', `${model.kindName(span)} · ${model.category(span)}`));
  const rows = facts(model, span).filter(([k]) => k !== 'Start' && k !== 'Children');
  if (model.has(span, SPAN_FLAGS.error)) rows.push(['Status', details?.error ? `failed: ${details.error}` : 'failed']);
  if (model.has(span, SPAN_FLAGS.open)) rows.push(['Status', 'unfinished']);
  if (details) for (const [k, v] of details.attrs.slice(0, 6)) rows.push([k, v]);
  box.append(grid(rows, 'facts tip'));
}
