/**
 * The time axis: tick steps of 1, 2 or 5 times a power of ten, and labels in the unit the step
 * calls for (µs, ms, s, or minutes), with just enough decimals to tell neighbouring ticks apart.
 */

/** The smallest step of the form {1, 2, 5} × 10^k that is at least `minStep` (ms). */
export function niceStep(minStep: number): number {
  if (!(minStep > 0) || !Number.isFinite(minStep)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(minStep)));
  for (const m of [1, 2, 5, 10]) {
    // A little tolerance: 0.1 + 0.2 style rounding must not skip a step.
    if (m * power >= minStep * (1 - 1e-9)) return m * power;
  }
  return 10 * power;
}

/** Ticks of a time range. */
export interface Ticks {
  step: number;
  /** Tick times (ms), multiples of `step`, inside the range. */
  values: number[];
}

/**
 * Ticks of `[t0, t1]` (ms) drawn over `widthPx` pixels, at least `minSpacingPx` apart. Tick values
 * are computed as `index × step` (not by repeated addition), so they carry no accumulated error.
 */
export function timeTicks(t0: number, t1: number, widthPx: number, minSpacingPx = 90): Ticks {
  if (!(t1 > t0) || !(widthPx > 0)) return { step: 1, values: [] };
  const step = niceStep(((t1 - t0) * minSpacingPx) / widthPx);
  const values: number[] = [];
  const first = Math.ceil(t0 / step - 1e-9);
  const last = Math.floor(t1 / step + 1e-9);
  // `+ 0` turns the -0 of ceil(-tiny) into 0.
  for (let k = first; k <= last && values.length < 1000; k++) values.push(k * step + 0);
  return { step, values };
}

/** Decimals needed to show multiples of `step` (in some unit) exactly: 0.5 → 1, 0.02 → 2, 5 → 0. */
function decimalsFor(step: number): number {
  if (step >= 1) return 0;
  return Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}

/** Label of tick `ms` on an axis with step `step` (ms): `0`, `40 ms`, `1.5 s`, `2 m 30 s`, `20 µs`. */
export function formatTick(ms: number, step: number): string {
  if (ms === 0) return '0';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (step >= 60_000) {
    const totalSeconds = Math.round(abs / 1000);
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return `${sign}${minutes} m${seconds ? ` ${seconds} s` : ''}`;
  }
  // From 100 ms steps on, seconds: `0.5 s, 1.0 s, 1.5 s` reads better than `1500 ms`.
  if (step >= 100) return `${sign}${(abs / 1000).toFixed(decimalsFor(step / 1000))} s`;
  if (step >= 0.01) return `${sign}${abs.toFixed(decimalsFor(step))} ms`;
  return `${sign}${(abs * 1000).toFixed(decimalsFor(step * 1000))} µs`;
}

/** The pointer's time on an axis with step `step`: the axis unit, two more decimals. */
export function formatCursor(ms: number, step: number): string {
  if (step >= 100) return `${(ms / 1000).toFixed(Math.min(6, decimalsFor(step / 1000) + 2))} s`;
  return formatTick(ms, step / 100) || '0';
}

/** A duration for tooltips and the details pane: `12 µs`, `0.42 ms`, `812 ms`, `1.23 s`, `2 m 03 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs < 0.01) return `${(ms * 1000).toFixed(abs < 0.001 ? 2 : 1)} µs`;
  if (abs < 1) return `${ms.toFixed(2)} ms`;
  if (abs < 100) return `${ms.toFixed(1)} ms`;
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(abs < 10_000 ? 2 : 1)} s`;
  const totalSeconds = Math.round(abs / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  const sign = ms < 0 ? '-' : '';
  if (minutes < 60) return `${sign}${minutes} m ${String(seconds).padStart(2, '0')} s`;
  return `${sign}${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} m`;
}

/**
 * Where a tick's label starts: right of its tick, or left of it when it would run past the
 * chart's right edge (the run's last tick: "0.5 s" was cut to "0"), never before 0.
 */
export function tickLabelLeft(tickX: number, labelWidth: number, width: number): number {
  const right = tickX + 4;
  return right + labelWidth <= width ? right : Math.max(0, tickX - 4 - labelWidth);
}
