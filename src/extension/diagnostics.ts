/**
 * Problems entries for the active run: bottlenecks (Information) and breached budgets (Warning) at
 * their call sites, and the profile's own read problems on the profile file at their line.
 * Call sites outside the workspace get no entry: Problems is about the user's code.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Analysis, BudgetStatus, SiteTiming } from '../core/analysis-types';
import { budgetValueText, savingsText } from './finding-text';
import { DISPLAY_NAME, PREFIX } from './ids';
import { locateRecordedPath } from './workspace-paths';
import type { Services } from './services';
import { baseDirOf } from './site-index-service';
import type { RunEntry } from './store';

function lineRange(line: number | undefined): vscode.Range {
  const l = Math.max(0, (line ?? 1) - 1);
  return new vscode.Range(l, 0, l, Number.MAX_SAFE_INTEGER);
}

function budgetText(b: BudgetStatus): string {
  return `Budget "${b.target}" exceeded: ${budgetValueText(b.metric, b.used)} used of ${budgetValueText(b.metric, b.limit)}`;
}

/** Where a budget without a call site shows: the site of its target that used the most. */
function budgetSite(b: BudgetStatus, a: Analysis): Pick<SiteTiming, 'file' | 'line'> | undefined {
  if (b.file !== undefined) return { file: b.file, line: b.line ?? 1 };
  const weight = (s: SiteTiming) => (b.metric === 'cost' ? s.costUsd : b.metric === 'tokens' ? s.tokens : s.totalMs);
  let best: SiteTiming | undefined;
  for (const s of a.timing.bySite) {
    if (!s.names.some((n) => n.startsWith(b.target))) continue;
    if (!best || weight(s) > weight(best)) best = s;
  }
  return best;
}

function publish(collection: vscode.DiagnosticCollection, entry: RunEntry | undefined): void {
  collection.clear();
  const r = entry?.result;
  if (!r) return;
  const a = r.analysis;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const base = baseDirOf(r);
  const byFile = new Map<string, vscode.Diagnostic[]>();
  const add = (file: string, d: vscode.Diagnostic) => {
    d.source = DISPLAY_NAME;
    const list = byFile.get(file);
    if (list) list.push(d);
    else byFile.set(file, [d]);
  };
  // One file test per distinct recorded path, however many findings point at it.
  const located = new Map<string, ReturnType<typeof locateRecordedPath>>();
  const atSite = (file: string | undefined, d: vscode.Diagnostic) => {
    if (!file) return;
    let verdict = located.get(file);
    if (!verdict) located.set(file, (verdict = locateRecordedPath(file, base, folders, (f) => fs.existsSync(f))));
    if (verdict.kind === 'inside') add(verdict.absolute, d);
  };

  for (const p of a.diagnostics) {
    const severity = p.severity === 'error' ? vscode.DiagnosticSeverity.Error : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
    add(r.file, new vscode.Diagnostic(lineRange(p.line || 1), p.message, severity));
  }
  for (const b of a.bottlenecks) {
    const saves = savingsText(b);
    const d = new vscode.Diagnostic(lineRange(b.line), `${b.component}: ${b.suggestion}${saves ? ` (saves ${saves})` : ''}`, vscode.DiagnosticSeverity.Information);
    d.code = b.kind;
    atSite(b.file, d);
  }
  for (const b of a.budgets) {
    if (!b.breached) continue;
    const site = budgetSite(b, a);
    const d = new vscode.Diagnostic(lineRange(site?.line), budgetText(b), vscode.DiagnosticSeverity.Warning);
    d.code = 'budget';
    atSite(site?.file, d);
  }
  for (const [file, list] of byFile) collection.set(vscode.Uri.file(file), list);
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const collection = vscode.languages.createDiagnosticCollection(PREFIX);
  context.subscriptions.push(
    collection,
    services.store.onDidChangeActiveAnalysis((entry) => publish(collection, entry)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => publish(collection, services.store.active)),
  );
  publish(collection, services.store.active);
}
