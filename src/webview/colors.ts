/**
 * Colour arithmetic for the theme: VS Code hands colours to webviews as CSS variables (`#rrggbb`,
 * `#rrggbbaa`, `rgba(…)`), and the waterfall needs translucent fills and mixes of them. Pure.
 */

/** Red, green, blue 0–255 and alpha 0–1. */
export type Rgba = [number, number, number, number];

/** Parses `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)` and `rgba(…)`; undefined otherwise. */
export function parseColor(text: string): Rgba | undefined {
  const s = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,8})$/.exec(s);
  if (m) {
    const hex = m[1];
    if (hex.length === 3 || hex.length === 4) {
      const v = [...hex].map((h) => parseInt(h + h, 16));
      return [v[0], v[1], v[2], hex.length === 4 ? v[3] / 255 : 1];
    }
    if (hex.length === 6 || hex.length === 8) {
      const v = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return [v[0], v[1], v[2], hex.length === 8 ? v[3] / 255 : 1];
    }
    return undefined;
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(s);
  if (m) {
    let a = 1;
    if (m[4] !== undefined) a = m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
    const channel = (x: string) => Math.max(0, Math.min(255, parseFloat(x)));
    return [channel(m[1]), channel(m[2]), channel(m[3]), Math.max(0, Math.min(1, a))];
  }
  return undefined;
}

/** CSS text of a colour. */
export function css(c: Rgba): string {
  const [r, g, b, a] = c;
  return `rgba(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)}, ${+a.toFixed(3)})`;
}

/** `c` with alpha `alpha` (times its own alpha). */
export function withAlpha(c: Rgba, alpha: number): Rgba {
  return [c[0], c[1], c[2], c[3] * alpha];
}

/** `a` blended over `b` by `t` (0: b, 1: a), opaque. */
export function mix(a: Rgba, b: Rgba, t: number): Rgba {
  return [a[0] * t + b[0] * (1 - t), a[1] * t + b[1] * (1 - t), a[2] * t + b[2] * (1 - t), 1];
}

/** Relative luminance (WCAG), 0 black … 1 white. */
export function luminance(c: Rgba): number {
  const lin = (v: number) => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}
