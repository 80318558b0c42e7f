/** `agentprof report` and `agentprof compare`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../core/analyze';
import type { Analysis } from '../core/analysis-types';
import { parseBudgetsFile } from '../core/budgets';
import { compareRuns } from '../core/compare';
import { formatCountOf } from '../core/format';
import type { Budget, Profile } from '../core/model';
import { renderMarkdownComparison } from '../core/report/compare-doc';
import { analysisToJson, comparisonToJson } from '../core/report/json';
import { renderTextComparison, renderTextReport } from '../core/report/text';
import { loadRuns } from '../io/load-profile';
import { parse, UsageError, wantsColor } from './args';

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

/** `--run N`: a 1-based run number, or undefined when not given. */
export function parseRunOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--run takes a run number (1, 2, …), got '${value}'`);
  return n;
}

/**
 * Loads run `run` (1-based; default 1, the largest) of a file; when the file holds several runs
 * (an OTLP file with several traces), says how many and how to pick another.
 */
async function loadRun(file: string, run: number | undefined): Promise<Profile | undefined> {
  const { runs } = await loadRuns(file);
  const pick = run ?? 1;
  if (pick > runs.length) {
    process.stderr.write(`agentprof: ${file} holds ${runs.length} run${runs.length === 1 ? '' : 's'}; there is no run ${pick}\n`);
    return undefined;
  }
  if (runs.length > 1) {
    const others = runs
      .map((r, i) => `${i + 1}: ${r.run.name} (${formatCountOf(r.spans.length, 'span')})`)
      .filter((_, i) => i !== pick - 1)
      .slice(0, 5)
      .join('; ');
    process.stderr.write(
      `agentprof: ${file} holds ${runs.length} runs (traces); showing run ${pick}${pick === 1 ? ', the largest' : ''}. ` +
        `Pick another with --run N (${others}${runs.length > 6 ? '; …' : ''})\n`,
    );
  }
  return runs[pick - 1];
}

/** Loads and analyses one file (run `run`, 1-based); reports problems on stderr; undefined when nothing usable was read. */
export async function loadAndAnalyze(file: string, budgets: Budget[], run?: number): Promise<Loaded | undefined> {
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
  const run = parseRunOption(values.run);
  const loaded = await loadAndAnalyze(positionals[0], loadBudgets(values.budgets), run);
  if (!loaded) return EXIT_UNUSABLE;
  printReport(loaded, Boolean(values.json), wantsColor(process.stdout, values['no-color']));
  return 0;
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
    markdown: { type: 'boolean' },
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
  } else if (values.markdown) {
    process.stdout.write(renderMarkdownComparison(comparison, { baseFile: base.file, headFile: head.file }));
  } else {
    process.stdout.write(renderTextComparison(comparison, { color: wantsColor(process.stdout, values['no-color']), baseFile: base.file, headFile: head.file }));
  }
  return regressionPct !== undefined && comparison.regressions.length > 0 ? 1 : 0;
}
