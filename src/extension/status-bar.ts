/** A status bar item with the active run's wall time and cost (status-text.ts); click to reveal the runs view. */
import * as vscode from 'vscode';
import { PREFIX, VIEWS } from './ids';
import type { Services } from './services';
import type { RunEntry } from './store';
import { statusText } from './status-text';

export function register(context: vscode.ExtensionContext, services: Services): void {
  const item = vscode.window.createStatusBarItem(`${PREFIX}.status`, vscode.StatusBarAlignment.Left, 10);
  item.name = 'Agent Profiler';
  item.command = `${VIEWS.runs}.focus`;
  const update = (entry: RunEntry | undefined) => {
    const shown = statusText(entry);
    if (!shown) {
      item.hide();
      return;
    }
    item.text = shown.text;
    item.tooltip = shown.tooltip;
    item.show();
  };
  context.subscriptions.push(
    item,
    services.store.onDidChangeActiveAnalysis(update),
    // While the store sleeps, the newest run found is shown by name until it is analysed.
    services.store.onDidChangeRuns(() => update(services.store.active ?? services.store.runs[0])),
  );
  update(services.store.active ?? services.store.runs[0]);
}
