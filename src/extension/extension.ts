/**
 * Activation: builds the services once, then lets each feature register itself. Nothing else
 * lives here; a failure is shown to the user, not swallowed.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { register as registerAnalysisSettings } from './analysis-settings';
import { BaselineService } from './baseline-service';
import type { AgentProfilerApi } from './api';
import { register as registerCodeLens } from './code-lens';
import { register as registerCommands } from './commands';
import { register as registerDiagnostics } from './diagnostics';
import { register as registerHover } from './hover';
import { register as registerLmTools } from './lm-tools';
import { register as registerMcpProvider } from './mcp-provider';
import { DISPLAY_NAME } from './ids';
import { register as registerOpenLocation } from './open-location';
import { register as registerOtlp } from './otlp-feature';
import { register as registerOutputLog } from './output-log';
import { watchConfig } from './read-config';
import { register as registerRunAgent } from './run-agent';
import type { Services } from './services';
import { SiteIndexService } from './site-index-service';
import { register as registerStatusBar } from './status-bar';
import { ProfileStore } from './store';
import { register as registerTree } from './tree';
import { register as registerWatcher } from './watcher';
import { registerWaterfall } from './waterfall';
import { WorkerBackend } from './worker-client';

export function activate(context: vscode.ExtensionContext): AgentProfilerApi | undefined {
  const output = vscode.window.createOutputChannel(DISPLAY_NAME);
  context.subscriptions.push(output);
  const log = (line: string) => output.appendLine(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  const reportError = (message: string, err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    log(`${message}: ${e.stack ?? e.message}`);
    void vscode.window.showErrorMessage(`${message}: ${e.message}`, 'Show Output').then((choice) => choice && output.show());
  };

  try {
    const config = watchConfig(context.subscriptions);
    const backend = new WorkerBackend(context.asAbsolutePath('dist/analysis-worker.js'), log);
    const store = new ProfileStore({
      backend,
      stat: (file) => fs.promises.stat(file).then((s) => ({ mtimeMs: s.mtimeMs }), () => undefined),
      log,
    });
    const sites = new SiteIndexService(store);
    const baseline = new BaselineService(store, sites, config, log);
    context.subscriptions.push(backend, store, sites, baseline);
    const services: Services = { context, output, config, store, sites, baseline, worker: backend, log, reportError };

    registerAnalysisSettings(context, services);
    registerOutputLog(context, services);
    const tree = registerTree(context, services);
    registerStatusBar(context, services);
    registerCodeLens(context, services);
    registerHover(context, services);
    registerDiagnostics(context, services);
    registerOpenLocation(context, services);
    registerCommands(context, services);
    registerRunAgent(context, services);
    registerWaterfall(context, services);
    registerLmTools(context, services);
    const mcpLaunch = registerMcpProvider(context, services);
    registerOtlp(context, services);
    // Last: its first batch of files reaches features that are all listening.
    registerWatcher(context, services);

    return { store, treeChildren: (node) => tree.getChildren(node), mcpLaunch };
  } catch (err) {
    reportError('Agent Profiler could not start', err);
    return undefined;
  }
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
