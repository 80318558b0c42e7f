/**
 * The `agentProfiler.runs` tree view: maps the plain nodes of tree-model.ts to `TreeItem`s and
 * refreshes when the store changes. Bad profiles show as items with their problems, never as errors.
 * Showing the view is what starts analysing (the store sleeps until then; see store.ts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, VIEWS } from './ids';
import type { Services } from './services';
import type { ProfileStore } from './store';
import { buildRunNodes, reuseNodes } from './tree-model';
import { displayText, type TreeNode } from './tree-node';
import { RevealGate } from './tree-reveal';

/** How a file is named in the tree: relative to its workspace folder when inside one. */
export function displayPath(file: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  if (!folder) return file;
  const rel = path.relative(folder.uri.fsPath, file);
  return (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/${rel}` : rel;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export class RunsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  /** The root nodes since the last store change; undefined when they must be rebuilt. */
  private roots: TreeNode[] | undefined;
  /**
   * Root node objects by id, reused across rebuilds: `TreeView.reveal` finds an element by object
   * identity, so the node handed to it must be the one `getChildren` returns after the refresh.
   */
  private rootsById = new Map<string, TreeNode>();
  private lastActive: string | undefined;
  private activeEpoch = 0;
  /** Told when the view fetches the roots and when they go stale (see tree-reveal.ts). */
  gate: RevealGate<TreeNode> | undefined;

  constructor(private readonly store: ProfileStore) {
    this.subscription = store.onDidChangeRuns(() => {
      const before = this.roots?.map(itemIdOf);
      this.roots = undefined;
      const same = before !== undefined && sameIds(before, this.rootNodes().map(itemIdOf));
      if (same) {
        // The view still holds these roots under these ids: refresh them in place.
        this.changed.fire(this.roots!.slice());
        return;
      }
      this.gate?.changed();
      this.changed.fire(undefined);
    });
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.children?.() ?? [];
    const roots = this.rootNodes();
    this.gate?.fetchedRoots(roots);
    return roots;
  }

  /** Only run nodes are revealed, and they are roots. */
  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = !node.children
      ? vscode.TreeItemCollapsibleState.None
      : node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
    // Every item passes here, so every string from the profile is clipped here.
    const text = displayText(node);
    const item = new vscode.TreeItem(text.label, state);
    item.id = node.itemId ?? node.id;
    item.description = text.description;
    item.tooltip = text.tooltip;
    item.contextValue = node.contextValue;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
    if (node.command) item.command = node.command;
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private rootNodes(): TreeNode[] {
    if (this.roots) return this.roots;
    const active = this.store.active?.file;
    if (active !== this.lastActive) {
      this.lastActive = active;
      this.activeEpoch++;
    }
    const fresh = buildRunNodes(this.store.runs, active, this.store.baseline, {
      displayPath,
      formatTime: (ms) => timeFormat.format(new Date(ms)),
      activeEpoch: this.activeEpoch,
    });
    const reused = reuseNodes(this.rootsById, fresh);
    this.rootsById = reused.byId;
    this.roots = reused.nodes;
    return this.roots;
  }
}

/** The id VS Code knows a node by. */
function itemIdOf(node: TreeNode): string {
  return node.itemId ?? node.id;
}

/**
 * Whether a store change kept the roots' shape: the same runs in the same order under the same
 * item ids (a run's state or figures changed, as when the view opening starts the analysis). Then
 * the roots are refreshed as elements, which keeps their ids known to the extension host; a refresh
 * of the whole tree makes it forget every id until the view fetches the roots again, and the
 * workbench, which may just be asking for the children of the active run it fetched a moment
 * before, gets "No tree item with id … found".
 */
function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

export function register(context: vscode.ExtensionContext, services: Services): RunsTreeProvider {
  const provider = new RunsTreeProvider(services.store);
  const view = vscode.window.createTreeView(VIEWS.runs, { treeDataProvider: provider, showCollapseAll: true });
  const wakeIfShown = (visible: boolean) => {
    if (visible) services.store.wake('the runs view is shown');
  };
  // Only a run the view itself fetched is revealed (tree-reveal.ts); a hidden view is opened first.
  provider.gate = new RevealGate<TreeNode>({
    get visible() {
      return view.visible;
    },
    reveal: async (node) => {
      try {
        // Expands the run even if it was collapsed before.
        await view.reveal(node, { select: true, focus: false, expand: true });
      } catch (err) {
        services.log(`cannot reveal ${node.id} in the runs view: ${(err as Error).message}`);
      }
    },
    open: async () => {
      await vscode.commands.executeCommand(`${VIEWS.runs}.focus`);
    },
  });
  const reveal = (file: string) => provider.gate?.request(`run:${file}`);
  context.subscriptions.push(
    provider,
    view,
    view.onDidChangeVisibility((e) => wakeIfShown(e.visible)),
    services.store.onDidAskToShow((file) => void reveal(file)),
    vscode.commands.registerCommand(COMMANDS.selectRun, (arg: unknown) => {
      const file = typeof arg === 'string' ? arg : runFileOf(arg);
      if (file) services.store.select(file);
    }),
  );
  // Restored open with the window: the user sees it, so its run is analysed now.
  wakeIfShown(view.visible === true);
  return provider;
}

/** The run file of a tree node passed to a context-menu command, if it is a run. */
export function runFileOf(arg: unknown): string | undefined {
  const node = arg as TreeNode | undefined;
  if (node && typeof node.id === 'string' && node.id.startsWith('run:')) return node.id.slice(4);
  if (arg instanceof vscode.Uri && arg.scheme === 'file') return arg.fsPath;
  return undefined;
}
