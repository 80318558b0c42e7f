/**
 * Exports answered in the analysis worker, which owns the parsed profile: the same renderers as
 * `agentprof export` (src/core/export, src/core/report), so the palette and the CLI write the same
 * files.
 */
import { analyze } from '../core/analyze';
import type { Analysis } from '../core/analysis-types';
import { exportChromeTrace } from '../core/export/chrome';
import { exportPrometheus } from '../core/export/prometheus';
import { exportSarif } from '../core/export/sarif';
import { exportSpeedscope } from '../core/export/speedscope';
import type { Profile } from '../core/model';
import type { PriceBook } from '../core/prices';
import { renderHtmlReport } from '../core/report/html';
import { renderMarkdownReport } from '../core/report/markdown';
import type { PolledProfile } from '../io/profile-source';
import type { AnalysisSettings, ExportFormat, ExportReply, ExportRequest } from './worker-protocol';

/** Renders `profile` in `format`. `file` names the profile in reports and SARIF. */
export function renderExport(format: ExportFormat, profile: Profile, analysis: Analysis, file: string): string {
  switch (format) {
    case 'markdown':
      return renderMarkdownReport(profile, analysis, { file });
    case 'html':
      return renderHtmlReport(profile, analysis, { file });
    case 'chrome':
      return exportChromeTrace(profile);
    case 'speedscope':
      return exportSpeedscope(profile);
    case 'prometheus':
      return exportPrometheus(profile, analysis);
    case 'sarif':
      return exportSarif(profile, analysis, { profileFile: file });
    default: {
      const never: never = format;
      throw new Error(`unknown export format ${String(never)}`);
    }
  }
}

/** Reads what is new in the file, analyses it and renders the export. Errors come back as values. */
export async function answerExport(
  msg: ExportRequest,
  tail: PolledProfile,
  prices: PriceBook,
  settings: AnalysisSettings | undefined,
): Promise<ExportReply> {
  try {
    const polled = await tail.poll();
    if (polled.missing && tail.offset === 0) return { type: 'exportFailed', id: msg.id, message: `${msg.file} does not exist` };
    const profile = tail.profile;
    const analysis = analyze(profile, { thresholds: settings?.thresholds, prices, budgets: settings?.budgets ?? [] });
    return { type: 'exported', id: msg.id, text: renderExport(msg.format, profile, analysis, msg.displayName) };
  } catch (err) {
    return { type: 'exportFailed', id: msg.id, message: err instanceof Error ? err.message : String(err) };
  }
}
