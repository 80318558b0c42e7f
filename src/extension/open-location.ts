/**
 * `agentProfiler.openLocation`: jump from a tree item (or hover) to the code that recorded a span.
 * Paths from a profile are resolved against the run's cwd and must lie inside a workspace folder
 * (after following symlinks); anything else is opened only after the user saw the full path in a
 * modal and agreed — once per path and session.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import { isInside, outsideFileDetail } from './path-safety';
import { locateRecordedPath } from './workspace-paths';
import type { Services } from './services';
import type { LocationArgs } from './tree-node';

function isLocationArgs(v: unknown): v is LocationArgs {
  const a = v as LocationArgs;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof a.file === 'string' &&
    (a.line === undefined || (typeof a.line === 'number' && Number.isFinite(a.line))) &&
    (a.cwd === undefined || typeof a.cwd === 'string')
  );
}

export class LocationOpener {
  private readonly allowed = new Set<string>();

  constructor(private readonly services: Services) {}

  async open(args: unknown): Promise<void> {
    if (!isLocationArgs(args)) {
      void vscode.window.showErrorMessage('Agent Profiler: this item has no location to open.');
      return;
    }
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    // A run file the store knows (found in the workspace or opened by the user) is safe as is.
    const known = this.services.store.get(args.file);
    let target: string;
    if (known) {
      target = known.file;
    } else {
      const profileFolder = args.profile ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(args.profile))?.uri.fsPath : undefined;
      // The same rule as the lenses: a relative path found in the workspace opens the workspace's file.
      const verdict = locateRecordedPath(args.file, args.cwd ?? profileFolder, folders, (f) => fs.existsSync(f));
      if (verdict.kind === 'invalid') {
        void vscode.window.showErrorMessage(`Agent Profiler cannot open "${args.file}": ${verdict.reason}.`);
        return;
      }
      // A symlink inside the workspace may point anywhere: what counts (and what the question
      // shows) is its target. A network path is not resolved: that would contact the server.
      const real = verdict.kind === 'unc' ? verdict.absolute : await fs.promises.realpath(verdict.absolute).catch(() => verdict.absolute);
      const realFolders = await Promise.all(folders.map((f) => fs.promises.realpath(f).catch(() => f)));
      const inside = verdict.kind === 'inside' && [...folders, ...realFolders].some((f) => isInside(f, real));
      if (!inside && !(await this.confirm(verdict.absolute, real, verdict.kind === 'unc'))) return;
      target = real;
    }
    try {
      await fs.promises.access(target);
    } catch {
      const where = args.cwd ? ` (recorded relative to ${args.cwd})` : '';
      void vscode.window.showWarningMessage(`Agent Profiler: ${target} does not exist here${where}. Was the run recorded on another machine?`);
      return;
    }
    const line = Math.max(0, Math.floor((args.line ?? 1) - 1));
    const position = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(vscode.Uri.file(target), { selection: new vscode.Range(position, position), preview: true });
  }

  private async confirm(named: string, real: string, unc: boolean): Promise<boolean> {
    if (this.allowed.has(real)) return true;
    const detail = outsideFileDetail(named, real, unc);
    const choice = await vscode.window.showWarningMessage('The profile points at a file outside the workspace. Open it?', { modal: true, detail }, 'Open');
    if (choice !== 'Open') return false;
    this.allowed.add(real);
    return true;
  }
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const opener = new LocationOpener(services);
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.openLocation, (args: unknown) => opener.open(args)));
}
