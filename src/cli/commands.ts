/** `agentprof report` and `agentprof compare`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../core/analyze';
import type { Analysis } from '../core/analysis-types';
import { parseBudgetsFile } from '../core/budgets';
import { compareRuns } from '../core/compare';
import type { Budget, Profile } from '../core/model';
import { analysisToJson, comparisonToJson } from '../core/report/json';
import { renderTextComparison, renderTextReport } from '../core/report/text';
import { loadRuns } from '../io/load-profile';
import { parse, UsageError, wantsColor } from './args';
import { parseRunPick, pickRun, reportRuns, type RunPick } from './report-runs';

/** Exit code when nothing usable could be read or the command line is wrong. */
export const EXIT_UNUSABLE = 2;

export interface Loaded {
  file: string;
  profile: Profile;
  analysis: Analysis;
}

/** Reads budgets from an explicit file, or ./agentprof.budgets.json when it exists. */
export function loadBudgets(explicit: string | undefined): Budget[] {
  const file = explicit ?? (fs.existsSync('agentprof.budgets.json') ? 'agentprof.budgets.json' : undefined);
  if (!file) return [];
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read budgets file ${file}: ${(err as Error).message}`);
  }
  const { budgets, diagnostics } = parseBudgetsFile(text, file);
  for (const d of diagnostics) process.stderr.write(`${file}:${d.line}: ${d.severity}: ${d.message}\n`);
  return budgets;
}

/**
 * Loads run `run` (1-based; default 1, the largest) of a file; when the file holds several runs
 * (an OTLP file with several traces), says how many and how to pick another.
 */
async function loadRun(file: string, run: RunPick | undefined): Promise<Profile | undefined> {
  const { runs } = await loadRuns(file);
  const at = pickRun(runs, run ?? 1);
  if (typeof at === 'string') {
    process.stderr.write(`agentprof: ${file} ${at}\n`);
    return undefined;
  }
  const pick = at + 1;
  if (runs.length > 1) {
    const others = runs
      .map((r, i) => `${i + 1}: ${r.run.name} (${r.spans.length} spans)`)
      .filter((_, i) => i !== pick - 1)
      .slice(0, 5)
      .join('; ');
    process.stderr.write(
      `agentprof: ${file} holds ${runs.length} runs (traces); showing run ${pick}${pick === 1 ? ', the largest' : ''}. ` +
        `Pick another with --run N or TRACE_ID (${others}${runs.length > 6 ? '; …' : ''})\n`,
    );
  }
  return runs[pick - 1];
}

/** Loads and analyses one file (run `run`, 1-based); reports problems on stderr; undefined when nothing usable was read. */
export async function loadAndAnalyze(file: string, budgets: Budget[], run?: RunPick): Promise<Loaded | undefined> {
  let profile: Profile;
  try {
    if (fs.statSync(file).isDirectory()) throw new Error('is a folder, not a profile file');
    const loaded = await loadRun(file, run);
    if (!loaded) return undefined;
    profile = loaded;
  } catch (err) {
    process.stderr.write(`agentprof: cannot read ${file}: ${(err as Error).message}\n`);
    return undefined;
  }
  const problems = profile.diagnostics;
  const errors = problems.filter((d) => d.severity === 'error').length;
  if (problems.length) {
    const first = problems[0];
    process.stderr.write(
      `agentprof: ${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}); ` +
        `first at line ${first.line}: ${first.message}\n`,
    );
  }
  if (profile.spans.length === 0 && profile.usage.length === 0) {
    process.stderr.write(`agentprof: ${file}: no spans or token records could be read; not a usable profile\n`);
    return undefined;
  }
  return { file, profile, analysis: analyze(profile, { budgets }) };
}

export async function runReport(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean' },
    budgets: { type: 'string' },
    run: { type: 'string' },
    'no-color': { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('report takes exactly one FILE');
  // Every run of the file (one per trace), or the one `--run N|TRACE_ID` picks: see report-runs.ts.
  return reportRuns(positionals[0], loadBudgets(values.budgets), parseRunPick(values.run), Boolean(values.json), wantsColor(process.stdout, values['no-color']));
}

/** Prints a loaded run as text or JSON on stdout. */
export function printReport(loaded: Loaded, json: boolean, color: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(analysisToJson(loaded.analysis, loaded.file), null, 2) + '\n');
    return;
  }
  const width = Math.max(30, Math.min(80, (process.stdout.columns ?? 100) - 60));
  process.stdout.write(
    renderTextReport(loaded.profile, loaded.analysis, { color, width, file: path.relative(process.cwd(), loaded.file) || loaded.file }),
  );
}

/** Loads a file for callers outside this module (run). */
export async function loadForReport(file: string): Promise<Loaded | undefined> {
  return loadAndAnalyze(file, loadBudgets(undefined));
}

export async function runCompare(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean' },
    'fail-on-regression': { type: 'string' },
    budgets: { type: 'string' },
    'no-color': { type: 'boolean' },
  });
  if (positionals.length !== 2) throw new UsageError('compare takes BASE and FILE');
  let regressionPct: number | undefined;
  if (values['fail-on-regression'] !== undefined) {
    regressionPct = Number(values['fail-on-regression']);
    if (!Number.isFinite(regressionPct) || regressionPct < 0) {
      throw new UsageError(`--fail-on-regression takes a percentage, got '${values['fail-on-regression']}'`);
    }
  }
  const budgets = loadBudgets(values.budgets);
  const base = await loadAndAnalyze(positionals[0], budgets);
  const head = await loadAndAnalyze(positionals[1], budgets);
  if (!base || !head) return EXIT_UNUSABLE;
  const comparison = compareRuns(base.analysis, head.analysis, regressionPct === undefined ? {} : { regressionPct });
  if (values.json) {
    process.stdout.write(JSON.stringify(comparisonToJson(comparison, base.file, head.file), null, 2) + '\n');
  } else {
    process.stdout.write(renderTextComparison(comparison, { color: wantsColor(process.stdout, values['no-color']) }));
  }
  return regressionPct !== undefined && comparison.regressions.length > 0 ? 1 : 0;
}
