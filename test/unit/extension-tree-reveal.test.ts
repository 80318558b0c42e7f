/**
 * The runs view reveals only items it fetched itself. A fake TreeView plays the extension host's
 * part: a change of the tree clears the item ids it knows until the view, when shown, fetches the
 * roots again; a reveal (whose expand asks for the item's children by id) of an id it does not
 * know is logged as VS Code logs it: "No tree item with id … found" (a defect from the new-user
 * walk, seen when the view first opened after a profile was found).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fakeVscode, installFakeVscode } from '../../bench/fake-vscode';
import type { RunEntry } from '../../src/extension/store';
import type { TreeNode } from '../../src/extension/tree-node';
import { RevealGate } from '../../src/extension/tree-reveal';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

/** The `vscode` module the extension's files see: the fake of another test, or one of our own. */
function vscodeModule(): any {
  try {
    return require('vscode');
  } catch {
    installFakeVscode(fakeVscode(undefined, { registeredCommands: [], findFilesCalls: 0 }));
    return require('vscode');
  }
}

function entry(file: string): RunEntry {
  return { file, mtimeMs: 1000, startMs: undefined, state: 'idle', result: undefined, summary: undefined, error: undefined, live: false, generation: 0 };
}

/** A TreeView as the extension host keeps one (see the module comment). */
class HostLikeView {
  visible = false;
  /** Item ids of the roots fetched since the last change. */
  known = new Set<string>();
  readonly errors: string[] = [];
  readonly revealed: string[] = [];
  private readonly visibility: any;
  readonly onDidChangeVisibility: any;

  constructor(
    vscode: any,
    private readonly provider: any,
  ) {
    this.visibility = new vscode.EventEmitter();
    this.onDidChangeVisibility = this.visibility.event;
    provider.onDidChangeTreeData((changed: TreeNode | TreeNode[] | undefined) => {
      // Elements refreshed in place keep their ids; a refresh of the whole tree forgets them all.
      if (changed !== undefined) return;
      this.known.clear();
      if (this.visible) this.fetchSoon();
    });
  }

  /** The workbench asks for the children of the expanded roots it fetched, by their ids. */
  childrenOfExpanded(): number {
    let asked = 0;
    for (const node of this.provider.getChildren() as TreeNode[]) {
      const item = this.provider.getTreeItem(node);
      // The fake TreeItem keeps its constructor arguments (label, collapsible state) as `args`.
      if ((item.collapsibleState ?? item.args?.[1]) !== 2) continue;
      asked++;
      if (this.known.has(item.id)) this.provider.getChildren(node);
      else this.errors.push(`No tree item with id '1/${item.id}' found.`);
    }
    return asked;
  }

  fetchNow(): void {
    const roots: TreeNode[] = this.provider.getChildren();
    this.known = new Set(roots.map((n) => this.provider.getTreeItem(n).id as string));
  }

  show(): void {
    if (this.visible) return;
    this.visible = true;
    this.visibility.fire({ visible: true });
    this.fetchSoon();
  }

  async reveal(node: TreeNode): Promise<void> {
    const id = this.provider.getTreeItem(node).id as string;
    this.show();
    if (this.known.has(id)) this.revealed.push(id);
    else this.errors.push(`No tree item with id '1/${id}' found.`);
  }

  dispose(): void {}

  private fetchSoon(): void {
    setTimeout(() => this.fetchNow(), 1);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('runs view reveal', () => {
  // Taken when the tests run, not when mocha loads the files: the activation test installs its fake then.
  let vscode: any;
  let saved: { createTreeView: unknown; executeCommand: unknown };
  let view: HostLikeView;
  let store: any;
  let context: { subscriptions: Array<{ dispose(): unknown }> };

  before(() => {
    vscode = vscodeModule();
    saved = { createTreeView: vscode.window.createTreeView, executeCommand: vscode.commands.executeCommand };
  });

  beforeEach(() => {
    const runsChanged = new vscode.EventEmitter();
    const showAsked = new vscode.EventEmitter();
    let woken = false;
    store = {
      runs: [entry('/ws/a.agentprof.jsonl')],
      active: undefined as RunEntry | undefined,
      baseline: undefined,
      onDidChangeRuns: runsChanged.event,
      onDidAskToShow: showAsked.event,
      changed: () => runsChanged.fire(),
      askToShow: (file: string) => showAsked.fire(file),
      // As the real store: waking starts analysing the active run, which changes its state.
      wake: () => {
        if (woken) return;
        woken = true;
        runsChanged.fire();
      },
    };
    store.active = store.runs[0];
    vscode.window.createTreeView = (_id: string, options: { treeDataProvider: unknown }) => (view = new HostLikeView(vscode, options.treeDataProvider));
    vscode.commands.executeCommand = async (id: string) => {
      if (id === 'agentProfiler.runs.focus') view.show();
    };
    context = { subscriptions: [] };
    const { register } = require('../../src/extension/tree') as typeof import('../../src/extension/tree');
    register(context as any, { store, log: () => undefined } as any);
  });

  afterEach(() => {
    for (const d of context.subscriptions) d.dispose();
  });

  after(() => {
    vscode.window.createTreeView = saved.createTreeView;
    vscode.commands.executeCommand = saved.executeCommand;
    // The extension's modules loaded here hold this `vscode`: a test that installs another fake
    // later (the activation test, when run after this file) must load them afresh.
    const ours = path.join(__dirname, '..', '..', 'src', 'extension') + path.sep;
    for (const id of Object.keys(require.cache)) if (id.startsWith(ours)) delete require.cache[id];
  });

  it('reveals a profile opened while the view is closed only once the view has fetched it', async () => {
    // Open Profile: the new run is listed and made active, then the views are asked to show it.
    const b = entry('/ws/b.agentprof.jsonl');
    store.runs = [b, ...store.runs];
    store.active = b;
    store.changed();
    store.askToShow(b.file);
    await settle();
    assert.deepEqual(view.errors, []);
    assert.equal(view.visible, true);
    // The item revealed is the one of the roots the view holds, under the id it holds.
    assert.equal(view.revealed.length, 1);
    assert.ok(view.known.has(view.revealed[0]), view.revealed[0]);
    assert.match(view.revealed[0], /^run:\/ws\/b\.agentprof\.jsonl#active\d+$/);
  });

  it('opening the view after a profile was found: the analysis starting keeps the active run known', async () => {
    // The view opens and fetches the roots; the active run is expanded, so the workbench asks for
    // its children next. In between, the store woken by the view marks the run as loading.
    view.visible = true;
    view.fetchNow();
    store.changed();
    assert.equal(view.childrenOfExpanded(), 1, 'the active run is expanded');
    assert.deepEqual(view.errors, []);
  });

  it('reveals at once when the view is open and up to date', async () => {
    view.show();
    await settle();
    store.askToShow('/ws/a.agentprof.jsonl');
    await settle();
    assert.deepEqual(view.errors, []);
    assert.equal(view.revealed.length, 1);
    assert.match(view.revealed[0], /^run:\/ws\/a\.agentprof\.jsonl#active\d+$/);
  });
});

describe('RevealGate', () => {
  it('waits for a fetch after a change, and for the node to be among the roots', async () => {
    const revealed: string[] = [];
    let opened = 0;
    const later: Array<() => void> = [];
    const gate = new RevealGate<{ id: string }>(
      { visible: true, reveal: async (n) => void revealed.push(n.id), open: async () => void opened++ },
      (f) => later.push(f),
    );
    gate.fetchedRoots([{ id: 'run:a' }]);
    gate.changed();
    await gate.request('run:b');
    assert.deepEqual([revealed, opened], [[], 0], 'stale roots, a visible view: wait for its fetch');
    gate.fetchedRoots([{ id: 'run:a' }]);
    later.shift()!();
    assert.deepEqual(revealed, [], 'run:b is not listed yet');
    gate.fetchedRoots([{ id: 'run:b' }, { id: 'run:a' }]);
    later.shift()!();
    await Promise.resolve();
    assert.deepEqual(revealed, ['run:b']);
  });
});
