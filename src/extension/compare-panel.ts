/**
 * The compare view on the host side: one webview panel showing a baseline run against another,
 * replacing the plain-text document "Compare with Baseline…" used to open. It builds the view
 * model (compare-model.ts) from the two analyses and both runs' waterfall columns, answers Go to
 * code by row id (the location comes from the host's rows, never from the page), and exports the
 * comparison as Markdown or JSON with the very renderers `agentprof compare` uses.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compareRuns } from '../core/compare';
import { renderMarkdownComparison } from '../core/report/compare-doc';
import { comparisonToJson } from '../core/report/json';
import { buildCompareModel, type CompareModel } from './compare-model';
import { compareHtml } from './compare-html';
import { COMMANDS } from './ids';
import type { Services } from './services';
import type { RunEntry } from './store';
import type { LocationArgs } from './tree-node';
import { displayPath } from './tree';
import { setUpPanel, webviewOptions } from './webview-panel-setup';
import type { WaterfallColumns } from '../core/waterfall-columns';
import { parseFromCompare, type ToCompare } from '../webview/compare/protocol';

export const COMPARE_VIEW_TYPE = 'agentProfiler.compare';

export class ComparePanel implements vscode.Disposable {
  private ready = false;
  private built: CompareModel | undefined;
  private pair: { base: RunEntry; head: RunEntry } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: Services,
    private readonly onDispose: () => void,
  ) {
    setUpPanel(panel, services.context.extensionUri, compareHtml, { script: 'compare.js', style: 'compare.css' });
    const webview = panel.webview;
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => void this.onMessage(raw)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      services.config.onDidChange(() => void this.rebuild()),
    );
  }

  /** Shows `head` against `base` (both analysed). */
  async show(base: RunEntry, head: RunEntry): Promise<void> {
    this.pair = { base, head };
    // Short enough for a tab; the page names both files in full.
    const name = (e: RunEntry) => e.result?.header.name ?? e.summary?.name ?? this.label(e);
    this.panel.title = name(base) === name(head) ? `Compare: ${name(head)} vs baseline` : `Compare: ${name(base)} → ${name(head)}`;
    this.panel.reveal(undefined, false);
    await this.rebuild();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDispose();
  }

  private label(entry: RunEntry): string {
    return path.basename(entry.file);
  }

  private post(msg: ToCompare): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  private async columns(file: string): Promise<WaterfallColumns | undefined> {
    const reply = await this.services.worker.waterfallQuery({ type: 'waterfall', file });
    if (reply.type === 'waterfallData') return reply.columns;
    if (reply.type === 'waterfallFailed') this.services.log(`compare: ${reply.message}`);
    return undefined;
  }

  private async rebuild(): Promise<void> {
    const pair = this.pair;
    const b = pair?.base.result;
    const h = pair?.head.result;
    if (!pair || !b || !h) return;
    const comparison = compareRuns(b.analysis, h.analysis, this.services.config.current.thresholds);
    const [baseColumns, headColumns] = [await this.columns(b.file), await this.columns(h.file)];
    if (this.pair !== pair) return;
    this.built = buildCompareModel({
      comparison,
      baseLabel: displayPath(b.file),
      headLabel: displayPath(h.file),
      baseColumns,
      headColumns,
    });
    this.sendModel();
  }

  private sendModel(): void {
    if (this.built) this.post({ type: 'model', model: this.built.model });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseFromCompare(raw, this.built?.rows.length ?? 0);
    if (!msg) return;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.sendModel();
        return;
      case 'open':
        await this.open(msg.id);
        return;
      case 'export':
        await this.export(msg.format);
        return;
      default: {
        const never: never = msg;
        this.services.log(`compare: unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Opens a row's call site: this run's location, or the baseline's for a site that is gone. */
  private async open(id: number): Promise<void> {
    const row = this.built?.rows[id];
    const pair = this.pair;
    if (!row || !pair || row.file === undefined) return;
    const from = row.head ? pair.head.result : pair.base.result;
    if (!from) return;
    const args: LocationArgs = { file: row.file, line: row.line, cwd: from.header.cwd, profile: from.file };
    await vscode.commands.executeCommand(COMMANDS.openLocation, args);
  }

  private async export(format: 'markdown' | 'json'): Promise<void> {
    const pair = this.pair;
    const b = pair?.base.result;
    const h = pair?.head.result;
    if (!pair || !b || !h) return;
    const comparison = compareRuns(b.analysis, h.analysis, this.services.config.current.thresholds);
    const text =
      format === 'markdown'
        ? renderMarkdownComparison(comparison, { baseFile: displayPath(b.file), headFile: displayPath(h.file) })
        : JSON.stringify(comparisonToJson(comparison, displayPath(b.file), displayPath(h.file)), null, 2) + '\n';
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(h.file))?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const stem = (file: string) => path.basename(file).replace(/\.(agentprof\.jsonl|otlp\.jsonl?|jsonl?|txt)$/i, '');
    const name = `compare-${stem(b.file)}-vs-${stem(h.file)}.${format === 'markdown' ? 'md' : 'json'}`;
    const target = await vscode.window.showSaveDialog({
      saveLabel: 'Export',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(path.join(path.dirname(h.file), name)),
      filters: format === 'markdown' ? { Markdown: ['md'] } : { JSON: ['json'] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    const open = await vscode.window.showInformationMessage(`Agent Profiler: comparison written to ${target.fsPath}.`, 'Open');
    if (!open) return;
    if (format === 'markdown') await vscode.commands.executeCommand('markdown.showPreview', target);
    else await vscode.window.showTextDocument(target);
  }
}

let current: ComparePanel | undefined;

/** Shows the comparison in the one compare panel (created on first use, revealed after). */
export async function showComparison(services: Services, base: RunEntry, head: RunEntry): Promise<void> {
  if (!current) {
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare', vscode.ViewColumn.Active, {
      ...webviewOptions(services.context.extensionUri),
      enableFindWidget: true,
    });
    const created: ComparePanel = new ComparePanel(panel, services, () => {
      if (current === created) current = undefined;
    });
    current = created;
  }
  await current.show(base, head);
}

/** Closes the compare panel (on deactivation). */
export function disposeComparison(): void {
  current?.panel.dispose();
}
