/**
 * Human formatting of durations, money and counts, shared by the CLI, the tree, lenses and hovers
 * so the same number reads the same everywhere.
 */

/** `0.42 ms`, `812 ms`, `1.23 s`, `2 m 03 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs < 1) return `${ms.toFixed(2)} ms`;
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(abs < 10_000 ? 2 : 1)} s`;
  const sign = ms < 0 ? '-' : '';
  const totalSeconds = Math.round(abs / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${sign}${minutes} m ${String(seconds).padStart(2, '0')} s`;
  return `${sign}${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} m`;
}

/** `$0`, `<$0.0001`, `$0.0123`, `$1.23`, `$1,234`. Cents matter little; fractions of a cent add up. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return '–';
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  const sign = usd < 0 ? '-' : '';
  if (abs < 0.0001) return `${sign}<$0.0001`;
  if (abs < 1) return `${sign}$${abs.toFixed(4)}`;
  if (abs < 1000) return `${sign}$${abs.toFixed(2)}`;
  return `${sign}$${Math.round(abs).toLocaleString('en-US')}`;
}

/** `1 234 567` → `1,234,567`; large counts as `1.2 M`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 10_000_000) return `${(n / 1_000_000).toFixed(1)} M`;
  return Math.round(n).toLocaleString('en-US');
}

/**
 * `0.4123` → `41 %`, `0.07` → `7 %`; only a share under 1 % keeps a decimal (`0.4 %`), so that
 * shares side by side read alike ("7.0 %" beside "40 %" looked more precise than it is).
 */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '–';
  const pct = share * 100;
  return pct > 0 && pct < 1 ? `${pct.toFixed(1)} %` : `${Math.round(pct)} %`;
}

/** `1 error`, `2 errors`, `1,204 spans`: a count with its noun, singular for exactly one. */
export function formatCountOf(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** Signed percent change, `+12.5 %`. */
export function formatChangePct(pct: number | undefined): string {
  if (pct === undefined || !Number.isFinite(pct)) return '–';
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %`;
}
