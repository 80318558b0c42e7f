/// <reference lib="dom" />
/**
 * The minimap: the whole run in a strip above the timeline, with the visible part framed. The
 * run's picture is drawn once per layout, theme and size into an offscreen canvas (with the same
 * level of detail as the timeline); each frame only copies it and draws the frame around the view.
 */
import { StyleBuckets } from './buckets';
import { Blocks, rowBlocks } from './lod';
import type { ViewModel } from './model';
import type { Theme } from './theme';
import { fitView, type TimeView } from './viewport';

export class Minimap {
  private readonly base = document.createElement('canvas');
  private readonly blocks = new Blocks();
  private readonly buckets = new StyleBuckets(6);
  private key: unknown[] = [];

  constructor(private readonly ctx: CanvasRenderingContext2D) {}

  draw(model: ViewModel, theme: Theme, view: TimeView, width: number, height: number, dpr: number, visibleRows: [number, number]): void {
    const key = [model.layout, theme, width, height, dpr];
    if (key.some((k, i) => k !== this.key[i])) {
      this.key = key;
      this.paintBase(model, theme, width, height, dpr);
    }
    const ctx = this.ctx;
    ctx.drawImage(this.base, 0, 0, width, height);
    const fit = fitView(model.c.wallMs);
    const scale = width / (fit.t1 - fit.t0);
    const x0 = Math.max(0, (view.t0 - fit.t0) * scale);
    const x1 = Math.min(width, Math.max(x0 + 2, (view.t1 - fit.t0) * scale));
    // Shade what is off screen, frame what is on it.
    ctx.fillStyle = theme.background;
    ctx.globalAlpha = 0.55;
    ctx.fillRect(0, 0, x0, height);
    ctx.fillRect(x1, 0, width - x1, height);
    ctx.globalAlpha = 1;
    const rows = Math.max(1, model.layout.rowCount);
    const rowH = this.rowHeight(rows, height);
    const y0 = Math.min(height - 2, visibleRows[0] * rowH);
    const y1 = Math.min(height, Math.max(y0 + 2, (visibleRows[1] + 1) * rowH));
    ctx.strokeStyle = theme.focus;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x0 + 0.75, Math.max(0.75, y0 + 0.75), Math.max(1, x1 - x0 - 1.5), Math.max(1, Math.min(height, y1) - y0 - 1.5));
  }

  /** Height of one row in the minimap: rows share the strip, at most 6 px each. */
  private rowHeight(rows: number, height: number): number {
    return Math.min(6, height / rows);
  }

  private paintBase(model: ViewModel, theme: Theme, width: number, height: number, dpr: number): void {
    this.base.width = Math.max(1, Math.round(width * dpr));
    this.base.height = Math.max(1, Math.round(height * dpr));
    const ctx = this.base.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = theme.band;
    ctx.fillRect(0, 0, width, height);
    const layout = model.layout;
    const rows = layout.rowCount;
    if (rows === 0) return;
    const rowH = this.rowHeight(rows, height);
    const fit = fitView(model.c.wallMs);
    const scale = { t0: fit.t0, pxPerMs: width / (fit.t1 - fit.t0), width };
    // Many rows in few pixels: each row is drawn translucent, so dense stretches add up darker.
    ctx.globalAlpha = rowH >= 1 ? 0.85 : Math.max(0.15, rowH);
    for (let r = 0; r < rows; r++) {
      this.blocks.count = 0;
      rowBlocks(layout.rowStart, layout.rowEnd, layout.rowOffset[r], layout.rowOffset[r + 1], scale, this.blocks);
      const y = r * rowH;
      const h = Math.max(1, rowH - (rowH >= 3 ? 1 : 0));
      for (let k = 0; k < this.blocks.count; k++) {
        const kind = model.c.kind[layout.rowSpans[this.blocks.lead[k]]];
        this.buckets.add(kind, this.blocks.x0[k], y, Math.max(1, this.blocks.x1[k] - this.blocks.x0[k]), h);
      }
      // Rows sharing a pixel are painted one by one so that their alphas add up.
      if (rowH < 1) this.buckets.flush(ctx, theme.kind);
    }
    this.buckets.flush(ctx, theme.kind);
    ctx.globalAlpha = 1;
  }
}
