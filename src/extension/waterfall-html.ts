/**
 * The waterfall page's HTML: its fixed skeleton in the shared frame (webview-page.ts: strict CSP,
 * one stylesheet, one script by nonce). No data from a profile is ever part of it.
 */
import { makeNonce, pageCsp, webviewPage, type PageOptions } from './webview-page';

export { makeNonce };

/** What the page needs from the panel: dist/webview.js and media/waterfall.css. */
export type WaterfallPageOptions = PageOptions;

/** The Content Security Policy of the page (the shared one). */
export const waterfallCsp = pageCsp;

export function waterfallHtml(o: WaterfallPageOptions): string {
  return webviewPage(
    o,
    'Agent Profiler Waterfall',
    `
<div class="app">
  <header class="toolbar" role="toolbar" aria-label="Waterfall">
    <div class="search">
      <input id="search" type="search" placeholder="Search spans" aria-label="Search span names" spellcheck="false" autocomplete="off">
      <span id="match-count" class="match-count" aria-live="polite"></span>
      <button id="prev-match" class="icon" title="Previous match (Shift+Enter)" aria-label="Previous match">&#x2191;</button>
      <button id="next-match" class="icon" title="Next match (Enter)" aria-label="Next match">&#x2193;</button>
    </div>
    <div id="categories" class="categories" role="group" aria-label="Categories shown"></div>
    <div class="spacer"></div>
    <div id="focus-chip" class="focus-chip" hidden>
      <span id="focus-text"></span>
      <button id="clear-focus" title="Show every span again">Show all</button>
    </div>
    <div class="zoom" role="group" aria-label="Zoom">
      <button id="zoom-out" class="icon" title="Zoom out (-)" aria-label="Zoom out">&#x2212;</button>
      <button id="zoom-in" class="icon" title="Zoom in (+)" aria-label="Zoom in">+</button>
      <button id="fit" title="Show the whole run (Home)">Fit</button>
    </div>
  </header>
  <canvas id="minimap" class="minimap" aria-hidden="true"></canvas>
  <main class="main">
    <div id="timeline-box" class="timeline">
      <canvas id="timeline" tabindex="0" role="application" aria-roledescription="waterfall chart" aria-label="Waterfall of the run's spans. Arrows pan, plus and minus zoom, Home fits the run, Tab steps through spans, Enter zooms to the selected span, Space collapses it."></canvas>
      <div id="tooltip" class="tooltip" role="tooltip" hidden></div>
      <div id="status" class="status-message">Loading the run…</div>
    </div>
    <aside id="details" class="details" aria-label="Selected span"></aside>
    <div id="announce" class="sr-only" aria-live="polite"></div>
  </main>
  <footer class="statusbar">
    <span id="run-info" class="run-info"></span>
    <span class="spacer"></span>
    <span id="legend" class="legend"></span>
  </footer>
</div>
`,
  );
}
