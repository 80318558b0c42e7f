/**
 * The argument of `agentProfiler.showWaterfall`, from wherever it comes: nothing (palette),
 * `{ spanIds, file? }` from a code lens or hover (show only those spans), `{ spanId }` from the
 * tree (select one), or a tree item from a context menu (ignored). Checked, never trusted: a
 * command can be run with any argument. Free of `vscode` so tests call it directly.
 */
import type { SpanId } from '../core/model';
import { cleanSpanIds } from '../webview/protocol';

export interface ShowWaterfallRequest {
  /** Profile to show; the active run when undefined. */
  file: string | undefined;
  /** Spans to select (the earliest) and show. */
  spanIds: SpanId[];
  /** Show only `spanIds` and their ancestors. */
  filter: boolean;
}

export function parseWaterfallArgs(arg: unknown): ShowWaterfallRequest {
  const none: ShowWaterfallRequest = { file: undefined, spanIds: [], filter: false };
  if (typeof arg !== 'object' || arg === null) return none;
  const a = arg as { file?: unknown; spanIds?: unknown; spanId?: unknown };
  const file = typeof a.file === 'string' && a.file.length > 0 ? a.file : undefined;
  if (a.spanIds !== undefined) {
    const spanIds = cleanSpanIds(a.spanIds);
    return { file, spanIds, filter: spanIds.length > 0 };
  }
  if (a.spanId !== undefined) return { file, spanIds: cleanSpanIds([a.spanId]), filter: false };
  return { ...none, file };
}
