/** A status bar item with the active run's wall time and cost; click to reveal the runs view. */
import * as vscode from 'vscode';
import { formatCountOf, formatMs, formatUsd } from '../core/format';
import { PREFIX, VIEWS } from './ids';
import type { Services } from './services';
import type { RunEntry } from './store';
import { clipText, MAX_LABEL_CHARS } from './tree-node';

export function register(context: vscode.ExtensionContext, services: Services): void {
  const item = vscode.window.createStatusBarItem(`${PREFIX}.status`, vscode.StatusBarAlignment.Left, 10);
  item.name = 'Agent Profiler';
  item.command = `${VIEWS.runs}.focus`;
  const update = (entry: RunEntry | undefined) => {
    const s = entry?.summary;
    if (!entry || !s) {
      item.hide();
      return;
    }
    const name = clipText(entry.result?.header.name ?? 'run', MAX_LABEL_CHARS, true);
    item.text = `${entry.live ? '$(sync~spin)' : '$(pulse)'} ${formatMs(s.wallMs)} · ${formatUsd(s.costUsd)}`;
    item.tooltip = `Agent Profiler — ${name}: wall time ${formatMs(s.wallMs)}, cost ${formatUsd(s.costUsd)}, ${formatCountOf(s.spans, 'span')}${s.errors ? `, ${formatCountOf(s.errors, 'error')}` : ''}`;
    item.show();
  };
  context.subscriptions.push(
    item,
    services.store.onDidChangeActiveAnalysis(update),
    services.store.onDidChangeRuns(() => update(services.store.active)),
  );
  update(services.store.active);
}
