/// <reference lib="dom" />
/**
 * The details pane and the tooltip, with the details the host sent (call site, attributes, LLM
 * calls), asked for once per span and cached. Rendering itself is in details.ts.
 */
import type { SpanDetails } from '../core/span-details';
import { SPAN_FLAGS } from '../core/waterfall-columns';
import { type DetailActions, renderDetails, renderTooltip } from './details';
import type { ViewModel } from './model';
import type { FromWebview } from './protocol';
import type { Theme } from './theme';
import { formatDuration } from './ticks';

const MAX_CACHED = 300;

export class SpanInfo {
  private readonly cache = new Map<number, SpanDetails>();
  private readonly asked = new Set<number>();
  private tooltipSpan = -1;

  constructor(
    private readonly post: (msg: FromWebview) => void,
    private readonly pane: HTMLElement,
    private readonly tooltip: HTMLElement,
    private readonly live: HTMLElement,
    private readonly actions: DetailActions,
  ) {}

  /** New data: details already asked for are asked again; with `newRun`, the cache goes too. */
  reset(newRun: boolean): void {
    this.asked.clear();
    if (newRun) this.cache.clear();
  }

  request(span: number): void {
    if (span < 0 || this.cache.has(span) || this.asked.has(span)) return;
    this.asked.add(span);
    this.post({ type: 'details', span });
  }

  /** Details arrived: refresh the pane or the tooltip when they show that span. */
  received(d: SpanDetails, model: ViewModel | undefined, selected: number, theme: Theme): void {
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(d.span, d);
    this.asked.delete(d.span);
    if (d.span === selected) this.showDetails(model, selected, theme);
    if (model && d.span === this.tooltipSpan && !this.tooltip.hidden) renderTooltip(this.tooltip, model, d.span, d);
  }

  showDetails(model: ViewModel | undefined, span: number, theme: Theme): void {
    renderDetails(this.pane, model, span, this.cache.get(span), theme, this.actions);
  }

  /** Tells screen readers which span is selected now. */
  announce(model: ViewModel, span: number): void {
    if (span < 0) this.live.textContent = 'No span selected';
    else this.live.textContent = `${model.name(span)}, ${formatDuration(model.c.end[span] - model.c.start[span])}${model.has(span, SPAN_FLAGS.critical) ? ', on the critical path' : ''}${model.has(span, SPAN_FLAGS.error) ? ', failed' : ''}`;
  }

  /** Shows the tooltip of `span` near the pointer (client coordinates), inside `area`; −1 hides it. */
  showTooltip(model: ViewModel | undefined, span: number, clientX: number, clientY: number, area: DOMRect): void {
    this.tooltipSpan = span;
    if (!model || span < 0) {
      this.tooltip.hidden = true;
      return;
    }
    this.request(span);
    renderTooltip(this.tooltip, model, span, this.cache.get(span));
    this.tooltip.hidden = false;
    const w = this.tooltip.offsetWidth;
    const h = this.tooltip.offsetHeight;
    let x = clientX - area.left + 14;
    let y = clientY - area.top + 16;
    if (x + w > area.width - 4) x = Math.max(4, clientX - area.left - w - 14);
    if (y + h > area.height - 4) y = Math.max(4, clientY - area.top - h - 12);
    this.tooltip.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  }
}
