/// <reference lib="dom" />
/**
 * Colours and fonts of the waterfall, read from the `--vscode-*` CSS variables VS Code puts on the
 * page, so the canvas follows the light, dark and high-contrast themes like the DOM around it.
 * Read again when the theme changes (VS Code swaps the body's `vscode-*` class).
 */
import { KIND_CODES } from '../core/waterfall-columns';
import { css, luminance, mix, parseColor, Rgba, withAlpha } from './colors';

/** Ways a span is painted; `style = kind × VARIANTS + variant`. */
export const VARIANT = { normal: 0, critical: 1, dim: 2, merged: 3, mergedDim: 4, accent: 5, accentDim: 6 } as const;
export const VARIANTS = 7;

export interface Theme {
  contrast: 'light' | 'dark' | 'high-contrast';
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  band: string;
  focus: string;
  error: string;
  hover: string;
  /** Outline of every bar in high-contrast themes. */
  contrastBorder: string | undefined;
  /** Solid colour of each kind, by kind code (legend swatches, minimap). */
  kind: string[];
  /** Fill of each style (see {@link VARIANT}). */
  fill: string[];
  /** Label colour on each style's fill. */
  text: string[];
  font: string;
  fontSize: number;
}

/** Default colours of the charts palette (Dark Modern), used when a variable is missing. */
const DARK_FALLBACK: Record<string, string> = {
  'editor-background': '#1f1f1f',
  foreground: '#cccccc',
  descriptionForeground: '#9d9d9d',
  focusBorder: '#0078d4',
  errorForeground: '#f85149',
  'charts-blue': '#3794ff',
  'charts-purple': '#b180d7',
  'charts-yellow': '#cca700',
  'charts-green': '#89d185',
  'charts-orange': '#d18616',
  'charts-foreground': '#cccccc',
  'charts-lines': '#cccccc80',
};
const LIGHT_FALLBACK: Record<string, string> = {
  'editor-background': '#ffffff',
  foreground: '#3b3b3b',
  descriptionForeground: '#717171',
  focusBorder: '#005fb8',
  errorForeground: '#e51400',
  'charts-blue': '#1a85ff',
  'charts-purple': '#652d90',
  'charts-yellow': '#bf8803',
  'charts-green': '#388a34',
  'charts-orange': '#d18616',
  'charts-foreground': '#616161',
  'charts-lines': '#61616180',
};

/** Which chart colour each kind takes (by kind code, see KIND_CODES). */
const KIND_VARIABLE: Record<(typeof KIND_CODES)[number], string> = {
  llm: 'charts-purple',
  tool: 'charts-blue',
  memory: 'charts-yellow',
  retrieval: 'charts-green',
  agent: 'charts-orange',
  other: 'charts-foreground',
};

/** Normalises any CSS colour through a canvas, for the formats {@link parseColor} does not know. */
function viaCanvas(text: string): Rgba | undefined {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return undefined;
  ctx.fillStyle = '#010203';
  ctx.fillStyle = text;
  const normal = String(ctx.fillStyle);
  return normal === '#010203' ? undefined : parseColor(normal);
}

/** Reads the theme from the page's CSS variables. */
export function readTheme(): Theme {
  const body = document.body;
  const contrast = body.classList.contains('vscode-high-contrast') || body.classList.contains('vscode-high-contrast-light')
    ? 'high-contrast'
    : body.classList.contains('vscode-light')
      ? 'light'
      : 'dark';
  const fallback = contrast === 'light' || body.classList.contains('vscode-high-contrast-light') ? LIGHT_FALLBACK : DARK_FALLBACK;
  const style = getComputedStyle(document.documentElement);
  const color = (name: string): Rgba => {
    const raw = style.getPropertyValue(`--vscode-${name}`).trim();
    return (raw && (parseColor(raw) ?? viaCanvas(raw))) || (parseColor(fallback[name] ?? '#888888') as Rgba);
  };
  const background = color('editor-background');
  const opaqueBg: Rgba = [background[0], background[1], background[2], 1];
  const foreground = color('foreground');
  const muted = color('descriptionForeground');
  const borderRaw = style.getPropertyValue('--vscode-contrastBorder').trim();
  const contrastBorder = contrast === 'high-contrast' && borderRaw ? (parseColor(borderRaw) ?? viaCanvas(borderRaw)) : undefined;
  const dark = luminance(opaqueBg) < 0.4;
  const kinds = KIND_CODES.map((k) => color(KIND_VARIABLE[k]));
  const fill: string[] = [];
  const text: string[] = [];
  // How much of the kind colour goes into each fill: strong enough to tell kinds apart at a glance,
  // light enough for text on top; the critical path is the saturated one.
  const share = contrast === 'high-contrast' ? [0.35, 0.7, 0.12, 0.4, 0.15, 1, 0.4] : dark ? [0.42, 0.78, 0.14, 0.45, 0.2, 1, 0.35] : [0.3, 0.7, 0.1, 0.35, 0.15, 1, 0.3];
  kinds.forEach((k, code) => {
    // Grey ("other") spans are mostly containers: quieter than the coloured kinds.
    const weight = KIND_CODES[code] === 'other' ? 0.7 : 1;
    for (let v = 0; v < VARIANTS; v++) {
      const f = mix(k, opaqueBg, Math.min(1, share[v] * weight));
      fill.push(css(f));
      // Dark text on light fills, light text on dark ones (WCAG contrast against the fill).
      const onFill = luminance(f) > 0.32 ? mix([0, 0, 0, 1], f, 0.88) : mix([255, 255, 255, 1], f, 0.95);
      text.push(css(v === VARIANT.dim ? withAlpha(onFill, 0.6) : onFill));
    }
  });
  const fontSize = parseFloat(style.getPropertyValue('--vscode-font-size')) || 13;
  const family = style.getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif';
  return {
    contrast,
    background: css(opaqueBg),
    foreground: css(foreground),
    muted: css(muted),
    grid: css(withAlpha(foreground, dark ? 0.08 : 0.1)),
    band: css(withAlpha(foreground, dark ? 0.025 : 0.03)),
    focus: css(color('focusBorder')),
    error: css(color('errorForeground')),
    hover: css(withAlpha(foreground, 0.85)),
    contrastBorder: contrastBorder ? css(contrastBorder) : undefined,
    kind: kinds.map(css),
    fill,
    text,
    font: family,
    fontSize,
  };
}
