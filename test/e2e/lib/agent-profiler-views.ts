// Reading Agent Profiler's views beyond text: the screen regions worth a screenshot (the runs
// tree, a few editor lines with their lenses, a hover) and what the waterfall's canvas painted.
import { Frame } from 'playwright-core';
import type { RowMatch, TreeViewPane } from './tree-view';
import type { ActiveEditor, Workbench } from './workbench';

/** A screen rectangle in CSS pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The union of `boxes` with `pad` around, inside the viewport and at most `maxWidth` wide. */
export function regionAround(boxes: Array<Region | null>, viewport: { width: number; height: number }, pad = 8, maxWidth = 1200): Region {
  const present = boxes.filter((b): b is Region => b !== null);
  if (!present.length) throw new Error('nothing to frame: no element was visible');
  const x = Math.max(0, Math.min(...present.map((b) => b.x)) - pad);
  const y = Math.max(0, Math.min(...present.map((b) => b.y)) - pad);
  const right = Math.min(viewport.width, Math.max(...present.map((b) => b.x + b.width)) + pad, x + maxWidth);
  const bottom = Math.min(viewport.height, Math.max(...present.map((b) => b.y + b.height)) + pad);
  return { x, y, width: right - x, height: bottom - y };
}

function viewport(wb: Workbench): { width: number; height: number } {
  const size = wb.page.viewportSize();
  if (!size) throw new Error('the page has no viewport size');
  return size;
}

/** The side bar from its title down to the tree row `last`. */
export async function regionOfTree(wb: Workbench, tree: TreeViewPane, last: RowMatch): Promise<Region> {
  const sideBar = await wb.page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  const lastRow = await tree.row(last).boundingBox();
  if (!sideBar || !lastRow) throw new Error('the runs tree is not visible');
  return regionAround([{ x: sideBar.x, y: sideBar.y, width: sideBar.width, height: lastRow.y + lastRow.height - sideBar.y }], viewport(wb), 0);
}

/** 1-based line numbers' boxes in the active editor (rendered lines only). */
async function lineBoxes(wb: Workbench, from: number, to: number): Promise<Region[]> {
  return wb.page
    .locator('.editor-group-container.active .margin-view-overlays .line-numbers')
    .evaluateAll(
      (elements, range) =>
        elements
          .filter((e) => {
            const n = Number((e.textContent ?? '').trim());
            return n >= range.from && n <= range.to;
          })
          .map((e) => {
            const r = e.getBoundingClientRect();
            return { x: r.left, y: r.top, width: r.width, height: r.height };
          }),
      { from, to },
    );
}

/** Lines `from`…`to` of the active editor (with the lenses between them), at most `width` wide, minimap left out. */
export async function regionOfLines(wb: Workbench, from: number, to: number, width: number): Promise<Region> {
  const editor = wb.page.locator('.editor-group-container.active .monaco-editor').first();
  const editorBox = await editor.boundingBox();
  const minimap = await editor.locator('.minimap').boundingBox();
  const lines = await lineBoxes(wb, from, to);
  if (!editorBox || !lines.length) throw new Error(`lines ${from}-${to} are not rendered`);
  const right = minimap && minimap.width > 0 ? minimap.x : editorBox.x + editorBox.width;
  const top = Math.min(...lines.map((l) => l.y));
  const bottom = Math.max(...lines.map((l) => l.y + l.height));
  return regionAround([{ x: editorBox.x, y: top, width: Math.min(width, right - editorBox.x - 8), height: bottom - top }], viewport(wb), 4);
}

/** The visible hover and the line it belongs to. */
export async function regionOfHover(wb: Workbench, line: number): Promise<Region> {
  const hover = await wb.page.locator('.monaco-hover:visible').first().boundingBox();
  const editor = await wb.page.locator('.editor-group-container.active .monaco-editor').first().boundingBox();
  const [lineBox] = await lineBoxes(wb, line, line);
  if (!hover || !editor || !lineBox) throw new Error('no hover or hovered line is visible');
  return regionAround([hover, { ...lineBox, x: editor.x }], viewport(wb), 10);
}

/** What the waterfall's timeline canvas shows, measured from its pixels. */
export interface WaterfallPaint {
  /** Distinct colours covering at least 0.1 % of the canvas each (bars, labels, background). */
  colours: number;
  /** Share of pixels that differ from the background (the top-left pixel's colour). */
  paintedShare: number;
}

/** Reads the timeline canvas back (it holds no cross-origin images, so it can be read). */
export function waterfallPaint(frame: Frame): Promise<WaterfallPaint> {
  return frame.evaluate(() => {
    const canvas = document.getElementById('timeline') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx || !canvas.width || !canvas.height) return { colours: 0, paintedShare: 0 };
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const pixels = data.length / 4;
    const background = (data[0] << 16) | (data[1] << 8) | data[2];
    const colours = [...counts.values()].filter((n) => n >= pixels / 1000).length;
    return { colours, paintedShare: 1 - (counts.get(background) ?? 0) / pixels };
  });
}

/**
 * Rests the mouse on `word` in `line` of the active editor, after scrolling so that the line sits
 * near the editor's bottom (a hover above it then has room to grow). Returns the hover's text.
 */
export async function hoverWordNearBottom(wb: Workbench, line: number, word: string, timeoutMs = 20_000): Promise<string> {
  const editor = wb.page.locator('.editor-group-container.active .monaco-editor').first();
  const box = await editor.boundingBox();
  const [someLine] = await lineBoxes(wb, 1, Number.MAX_SAFE_INTEGER);
  if (!box || !someLine) throw new Error('no editor with rendered lines');
  const visibleLines = Math.floor(box.height / someLine.height);
  await wb.page.mouse.move(0, 0);
  // Go to Line centres its line: centre the one that puts `line` four lines above the bottom.
  await wb.goToLine(Math.max(1, line - Math.floor(visibleLines / 2) + 4), 1, timeoutMs);
  const [target] = await lineBoxes(wb, line, line);
  if (!target) throw new Error(`line ${line} is not rendered`);
  // Tokens need not split at the word ("␣profiler.timer" is one span), so measure the word itself.
  const token = await editor.locator('.view-lines .view-line').evaluateAll(
    (lines, want) => {
      const lineEl = lines.find((l) => Math.abs(l.getBoundingClientRect().top - want.top) < 3);
      if (!lineEl) return undefined;
      const walker = document.createTreeWalker(lineEl, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = (node.textContent ?? '').replace(/\u00a0/g, ' ').indexOf(want.word);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + want.word.length);
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
      return undefined;
    },
    { word, top: target.y },
  );
  if (!token) throw new Error(`"${word}" is not a token of line ${line}`);
  await wb.page.mouse.move(token.x, token.y, { steps: 3 });
  const hover = wb.page.locator('.monaco-hover:visible').first();
  await hover.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await hover.innerText()).trim();
}

/**
 * Drags the top edge of the visible hover up to `top` (page y), as a user enlarges a hover to
 * read all of it; VS Code caps a fresh hover at 250 px or a quarter of the editor.
 */
export async function growHoverTo(wb: Workbench, top: number): Promise<void> {
  const hover = await wb.page.locator('.monaco-hover:visible').first().boundingBox();
  if (!hover) throw new Error('no hover is visible');
  const sashes = await wb.page.locator('.monaco-sash.horizontal').evaluateAll((elements) =>
    elements.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2, width: r.width };
    }),
  );
  const sash = sashes.find((s) => Math.abs(s.y - hover.y) <= 6 && s.width >= hover.width / 2);
  if (!sash) throw new Error(`no sash on the hover's top edge (y ${hover.y}): ${JSON.stringify(sashes)}`);
  await wb.page.mouse.move(sash.x, sash.y, { steps: 2 });
  await wb.page.mouse.down();
  await wb.page.mouse.move(sash.x, (sash.y + top) / 2, { steps: 3 });
  await wb.page.mouse.move(sash.x, top, { steps: 3 });
  await wb.page.mouse.up();
}

/** Waits until the active editor shows `file` with the cursor on `line`; fails saying what it shows. */
export async function waitForEditorAt(wb: Workbench, file: string, line: number, timeoutMs = 20_000): Promise<ActiveEditor> {
  const deadline = Date.now() + timeoutMs;
  let seen: ActiveEditor | string = 'no editor';
  for (;;) {
    seen = await wb.activeEditor(2000).catch(() => 'no editor');
    if (typeof seen !== 'string' && seen.file === file && seen.line === line) return seen;
    if (Date.now() > deadline) throw new Error(`expected ${file} at line ${line} after ${timeoutMs} ms; the editor shows ${JSON.stringify(seen)}`);
    await wb.page.waitForTimeout(150);
  }
}

/**
 * Runs "Agent Profiler: Show Waterfall" from the palette and returns the webview's frame, or
 * undefined when this build has no waterfall (VS Code then says the command was not found).
 */
export async function showWaterfallFromPalette(wb: Workbench): Promise<Frame | undefined> {
  await wb.runCommand('Agent Profiler: Show Waterfall');
  const missing = wb.page.locator('.notification-toast', { hasText: "command 'agentProfiler.showWaterfall' not found" });
  const outcome = await Promise.race([
    wb.page.locator('iframe.webview.ready:visible').first().waitFor({ timeout: 30_000 }).then(() => 'shown'),
    missing.first().waitFor({ timeout: 30_000 }).then(() => 'missing'),
  ]);
  return outcome === 'missing' ? undefined : wb.webviewFrame('Waterfall');
}

/**
 * Clicks the first code lens whose text matches and waits for the waterfall tab it should bring
 * up. Throws with VS Code's own message when the lens' command had already been released ("Actual
 * command not found"), or when nothing happened.
 */
export async function clickLensToWaterfall(wb: Workbench, lensText: RegExp): Promise<void> {
  await wb.page.locator('.editor-group-container.active .codelens-decoration a', { hasText: lensText }).first().click({ timeout: 10_000 });
  const stale = wb.page.locator('.notification-toast', { hasText: 'Actual command not found' }).first();
  const outcome = await Promise.race([
    wb.page.locator('.tabs-container .tab.active', { hasText: 'Waterfall' }).waitFor({ timeout: 10_000 }).then(() => 'opened'),
    stale.waitFor({ timeout: 10_000 }).then(() => 'stale'),
  ]).catch(() => 'nothing');
  if (outcome === 'stale') throw new Error(`the lens ran a command VS Code had already released: "${(await stale.innerText()).trim()}"`);
  if (outcome === 'nothing') throw new Error('a click on the lens did not bring up the waterfall');
}
