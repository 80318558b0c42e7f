/** Shared by the extension-host suites: the extension's API, the workspace, waiting. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AgentProfilerApi } from '../../../../src/extension/api';

export const EXTENSION_ID = 'agentprofiler.agent-profiler';

export async function activateExtension(): Promise<{ extension: vscode.Extension<AgentProfilerApi | undefined>; api: AgentProfilerApi }> {
  const extension = vscode.extensions.getExtension<AgentProfilerApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  const api = extension.isActive ? extension.exports : await extension.activate();
  assert.ok(api, 'activate() returned the test API (activation did not fail)');
  return { extension, api };
}

/** The workspace folder the tests write their fixtures into. */
export function workspaceFolder(): string {
  const fromEnv = process.env.AGENTPROF_E2E_WORKSPACE;
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  const ws = fromEnv && vscode.workspace.workspaceFolders?.some((f) => f.uri.fsPath === fromEnv) ? fromEnv : folder ?? fromEnv;
  assert.ok(ws, 'a workspace folder is open (set AGENTPROF_E2E_WORKSPACE)');
  return ws;
}

/** Polls `check` until it returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
