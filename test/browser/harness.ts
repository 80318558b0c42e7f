/**
 * Runs the waterfall webview in headless Chromium the way VS Code hosts it: the page from
 * waterfall-html.ts with its Content Security Policy, dist/webview.js and media/waterfall.css
 * served from 127.0.0.1, a stub `acquireVsCodeApi` whose messages reach a Node handler, and the
 * theme's `--vscode-*` variables in a stylesheet. Shared by the browser tests, the benchmark and
 * the screenshot script.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { WaterfallColumns } from '../../src/core/waterfall-columns';
import { makeNonce, waterfallHtml } from '../../src/extension/waterfall-html';
import type { FromWebview, RunLabel, ToWebview } from '../../src/webview/protocol';
import { launchChromium } from '../e2e/lib/browser';
import { type ThemeName, themeCss } from './themes';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Builds dist/webview.js with the options of esbuild.js's webview bundle. */
export async function buildWebview(): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/webview/main.ts')],
    outfile: path.join(ROOT, 'dist/webview.js'),
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    logLevel: 'warning',
  });
}

/** A static server of the page and exactly the files it may load. */
export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

export async function startServer(): Promise<PageServer> {
  const files: Record<string, [string, string]> = {
    '/dist/webview.js': [path.join(ROOT, 'dist/webview.js'), 'text/javascript'],
    '/media/waterfall.css': [path.join(ROOT, 'media/waterfall.css'), 'text/css'],
  };
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
    if (url.pathname === '/') {
      const nonce = makeNonce();
      let html = waterfallHtml({ cspSource: origin, nonce, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/media/waterfall.css` });
      // What VS Code adds around a webview: the theme's variables and the body's theme class.
      html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme.css?theme=${theme}">\n<link rel="stylesheet"`);
      html = html.replace('<body>', `<body class="vscode-${theme}">`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    if (url.pathname === '/theme.css') {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(themeCss(theme));
      return;
    }
    const file = files[url.pathname];
    if (!file) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': file[1] });
    fs.createReadStream(file[0]).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Runs in the page before its scripts: the stub of VS Code's webview API. Messages go to the
 * exposed `__agentprofToHost` binding; state lives in sessionStorage, so it survives a reload the
 * way VS Code keeps it while a panel is hidden.
 */
function stubVsCodeApi(options: { bench: boolean }): void {
  const w = window as unknown as Record<string, unknown>;
  if (options.bench) w.__agentprofBench = {};
  w.__agentprofSent = [];
  w.acquireVsCodeApi = () => ({
    postMessage: (msg: unknown) => {
      (w.__agentprofSent as unknown[]).push(msg);
      (w.__agentprofToHost as ((m: unknown) => void) | undefined)?.(msg);
    },
    getState: () => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null'),
    setState: (state: unknown) => sessionStorage.setItem('vscodeState', JSON.stringify(state)),
  });
}

export interface OpenOptions {
  theme?: ThemeName;
  width?: number;
  height?: number;
  bench?: boolean;
  /** Called with every message the page posts to the host. */
  onMessage?: (msg: FromWebview, page: Page) => void;
}

/** Opens the page and waits for its `ready`. */
export async function openPage(browser: Browser, server: PageServer, o: OpenOptions = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: o.width ?? 1400, height: o.height ?? 800 }, deviceScaleFactor: 1 });
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !m.text().includes('404')) console.error(`[page ${m.type()}] ${m.text()}`);
  });
  // Functions handed to the page are compiled by tsx, which wraps named functions in `__name(…)`
  // calls; the page needs that helper (as an identity) before anything else runs.
  await page.addInitScript({ content: `globalThis.__name = (f) => f;\n(${stubVsCodeApi.toString()})(${JSON.stringify({ bench: o.bench ?? false })});` });
  await page.exposeBinding('__agentprofToHost', (_source, msg: FromWebview) => o.onMessage?.(msg, page));
  await page.goto(`${server.origin}/?theme=${o.theme ?? 'dark'}`);
  await page.waitForFunction(() => ((window as unknown as { __agentprofSent: Array<{ type: string }> }).__agentprofSent ?? []).some((m) => m.type === 'ready'));
  return page;
}

/** Typed arrays as base64, so columns cross into the page through `evaluate`. */
type Wire = { __typed: string; b64: string } | Wire[] | { [key: string]: Wire } | string | number | boolean | null;

function toWire(value: unknown): Wire {
  if (ArrayBuffer.isView(value)) {
    const v = value as unknown as { constructor: { name: string }; buffer: ArrayBuffer; byteOffset: number; byteLength: number };
    return { __typed: v.constructor.name, b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    const out: { [key: string]: Wire } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value as Wire;
}

/** Posts the run to the page as the host would (typed arrays intact, transferred). */
export async function postData(page: Page, run: RunLabel, columns: WaterfallColumns): Promise<void> {
  const wire = JSON.stringify(toWire({ type: 'data', run, columns }));
  await page.evaluate((text: string) => {
    const w: unknown = JSON.parse(text);
    const transfer: ArrayBuffer[] = [];
    const fromWire = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(fromWire);
      if (v && typeof v === 'object') {
        const t = v as { __typed?: string; b64?: string };
        if (t.__typed) {
          const bin = atob(t.b64 as string);
          const bytes = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
          transfer.push(bytes.buffer);
          const ctor = (globalThis as unknown as Record<string, new (b: ArrayBuffer) => unknown>)[t.__typed];
          return new ctor(bytes.buffer);
        }
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = fromWire(x);
        return out;
      }
      return v;
    };
    const msg = fromWire(w);
    window.postMessage(msg, '*', transfer);
  }, wire);
}

/** Posts a plain message (focus, details, status) to the page. */
export async function postMessage(page: Page, msg: Exclude<ToWebview, { type: 'data' }>): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), msg);
}

/** Resolves after the page has drawn its next frame. */
export async function nextFrame(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

export { launchChromium };
