/// <reference lib="dom" />
/**
 * Rectangles collected per fill style and painted one style at a time: one `fillStyle` change
 * per style per frame instead of one per bar, which keeps a frame with tens of thousands of
 * blocks cheap on a 2D canvas.
 */

/** Rectangles at least this wide are drawn with rounded corners. */
const ROUND_MIN_PX = 24;

export class StyleBuckets {
  private rects: Float32Array[] = [];
  private counts: Int32Array;

  constructor(private readonly styles: number) {
    this.counts = new Int32Array(styles);
    for (let s = 0; s < styles; s++) this.rects.push(new Float32Array(256));
  }

  add(style: number, x: number, y: number, w: number, h: number): void {
    let r = this.rects[style];
    const at = this.counts[style] * 4;
    if (at + 4 > r.length) {
      const bigger = new Float32Array(r.length * 2);
      bigger.set(r);
      this.rects[style] = r = bigger;
    }
    r[at] = x;
    r[at + 1] = y;
    r[at + 2] = w;
    r[at + 3] = h;
    this.counts[style]++;
  }

  /** Paints and empties every bucket; `fills[style]` is the CSS colour of each style. */
  flush(ctx: CanvasRenderingContext2D, fills: readonly string[]): void {
    for (let s = 0; s < this.styles; s++) {
      const n = this.counts[s];
      if (n === 0) continue;
      const r = this.rects[s];
      ctx.fillStyle = fills[s];
      // Narrow rectangles as single pixel-aligned fills: the rasteriser blits those directly,
      // while one path of thousands of tiny shapes is scan-converted as a whole (slow in software).
      let rounded = false;
      for (let k = 0; k < n * 4; k += 4) {
        const w = r[k + 2];
        if (w >= ROUND_MIN_PX) {
          if (!rounded) ctx.beginPath();
          rounded = true;
          ctx.roundRect(r[k], r[k + 1], w, r[k + 3], 2);
        } else {
          const x0 = Math.round(r[k]);
          ctx.fillRect(x0, r[k + 1], Math.max(1, Math.round(r[k] + w) - x0), r[k + 3]);
        }
      }
      // Wide bars, few per frame, get softly rounded corners.
      if (rounded) ctx.fill();
      this.counts[s] = 0;
    }
  }
}
