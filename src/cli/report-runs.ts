/**
 * `agentprof report` over every run of a file: an OpenTelemetry file holds one run per trace (a
 * run and its failing retry, a warm-up and the measured run), and none is dropped silently. Text:
 * each run's report, then a total line (and one per session). `--run N|TRACE_ID` picks one.
 * `--json`: the picked run's analysis (the first when none is picked) with the list of runs and
 * the total, so a script sees every trace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../core/analyze';
import type { Analysis } from '../core/analysis-types';
import { memoryLimitMessage } from '../core/memory-account';
import type { Budget, Profile } from '../core/model';
import { analysisToJson } from '../core/report/json';
import { writeJson } from '../core/report/json-stream';
import { printable, printableJson } from '../core/report/printable';
import { renderTextReport } from '../core/report/text';
import { runTotals, runTotalsText, sessionsOf } from '../core/run-totals';
import { loadRuns } from '../io/load-profile';
import { UsageError } from './args';
import type { OutputLimits } from './commands';

/** `--run`: a 1-based run number, or a trace id (hex; a unique prefix of at least 7 digits is enough). */
export type RunPick = number | string;

/** Parses `--run`; undefined when not given. */
export function parseRunPick(value: string | undefined): RunPick | undefined {
  if (value === undefined) return undefined;
  // Up to 6 digits is a run number; a trace id (or its prefix) has 7 hex digits or more.
  if (/^[0-9]{1,6}$/.test(value)) {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--run takes a run number (1, 2, …) or a trace id, got '${value}'`);
    return n;
  }
  if (/^[0-9a-fA-F]{7,32}$/.test(value)) return value.toLowerCase();
  throw new UsageError(`--run takes a run number (1, 2, …) or a trace id (hex), got '${value}'`);
}

/** The 0-based index of the picked run, or a message saying why there is none. */
export function pickRun(runs: readonly Profile[], pick: RunPick): number | string {
  if (typeof pick === 'number') {
    return pick <= runs.length ? pick - 1 : `holds ${runs.length} run${runs.length === 1 ? '' : 's'}; there is no run ${pick}`;
  }
  const found: number[] = [];
  runs.forEach((r, i) => {
    if (r.run.traceId !== undefined && r.run.traceId.startsWith(pick)) found.push(i);
  });
  if (found.length === 1) return found[0];
  return found.length === 0 ? `has no trace ${pick}` : `has ${found.length} traces starting with ${pick}; give more digits`;
}

/** One analysed run of the file. */
interface AnalysedRun {
  profile: Profile;
  analysis: Analysis;
}

/** Reports problems of a run on stderr, as for a single run. */
function reportProblems(file: string, label: string, profile: Profile): void {
  const problems = profile.diagnostics;
  if (!problems.length) return;
  const errors = problems.filter((d) => d.severity === 'error').length;
  const first = problems[0];
  process.stderr.write(
    `agentprof: ${printable(file + label)}: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}); ` +
      `first at line ${first.line}: ${printable(first.message)}\n`,
  );
}

/** Text reports printed in full when a file holds many runs and no `--run`/`--limit`/`--full` says otherwise. */
const TEXT_RUNS_SHOWN = 10;

/**
 * Prints the runs of `file` (or the picked one) as text or JSON. Returns the exit code: 2 when
 * nothing usable was read or the picked run does not exist. Every list is bounded by `limits`
 * (the run list too: a file can hold thousands of traces), with the totals over all runs.
 */
export async function reportRuns(
  file: string,
  budgets: Budget[],
  pick: RunPick | undefined,
  json: boolean,
  color: boolean,
  limits: OutputLimits,
): Promise<number> {
  let runs: Profile[];
  try {
    if (fs.statSync(file).isDirectory()) throw new Error('is a folder, not a profile file');
    runs = (await loadRuns(file)).runs;
  } catch (err) {
    process.stderr.write(`agentprof: ${printable(`cannot read ${file}: ${(err as Error).message}`)}\n`);
    return 2;
  }
  let picked: number | undefined;
  if (pick !== undefined) {
    const at = pickRun(runs, pick);
    if (typeof at === 'string') {
      process.stderr.write(`agentprof: ${printable(`${file} ${at}`)}\n`);
      return 2;
    }
    picked = at;
  }
  // A run cut short by the memory accounting is not analysed (memory-account.ts): exit 2, as for one run.
  for (const r of runs) {
    const overMemory = memoryLimitMessage(r);
    if (overMemory === undefined) continue;
    process.stderr.write(`agentprof: ${printable(file)}: ${printable(overMemory)}. Not analysed (a larger Node heap, --max-old-space-size, raises the limit).\n`);
    return 2;
  }
  const usable = runs.filter((r) => r.spans.length > 0 || r.usage.length > 0);
  if (usable.length === 0) {
    reportProblems(file, '', runs[0]);
    process.stderr.write(`agentprof: ${printable(file)}: no spans or token records could be read; not a usable profile\n`);
    return 2;
  }
  const analysed: AnalysedRun[] = runs.map((profile) => ({ profile, analysis: analyze(profile, { budgets }) }));
  const textShown = limits.given ? (limits.limit ?? analysed.length) : TEXT_RUNS_SHOWN;
  const shown = picked === undefined ? analysed.map((_, i) => i).slice(0, textShown) : [picked];
  const shownFile = path.relative(process.cwd(), file) || file;
  if (json) {
    for (const i of shown) reportProblems(file, runs.length > 1 ? ` (run ${i + 1})` : '', analysed[i].profile);
    const main = analysed[picked ?? 0];
    const listed = limits.limit === undefined ? analysed : analysed.slice(0, limits.limit);
    const out = {
      ...analysisToJson(main.analysis, file, { limit: limits.limit, profile: main.profile }),
      run_index: (picked ?? 0) + 1,
      trace_id: main.profile.run.traceId ?? null,
      runs_not_shown: analysed.length - listed.length,
      runs: listed.map((r, i) => ({
        index: i + 1,
        trace_id: r.profile.run.traceId ?? null,
        session_id: r.profile.run.sessionId ?? null,
        name: r.analysis.run.name,
        spans: r.analysis.run.spans,
        wall_ms: Math.round(r.analysis.run.wallMs * 1000) / 1000,
        llm_calls: r.analysis.run.costCoverage?.calls ?? 0,
        no_usage_calls: r.analysis.run.costCoverage?.noUsage ?? 0,
        tokens: r.analysis.run.tokens,
        cost_usd: Math.round(r.analysis.run.costUsd * 1e9) / 1e9,
        errors: r.analysis.run.errors,
      })),
      total: totalJson(analysed.map((r) => r.analysis)),
    };
    // Chunk by chunk, each made printable (a character-wise mapping, so chunk borders do not matter).
    writeJson(out, (chunk) => process.stdout.write(printableJson(chunk)));
    return 0;
  }
  const width = Math.max(30, Math.min(80, (process.stdout.columns ?? 100) - 60));
  for (const i of shown) {
    const r = analysed[i];
    reportProblems(file, runs.length > 1 ? ` (run ${i + 1})` : '', r.profile);
    if (runs.length > 1) {
      const trace = r.profile.run.traceId ? `, trace ${printable(r.profile.run.traceId)}` : '';
      process.stdout.write(`${i === shown[0] ? '' : '\n'}=== Run ${i + 1} of ${runs.length}${trace} ===\n`);
    }
    process.stdout.write(
      renderTextReport(r.profile, r.analysis, {
        color,
        width,
        file: shownFile,
        ...(limits.given ? { maxRows: limits.limit ?? Number.MAX_SAFE_INTEGER } : {}),
      }),
    );
  }
  if (picked === undefined && shown.length < analysed.length) {
    process.stdout.write(`\n… ${analysed.length - shown.length} more runs not shown (--run N for one, --limit N or --full for more)\n`);
  }
  if (runs.length > 1 && picked === undefined) {
    const sessions = sessionsOf(runs.map((r) => r.run));
    for (const s of sessions.slice(0, TEXT_RUNS_SHOWN)) {
      process.stdout.write(`\nSession ${printable(s.session)}: ${runTotalsText(runTotals(s.runs.map((i) => analysed[i].analysis)))}\n`);
    }
    if (sessions.length > TEXT_RUNS_SHOWN) process.stdout.write(`… ${sessions.length - TEXT_RUNS_SHOWN} more sessions\n`);
    process.stdout.write(`\nTotal of ${runTotalsText(runTotals(analysed.map((r) => r.analysis)))}\n`);
  }
  return 0;
}

function totalJson(analyses: readonly Analysis[]) {
  const t = runTotals(analyses);
  return {
    runs: t.runs,
    spans: t.spans,
    wall_ms: Math.round(t.wallMs * 1000) / 1000,
    llm_calls: t.llmCalls,
    no_usage_calls: t.noUsage,
    tokens: t.tokens,
    cost_usd: Math.round(t.costUsd * 1e9) / 1e9,
    errors: t.errors,
  };
}
