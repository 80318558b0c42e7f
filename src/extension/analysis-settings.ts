/**
 * Feeds the analysis worker its settings: thresholds, price overrides, the byte cap, and budgets
 * from settings plus each workspace folder's `agentprof.budgets.json` (whose problems go to
 * Problems on that file). Re-sent when either changes; the active run is then re-analysed.
 */
import * as vscode from 'vscode';
import { parseBudgetsFile } from '../core/budgets';
import type { Budget } from '../core/model';
import { BUDGETS_FILE, DISPLAY_NAME, PREFIX } from './ids';
import type { Services } from './services';
import type { AnalysisSettings } from './worker-protocol';

async function readBudgetFiles(collection: vscode.DiagnosticCollection): Promise<Budget[]> {
  collection.clear();
  const budgets: Budget[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, BUDGETS_FILE);
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue; // no budgets file in this folder
    }
    const parsed = parseBudgetsFile(text, BUDGETS_FILE);
    budgets.push(...parsed.budgets);
    collection.set(
      uri,
      parsed.diagnostics.map((d) => {
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
      fileBudgets = await readBudgetFiles(collection);
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
