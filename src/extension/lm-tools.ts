/**
 * The chat tools as VS Code language-model tools (Copilot Chat, agent mode, `#` references).
 * Thin adapters: the answers are core/present/tools, the runs come from the store. Every tool only
 * reads profiles, so none asks for confirmation (VS Code's convention for read-only tools); the
 * progress message names what is being read. Where the running VS Code has no language-model tool
 * API, nothing is registered.
 */
import * as vscode from 'vscode';
import { answerText, answerTool, TOOL_DEFINITIONS } from '../core/present/tools';
import { progressMessage } from '../core/present/tools/definitions';
import type { Services } from './services';
import { StoreCatalog } from './tool-catalog';

export function register(context: vscode.ExtensionContext, services: Services): void {
  if (typeof vscode.lm?.registerTool !== 'function') {
    services.log('this VS Code has no language-model tool API; the chat tools are not registered');
    return;
  }
  const catalog = new StoreCatalog({
    store: services.store,
    folders: () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    regressionPct: () => services.config.current.thresholds.regressionPct,
  });
  for (const def of TOOL_DEFINITIONS) {
    const tool: vscode.LanguageModelTool<unknown> = {
      prepareInvocation: (options) => ({ invocationMessage: progressMessage(def, options.input) }),
      async invoke(options) {
        const answer = await answerTool(def.name, options.input, catalog);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(answerText(answer))]);
      },
    };
    context.subscriptions.push(vscode.lm.registerTool(def.name, tool));
  }
}
