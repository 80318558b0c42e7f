/**
 * The compare page's HTML: a fixed skeleton, the waterfall's strict Content Security Policy (no
 * inline script or style; one script by nonce), one stylesheet. Data arrives as messages only.
 * Free of `vscode`, so a browser test can serve the same page.
 */
import { makeNonce, waterfallCsp } from './waterfall-html';

export { makeNonce };

export interface ComparePageOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function compareHtml(o: ComparePageOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(waterfallCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>Agent Profiler Compare</title>
</head>
<body>
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
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
