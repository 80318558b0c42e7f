/**
 * The view state the webview keeps through `vscode.setState` / `getState`: zoom, scroll,
 * selection and filters survive the panel being hidden (its page is thrown away) and, with the
 * panel serializer, a window reload. Read back defensively: the stored value comes from an older
 * version of the page as often as not.
 */
import type { SpanId } from '../core/model';
import { cleanSpanIds } from './protocol';

export interface ViewState {
  /** The run the state belongs to (`RunLabel.key`); another run starts from a fresh state. */
  run: string;
  /** Visible time range, ms; undefined = fitted to the whole run (and follow it while it grows). */
  t0: number | undefined;
  t1: number | undefined;
  /** Vertical scroll, px. */
  scrollY: number;
  /** Selected span index, −1 for none. */
  selected: number;
  /** Categories unchecked in the filter. */
  hiddenCategories: string[];
  /** Span indices whose subtrees are collapsed. */
  collapsed: number[];
  search: string;
  /** Span ids the view is filtered to (from a code lens), or undefined for all spans. */
  focus: SpanId[] | undefined;
}

/** Collapsed subtrees kept in the state at most (the state is JSON, kept small). */
const MAX_STORED_COLLAPSED = 5000;

export function freshState(run: string): ViewState {
  return { run, t0: undefined, t1: undefined, scrollY: 0, selected: -1, hiddenCategories: [], collapsed: [], search: '', focus: undefined };
}

const finiteOr = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** A stored state, checked field by field; undefined when it is not one. */
export function parseViewState(raw: unknown): ViewState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.run !== 'string') return undefined;
  const state = freshState(r.run);
  if (typeof r.t0 === 'number' && typeof r.t1 === 'number' && Number.isFinite(r.t0) && Number.isFinite(r.t1) && r.t1 > r.t0) {
    state.t0 = r.t0;
    state.t1 = r.t1;
  }
  state.scrollY = Math.max(0, finiteOr(r.scrollY, 0));
  state.selected = Number.isInteger(r.selected) && (r.selected as number) >= 0 ? (r.selected as number) : -1;
  if (Array.isArray(r.hiddenCategories)) state.hiddenCategories = r.hiddenCategories.filter((c): c is string => typeof c === 'string').slice(0, 1000);
  if (Array.isArray(r.collapsed)) state.collapsed = r.collapsed.filter((c): c is number => Number.isInteger(c) && c >= 0).slice(0, MAX_STORED_COLLAPSED);
  if (typeof r.search === 'string') state.search = r.search.slice(0, 200);
  if (Array.isArray(r.focus)) state.focus = cleanSpanIds(r.focus);
  return state;
}

/** The state to store: the collapsed list capped so the JSON stays small. */
export function storableState(state: ViewState): ViewState {
  return state.collapsed.length > MAX_STORED_COLLAPSED ? { ...state, collapsed: state.collapsed.slice(0, MAX_STORED_COLLAPSED) } : state;
}
