/** `agentprof report` and `agentprof compare`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../core/analyze';
import type { Analysis } from '../core/analysis-types';
import { BUDGETS_FILE_MAX_BYTES, parseBudgetsFile } from '../core/budgets';
import { compareRuns } from '../core/compare';
import { formatCountOf } from '../core/format';
import type { Budget, Profile } from '../core/model';
import { setNameGrouping } from '../core/name-templates';
import { renderMarkdownComparison } from '../core/report/compare-doc';
import { analysisToJson, comparisonToJson, DEFAULT_JSON_LIMIT } from '../core/report/json';
import { writeJson } from '../core/report/json-stream';
import { printable, printableDocument, printableJson } from '../core/report/printable';
import { renderTextComparison, renderTextReport } from '../core/report/text';
import { memoryLimitMessage } from '../core/memory-account';
import { loadRuns } from '../io/load-profile';
import { readSmallFileSync } from '../io/safe-open';
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
    // Size-capped, and a FIFO or device is refused rather than waited on (safe-open.ts).
    text = readSmallFileSync(file, BUDGETS_FILE_MAX_BYTES);
  } catch (err) {
    throw new UsageError(`cannot read budgets file ${file}: ${(err as Error).message}`);
  }
  const { budgets, diagnostics } = parseBudgetsFile(text, file);
  for (const d of diagnostics) process.stderr.write(`${printable(`${file}:${d.line}: ${d.severity}: ${d.message}`)}\n`);
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
    process.stderr.write(`agentprof: ${printable(`${file} ${at}`)}\n`);
    return undefined;
  }
  const pick = at + 1;
  if (runs.length > 1) {
    const others = runs
      .map((r, i) => `${i + 1}: ${printable(r.run.name.slice(0, 120))} (${formatCountOf(r.spans.length, 'span')})`)
      .filter((_, i) => i !== pick - 1)
      .slice(0, 5)
      .join('; ');
    process.stderr.write(
      `agentprof: ${printable(file)} holds ${runs.length} runs (traces); showing run ${pick}${pick === 1 ? ', the largest' : ''}. ` +
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
    process.stderr.write(`agentprof: ${printable(`cannot read ${file}: ${(err as Error).message}`)}\n`);
    return undefined;
  }
  const overMemory = memoryLimitMessage(profile);
  if (overMemory !== undefined) {
    process.stderr.write(`agentprof: ${printable(file)}: ${printable(overMemory)}. Not analysed (a larger Node heap, --max-old-space-size, raises the limit).\n`);
    return undefined;
  }
  const problems = profile.diagnostics;
  const errors = problems.filter((d) => d.severity === 'error').length;
  if (problems.length) {
    const first = problems[0];
    process.stderr.write(
      `agentprof: ${printable(file)}: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}); ` +
        `first at line ${first.line}: ${printable(first.message)}\n`,
    );
  }
  if (profile.spans.length === 0 && profile.usage.length === 0) {
    process.stderr.write(`agentprof: ${printable(file)}: no spans or token records could be read; not a usable profile\n`);
    return undefined;
  }
  return { file, profile, analysis: analyze(profile, { budgets }) };
}

/** Options of every command that reads a run and prints lists: how much to print, how to group names. */
export const LIST_OPTIONS = {
  limit: { type: 'string' },
  full: { type: 'boolean' },
  'no-group-names': { type: 'boolean' },
} as const;

/** How much of a report to print: rows per list, or undefined for everything (`--full`). */
export interface OutputLimits {
  limit: number | undefined;
  /** True when `--limit` or `--full` was given (the text report has its own default, 15 rows). */
  given: boolean;
}

/**
 * Reads `--limit N`, `--full` and `--no-group-names`; the last switches name templates off for
 * the runs read after it (name-templates.ts), so call it before loading.
 */
export function listOptions(values: { limit?: string; full?: boolean; 'no-group-names'?: boolean }): OutputLimits {
  setNameGrouping(!values['no-group-names']);
  if (values.full) {
    if (values.limit !== undefined) throw new UsageError('--full and --limit cannot be given together');
    return { limit: undefined, given: true };
  }
  if (values.limit === undefined) return { limit: DEFAULT_JSON_LIMIT, given: false };
  const n = Number(values.limit);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--limit takes a number of rows (1, 2, …), got '${values.limit}'`);
  return { limit: n, given: true };
}

export async function runReport(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean' },
    budgets: { type: 'string' },
    run: { type: 'string' },
    'no-color': { type: 'boolean' },
    ...LIST_OPTIONS,
  });
  if (positionals.length !== 1) throw new UsageError('report takes exactly one FILE');
  const limits = listOptions(values);
  // Every run of the file (one per trace), or the one `--run N|TRACE_ID` picks: see report-runs.ts.
  return reportRuns(positionals[0], loadBudgets(values.budgets), parseRunPick(values.run), Boolean(values.json), wantsColor(process.stdout, values['no-color']), limits);
}

/**
 * Prints a loaded run as text or JSON on stdout. The JSON goes out in chunks (json-stream.ts): the
 * `--full` document of a million-span run is larger than the longest string V8 makes.
 */
export function printReport(loaded: Loaded, json: boolean, color: boolean, limits: OutputLimits = { limit: DEFAULT_JSON_LIMIT, given: false }): void {
  if (json) {
    const doc = analysisToJson(loaded.analysis, loaded.file, { limit: limits.limit, profile: loaded.profile });
    // Chunk by chunk, each made printable (a character-wise mapping, so chunk borders do not matter).
    writeJson(doc, (chunk) => process.stdout.write(printableJson(chunk)));
    return;
  }
  const width = Math.max(30, Math.min(80, (process.stdout.columns ?? 100) - 60));
  process.stdout.write(
    renderTextReport(loaded.profile, loaded.analysis, {
      color,
      width,
      file: path.relative(process.cwd(), loaded.file) || loaded.file,
      ...(limits.given ? { maxRows: limits.limit ?? Number.MAX_SAFE_INTEGER } : {}),
    }),
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
    ...LIST_OPTIONS,
  });
  if (positionals.length !== 2) throw new UsageError('compare takes BASE and FILE');
  const limits = listOptions(values);
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
    writeJson(comparisonToJson(comparison, base.file, head.file, limits.limit), (chunk) => process.stdout.write(printableJson(chunk)));
  } else if (values.markdown) {
    process.stdout.write(printableDocument(renderMarkdownComparison(comparison, { baseFile: base.file, headFile: head.file })));
  } else {
    process.stdout.write(
      renderTextComparison(comparison, {
        color: wantsColor(process.stdout, values['no-color']),
        baseFile: base.file,
        headFile: head.file,
        ...(limits.given ? { maxRows: limits.limit ?? Number.MAX_SAFE_INTEGER } : {}),
      }),
    );
  }
  return regressionPct !== undefined && comparison.regressions.length > 0 ? 1 : 0;
}
