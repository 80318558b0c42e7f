/**
 * Repetition and statistics helpers of the benchmark cases: each case is timed as wall time and as
 * CPU time of the process (`process.cpuUsage`, user + system, all threads: GC helper threads
 * count, so CPU can exceed wall). CPU time is the steadier figure on a shared machine, where wall
 * time also counts the time other processes held the cores.
 */

/** Median, spread and count of a list of samples (ms). */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** First and third quartile (R-7 interpolation). */
  q1: number;
  q3: number;
  n: number;
}

function quantile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    n: sorted.length,
  };
}

/** One timed run: wall and CPU ms. */
export interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** Times a synchronous or asynchronous function: wall and CPU ms. */
export async function timed<T>(run: () => T | Promise<T>): Promise<Sample & { value: T }> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await run();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

/** Collects garbage when the process runs with `--expose-gc`, so a repetition does not pay for the last one's. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/** Peak resident set size of this process so far, MB (from `process.resourceUsage().maxRSS`, in KiB). */
export function peakRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / 1e6;
}

/** A figure with wall and CPU summaries. */
export interface Timing {
  wall: Summary;
  cpu: Summary;
}

export function timingOf(samples: Sample[]): Timing {
  return { wall: summarize(samples.map((s) => s.wallMs)), cpu: summarize(samples.map((s) => s.cpuMs)) };
}
