/// <reference lib="dom" />
/**
 * Draws the rows of the waterfall on a 2D canvas. Per frame it visits only the rows on screen and,
 * in each, only the blocks level-of-detail gives for the visible time range (lod.ts), so the cost
 * follows the pixels, not the spans. Bars are batched per fill style; labels, markers and outlines
 * come after. All span text is drawn with `fillText`.
 */
import { SPAN_FLAGS } from '../core/waterfall-columns';
import { drawAxis, drawGrid } from './axis';
import { StyleBuckets } from './buckets';
import { AXIS_H, BAR_H, BAR_TOP, LABEL_PAD, MIN_LABEL_PX, MIN_TOGGLE_PX, ROW_H, rowTop, TOGGLE_W } from './geometry';
import type { RowSubset } from './layout';
import { Blocks, MIN_BAR_PX, rowBlocks, type PixelScale } from './lod';
import type { ViewModel } from './model';
import { TextFitter } from './text-fit';
import { type Theme, VARIANT, VARIANTS } from './theme';
import { formatDuration } from './ticks';
import type { TimeView } from './viewport';

/** Everything one frame depends on. */
export interface Frame {
  model: ViewModel;
  theme: Theme;
  view: TimeView;
  scrollY: number;
  /** Canvas size in CSS pixels. */
  width: number;
  height: number;
  selected: number;
  hovered: number;
  /** Pointer x for the time cursor, or undefined. */
  cursorX: number | undefined;
}

/** Width of the mark of a span under a pixel wide, drawn alone (see `Renderer.thinMarks`). */
export const THIN_MARK_PX = 2;

/** A bar wide enough for a label, remembered during the bar pass. */
interface Label {
  span: number;
  x0: number;
  x1: number;
  y: number;
  style: number;
}

/** Reusable per-canvas buffers, so frames allocate (almost) nothing. */
export class Renderer {
  private readonly blocks = new Blocks();
  private readonly buckets = new StyleBuckets(6 * VARIANTS);
  private readonly marks = new StyleBuckets(1);
  /** Background slivers either side of a thin span's mark (see {@link THIN_MARK_PX}). */
  private readonly gaps = new StyleBuckets(1);
  private thins: Label[] = [];
  private readonly text: TextFitter;
  private labels: Label[] = [];
  private opens: Label[] = [];
  private failures: Label[] = [];

  constructor(private readonly ctx: CanvasRenderingContext2D) {
    this.text = new TextFitter(ctx);
  }

  draw(f: Frame): void {
    const { ctx } = this;
    const { model, theme, width, height } = f;
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, width, height);
    const scale: PixelScale = { t0: f.view.t0, pxPerMs: width / (f.view.t1 - f.view.t0), width };
    const layout = model.layout;
    const firstRow = Math.max(0, Math.floor(f.scrollY / ROW_H));
    const lastRow = Math.min(layout.rowCount - 1, Math.floor((f.scrollY + height - AXIS_H) / ROW_H));

    // Bands of odd depths and lines between depths, so lanes of one depth read as a group.
    for (let r = firstRow; r <= lastRow; r++) {
      const y = rowTop(r, f.scrollY);
      if (layout.rowDepth[r] % 2 === 1) {
        ctx.fillStyle = theme.band;
        ctx.fillRect(0, y, width, ROW_H);
      }
    }
    drawGrid(ctx, theme, f.view, width, height);

    const dimOthers = model.isMatch !== undefined || model.focused !== undefined;
    this.labels = [];
    this.opens = [];
    this.failures = [];
    this.thins = [];
    for (let r = firstRow; r <= lastRow; r++) {
      const y = rowTop(r, f.scrollY) + BAR_TOP;
      this.blocks.count = 0;
      rowBlocks(layout.rowStart, layout.rowEnd, layout.rowOffset[r], layout.rowOffset[r + 1], scale, this.blocks);
      this.barPass(model, y, width, dimOthers, scale.pxPerMs);
    }
    this.buckets.flush(ctx, theme.fill);
    this.thinMarks(ctx, theme);
    // Search matches inside merged blocks would be lost under the dimmed blocks: paint them again.
    if (model.matchRows) this.overlay(model, model.matchRows, scale, firstRow, lastRow, f.scrollY, false);
    this.buckets.flush(ctx, theme.fill);
    this.decorate(f);
    // Failures show at every zoom level as a red foot under the bar.
    this.overlay(model, model.errors, scale, firstRow, lastRow, f.scrollY, true);
    this.marks.flush(ctx, [theme.error]);
    this.outline(f, f.hovered, theme.hover, 1);
    this.outline(f, f.selected, theme.focus, 2);
    drawAxis(ctx, theme, f.view, width, height, f.cursorX);
    if (layout.rowCount === 0) {
      ctx.fillStyle = theme.muted;
      ctx.font = `${theme.fontSize}px ${theme.font}`;
      ctx.textAlign = 'center';
      ctx.fillText('No spans to show with these filters.', width / 2, AXIS_H + 40);
      ctx.textAlign = 'left';
    }
  }

  /** Turns the row's blocks into bucketed rectangles and remembers labels and markers. */
  private barPass(model: ViewModel, y: number, width: number, dimOthers: boolean, pxPerMs: number): void {
    const b = this.blocks;
    const { kind, flags, start, end } = model.c;
    const spans = model.layout.rowSpans;
    for (let k = 0; k < b.count; k++) {
      const span = spans[b.first[k]];
      const base = kind[spans[b.lead[k]]] * VARIANTS;
      const x0 = Math.max(b.x0[k], -4);
      const x1 = Math.min(b.x1[k], width + 4);
      const w = Math.max(x1 - x0, 1);
      if (b.spans[k] > 1) {
        this.buckets.add(base + (dimOthers ? VARIANT.mergedDim : VARIANT.merged), x0, y, w, BAR_H);
        continue;
      }
      const dim = dimOthers && !(model.isMatch ? model.isMatch[span] : model.focused?.[span]);
      const f = flags[span];
      const variant = dim ? VARIANT.dim : f & SPAN_FLAGS.critical ? VARIANT.critical : VARIANT.normal;
      if ((end[span] - start[span]) * pxPerMs < MIN_BAR_PX) {
        // Under a pixel: drawn after the bars as a mark of its own, or the bar it touches hides it.
        this.thins.push({ span, x0, x1, y, style: base + variant });
        continue;
      }
      this.buckets.add(base + variant, x0, y, w, BAR_H);
      if (w >= 5) this.buckets.add(base + (dim ? VARIANT.accentDim : VARIANT.accent), x0, y, 2, BAR_H);
      const item = { span, x0, x1, y, style: base + variant };
      if (w >= MIN_LABEL_PX) this.labels.push(item);
      if (f & SPAN_FLAGS.open && w >= 8) this.opens.push(item);
      if (f & SPAN_FLAGS.error && w >= 4) this.failures.push(item);
    }
  }

  /**
   * A span thinner than a pixel, drawn alone (not merged with other thin ones), becomes a
   * {@link THIN_MARK_PX}-wide mark between two background slivers: next to a longer span of the
   * same colour (a lens's 0.02 ms call between two 1.5 s ones) a 1 px bar would read as part of it,
   * and the editor's "3 spans" would show as 2.
   */
  private thinMarks(ctx: CanvasRenderingContext2D, theme: Theme): void {
    if (this.thins.length === 0) return;
    for (const t of this.thins) {
      this.gaps.add(0, t.x0 - 1, t.y, 1, BAR_H);
      this.gaps.add(0, t.x0 + THIN_MARK_PX, t.y, 1, BAR_H);
    }
    this.gaps.flush(ctx, [theme.background]);
    for (const t of this.thins) this.buckets.add(t.style, t.x0, t.y, THIN_MARK_PX, BAR_H);
  }

  /** Paints a subset of spans (matches or failures) over the bars, with level of detail. */
  private overlay(model: ViewModel, rows: RowSubset, scale: PixelScale, firstRow: number, lastRow: number, scrollY: number, asMarks: boolean): void {
    for (let r = firstRow; r <= lastRow; r++) {
      const from = rows.offset[r];
      const to = rows.offset[r + 1];
      if (from === to) continue;
      const y = rowTop(r, scrollY) + BAR_TOP;
      this.blocks.count = 0;
      rowBlocks(rows.start, rows.end, from, to, scale, this.blocks);
      const b = this.blocks;
      for (let k = 0; k < b.count; k++) {
        const x0 = Math.max(b.x0[k], -4);
        const w = Math.max(Math.min(b.x1[k], scale.width + 4) - x0, 2);
        if (asMarks) this.marks.add(0, x0, y + BAR_H - 3, w, 3);
        else if (b.spans[k] > 1 || w < 5) this.buckets.add(model.c.kind[rows.spans[b.lead[k]]] * VARIANTS + VARIANT.merged, x0, y, w, BAR_H);
      }
    }
  }

  /** Labels, collapse toggles, unfinished fades and failure outlines of the wide bars. */
  private decorate(f: Frame): void {
    const { ctx } = this;
    const { model, theme } = f;
    for (const o of this.opens) {
      // An unfinished span fades out to the right and ends in a dashed edge.
      const fade = Math.min(48, (o.x1 - o.x0) / 2);
      const gradient = ctx.createLinearGradient(o.x1 - fade, 0, o.x1, 0);
      gradient.addColorStop(0, 'rgba(0,0,0,0)');
      gradient.addColorStop(1, theme.background);
      ctx.fillStyle = gradient;
      ctx.fillRect(o.x1 - fade, o.y, fade, BAR_H);
      ctx.strokeStyle = theme.muted;
      ctx.setLineDash([3, 2]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(Math.round(o.x1) - 0.5, o.y);
      ctx.lineTo(Math.round(o.x1) - 0.5, o.y + BAR_H);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.strokeStyle = theme.error;
    ctx.lineWidth = 1.5;
    for (const e of this.failures) ctx.strokeRect(e.x0 + 0.75, e.y + 0.75, e.x1 - e.x0 - 1.5, BAR_H - 1.5);
    if (theme.contrastBorder) {
      ctx.strokeStyle = theme.contrastBorder;
      ctx.lineWidth = 1;
      for (const l of this.labels) ctx.strokeRect(l.x0 + 0.5, l.y + 0.5, l.x1 - l.x0 - 1, BAR_H - 1);
    }
    const size = Math.max(10, theme.fontSize - 1);
    ctx.textBaseline = 'middle';
    // Names first, in one font; then durations after the names that fit whole, in a smaller one.
    this.text.use(`${size}px ${theme.font}`);
    const durations: Array<{ span: number; x: number; right: number; y: number; style: number }> = [];
    for (const l of this.labels) {
      // Labels stick to the left edge of the screen while their bar runs off it.
      let x = Math.max(l.x0, 0) + LABEL_PAD;
      const right = Math.min(l.x1, f.width) - 4;
      const cy = l.y + BAR_H / 2 + 0.5;
      ctx.fillStyle = theme.text[l.style];
      if (model.childCount[l.span] > 0 && right - x >= MIN_TOGGLE_PX - LABEL_PAD) {
        ctx.fillText(model.collapsed[l.span] ? '▸' : '▾', x - 1, cy);
        x += TOGGLE_W - 4;
      }
      if (right - x < 12) continue;
      const full = model.name(l.span);
      const name = this.text.fit(full, right - x);
      if (!name) continue;
      ctx.fillText(name, x, cy);
      if (name === full) durations.push({ span: l.span, x: x + this.text.width(name) + 8, right, y: cy, style: l.style });
    }
    this.text.use(`${size - 1}px ${theme.font}`);
    ctx.globalAlpha = 0.72;
    for (const d of durations) {
      const text = formatDuration(model.c.end[d.span] - model.c.start[d.span]);
      if (d.x + this.text.width(text) + 2 > d.right) continue;
      ctx.fillStyle = theme.text[d.style];
      ctx.fillText(text, d.x, d.y);
    }
    ctx.globalAlpha = 1;
    ctx.textBaseline = 'alphabetic';
  }

  /** Outline around a span's bar (selection, hover), at least 3 px wide so a thin span shows. */
  private outline(f: Frame, span: number, color: string, lineWidth: number): void {
    if (span < 0 || span >= f.model.c.count) return;
    const row = f.model.layout.rowOf[span];
    if (row < 0) return;
    const y = rowTop(row, f.scrollY) + BAR_TOP;
    if (y + BAR_H < AXIS_H || y > f.height) return;
    const pxPerMs = f.width / (f.view.t1 - f.view.t0);
    let x0 = (f.model.c.start[span] - f.view.t0) * pxPerMs;
    let x1 = (f.model.c.end[span] - f.view.t0) * pxPerMs;
    if (x1 < -4 || x0 > f.width + 4) return;
    if (x1 - x0 < 3) {
      const mid = (x0 + x1) / 2;
      x0 = mid - 1.5;
      x1 = mid + 1.5;
    }
    x0 = Math.max(x0, -lineWidth);
    x1 = Math.min(x1, f.width + lineWidth);
    const ctx = this.ctx;
    ctx.strokeStyle = color;
    ctx.lineWidth = lineWidth;
    ctx.strokeRect(x0 - lineWidth / 2, y - lineWidth / 2, x1 - x0 + lineWidth, BAR_H + lineWidth);
  }
}
