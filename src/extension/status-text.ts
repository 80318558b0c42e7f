/**
 * What the status bar item says about a run. Pure, so it is tested without VS Code. A run found
 * but not analysed yet (the store analyses only when the user looks) is shown by its file name at
 * once, so the item appears as soon as a profile exists, not only after the view was opened.
 */
import { formatCountOf, formatMs, formatUsd } from '../core/format';
import { coverageText } from '../core/llm-calls';
import type { RunEntry } from './run-entry';
import { clipText, MAX_LABEL_CHARS } from './tree-node';
import { runFileStem } from './tree-model';

export function statusText(entry: RunEntry | undefined): { text: string; tooltip: string } | undefined {
  if (!entry) return undefined;
  const s = entry.summary;
  if (!s) {
    const stem = clipText(runFileStem(entry.file), MAX_LABEL_CHARS, true);
    return { text: `$(pulse) ${stem}`, tooltip: `Agent Profiler — newest run: ${stem}. Click to show it.` };
  }
  const name = clipText(entry.result?.header.name ?? s.name ?? 'run', MAX_LABEL_CHARS, true);
  return {
    text: `${entry.live ? '$(sync~spin)' : '$(pulse)'} ${formatMs(s.wallMs)} · ${formatUsd(s.costUsd)}`,
    tooltip: `Agent Profiler — ${name}: wall time ${formatMs(s.wallMs)}, cost ${formatUsd(s.costUsd)}, ${formatCountOf(s.spans, 'span')}${s.errors ? `, ${formatCountOf(s.errors, 'error')}` : ''}` +
      // What the cost covers (llm-calls.ts): calls without usage or unpriced are said, not hidden.
      (s.costCoverage && s.costCoverage.calls ? `\n${coverageText(s.costCoverage)}` : ''),
  };
}
