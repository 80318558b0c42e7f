/**
 * Hovers on timer calls: tokens and cost per call and per run, models, share of the run's cost,
 * cost per 1 000 runs, the cheapest cheaper model, budgets and bottlenecks (see hover-content.ts).
 * The markdown is trusted for our own commands only; everything from the profile is escaped.
 */
import * as vscode from 'vscode';
import { deltaHoverLine } from './baseline-deltas';
import { HOVER_COMMANDS, hoverMarkdown } from './hover-content';
import { spanIdsOf } from './lens-index';
import type { Services } from './services';
import { SOURCE_LANGUAGES } from './site-index-service';

class TimerHoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: Services) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const index = this.services.sites.current;
    if (!index) {
      this.services.sites.wakeIfTimed(document);
      return undefined;
    }
    const match = this.services.sites.matchesFor(document).find((m) => m.call.line === position.line);
    if (!match) return undefined;
    const spanIds = spanIdsOf(match, index.result);
    const delta = this.services.baseline.deltaOf(match, index.result);
    const md = new vscode.MarkdownString(hoverMarkdown({ match, result: index.result, spanIds, baseline: delta && deltaHoverLine(delta, match.stats) }));
    md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
    md.supportHtml = false;
    const range = new vscode.Range(match.call.line, match.call.startColumn, match.call.line, match.call.endColumn);
    return new vscode.Hover(md, range);
  }
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const selector = SOURCE_LANGUAGES.map((language) => ({ language, scheme: 'file' }));
  context.subscriptions.push(vscode.languages.registerHoverProvider(selector, new TimerHoverProvider(services)));
}
