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
import { loadProfile } from '../io/load-profile';
import { parse, UsageError, wantsColor } from './args';

/** Exit code when nothing usable could be read or the command line is wrong. */
export const EXIT_UNUSABLE = 2;

interface Loaded {
  file: string;
  profile: Profile;
  analysis: Analysis;
}

/** Reads budgets from an explicit file, or ./agentprof.budgets.json when it exists. */
function loadBudgets(explicit: string | undefined): Budget[] {
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

/** Loads and analyses one file; reports problems on stderr; undefined when nothing usable was read. */
async function loadAndAnalyze(file: string, budgets: Budget[]): Promise<Loaded | undefined> {
  let profile: Profile;
  try {
    if (fs.statSync(file).isDirectory()) throw new Error('is a folder, not a profile file');
    profile = await loadProfile(file);
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
    'no-color': { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('report takes exactly one FILE');
  const loaded = await loadAndAnalyze(positionals[0], loadBudgets(values.budgets));
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
