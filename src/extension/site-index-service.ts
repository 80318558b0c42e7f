/**
 * Holds the call-site index of the active run and the per-document matches. The index is built
 * once per analysis; a document's matches once per (document version, analysis), so lenses and
 * hovers follow edits while providers only look things up.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildSiteIndex, matchCalls, matchRecordedSites, type LensMatch, type SiteIndex } from './lens-index';
import type { ProfileStore, RunEntry } from './store';
import { scanTimerCalls } from './timer-scan';
import type { RunResult } from './worker-protocol';

/** Where a run's relative call-site paths start: its cwd, else the profile's workspace folder. */
export function baseDirOf(result: Pick<RunResult, 'file' | 'header'>): string {
  if (result.header.cwd) return result.header.cwd;
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(result.file));
  return folder?.uri.fsPath ?? path.dirname(result.file);
}

/** Languages whose timer calls get lenses and hovers. */
export const SOURCE_LANGUAGES = ['python', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact'];

export class SiteIndexService implements vscode.Disposable {
  private index: SiteIndex | undefined;
  private readonly documents = new Map<string, { version: number; generation: number; matches: LensMatch[] }>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: { dispose(): void };
  /** While the store sleeps: documents found without timer calls, uri → version. */
  private readonly untimed = new Map<string, number>();

  /** Fires when the index changed (a new analysis, or no active run any more). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly store: ProfileStore) {
    this.subscription = store.onDidChangeActiveAnalysis((entry) => this.update(entry));
  }

  get current(): SiteIndex | undefined {
    return this.index;
  }

  /** The matched timer calls of a document, computed once per document version and analysis. */
  matchesFor(document: vscode.TextDocument): LensMatch[] {
    const index = this.index;
    if (!index || document.uri.scheme !== 'file') return [];
    const key = document.uri.toString();
    const cached = this.documents.get(key);
    if (cached && cached.version === document.version && cached.generation === index.generation) return cached.matches;
    const text = document.getText();
    const calls = scanTimerCalls(text);
    const matches = matchCalls(calls, index, document.uri.fsPath);
    const recorded = matchRecordedSites(matches, calls, index, document.uri.fsPath, text.split(/\r?\n/));
    if (recorded.length) {
      matches.push(...recorded);
      matches.sort((a, b) => a.call.line - b.call.line);
    }
    this.documents.set(key, { version: document.version, generation: index.generation, matches });
    return matches;
  }

  /**
   * Asked by the lens and hover providers before there is an index: a source file with timer calls
   * is one the user wants lenses on, so it wakes the store (the lenses appear once the active run
   * is analysed). Each document version is scanned once.
   */
  wakeIfTimed(document: vscode.TextDocument): void {
    if (this.store.awake || document.uri.scheme !== 'file') return;
    const key = document.uri.toString();
    if (this.untimed.get(key) === document.version) return;
    if (scanTimerCalls(document.getText()).length === 0) {
      this.untimed.set(key, document.version);
      return;
    }
    this.untimed.clear();
    this.store.wake(`${path.basename(document.uri.fsPath)} has timer calls`);
  }

  /** Forgets a closed document's matches. */
  forget(document: vscode.TextDocument): void {
    this.documents.delete(document.uri.toString());
    this.untimed.delete(document.uri.toString());
  }

  private update(entry: RunEntry | undefined): void {
    const result = entry?.result;
    if (!result || !entry) {
      if (!this.index) return;
      this.index = undefined;
    } else {
      if (this.index?.result === result) return;
      this.index = buildSiteIndex(result, entry.generation, baseDirOf(result));
    }
    this.documents.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
