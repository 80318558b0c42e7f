/**
 * The compare page's HTML: its fixed skeleton in the shared frame (webview-page.ts: strict CSP,
 * one stylesheet, one script by nonce). Data arrives as messages only.
 */
import { makeNonce, webviewPage, type PageOptions } from './webview-page';

export { makeNonce };

/** What the page needs from the panel: dist/compare.js and media/compare.css. */
export type ComparePageOptions = PageOptions;

export function compareHtml(o: ComparePageOptions): string {
  return webviewPage(
    o,
    'Agent Profiler Compare',
    `
<div class="compare">
  <header class="bar" role="toolbar" aria-label="Compare">
    <h1 id="title" class="title">Comparing…</h1>
    <span class="spacer"></span>
    <button id="export-markdown" type="button" title="Save the comparison as Markdown (the same as agentprof compare --markdown)">Export Markdown</button>
    <button id="export-json" type="button" title="Save the comparison as JSON (the same as agentprof compare --json)">Export JSON</button>
  </header>
  <main id="content" class="content" tabindex="-1">
    <p id="status" class="status">Loading the two runs…</p>
  </main>
</div>
`,
  );
}
