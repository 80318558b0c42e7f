/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Entry of the waterfall webview (bundled to dist/webview.js as a browser iife). Connects the page
 * to VS Code: messages in, `ready` out once listening, size and theme changes to the app.
 */
import { WaterfallApp } from './app';
import { wireInput } from './input';
import type { FromWebview, ToWebview } from './protocol';
import { byId } from './toolbar';

/** The API VS Code gives a webview page; callable once. */
declare function acquireVsCodeApi(): {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};

/** Known message types; anything else posted to the window is ignored. */
const TO_WEBVIEW_TYPES: ReadonlySet<string> = new Set<ToWebview['type']>(['data', 'focus', 'details', 'status']);

function start(): void {
  const vscode = acquireVsCodeApi();
  const app = new WaterfallApp({
    post: (msg: FromWebview) => vscode.postMessage(msg),
    getState: () => vscode.getState(),
    setState: (state) => vscode.setState(state),
  });
  wireInput(app);

  window.addEventListener('message', (event: MessageEvent) => {
    const msg = event.data as ToWebview;
    if (typeof msg !== 'object' || msg === null || !TO_WEBVIEW_TYPES.has(msg.type)) return;
    app.receive(msg);
  });

  const box = byId('timeline-box');
  const map = byId('minimap');
  const resize = () => app.resized(box.clientWidth, box.clientHeight, map.clientWidth, map.clientHeight);
  new ResizeObserver(resize).observe(box);
  resize();

  // VS Code switches themes by swapping the body's classes and the CSS variables.
  const themeWatch = new MutationObserver(() => app.themeChanged());
  themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

  vscode.postMessage({ type: 'ready' } satisfies FromWebview);
}

start();
