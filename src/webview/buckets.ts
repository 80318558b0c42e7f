/// <reference lib="dom" />
/**
 * Rectangles collected per fill style and painted one style at a time: one `fillStyle` change and
 * one `fill()` per style per frame instead of one per bar, which is what keeps a frame with tens
 * of thousands of blocks cheap on a 2D canvas.
 */

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
      ctx.beginPath();
      for (let k = 0; k < n * 4; k += 4) ctx.rect(r[k], r[k + 1], r[k + 2], r[k + 3]);
      ctx.fill();
      this.counts[s] = 0;
    }
  }
}
