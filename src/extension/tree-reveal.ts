/**
 * When the runs view may be asked to reveal a run. `TreeView.reveal` hands VS Code an item by its
 * id; the workbench then expands it and asks the extension host for its children by that id. A
 * change of the tree clears every id the host knows until the view fetches the roots again, and
 * the active run's id changes when another run becomes active (tree-model.ts, `itemId`); an item
 * revealed from a fresh build the view has not fetched yet (a profile just found, the view still
 * closed) is then unknown, and the host logs "No tree item with id … found". So a run is revealed
 * only as one of the roots the view itself fetched, with no change since; until then the request
 * waits, and a hidden view is opened (it fetches its roots when shown). Free of `vscode` so tests
 * drive it with a fake view.
 */

/** What the gate needs of the view. */
export interface RevealTarget<N> {
  /** True while the view is on screen (then a change makes it fetch the roots again by itself). */
  readonly visible: boolean;
  /** Reveals `node` (select and expand it). */
  reveal(node: N): Promise<void>;
  /** Shows the hidden view, so it fetches its roots. */
  open(): Promise<void>;
}

export class RevealGate<N extends { id: string }> {
  /** The roots the view fetched, until the tree changes again. */
  private fetched: readonly N[] | undefined;
  /** Id of the root node to reveal once the view holds it. */
  private wanted: string | undefined;

  constructor(
    private readonly target: RevealTarget<N>,
    /** Runs `f` after the view has taken in the roots it just fetched (a macrotask later). */
    private readonly later: (f: () => void) => void = (f) => void setTimeout(f, 0),
  ) {}

  /** The tree changed: what the view holds is stale until it fetches the roots again. */
  changed(): void {
    this.fetched = undefined;
  }

  /** The view fetched the roots and got `roots`. */
  fetchedRoots(roots: readonly N[]): void {
    this.fetched = roots;
    if (this.wanted !== undefined) this.later(() => void this.flush());
  }

  /** Reveals the root node with id `id` as soon as the view holds it. */
  async request(id: string): Promise<void> {
    this.wanted = id;
    if (this.fetched) return this.flush();
    if (!this.target.visible) await this.target.open();
  }

  private async flush(): Promise<void> {
    const id = this.wanted;
    const node = id === undefined ? undefined : this.fetched?.find((n) => n.id === id);
    // Not fetched since the last change, or not in the tree yet: the next fetch tries again.
    if (!node) return;
    this.wanted = undefined;
    await this.target.reveal(node);
  }
}
