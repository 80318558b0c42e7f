/**
 * Writes what happens to profiles into the "Agent Profiler" output channel: each run the first
 * time it is analysed, and its read problems (line and message) whenever their number changes, so
 * a bad profile is explained in words as well as in the tree.
 */
import * as vscode from 'vscode';
import { formatCount, formatCountOf, formatMs } from '../core/format';
import type { Services } from './services';
import type { RunEntry } from './store';
import { displayPath } from './tree';

const MAX_LOGGED_PROBLEMS = 20;

export function register(context: vscode.ExtensionContext, services: Services): void {
  const logged = new Map<string, number>();
  const onAnalysis = (entry: RunEntry | undefined) => {
    const r = entry?.result;
    if (!entry || !r) return;
    const diags = r.analysis.diagnostics;
    const before = logged.get(entry.file);
    if (before === diags.length) return;
    logged.set(entry.file, diags.length);
    const name = displayPath(entry.file);
    if (before === undefined) {
      services.log(`${name}: ${formatCountOf(r.analysis.run.spans, 'span')}, ${formatCount(r.bytesRead)} bytes read and analysed in ${formatMs(r.workMs)}`);
    }
    if (r.analysis.run.spans === 0 && r.analysis.tokens.calls === 0) {
      services.log(`${name}: ${r.bytesRead === 0 ? 'the file is empty' : 'no spans or token records could be read'}; is it an Agent Profiler profile?`);
    }
    if (r.truncatedByCap) services.log(`${name}: only the first ${formatCount(r.bytesRead)} bytes were read (agentProfiler.maxFileSizeMB)`);
    if (diags.length) {
      services.log(`${name}: ${formatCount(diags.length)} problem${diags.length === 1 ? '' : 's'} reading the profile:`);
      for (const d of diags.slice(0, MAX_LOGGED_PROBLEMS)) services.output.appendLine(`  ${name}:${d.line}: ${d.severity}: ${d.message}`);
      if (diags.length > MAX_LOGGED_PROBLEMS) services.output.appendLine(`  … ${formatCount(diags.length - MAX_LOGGED_PROBLEMS)} more (see Problems)`);
    }
  };
  const onRuns = () => {
    for (const e of services.store.runs) {
      if (e.state === 'failed' && e.error && logged.get(e.file) !== -1) {
        logged.set(e.file, -1);
        services.log(`${displayPath(e.file)}: cannot read: ${e.error}`);
      }
    }
  };
  context.subscriptions.push(services.store.onDidChangeActiveAnalysis(onAnalysis), services.store.onDidChangeRuns(onRuns));
}
