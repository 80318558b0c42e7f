/**
 * `agentprof export --format F FILE [-o OUT]`: a run in the format of a tool teams already run —
 * Perfetto / chrome://tracing, speedscope, Prometheus, a Markdown or HTML report, SARIF for code
 * scanning. Writes to OUT, or to stdout.
 */
import { printable, printableDocument, printableJson } from '../core/report/printable';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportChromeTrace } from '../core/export/chrome';
import { setNameGrouping } from '../core/name-templates';
import { exportPrometheus } from '../core/export/prometheus';
import { exportSarif } from '../core/export/sarif';
import { exportSpeedscope } from '../core/export/speedscope';
import { renderHtmlReport } from '../core/report/html';
import { renderMarkdownReport } from '../core/report/markdown';
import { parse, UsageError } from './args';
import { EXIT_UNUSABLE, Loaded, loadAndAnalyze, loadBudgets } from './commands';
import { parseRunPick } from './report-runs';
import { version as VERSION } from '../../package.json';

/** The export formats and what each renders. */
export const EXPORT_FORMATS = {
  chrome: (l: Loaded) => exportChromeTrace(l.profile),
  speedscope: (l: Loaded) => exportSpeedscope(l.profile, { exporter: `agentprof ${VERSION}` }),
  prometheus: (l: Loaded) => exportPrometheus(l.profile, l.analysis),
  openmetrics: (l: Loaded) => exportPrometheus(l.profile, l.analysis, { openMetrics: true }),
  markdown: (l: Loaded, shown: string) => renderMarkdownReport(l.profile, l.analysis, { file: shown }),
  html: (l: Loaded, shown: string) => renderHtmlReport(l.profile, l.analysis, { file: shown }),
  sarif: (l: Loaded) => exportSarif(l.profile, l.analysis, { toolVersion: VERSION, profileFile: profileRelativeToRun(l) }),
} as const;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

/** The profile's path relative to the run's cwd, for SARIF results without a call site. */
function profileRelativeToRun(l: Loaded): string | undefined {
  const cwd = l.profile.run.cwd;
  const absolute = path.resolve(l.file);
  if (!cwd) return undefined;
  const relative = path.relative(cwd, absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join('/');
}

export async function runExport(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', short: 'f' },
    out: { type: 'string', short: 'o' },
    run: { type: 'string' },
    budgets: { type: 'string' },
    'no-group-names': { type: 'boolean' },
  });
  setNameGrouping(!values['no-group-names']);
  const format = values.format;
  if (format === undefined) throw new UsageError(`export needs --format (${Object.keys(EXPORT_FORMATS).join(', ')})`);
  if (!Object.prototype.hasOwnProperty.call(EXPORT_FORMATS, format)) {
    throw new UsageError(`unknown export format '${format}'; use one of ${Object.keys(EXPORT_FORMATS).join(', ')}`);
  }
  if (positionals.length !== 1) throw new UsageError('export takes exactly one FILE');
  const run = parseRunPick(values.run);
  const loaded = await loadAndAnalyze(positionals[0], loadBudgets(values.budgets), run);
  if (!loaded) return EXIT_UNUSABLE;
  const shown = path.relative(process.cwd(), loaded.file) || loaded.file;
  const text = EXPORT_FORMATS[format as ExportFormat](loaded, shown);
  if (values.out === undefined || values.out === '-') {
    // Printed, perhaps to a terminal: the JSON formats with their raw controls as \u escapes (the
    // same value), the text formats with controls shown escaped; a file gets the text as is.
    const json = format === 'chrome' || format === 'speedscope' || format === 'sarif';
    process.stdout.write(json ? printableJson(text) : printableDocument(text));
    return 0;
  }
  try {
    fs.writeFileSync(values.out, text);
  } catch (err) {
    process.stderr.write(`agentprof: ${printable(`cannot write ${values.out}: ${(err as Error).message}`)}\n`);
    return EXIT_UNUSABLE;
  }
  process.stderr.write(`agentprof: ${format} written to ${printable(values.out)}\n`);
  return 0;
}
