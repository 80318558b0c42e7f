/**
 * The `agentProfiler.runs` tree view: maps the plain nodes of tree-model.ts to `TreeItem`s and
 * refreshes when the store changes. Bad profiles show as items with their problems, never as errors.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, VIEWS } from './ids';
import type { Services } from './services';
import type { ProfileStore } from './store';
import { buildRunNodes } from './tree-model';
import type { TreeNode } from './tree-node';

/** How a file is named in the tree: relative to its workspace folder when inside one. */
export function displayPath(file: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  if (!folder) return file;
  const rel = path.relative(folder.uri.fsPath, file);
  return (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/${rel}` : rel;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export class RunsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ProfileStore) {
    this.subscription = store.onDidChangeRuns(() => this.changed.fire(undefined));
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.children?.() ?? [];
    return buildRunNodes(this.store.runs, this.store.active?.file, this.store.baseline, {
      displayPath,
      formatTime: (ms) => timeFormat.format(new Date(ms)),
    });
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = !node.children
      ? vscode.TreeItemCollapsibleState.None
      : node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
    if (node.command) item.command = node.command;
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function register(context: vscode.ExtensionContext, services: Services): RunsTreeProvider {
  const provider = new RunsTreeProvider(services.store);
  const view = vscode.window.createTreeView(VIEWS.runs, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(
    provider,
    view,
    vscode.commands.registerCommand(COMMANDS.selectRun, (arg: unknown) => {
      const file = typeof arg === 'string' ? arg : runFileOf(arg);
      if (file) services.store.select(file);
    }),
  );
  return provider;
}

/** The run file of a tree node passed to a context-menu command, if it is a run. */
export function runFileOf(arg: unknown): string | undefined {
  const node = arg as TreeNode | undefined;
  if (node && typeof node.id === 'string' && node.id.startsWith('run:')) return node.id.slice(4);
  if (arg instanceof vscode.Uri && arg.scheme === 'file') return arg.fsPath;
  return undefined;
}
