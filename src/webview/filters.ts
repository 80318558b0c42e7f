/**
 * Which spans are shown and which match the search: category filter, collapsed subtrees, a focus
 * set from a code lens (those spans and their ancestors), and a case-insensitive name search.
 * Pure: typed arrays in, typed arrays out, linear in the number of spans, no recursion.
 */
import type { SpanId } from '../core/model';
import type { StringTableReader } from '../core/string-table';

/** The span fields the filters read (a subset of `WaterfallColumns`). */
export interface FilterInput {
  count: number;
  parent: Int32Array;
  depth: Int32Array;
  category: Int32Array;
  name: Int32Array;
  /** The file's own name of a renamed span (−1: none), searched as well as the shown name. */
  alias?: Int32Array;
  order: Int32Array;
}

/** The span indices of each depth, shallowest first (a counting sort; parents precede children). */
export function byDepth(input: FilterInput): Int32Array {
  const n = input.count;
  let maxDepth = 0;
  for (let i = 0; i < n; i++) if (input.depth[i] > maxDepth) maxDepth = input.depth[i];
  const offset = new Int32Array(maxDepth + 2);
  for (let i = 0; i < n; i++) offset[input.depth[i] + 1]++;
  for (let d = 0; d <= maxDepth; d++) offset[d + 1] += offset[d];
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[offset[input.depth[i]]++] = i;
  return out;
}

/** What to hide. */
export interface Filters {
  /** By string index of the category: 1 = hidden. Shorter than the table means "not hidden". */
  hiddenCategory: Uint8Array;
  /** By span index: 1 = subtree collapsed (the span shows, its descendants do not). */
  collapsed: Uint8Array;
  /** By span index: 1 = focused. When given, only focused spans and their ancestors show. */
  focus: Uint8Array | undefined;
}

/**
 * 1 for each span to show. `depthOrder` is {@link byDepth} of the input (passed in because it
 * only changes with the data, not with the filters).
 */
export function visibleMask(input: FilterInput, depthOrder: Int32Array, filters: Filters): Uint8Array {
  const n = input.count;
  const { parent, category } = input;
  const visible = new Uint8Array(n);
  if (filters.focus) {
    // Each focused span and its ancestors; a walk stops at the first ancestor already marked,
    // so all walks together take linear time.
    for (let i = 0; i < n; i++) {
      if (!filters.focus[i]) continue;
      let at = i;
      while (at >= 0 && !visible[at]) {
        visible[at] = 1;
        at = parent[at];
      }
    }
  } else {
    visible.fill(1);
  }
  // Collapsed subtrees, shallowest first so a parent is settled before its children.
  const underCollapsed = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = depthOrder[k];
    const p = parent[i];
    if (p >= 0 && (underCollapsed[p] || filters.collapsed[p])) underCollapsed[i] = 1;
  }
  const hidden = filters.hiddenCategory;
  for (let i = 0; i < n; i++) {
    if (underCollapsed[i] || hidden[category[i]]) visible[i] = 0;
  }
  return visible;
}

/** 1 for each span whose id is one of `ids` (ids may repeat in a file: all of them count). */
export function spansWithIds(count: number, numericId: Float64Array | undefined, textId: Int32Array | undefined, strings: StringTableReader, ids: SpanId[]): Uint8Array {
  const out = new Uint8Array(count);
  const wanted = new Set(ids.map((id) => String(id)));
  if (numericId) {
    const numbers = new Set<number>();
    for (const id of wanted) if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(id)) numbers.add(Number(id));
    for (let i = 0; i < count; i++) if (numbers.has(numericId[i])) out[i] = 1;
  } else if (textId) {
    // Compare per distinct string once, not per span.
    const hit = new Uint8Array(strings.size);
    for (let k = 0; k < strings.size; k++) if (wanted.has(strings.get(k))) hit[k] = 1;
    for (let i = 0; i < count; i++) if (hit[textId[i]]) out[i] = 1;
  }
  return out;
}

/** By string index: 1 when the string contains `query` (case-insensitive). Empty query: none. */
export function matchingStrings(strings: StringTableReader, query: string): Uint8Array {
  const out = new Uint8Array(strings.size);
  const q = query.trim().toLowerCase();
  if (!q) return out;
  for (let k = 0; k < strings.size; k++) if (strings.get(k).toLowerCase().includes(q)) out[k] = 1;
  return out;
}

/** Visible spans whose name, or original name, matches (see {@link matchingStrings}), in start order. */
export function searchMatches(input: FilterInput, visible: Uint8Array, matchingString: Uint8Array): Int32Array {
  const hits: number[] = [];
  for (let k = 0; k < input.count; k++) {
    const i = input.order[k];
    if (!visible[i]) continue;
    const alias = input.alias ? input.alias[i] : -1;
    if (matchingString[input.name[i]] || (alias >= 0 && matchingString[alias])) hits.push(i);
  }
  return Int32Array.from(hits);
}

/** Position of each span in `list` (−1 when absent), for {@link stepThrough}. */
export function rankOf(list: Int32Array, count: number): Int32Array {
  const rank = new Int32Array(count).fill(-1);
  for (let k = 0; k < list.length; k++) rank[list[k]] = k;
  return rank;
}

/**
 * The item after `current` in `list` (spans in start order), wrapping around; the one before it
 * when `step` is −1. When `current` is not in the list, the first item starting after it (or the
 * last one before it); with no current span, the first (or last) item. −1 for an empty list.
 */
export function stepThrough(list: Int32Array, rank: Int32Array, start: Float64Array, current: number, step: 1 | -1): number {
  const n = list.length;
  if (n === 0) return -1;
  if (current < 0 || current >= rank.length) return step === 1 ? list[0] : list[n - 1];
  if (rank[current] >= 0) return list[(rank[current] + step + n) % n];
  // Not in the list: binary search the first item starting after the current span.
  const t = start[current];
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (start[list[mid]] <= t) lo = mid + 1;
    else hi = mid;
  }
  return step === 1 ? list[lo % n] : list[(lo - 1 + n) % n];
}
