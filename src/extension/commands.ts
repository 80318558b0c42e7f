/**
 * The commands that act on runs: Open Profile…, Refresh, Set as Baseline, Compare with Baseline…,
 * Export Report…. Each takes an optional tree node or file URI (context menus, editor title) and
 * falls back to the active run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { disposeComparison, showComparison } from './compare-panel';
import { COMMANDS, CONTEXT_KEYS, STATE_KEYS } from './ids';
import type { Services } from './services';
import type { RunEntry } from './store';
import type { ExportFormat } from './worker-protocol';
import { displayPath, runFileOf } from './tree';
import { runFileStem } from './tree-model';
import { clipText, MAX_LABEL_CHARS } from './tree-node';
import { viewerOf } from './worker-protocol';

function targetFile(services: Services, arg: unknown): string | undefined {
  return runFileOf(arg) ?? services.store.active?.file;
}

/** Analyses a run for a command; explains and returns undefined when it cannot be read. */
async function analysed(services: Services, file: string): Promise<RunEntry | undefined> {
  const entry = await services.store.analyzeNow(file);
  if (entry?.result) return entry;
  void vscode.window.showErrorMessage(`Agent Profiler cannot read ${displayPath(file)}${entry?.error ? `: ${entry.error}` : ''}.`);
  return undefined;
}

async function openProfile(services: Services, arg: unknown): Promise<void> {
  let file = runFileOf(arg);
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Open Profile',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { 'Profiles and traces': ['jsonl', 'json', 'txt'], 'All files': ['*'] },
    });
    if (!picked?.length) return;
    file = picked[0].fsPath;
  }
  await services.store.add(file, { select: true });
  // The runs view reveals it, expanded, and opens itself if it was hidden.
  services.store.show(file);
}

async function setBaseline(services: Services, arg: unknown): Promise<void> {
  const file = targetFile(services, arg);
  if (!file) return;
  services.store.setBaseline(file);
  await services.context.workspaceState.update(STATE_KEYS.baseline, file);
  void vscode.window.showInformationMessage(`Agent Profiler: ${displayPath(file)} is now the baseline.`);
}

async function pickBaseline(services: Services, head: string): Promise<string | undefined> {
  const items = services.store.runs
    .filter((r) => r.file !== head)
    .map((r) => ({ label: clipText(r.result?.header.name ?? r.summary?.name ?? runFileStem(r.file), MAX_LABEL_CHARS, true), description: displayPath(r.file), file: r.file }));
  if (!items.length) {
    void vscode.window.showInformationMessage('Agent Profiler: there is no other run to compare with.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Compare with which run (the baseline)?' });
  if (!picked) return undefined;
  services.store.setBaseline(picked.file);
  await services.context.workspaceState.update(STATE_KEYS.baseline, picked.file);
  return picked.file;
}

async function compareWithBaseline(services: Services, arg: unknown): Promise<void> {
  const head = targetFile(services, arg);
  if (!head) return;
  let base = services.store.baseline;
  if (!base || base === head || !services.store.get(base)) base = await pickBaseline(services, head);
  if (!base) return;
  const [b, h] = [await analysed(services, base), await analysed(services, head)];
  if (!b?.result || !h?.result) return;
  // The compare view (compare-panel.ts), not an unsaved text document.
  await showComparison(services, b, h);
}

/** The formats of Export Report…, as the quick pick shows them. */
const EXPORT_CHOICES: Array<{ label: string; detail: string; format: ExportFormat; extension: string; filter: string }> = [
  { label: 'Markdown report', detail: 'Summary, bottlenecks, timing, critical path, tokens and cost', format: 'markdown', extension: 'md', filter: 'Markdown' },
  { label: 'HTML report', detail: 'The same report as one self-contained page', format: 'html', extension: 'html', filter: 'HTML' },
  { label: 'Chrome trace', detail: 'Opens in Perfetto and chrome://tracing', format: 'chrome', extension: 'trace.json', filter: 'JSON' },
  { label: 'speedscope', detail: 'Evented profile for speedscope.app', format: 'speedscope', extension: 'speedscope.json', filter: 'JSON' },
  { label: 'Prometheus metrics', detail: 'Text exposition with the agent_* metric names', format: 'prometheus', extension: 'prom', filter: 'Prometheus' },
  { label: 'SARIF', detail: 'Bottlenecks and breached budgets for code scanning', format: 'sarif', extension: 'sarif', filter: 'SARIF' },
];

async function exportReport(services: Services, arg: unknown): Promise<void> {
  const file = targetFile(services, arg);
  if (!file) return;
  const choice = await vscode.window.showQuickPick(EXPORT_CHOICES, { title: 'Agent Profiler: Export', placeHolder: 'Export the run as…' });
  if (!choice) return;
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const suggested = `${runFileStem(file)}.${choice.extension}`;
  const target = await vscode.window.showSaveDialog({
    saveLabel: 'Export',
    defaultUri: folder ? vscode.Uri.joinPath(folder, suggested) : vscode.Uri.file(path.join(path.dirname(file), suggested)),
    filters: { [choice.filter]: [choice.extension.split('.').pop() ?? choice.extension] },
  });
  if (!target) return;
  const reply = await services.worker.exportQuery({ type: 'export', file, format: choice.format, displayName: displayPath(file) });
  if (reply.type === 'exportFailed') {
    services.reportError(`Agent Profiler: could not export ${displayPath(file)}: ${reply.message}`, new Error(reply.message));
    return;
  }
  await vscode.workspace.fs.writeFile(target, Buffer.from(reply.text, 'utf8'));
  const open = await vscode.window.showInformationMessage(`Agent Profiler: ${choice.label} written to ${target.fsPath}.`, 'Open');
  if (!open) return;
  // A report is read rendered: Markdown in the preview, HTML in the browser; data files as text.
  switch (viewerOf(choice.format)) {
    case 'markdownPreview':
      await vscode.commands.executeCommand('markdown.showPreview', target);
      return;
    case 'browser':
      await vscode.env.openExternal(target);
      return;
    case 'editor':
      await vscode.window.showTextDocument(target);
      return;
  }
}

/** The README shipped with the extension, rendered: the docs work offline. */
async function showDocs(services: Services): Promise<void> {
  const readme = vscode.Uri.joinPath(services.context.extensionUri, 'README.md');
  try {
    await vscode.commands.executeCommand('markdown.showPreview', readme);
  } catch {
    await vscode.window.showTextDocument(readme);
  }
}

/** Keeps the `when`-clause context keys in step with the store. */
function trackContextKeys(context: vscode.ExtensionContext, services: Services): void {
  const update = () => {
    const s = services.store;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasRuns, s.runs.length > 0);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasActiveRun, s.active !== undefined);
  };
  context.subscriptions.push(services.store.onDidChangeRuns(update));
  update();
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const guarded =
    (name: string, fn: (services: Services, arg: unknown) => Promise<void>) =>
    async (arg: unknown): Promise<void> => {
      try {
        await fn(services, arg);
      } catch (err) {
        services.reportError(`Agent Profiler: ${name} failed`, err);
      }
    };
  const baseline = context.workspaceState.get<string>(STATE_KEYS.baseline);
  if (baseline && fs.existsSync(baseline)) void services.store.add(baseline).then(() => services.store.setBaseline(baseline));
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.openProfile, guarded('Open Profile', openProfile)),
    vscode.commands.registerCommand(COMMANDS.refresh, guarded('Refresh', async (s) => s.store.refresh())),
    vscode.commands.registerCommand(COMMANDS.setBaseline, guarded('Set as Baseline', setBaseline)),
    vscode.commands.registerCommand(COMMANDS.compareWithBaseline, guarded('Compare with Baseline', compareWithBaseline)),
    vscode.commands.registerCommand(COMMANDS.exportReport, guarded('Export Report', exportReport)),
    vscode.commands.registerCommand(COMMANDS.showDocs, guarded('Open Documentation', showDocs)),
    { dispose: disposeComparison },
  );
  trackContextKeys(context, services);
}
