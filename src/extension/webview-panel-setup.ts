/**
 * Host side of the shared webview frame (webview-page.ts): the options and the page every panel
 * of ours gets, so the waterfall and the compare view cannot drift apart in what they allow.
 */
import * as vscode from 'vscode';
import { makeNonce, type PageOptions } from './webview-page';

/** Webview options: scripts on, resources from dist/ and media/ only. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * Sets a panel up with its page: the shared options and icon, and `page` given a fresh nonce and
 * the webview URIs of `dist/<script>` and `media/<style>`.
 */
export function setUpPanel(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, page: (o: PageOptions) => string, files: { script: string; style: string }): void {
  const webview = panel.webview;
  webview.options = webviewOptions(extensionUri);
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'agent-profiler.svg');
  webview.html = page({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', files.script)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', files.style)).toString(),
  });
}
