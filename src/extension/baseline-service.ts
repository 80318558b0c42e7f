/**
 * The baseline run behind the lens and hover deltas. It follows the store's baseline: when one is
 * set (Set as Baseline, Compare with Baseline…, or restored from the workspace state) the run is
 * analysed once and indexed; lenses then ask it for the change of each call. Nothing here runs
 * per keystroke: a document's vanished calls are computed once per (document version, baseline,
 * active analysis).
 */
import * as vscode from 'vscode';
import { buildBaselineLookup, lensDelta, type BaselineLookup, type LensDelta } from './baseline-deltas';
import { buildSiteIndex, matchCalls, type LensMatch, type SiteIndex } from './lens-index';
import type { ConfigHolder } from './services';
import { baseDirOf, type SiteIndexService } from './site-index-service';
import type { ProfileStore } from './store';
import { scanTimerCalls } from './timer-scan';
import type { RunResult } from './worker-protocol';

export class BaselineService implements vscode.Disposable {
  private file: string | undefined;
  private lookup: BaselineLookup | undefined;
  private index: SiteIndex | undefined;
  private generation = 0;
  private readonly vanished = new Map<string, { version: number; key: string; matches: LensMatch[] }>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];

  /** Fires when the baseline (or its analysis) changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: ProfileStore,
    private readonly sites: SiteIndexService,
    private readonly config: ConfigHolder,
    private readonly log: (line: string) => void,
  ) {
    this.subscriptions.push(store.onDidChangeRuns(() => void this.sync()));
    void this.sync();
  }

  /** The baseline's result, when one is set, analysed, and not the active run itself. */
  get current(): RunResult | undefined {
    const lookup = this.lookup;
    if (!lookup || lookup.result.file === this.sites.current?.result.file) return undefined;
    return lookup.result;
  }

  /** The change of a matched call of the active run against the baseline. */
  deltaOf(match: LensMatch, head: RunResult): LensDelta | undefined {
    if (!this.current || !this.lookup) return undefined;
    return lensDelta(match, head, this.lookup, this.config.current.thresholds.regressionPct);
  }

  /**
   * Timer calls of the document that the baseline recorded but the active run did not match:
   * code that stopped running. `headMatches` are the document's matches in the active run.
   */
  vanishedFor(document: vscode.TextDocument, headMatches: readonly LensMatch[]): LensMatch[] {
    const index = this.index;
    const head = this.sites.current;
    if (!index || !this.current || !head || document.uri.scheme !== 'file') return [];
    const key = `${this.generation}/${head.generation}/${head.result.file}`;
    const cached = this.vanished.get(document.uri.toString());
    if (cached && cached.version === document.version && cached.key === key) return cached.matches;
    const taken = new Set(headMatches.map((m) => m.call.line));
    const matches = matchCalls(scanTimerCalls(document.getText()), index, document.uri.fsPath).filter((m) => !taken.has(m.call.line) && m.how !== 'name');
    this.vanished.set(document.uri.toString(), { version: document.version, key, matches });
    return matches;
  }

  private async sync(): Promise<void> {
    // Lazy like the store: a baseline restored at startup is analysed once the user looks at runs.
    if (!this.store.awake) return;
    const file = this.store.baseline;
    const entry = file ? this.store.get(file) : undefined;
    if (file !== this.file || (entry?.result && entry.result !== this.lookup?.result)) {
      this.file = file;
      let result = entry?.result;
      if (file && !result) {
        try {
          result = (await this.store.analyzeNow(file))?.result;
        } catch (err) {
          this.log(`baseline: cannot analyse ${file}: ${String(err)}`);
        }
        if (this.file !== file) return; // changed meanwhile
      }
      this.lookup = result ? buildBaselineLookup(result) : undefined;
      this.index = result ? buildSiteIndex(result, ++this.generation, baseDirOf(result)) : undefined;
      this.vanished.clear();
      this.changed.fire();
    }
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.changed.dispose();
  }
}
