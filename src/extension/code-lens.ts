/**
 * Code lenses over timer calls: `$(watch) 12 calls · p50 1.20 s · p95 3.10 s · 41 % of run · $0.14`.
 * `provideCodeLenses` returns ranges from the precomputed index; `resolveCodeLens` adds the title
 * and the command (open the waterfall on those spans). Lenses refresh only when the index does.
 * With a baseline set, p95 and cost carry their change against it (baseline-deltas.ts), and calls
 * the baseline ran but this run did not get a lens saying so.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import { lensTitleWithDelta, vanishedLensTitle } from './baseline-deltas';
import { spanIdsOf, type LensMatch } from './lens-index';
import type { Services } from './services';
import { SOURCE_LANGUAGES } from './site-index-service';
import type { WaterfallArgs } from './waterfall-link';

class TimerLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly match: LensMatch,
    readonly profile: string,
    /** A call the baseline ran and this run did not. */
    readonly vanished = false,
  ) {
    super(range);
  }
}

class TimerLensProvider implements vscode.CodeLensProvider<TimerLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly services: Services) {}

  /** Lenses appear or go: a new index, or the lens settings changed. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): TimerLens[] {
    const { enabled } = this.services.config.current.codeLens;
    const index = this.services.sites.current;
    if (!enabled) return [];
    if (!index) {
      this.services.sites.wakeIfTimed(document);
      return [];
    }
    const matches = this.services.sites.matchesFor(document);
    const lenses = matches.map((m) => {
      const range = new vscode.Range(m.call.line, m.call.startColumn, m.call.line, m.call.endColumn);
      return new TimerLens(range, m, index.result.file);
    });
    for (const m of this.services.baseline.vanishedFor(document, matches)) {
      const range = new vscode.Range(m.call.line, m.call.startColumn, m.call.line, m.call.endColumn);
      lenses.push(new TimerLens(range, m, index.result.file, true));
    }
    return lenses;
  }

  resolveCodeLens(lens: TimerLens): TimerLens {
    if (lens.vanished) {
      lens.command = { title: vanishedLensTitle(lens.match.stats), tooltip: 'Agent Profiler: the baseline run called this; this run did not', command: '' };
      return lens;
    }
    const index = this.services.sites.current;
    const spanIds = index ? spanIdsOf(lens.match, index.result) : [];
    const moved = lens.match.call.method === 'timed' ? ' (recorded where the function is called)' : ' (the line moved since the run)';
    const how = lens.match.how === 'site' ? '' : lens.match.how === 'moved' ? moved : ' (matched by name)';
    const delta = index ? this.services.baseline.deltaOf(lens.match, index.result) : undefined;
    const title = lensTitleWithDelta(lens.match.stats, this.services.config.current.codeLens.show, delta);
    const args: WaterfallArgs = { spanIds, file: lens.profile };
    // Set synchronously: a command id resolved later than the click fails with "command not found".
    lens.command = { title, tooltip: `Agent Profiler: show these spans in the waterfall${how}`, command: COMMANDS.showWaterfall, arguments: [args] };
    return lens;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const provider = new TimerLensProvider(services);
  const selector = SOURCE_LANGUAGES.map((language) => ({ language, scheme: 'file' }));
  context.subscriptions.push(
    provider,
    vscode.languages.registerCodeLensProvider(selector, provider),
    services.sites.onDidChange(() => provider.refresh()),
    services.config.onDidChange(() => provider.refresh()),
    services.baseline.onDidChange(() => provider.refresh()),
    vscode.workspace.onDidCloseTextDocument((d) => services.sites.forget(d)),
  );
}
