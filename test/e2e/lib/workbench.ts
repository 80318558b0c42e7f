// Page-level helpers for the VS Code workbench served by code-server. They drive it the way a
// user does (command palette, Quick Open, Go to Line, mouse) and read what a user sees (DOM
// text), so a passing test means the feature works in the real UI, not just in the API.
// Selectors were read off code-server 4.139.1 (VS Code 1.139.1).
import * as fs from 'fs';
import * as path from 'path';
import { Frame, Locator, Page } from 'playwright-core';
import { readTreeRows } from './tree-view';

/** One visible row of a tree view. */
export interface TreeRow {
  label: string;
  /** The dimmed text after the label (TreeItem.description), '' when none. */
  description: string;
  /** 1 for top-level items. */
  level: number;
  /** undefined for leaves. */
  expanded: boolean | undefined;
}

/** What the active text editor shows. */
export interface ActiveEditor {
  /** Absolute path (read from the window title, see DEFAULT_USER_SETTINGS' `window.title`). */
  file: string;
  /** 1-based, from the status bar "Ln X, Col Y". */
  line: number;
  column: number;
}

/** A code lens and the line it belongs to. */
export interface CodeLensRow {
  /** 1-based line the lens stands above. */
  line: number;
  /** The lens text as shown (several lenses on one line are joined with ` | `). */
  text: string;
}

/** Separator the default settings put into the window title, chosen to never occur in paths. */
export const TITLE_SEPARATOR = ' ¦ ';

const DEFAULT_TIMEOUT_MS = 20_000;
const QUICK_INPUT = '.quick-input-widget';

/** Helpers bound to one workbench page. */
export class Workbench {
  constructor(
    readonly page: Page,
    /** Folder that receives screenshots (created on demand). */
    readonly artifactsDir: string,
  ) {}

  /**
   * Waits for the workbench, then answers the workspace-trust prompt (the default settings make
   * it always appear): `true` clicks "Yes, I trust the authors", `false` keeps Restricted Mode,
   * `'no-prompt'` expects none (a test that set `security.workspace.trust.enabled: false`).
   */
  async waitForReady(trust: boolean | 'no-prompt', timeoutMs = 60_000): Promise<void> {
    await this.page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
    if (trust !== 'no-prompt') {
      const answer = trust ? 'Yes, I trust the authors' : "No, I don't trust the authors";
      await this.page.getByRole('button', { name: answer }).click({ timeout: timeoutMs });
      await this.page.waitForSelector('.monaco-dialog-box', { state: 'detached', timeout: timeoutMs });
    }
    await this.page.waitForSelector('#workbench\\.parts\\.statusbar', { timeout: timeoutMs });
  }

  /**
   * Runs a command from the command palette (F1). `title` is the label as the palette shows it,
   * with its category ("Agent Profiler: Open Profile"); a RegExp matches part of it. Picks the
   * matching row explicitly, since fuzzy ranking may put another command first.
   */
  async runCommand(title: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    // The palette lists the commands known when it opens; an extension whose contributions
    // arrive a moment later is not in that list, so reopen it until the command shows up.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.closeQuickInput();
      await this.page.keyboard.press('F1');
      const input = this.page.locator(`${QUICK_INPUT} .quick-input-box input`);
      await input.waitFor({ state: 'visible', timeout: timeoutMs });
      // F1 pre-fills ">"; keep it and type after it.
      await input.fill(`>${typeof title === 'string' ? title : regexSearchText(title)}`);
      const row = this.quickInputRow(title);
      try {
        await row.waitFor({ state: 'visible', timeout: Math.max(1000, Math.min(5000, deadline - Date.now())) });
      } catch (err) {
        if (Date.now() >= deadline) throw err;
        continue;
      }
      try {
        // The list can re-render under the pointer (late contributions, a notification taking
        // focus) and the palette close before the click lands: open it again rather than wait.
        await row.click({ timeout: Math.max(1000, Math.min(5000, deadline - Date.now())) });
      } catch (err) {
        if (Date.now() >= deadline) throw err;
        continue;
      }
      await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: timeoutMs });
      return;
    }
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) by its path relative to the folder. */
  async openFile(relativePath: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(relativePath);
    const base = path.basename(relativePath);
    await this.pickQuickInputRow(base, timeoutMs);
    await this.page
      .locator(`.tabs-container .tab.active[data-resource-name=${JSON.stringify(base)}]`)
      .waitFor({ timeout: timeoutMs });
  }

  /** Moves the cursor of the active editor to a 1-based line and column (Go to Line, Ctrl+G). */
  async goToLine(line: number, column = 1, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(`:${line}:${column}`);
    // Enter before the picker has read the text does nothing: wait for its "go to line N" row.
    await this.page
      .locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: `go to line ${line} at column ${column}` })
      .first()
      .waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.keyboard.press('Enter');
    await this.page
      .locator('#status\\.editor\\.selection', { hasText: `Ln ${line}, Col ${column}` })
      .waitFor({ timeout: timeoutMs });
  }

  /** Waits until a notification toast contains `text`; returns the toast's full message. */
  async waitForNotification(text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const message = this.page.locator('.notification-toast .notification-list-item-message', { hasText: text });
    await message.first().waitFor({ state: 'visible', timeout: timeoutMs });
    return (await message.first().innerText()).trim();
  }

  /**
   * Shows a tree view (via its "Focus on <name> View" command, which also opens its container)
   * and returns its visible rows once at least `minRows` are rendered.
   */
  async treeView(viewName: string, minRows = 1, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<TreeRow[]> {
    await this.runCommand(new RegExp(`Focus on ${escapeRegExp(viewName)} View$`), timeoutMs);
    const pane = this.viewPane(viewName);
    const rows = pane.locator('.pane-body .monaco-list-row');
    await rows.nth(minRows - 1).waitFor({ timeout: timeoutMs });
    return readTreeRows(rows);
  }

  /** The pane (header + body) of a view in the side bar or panel, by its shown name. */
  viewPane(viewName: string): Locator {
    return this.page.locator('.pane').filter({
      has: this.page.locator('.pane-header', { has: this.page.getByText(viewName, { exact: true }) }),
    });
  }

  /** Code lens titles of the active editor, top to bottom, once at least `minCount` show. */
  async codeLenses(minCount = 1, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string[]> {
    const lenses = this.page.locator('.editor-group-container.active .monaco-editor .codelens-decoration');
    if (minCount > 0) await lenses.nth(minCount - 1).waitFor({ timeout: timeoutMs });
    const withTop = await lenses.evaluateAll((elements) =>
      elements.map((e) => ({ top: e.getBoundingClientRect().top, text: (e.textContent ?? "").trim() })),
    );
    return withTop.sort((a, b) => a.top - b.top).map((l) => l.text);
  }

  /**
   * Code lenses of the active editor with the 1-based line each stands above, top to bottom, once
   * at least `minCount` show. Only lenses of rendered lines exist: reveal the line first.
   */
  async codeLensesByLine(minCount = 1, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CodeLensRow[]> {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor').first();
    const lenses = editor.locator('.codelens-decoration');
    if (minCount > 0) await lenses.nth(minCount - 1).waitFor({ timeout: timeoutMs });
    return editor.evaluate((root) => {
      const numbers = [...root.querySelectorAll('.margin-view-overlays .line-numbers')].map((e) => ({
        top: e.getBoundingClientRect().top,
        line: Number((e.textContent ?? '').trim()),
      }));
      return [...root.querySelectorAll('.codelens-decoration')]
        .map((lens) => {
          const box = lens.getBoundingClientRect();
          // A lens is a view zone right above its line: the first line number at or below its bottom.
          const below = numbers.filter((n) => n.top >= box.bottom - 2).sort((a, b) => a.top - b.top)[0];
          return { line: below?.line ?? -1, text: (lens.textContent ?? '').trim(), top: box.top };
        })
        .sort((a, b) => a.top - b.top)
        .map(({ line, text }) => ({ line, text }));
    });
  }

  /**
   * Hover text at a 1-based position of the active editor. Moves the cursor there, then either
   * runs "Show or Focus Hover" (default, deterministic) or, with `mouse: true`, moves the mouse
   * over the cursor as a user would.
   */
  async hoverAt(line: number, column: number, options: { mouse?: boolean; timeoutMs?: number } = {}): Promise<string> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    await this.page.mouse.move(0, 0); // away from any earlier hover
    await this.goToLine(line, column, timeoutMs);
    if (options.mouse) {
      const cursor = this.page.locator('.editor-group-container.active .monaco-editor .cursors-layer .cursor').first();
      const box = await cursor.boundingBox({ timeout: timeoutMs });
      if (!box) throw new Error('editor cursor is not visible');
      await this.page.mouse.move(box.x + 3, box.y + box.height / 2);
    } else {
      await this.runCommand('Show or Focus Hover', timeoutMs);
    }
    const hover = this.page.locator('.monaco-hover:visible').first();
    await hover.waitFor({ state: 'visible', timeout: timeoutMs });
    return (await hover.innerText()).trim();
  }

  /** Drags the sash at the side bar's right edge so that the side bar is `width` pixels wide. */
  async resizeSideBar(width: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    const sideBar = await this.page.locator('#workbench\\.parts\\.sidebar').boundingBox({ timeout: timeoutMs });
    if (!sideBar) throw new Error('the side bar is not visible');
    const edge = sideBar.x + sideBar.width;
    const sashes = await this.page.locator('.monaco-sash.vertical').evaluateAll((elements) =>
      elements.map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2, height: r.height };
      }),
    );
    const sash = sashes.find((s) => Math.abs(s.x - edge) <= 4 && s.height > sideBar.height / 2);
    if (!sash) throw new Error(`no sash at the side bar's edge (x ${edge})`);
    await this.page.mouse.move(sash.x, sash.y);
    await this.page.mouse.down();
    await this.page.mouse.move(sash.x + (width - sideBar.width) / 2, sash.y, { steps: 2 });
    await this.page.mouse.move(sideBar.x + width, sash.y, { steps: 2 });
    await this.page.mouse.up();
  }

  /** File and cursor position of the active text editor. */
  async activeEditor(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ActiveEditor> {
    const selection = this.page.locator('#status\\.editor\\.selection');
    await selection.waitFor({ timeout: timeoutMs });
    const match = /Ln (\d+), Col (\d+)/.exec(await selection.innerText());
    if (!match) throw new Error(`status bar selection item reads "${await selection.innerText()}"`);
    const file = (await this.page.title()).split(TITLE_SEPARATOR)[0].replace(/^● /, '');
    return { file, line: Number(match[1]), column: Number(match[2]) };
  }

  /**
   * The frame holding a webview's own HTML (VS Code nests it: page > iframe.webview >
   * iframe#active-frame). With `tabTitle`, that editor tab is activated first; otherwise the first
   * visible webview is used.
   */
  async webviewFrame(tabTitle?: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Frame> {
    if (tabTitle) await this.page.locator('.tabs-container .tab', { hasText: tabTitle }).first().click({ timeout: timeoutMs });
    const outer = this.page.locator('iframe.webview.ready:visible').first();
    await outer.waitFor({ timeout: timeoutMs });
    const outerFrame = await (await outer.elementHandle({ timeout: timeoutMs }))?.contentFrame();
    if (!outerFrame) throw new Error('webview iframe has no frame');
    const inner = await outerFrame.waitForSelector('iframe#active-frame', { timeout: timeoutMs });
    const frame = await inner.contentFrame();
    if (!frame) throw new Error('webview inner iframe has no frame');
    return frame;
  }

  /** Saves a PNG of the page, or of the `clip` region of it, into the artifacts folder; returns its path. */
  async screenshot(name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<string> {
    fs.mkdirSync(this.artifactsDir, { recursive: true });
    const file = path.join(this.artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file, clip });
    return file;
  }

  /** Closes the command palette / Quick Open if it is open. */
  async closeQuickInput(): Promise<void> {
    if (await this.page.locator(QUICK_INPUT).isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
    }
  }

  private quickInputRow(label: string | RegExp) {
    const matcher = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
    return this.page
      .locator(`${QUICK_INPUT} .monaco-list-row`)
      .filter({ has: this.page.locator('.label-name', { hasText: matcher }) })
      .first();
  }

  private async pickQuickInputRow(label: string | RegExp, timeoutMs: number): Promise<void> {
    const row = this.quickInputRow(label);
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: timeoutMs });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Palette filter text for a RegExp title: its longest literal run, so the wanted row shows up. */
function regexSearchText(pattern: RegExp): string {
  const literals = pattern.source.replace(/\\(.)/g, '$1').split(/[\^$.*+?()[\]{}|]/);
  return literals.reduce((longest, part) => (part.length > longest.length ? part : longest), '');
}
