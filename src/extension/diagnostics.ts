/**
 * Problems entries for the active run: bottlenecks (Information) and breached budgets (Warning) at
 * their call sites, and the profile's own read problems on the profile file at their line.
 * Call sites outside the workspace get no entry: Problems is about the user's code.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { BudgetStatus } from '../core/analysis-types';
import { budgetValueText, savingsText } from './finding-text';
import { DISPLAY_NAME, PREFIX } from './ids';
import { CappedProblems, type ProblemKind } from './problem-cap';
import { locateRecordedPath } from './workspace-paths';
import type { Services } from './services';
import { baseDirOf } from './site-index-service';
import type { RunEntry } from './store';

function lineRange(line: number | undefined): vscode.Range {
  const l = Math.max(0, (line ?? 1) - 1);
  return new vscode.Range(l, 0, l, Number.MAX_SAFE_INTEGER);
}

/** A budget target is the workspace's text, of any length; Problems shows its start. */
const MAX_TARGET_CHARS = 200;

function budgetText(b: BudgetStatus): string {
  const target = b.target.length > MAX_TARGET_CHARS ? `${b.target.slice(0, MAX_TARGET_CHARS - 1)}…` : b.target;
  return `Budget "${target}" exceeded: ${budgetValueText(b.metric, b.used)} used of ${budgetValueText(b.metric, b.limit)}`;
}

function publish(collection: vscode.DiagnosticCollection, entry: RunEntry | undefined): void {
  collection.clear();
  const r = entry?.result;
  if (!r) return;
  const a = r.analysis;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const base = baseDirOf(r);
  const problems = new CappedProblems<vscode.Diagnostic>();
  // One verdict per distinct recorded path (workspace-paths.ts), however many findings point at it.
  const verdicts = new Map<string, ReturnType<typeof locateRecordedPath>>();
  const atSite = (file: string | undefined, line: number | undefined, kind: ProblemKind, make: () => vscode.Diagnostic) => {
    if (!file) return;
    let verdict = verdicts.get(file);
    if (!verdict) verdicts.set(file, (verdict = locateRecordedPath(file, base, folders, (f) => fs.existsSync(f))));
    if (verdict.kind === 'inside') problems.add(verdict.absolute, kind, make, line);
  };

  for (const p of a.diagnostics) {
    const severity = p.severity === 'error' ? vscode.DiagnosticSeverity.Error : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
    problems.add(r.file, 'problem', () => new vscode.Diagnostic(lineRange(p.line || 1), p.message, severity), p.line || 1);
  }
  for (const b of a.bottlenecks) {
    atSite(b.file, b.line, 'bottleneck', () => {
      const saves = savingsText(b);
      const d = new vscode.Diagnostic(lineRange(b.line), `${b.component}: ${b.suggestion}${saves ? ` (saves ${saves})` : ''}`, vscode.DiagnosticSeverity.Information);
      d.code = b.kind;
      return d;
    });
  }
  // Places were found in the worker (budget-places.ts); the host only reads them.
  const places = r.budgetPlaces ?? [];
  a.budgets.forEach((b, i) => {
    if (!b.breached) return;
    const site = places[i];
    atSite(site?.file, site?.line, 'budget breach', () => {
      const d = new vscode.Diagnostic(lineRange(site?.line), budgetText(b), vscode.DiagnosticSeverity.Warning);
      d.code = 'budget';
      return d;
    });
  });
  const summary = (text: string, line: number) => new vscode.Diagnostic(lineRange(line), text, vscode.DiagnosticSeverity.Information);
  for (const [file, list] of problems.files(summary)) {
    for (const d of list) d.source = DISPLAY_NAME;
    collection.set(vscode.Uri.file(file), list);
  }
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
