/**
 * Offers `agentprof mcp` to VS Code's own MCP support (`contributes.mcpServerDefinitionProviders`),
 * so agents that speak MCP in VS Code get the same tools without a hand-written mcp.json. The API
 * arrived in VS Code 1.101, after this extension's minimum engine: it is looked up at run time and
 * typed here, and nothing is offered where it is missing.
 *
 * The server is the bundled CLI run by the extension host's own runtime (Electron as Node in the
 * desktop, Node in a server), over the workspace folders, with the baseline the user set.
 */
import * as vscode from 'vscode';
import { MCP_SERVER_PROVIDER } from './ids';
import type { Services } from './services';

/** What the MCP part of `vscode.lm` offers (1.101+). */
interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: { onDidChangeMcpServerDefinitions?: vscode.Event<void>; provideMcpServerDefinitions(token: vscode.CancellationToken): unknown[] },
  ): vscode.Disposable;
}

type StdioDefinitionClass = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => object;

/** The command line of the server this extension offers. */
export interface McpLaunch {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  version: string;
}

export function mcpLaunch(cliPath: string, folders: string[], baseline: string | undefined, version: string): McpLaunch {
  return {
    label: 'Agent Profiler',
    command: process.execPath,
    args: [cliPath, 'mcp', ...folders, ...(baseline ? ['--baseline', baseline] : [])],
    // The desktop's execPath is Electron; this makes it run the script as Node.
    env: { ELECTRON_RUN_AS_NODE: '1' },
    version,
  };
}

/** Registers the provider where supported; returns the current launch for the host tests, or undefined. */
export function register(context: vscode.ExtensionContext, services: Services): (() => McpLaunch) | undefined {
  const lm = vscode.lm as unknown as Partial<McpApi> | undefined;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: StdioDefinitionClass }).McpStdioServerDefinition;
  if (typeof lm?.registerMcpServerDefinitionProvider !== 'function' || typeof Definition !== 'function') {
    services.log('this VS Code has no MCP server definition API; agentprof mcp is not offered to it');
    return undefined;
  }
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const current = () =>
    mcpLaunch(
      context.asAbsolutePath('dist/cli.js'),
      (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      services.store.baseline,
      version,
    );
  const changed = new vscode.EventEmitter<void>();
  let baseline = services.store.baseline;
  context.subscriptions.push(
    changed,
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
    services.store.onDidChangeRuns(() => {
      if (services.store.baseline === baseline) return;
      baseline = services.store.baseline;
      changed.fire();
    }),
    lm.registerMcpServerDefinitionProvider(MCP_SERVER_PROVIDER, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => {
        const l = current();
        return [new Definition(l.label, l.command, l.args, l.env, l.version)];
      },
    }),
  );
  return current;
}
