/**
 * The waterfall panel on the host side: shows the active run in a webview, sends its columns when
 * the page says `ready` and again whenever a live run's analysis moves on (the page keeps its own
 * zoom and selection), answers details requests, and opens call sites. What the page sends is
 * checked (protocol.ts) and locations are looked up by span index in the worker's profile, never
 * taken from the page.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import type { Services } from './services';
import type { RunEntry } from './store';
import type { LocationArgs } from './tree-node';
import type { ShowWaterfallRequest } from './waterfall-args';
import { waterfallHtml } from './waterfall-html';
import { setUpPanel } from './webview-panel-setup';
import type { WaterfallQuery, WaterfallReply } from './worker-protocol';
import { type FromWebview, parseFromWebview, type ToWebview } from '../webview/protocol';

/** Where the panel gets columns and details from: the analysis worker (WorkerBackend). */
export interface WaterfallSource {
  waterfallQuery(query: WaterfallQuery): Promise<WaterfallReply>;
}

export const WATERFALL_VIEW_TYPE = 'agentProfiler.waterfall';

/** Shortest pause between two refreshes of a live run's columns, ms. */
const MIN_REFRESH_MS = 250;

export class WaterfallPanel implements vscode.Disposable {
  private ready = false;
  private file: string | undefined;
  /** Generation of the store entry whose columns the page has; −1 for none. */
  private sentGeneration = -1;
  /** Spans in the columns the page has: the range of span indices it may send. */
  private spanCount = 0;
  private pendingFocus: Extract<ToWebview, { type: 'focus' }> | undefined;
  private loading = false;
  private loadAgain = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: Services,
    private readonly source: WaterfallSource,
    private readonly onDispose: () => void,
  ) {
    setUpPanel(panel, services.context.extensionUri, waterfallHtml, { script: 'webview.js', style: 'waterfall.css' });
    const webview = panel.webview;
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => void this.onMessage(raw)),
      // A hidden panel's page is thrown away; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      services.store.onDidChangeActiveAnalysis((entry) => this.onActive(entry)),
    );
    this.onActive(services.store.active);
  }

  /** Reveals the panel and applies a request from the command (a run, spans to show). */
  show(request: ShowWaterfallRequest): void {
    const store = this.services.store;
    if (request.file && store.get(request.file) && store.active?.file !== request.file) store.select(request.file);
    if (request.spanIds.length) this.pendingFocus = { type: 'focus', spanIds: request.spanIds, filter: request.filter };
    this.panel.reveal(undefined, false);
    this.flushFocus();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDispose();
  }

  /** Every message to the page goes through here. */
  private post(msg: ToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg: FromWebview | undefined = parseFromWebview(raw, this.spanCount);
    if (!msg) return;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.sentGeneration = -1;
        this.onActive(this.services.store.active);
        return;
      case 'details': {
        const reply = await this.query({ type: 'spanDetails', file: this.file ?? '', span: msg.span });
        if (reply?.type === 'spanDetails' && reply.details) this.post({ type: 'details', details: reply.details });
        return;
      }
      case 'openSource':
        await this.openSource(msg.span);
        return;
      default: {
        const never: never = msg;
        this.services.log(`waterfall: unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  private async query(q: WaterfallQuery): Promise<WaterfallReply | undefined> {
    if (!this.file) return undefined;
    const reply = await this.source.waterfallQuery(q);
    if (reply.type === 'waterfallFailed') this.services.log(`waterfall: ${reply.message}`);
    return reply;
  }

  /** Opens the call site recorded for span `span`, through the extension's location opener. */
  private async openSource(span: number): Promise<void> {
    const file = this.file;
    const reply = await this.query({ type: 'spanDetails', file: file ?? '', span });
    if (!file || reply?.type !== 'spanDetails' || !reply.details?.file) {
      void vscode.window.showInformationMessage('Agent Profiler: this span has no recorded call site.');
      return;
    }
    const args: LocationArgs = { file: reply.details.file, line: reply.details.line, cwd: this.services.store.get(file)?.result?.header.cwd, profile: file };
    await vscode.commands.executeCommand(COMMANDS.openLocation, args);
  }

  private onActive(entry: RunEntry | undefined): void {
    if (!entry) {
      this.file = undefined;
      this.spanCount = 0;
      this.panel.title = 'Waterfall';
      this.post({ type: 'status', message: 'No run to show. Open a profile, or run an agent under the profiler.' });
      return;
    }
    if (entry.file !== this.file) {
      this.file = entry.file;
      this.sentGeneration = -1;
    }
    this.panel.title = `Waterfall: ${entry.summary?.name ?? path.basename(entry.file)}`;
    if (entry.state === 'ready' && entry.generation !== this.sentGeneration) void this.load();
    else if (this.sentGeneration < 0 && entry.state === 'failed') this.post({ type: 'status', message: `Cannot read ${path.basename(entry.file)}: ${entry.error ?? 'unknown error'}` });
    else if (this.sentGeneration < 0 && entry.state !== 'ready') this.post({ type: 'status', message: 'Loading the run…' });
  }

  /**
   * Fetches and sends the columns; changes while a fetch runs cause exactly one more, after a
   * pause of twice the last fetch's time, so a live run of a million spans does not keep the
   * worker busy with columns.
   */
  private async load(): Promise<void> {
    if (!this.ready) return;
    if (this.loading) {
      this.loadAgain = true;
      return;
    }
    this.loading = true;
    try {
      for (let first = true; first || this.loadAgain; first = false) {
        this.loadAgain = false;
        const entry = this.file ? this.services.store.get(this.file) : undefined;
        if (!entry) return;
        const generation = entry.generation;
        const started = Date.now();
        const reply = await this.query({ type: 'waterfall', file: entry.file });
        if (entry.file !== this.file || !this.ready) return;
        if (reply?.type === 'waterfallData') {
          this.spanCount = reply.columns.count;
          this.sentGeneration = generation;
          const run = { key: entry.file, name: entry.summary?.name ?? 'run', fileName: path.basename(entry.file), live: entry.live };
          this.post({ type: 'data', run, columns: reply.columns });
          this.flushFocus();
        } else if (reply?.type === 'waterfallFailed' && this.sentGeneration < 0) {
          this.post({ type: 'status', message: `Cannot show the run: ${reply.message}` });
        }
        if (this.loadAgain) await new Promise((resolve) => setTimeout(resolve, Math.max(MIN_REFRESH_MS, 2 * (Date.now() - started))));
      }
    } finally {
      this.loading = false;
    }
  }

  /** Sends the focus from the last command once the page has the run's columns. */
  private flushFocus(): void {
    if (this.pendingFocus && this.ready && this.sentGeneration >= 0) {
      this.post(this.pendingFocus);
      this.pendingFocus = undefined;
    }
  }
}
