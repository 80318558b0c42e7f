// A tree view pane of the workbench (a view in the side bar or panel), driven as a user does:
// read the rows it renders, click a row, click a twistie to expand. Rows are found by their shown
// label (and description), never by internal ids, so a test fails when the user would see
// something else. Selectors were read off code-server 4.139.1 (VS Code 1.139.1).
import { Locator } from 'playwright-core';
import type { TreeRow, Workbench } from './workbench';

const DEFAULT_TIMEOUT_MS = 20_000;

/** A rendered row and its position in the whole tree (`data-index`, 0-based). */
interface IndexedRow extends TreeRow {
  index: number;
}

function readIndexedRows(rows: Locator): Promise<IndexedRow[]> {
  return rows.evaluateAll((elements) =>
    elements
      .map((row) => {
        const expanded = row.getAttribute('aria-expanded');
        return {
          index: Number(row.getAttribute('data-index') ?? '0'),
          label: row.querySelector('.label-name')?.textContent?.trim() ?? (row.textContent ?? '').trim(),
          description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
          level: Number(row.getAttribute('aria-level') ?? '1'),
          expanded: expanded === null ? undefined : expanded === 'true',
        };
      })
      // The list inserts rows as they scroll into view, so DOM order is not screen order.
      .sort((a, b) => a.index - b.index),
  );
}

/** Reads label, description, level and expansion of every rendered row under `rows`, top to bottom. */
export async function readTreeRows(rows: Locator): Promise<TreeRow[]> {
  return (await readIndexedRows(rows)).map(({ index: _index, ...row }) => row);
}

/** Which row: its label (exact string or pattern) and optionally its description and level. */
export interface RowMatch {
  label: string | RegExp;
  description?: string | RegExp;
  level?: number;
}

function exactly(text: string | RegExp): RegExp {
  return typeof text === 'string' ? new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : text;
}

/** One tree view, by the name its pane header shows ("Runs"). */
export class TreeViewPane {
  constructor(
    private readonly workbench: Workbench,
    readonly viewName: string,
  ) {}

  /** Every rendered row (the list is virtual: rows scrolled far out of sight are not rendered). */
  get rowLocator(): Locator {
    return this.workbench.viewPane(this.viewName).locator('.pane-body .monaco-list-row');
  }

  /** Shows the view through its "Focus on <name> View" command (which opens its container). */
  async focus(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    const name = this.viewName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await this.workbench.runCommand(new RegExp(`Focus on ${name} View$`), timeoutMs);
    await this.workbench.viewPane(this.viewName).locator('.pane-body').waitFor({ timeout: timeoutMs });
  }

  /** The rendered rows, top to bottom. */
  rows(): Promise<TreeRow[]> {
    return readTreeRows(this.rowLocator);
  }

  /** The first rendered row that matches. */
  row(match: RowMatch): Locator {
    const page = this.workbench.page;
    let rows = this.rowLocator.filter({ has: page.locator('.label-name', { hasText: exactly(match.label) }) });
    if (match.description !== undefined) {
      rows = rows.filter({ has: page.locator('.label-description', { hasText: match.description }) });
    }
    if (match.level !== undefined) rows = rows.and(page.locator(`[aria-level="${match.level}"]`));
    return rows.first();
  }

  /** Waits until a matching row is rendered; returns what it shows. */
  async waitForRow(match: RowMatch, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<TreeRow> {
    const row = this.row(match);
    await row.waitFor({ timeout: timeoutMs });
    const [read] = await readTreeRows(row);
    return read;
  }

  /** Expands a collapsed row by clicking its twistie (no-op when already expanded). */
  async expand(match: RowMatch, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    const row = this.row(match);
    await row.waitFor({ timeout: timeoutMs });
    if ((await row.getAttribute('aria-expanded')) === 'true') return;
    await row.locator('.monaco-tl-twistie').click({ timeout: timeoutMs });
    await this.row(match).and(this.workbench.page.locator('[aria-expanded="true"]')).waitFor({ timeout: timeoutMs });
    // The twistie turns at once; the children come from the extension host a moment later.
    const deadline = Date.now() + timeoutMs;
    while ((await this.childrenOf(match, timeoutMs)).length === 0) {
      if (Date.now() > deadline) throw new Error(`the expanded row ${String(match.label)} shows no children after ${timeoutMs} ms`);
      await this.workbench.page.waitForTimeout(100);
    }
  }

  /** Clicks a row's label, which runs the item's command (or selects it). */
  async click(match: RowMatch, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await this.row(match).locator('.label-name').click({ timeout: timeoutMs });
  }

  /** The rendered children of a row: the rows one level deeper right after it. */
  async childrenOf(parent: RowMatch, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<TreeRow[]> {
    const parentRow = this.row(parent);
    await parentRow.waitFor({ timeout: timeoutMs });
    const [{ index, level }] = await readIndexedRows(parentRow);
    const children: TreeRow[] = [];
    for (const { index: i, ...row } of await readIndexedRows(this.rowLocator)) {
      if (i <= index) continue;
      if (row.level <= level) break;
      if (row.level === level + 1) children.push(row);
    }
    return children;
  }
}
