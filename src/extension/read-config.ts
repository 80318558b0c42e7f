/** Reads the typed settings from VS Code, and keeps them current. */
import * as vscode from 'vscode';
import { parseConfig, type ExtensionConfig } from './config';
import { PREFIX } from './ids';
import type { ConfigHolder } from './services';

export function readConfig(): ExtensionConfig {
  const section = vscode.workspace.getConfiguration(PREFIX);
  return parseConfig((key) => section.get(key));
}

/** A {@link ConfigHolder} that re-reads only when an `agentProfiler.*` setting changed. */
export function watchConfig(subscriptions: vscode.Disposable[]): ConfigHolder {
  const emitter = new vscode.EventEmitter<ExtensionConfig>();
  let current = readConfig();
  subscriptions.push(
    emitter,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(PREFIX)) return;
      current = readConfig();
      emitter.fire(current);
    }),
  );
  return {
    get current() {
      return current;
    },
    onDidChange: emitter.event,
  };
}
