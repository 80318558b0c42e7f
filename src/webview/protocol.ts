/**
 * The one message protocol between the extension host (src/extension/waterfall-panel.ts) and the
 * waterfall webview (src/webview/main.ts). The webview says `ready` before any data flows; the
 * host posts only through a typed `post(msg: ToWebview)`; both sides handle messages in an
 * exhaustive switch. Nothing from a profile is ever pasted into the page's HTML: it travels here
 * and is drawn as canvas text or set as `textContent`.
 *
 * The webview is a sandboxed page, but what it sends is treated as untrusted all the same:
 * {@link parseFromWebview} accepts only known shapes and span indices of the run on screen.
 */
import type { SpanId } from '../core/model';
import type { SpanDetails } from '../core/span-details';
import type { WaterfallColumns } from '../core/waterfall-columns';

/** The run on screen. */
export interface RunLabel {
  /** Identifies the run (its file); view state is kept while the key stays the same. */
  key: string;
  name: string;
  /** The profile's file name, for the status line. */
  fileName: string;
  /** The run is being recorded right now; more spans will come. */
  live: boolean;
}

/** Messages from the host to the webview. */
export type ToWebview =
  /** The run's spans; sent on `ready` and again whenever a live run grows (same `run.key`). */
  | { type: 'data'; run: RunLabel; columns: WaterfallColumns }
  /** Select these spans (from a code lens or the tree); `filter` shows only them and their ancestors. */
  | { type: 'focus'; spanIds: SpanId[]; filter: boolean }
  /** The answer to a `details` request. */
  | { type: 'details'; details: SpanDetails }
  /** No run to show (none active, still loading, or it failed); the text says which. */
  | { type: 'status'; message: string };

/** Messages from the webview to the host. */
export type FromWebview =
  /** The page is loaded and listening. */
  | { type: 'ready' }
  /** Send the details of span `span` (a span index of the run on screen). */
  | { type: 'details'; span: number }
  /** Open the call site recorded for span `span`. */
  | { type: 'openSource'; span: number };

/** Most span ids one `focus` message carries (a lens names at most this many). */
export const MAX_FOCUS_IDS = 500;

/** A span index that exists in a run of `spanCount` spans. */
function isSpanIndex(value: unknown, spanCount: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < spanCount;
}

/**
 * A message from the webview, checked: the known shapes only, with span indices that exist in
 * the run on screen (`spanCount` spans). Anything else is undefined and gets dropped.
 */
export function parseFromWebview(raw: unknown, spanCount: number): FromWebview | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const msg = raw as { type?: unknown; span?: unknown };
  switch (msg.type) {
    case 'ready':
      return { type: 'ready' };
    case 'details':
    case 'openSource':
      return isSpanIndex(msg.span, spanCount) ? { type: msg.type, span: msg.span } : undefined;
    default:
      return undefined;
  }
}

/** Span ids from a command argument: numbers and strings only, at most {@link MAX_FOCUS_IDS}. */
export function cleanSpanIds(value: unknown): SpanId[] {
  if (!Array.isArray(value)) return [];
  const out: SpanId[] = [];
  for (const id of value) {
    if (out.length >= MAX_FOCUS_IDS) break;
    if ((typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= 200)) out.push(id);
  }
  return out;
}
