/**
 * Feeds the analysis worker its settings: thresholds, price overrides, the byte cap, and budgets
 * from settings plus each workspace folder's `agentprof.budgets.json` (whose problems go to
 * Problems on that file). Re-sent when either changes; the active run is then re-analysed.
 */
import * as vscode from 'vscode';
import type { Budget, Diagnostic } from '../core/model';
import { BUDGETS_FILE, DISPLAY_NAME, PREFIX } from './ids';
import type { Services } from './services';
import type { WorkerBackend } from './worker-client';
import type { AnalysisSettings } from './worker-protocol';

/**
 * Each folder's budgets file, read and parsed by the analysis worker (size-, entry- and
 * problem-capped there: budgets-worker.ts); the host only turns at most 101 problems per file
 * into Problems entries.
 */
async function readBudgetFiles(collection: vscode.DiagnosticCollection, worker: WorkerBackend): Promise<Budget[]> {
  // Not worth starting the worker for: the budgets are read once it runs for an analysis.
  await worker.whenStarted();
  const budgets: Budget[] = [];
  const found: Array<[vscode.Uri, Diagnostic[]]> = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const uri = vscode.Uri.joinPath(folder.uri, BUDGETS_FILE);
    const parsed = await worker.readBudgetsFile(uri.fsPath);
    if (!parsed || parsed.missing) continue; // no budgets file in this folder
    budgets.push(...parsed.budgets);
    found.push([uri, parsed.diagnostics]);
  }
  collection.clear();
  for (const [uri, diagnostics] of found) {
    collection.set(
      uri,
      diagnostics.map((d) => {
        const line = Math.max(0, d.line - 1);
        const diag = new vscode.Diagnostic(
          new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
          d.message,
          d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
        );
        diag.source = DISPLAY_NAME;
        return diag;
      }),
    );
  }
  return budgets;
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const collection = vscode.languages.createDiagnosticCollection(`${PREFIX}.budgets`);
  let fileBudgets: Budget[] = [];
  const push = () => {
    const c = services.config.current;
    const settings: AnalysisSettings = {
      maxFileBytes: c.maxFileBytes,
      thresholds: c.thresholds,
      priceOverrides: c.priceOverrides,
      budgets: [...c.budgets, ...fileBudgets],
      groupNames: c.groupNames,
    };
    services.store.configure(settings);
  };
  const reload = async () => {
    try {
      fileBudgets = await readBudgetFiles(collection, services.worker);
    } catch (err) {
      services.log(`cannot read ${BUDGETS_FILE}: ${(err as Error).message}`);
    }
    push();
  };
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${BUDGETS_FILE}`);
  context.subscriptions.push(
    collection,
    watcher,
    watcher.onDidCreate(reload),
    watcher.onDidChange(reload),
    watcher.onDidDelete(reload),
    vscode.workspace.onDidChangeWorkspaceFolders(reload),
    services.config.onDidChange(push),
  );
  // Settings first, synchronously, so the first analysis already has the thresholds.
  push();
  void reload();
}
