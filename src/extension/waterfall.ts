/**
 * Registers the waterfall: the `agentProfiler.showWaterfall` command (palette, tree, code lenses,
 * hovers) and a serializer, so a panel left open comes back after a window reload with the page's
 * saved view state. One panel at a time; the command reveals it.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import type { Services } from './services';
import { parseWaterfallArgs } from './waterfall-args';
import { WATERFALL_VIEW_TYPE, WaterfallPanel, type WaterfallSource } from './waterfall-panel';
import { webviewOptions } from './webview-panel-setup';

/**
 * Registers the command and the serializer. `source` answers the panel's requests (the analysis
 * worker's `WorkerBackend`).
 */
export function registerWaterfall(context: vscode.ExtensionContext, services: Services): void {
  const source: WaterfallSource = services.worker;
  let current: WaterfallPanel | undefined;
  const adopt = (panel: vscode.WebviewPanel): WaterfallPanel => {
    // A shown panel (opened, or restored with the window) needs the active run analysed.
    services.store.wake('the waterfall is shown');
    current?.panel.dispose();
    const created = new WaterfallPanel(panel, services, source, () => {
      if (current === created) current = undefined;
    });
    current = created;
    return created;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showWaterfall, (arg?: unknown) => {
      const request = parseWaterfallArgs(arg);
      const panel =
        current ??
        adopt(
          vscode.window.createWebviewPanel(WATERFALL_VIEW_TYPE, 'Waterfall', vscode.ViewColumn.Active, {
            ...webviewOptions(context.extensionUri),
            // No retainContextWhenHidden: the page keeps its view state with setState instead.
            enableFindWidget: false,
          }),
        );
      panel.show(request);
    }),
    vscode.window.registerWebviewPanelSerializer(WATERFALL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        // The page restores zoom, selection and filters from its own saved state.
        adopt(panel);
      },
    }),
    { dispose: () => current?.panel.dispose() },
  );
}
