/**
 * The frame every webview page of ours shares: a strict Content Security Policy (no inline script
 * or style; one script by nonce; styles, images and fonts only from the extension), one
 * stylesheet, one script, and a fixed body skeleton. No data from a profile is ever part of a
 * page: data arrives as messages. Free of `vscode`, so the browser tests serve the very same pages.
 */
import { randomBytes } from 'node:crypto';

/** What a page needs from its panel. */
export interface PageOptions {
  /** `webview.cspSource`: where styles, images and fonts may come from. */
  cspSource: string;
  /** Nonce of the one script, fresh per page. */
  nonce: string;
  /** `webview.asWebviewUri` of the page's script (dist/) and stylesheet (media/), as strings. */
  scriptUri: string;
  styleUri: string;
}

/** A fresh nonce: 16 random bytes, base64 (only letters, digits, `+`, `/`, `=`). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Escapes text for a double-quoted attribute (the URIs and the CSP source are ours, but still). */
function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Content Security Policy of every page. */
export function pageCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/** A whole page: the shared head, `body` (a fixed skeleton of the page's own), then the script. */
export function webviewPage(o: PageOptions, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(pageCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${attr(title)}</title>
</head>
<body>
${body.trim()}
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
