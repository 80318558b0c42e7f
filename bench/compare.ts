/**
 * Compares bench/results.json with the committed baseline bench/baseline.json and flags every
 * figure more than 10 % worse (all compared figures are lower-is-better: times, ratios, memory,
 * message sizes). Timings are noisy, so this is a tool for a person, not a test:
 *
 *   npx tsx bench/compare.ts [results.json] [baseline.json] [--threshold 10]
 *   npx tsx bench/compare.ts --update      make the current results the baseline
 *
 * Exits with 1 when something regressed, so a script can stop on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Leaves compared: medians of timings and the single-valued figures that are lower-is-better. */
const COMPARED = /\.(median|maxStallMs|p99StallMs|peakRssMb|ratioWall|ratioCpu|cpuUs|resultMb|deserializeMs|firstPaintMs|p95Ms)$/;
/** Not ours to regress: the floor is JSON.parse, machine facts are facts. */
const IGNORED = /^(machine|options|targets|durationS)\b|\.floor\.|\.firstLoad\./;

export interface Change {
  figure: string;
  baseline: number;
  current: number;
  /** Percent change, positive = worse. */
  pct: number;
}

/** Numeric leaves of a JSON value as `a.b.c` paths. */
export function leaves(value: unknown, prefix = '', out = new Map<string, number>()): Map<string, number> {
  if (typeof value === 'number' && Number.isFinite(value)) out.set(prefix, value);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, out);
  }
  return out;
}

/** Figures present in both, compared; those worse by more than `thresholdPct` percent are flagged. */
export function compareResults(current: unknown, baseline: unknown, thresholdPct: number): { changes: Change[]; regressions: Change[] } {
  const now = leaves(current);
  const before = leaves(baseline);
  const changes: Change[] = [];
  for (const [figure, value] of now) {
    if (!COMPARED.test(figure) || IGNORED.test(figure)) continue;
    const old = before.get(figure);
    if (old === undefined) continue;
    const pct = old === 0 ? (value === 0 ? 0 : Infinity) : ((value - old) / Math.abs(old)) * 100;
    changes.push({ figure, baseline: old, current: value, pct });
  }
  return { changes, regressions: changes.filter((c) => c.pct > thresholdPct) };
}

function main(): void {
  const args = process.argv.slice(2);
  const bench = __dirname;
  const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--threshold');
  const resultsPath = positional[0] ?? path.join(bench, 'results.json');
  const baselinePath = positional[1] ?? path.join(bench, 'baseline.json');
  if (args.includes('--update')) {
    fs.copyFileSync(resultsPath, baselinePath);
    console.log(`${path.relative(process.cwd(), baselinePath)} is now the results of ${JSON.parse(fs.readFileSync(resultsPath, 'utf8')).machine?.date}`);
    return;
  }
  const i = args.indexOf('--threshold');
  const threshold = i >= 0 ? Number(args[i + 1]) : 10;
  const { changes, regressions } = compareResults(
    JSON.parse(fs.readFileSync(resultsPath, 'utf8')),
    JSON.parse(fs.readFileSync(baselinePath, 'utf8')),
    threshold,
  );
  const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
  for (const c of changes.sort((a, b) => b.pct - a.pct)) {
    const flag = c.pct > threshold ? 'WORSE' : c.pct < -threshold ? 'better' : '';
    console.log(`${flag.padEnd(6)} ${c.pct >= 0 ? '+' : ''}${c.pct.toFixed(1).padStart(6)} %  ${c.figure}: ${fmt(c.baseline)} → ${fmt(c.current)}`);
  }
  console.log(`\n${changes.length} figures compared; ${regressions.length} more than ${threshold} % worse than the baseline.`);
  if (regressions.length > 0) process.exitCode = 1;
}

if (require.main === module) main();
