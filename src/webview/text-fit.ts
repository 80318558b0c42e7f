/// <reference lib="dom" />
/**
 * Labels cut to the width of their bar. Span names are drawn with `fillText`, so they are only
 * ever pixels, never markup. Widths are cached per string (names repeat across a run).
 */

const MAX_CACHED = 20_000;

export class TextFitter {
  /** Widths by font, then by text. */
  private readonly byFont = new Map<string, Map<string, number>>();
  private widths = new Map<string, number>();
  private ellipsis = 0;

  constructor(private readonly ctx: CanvasRenderingContext2D) {}

  /** Sets the font on the context and picks its width cache. */
  use(font: string): void {
    this.ctx.font = font;
    let widths = this.byFont.get(font);
    if (!widths) {
      if (this.byFont.size > 8) this.byFont.clear();
      this.byFont.set(font, (widths = new Map()));
    }
    this.widths = widths;
    this.ellipsis = this.width('…');
  }

  width(text: string): number {
    let w = this.widths.get(text);
    if (w === undefined) {
      if (this.widths.size >= MAX_CACHED) this.widths.clear();
      w = this.ctx.measureText(text).width;
      this.widths.set(text, w);
    }
    return w;
  }

  /** `text`, or its longest prefix plus `…` that fits in `max` px; '' when not even one letter does. */
  fit(text: string, max: number): string {
    const full = this.width(text);
    if (full <= max) return text;
    if (max < this.ellipsis + 4) return '';
    // Guess by the average letter width, then correct by measuring.
    let n = Math.max(1, Math.floor(((max - this.ellipsis) / full) * text.length));
    while (n > 1 && this.ctx.measureText(text.slice(0, n)).width + this.ellipsis > max) n--;
    while (n + 1 < text.length && this.ctx.measureText(text.slice(0, n + 1)).width + this.ellipsis <= max) n++;
    return `${text.slice(0, n)}…`;
  }
}
