/**
 * What the webview derives from one set of columns: names, categories, which spans show under
 * the current filters, their rows, and the lists the keyboard steps through. Rebuilt only when
 * the data or a filter changes, never per frame. No DOM.
 */
import type { SpanId } from '../core/model';
import { StringTableReader } from '../core/string-table';
import { KIND_CODES, SPAN_FLAGS, type WaterfallColumns } from '../core/waterfall-columns';
import { byDepth, matchingStrings, rankOf, searchMatches, spansWithIds, visibleMask } from './filters';
import { buildLayout, type Layout, rowSubset, type RowSubset } from './layout';

/** A category of the run with how many spans it has and the kind most of them are. */
export interface CategoryInfo {
  /** String index of the category name. */
  id: number;
  name: string;
  count: number;
  kind: number;
}

/** The filters as the user set them (by name and span index). */
export interface FilterSettings {
  hiddenCategories: ReadonlySet<string>;
  collapsed: ReadonlySet<number>;
  focus: SpanId[] | undefined;
  search: string;
}

export class ViewModel {
  readonly strings: StringTableReader;
  readonly categories: CategoryInfo[];
  /** Number of children of each span. */
  readonly childCount: Int32Array;
  private readonly depthOrder: Int32Array;

  visible!: Uint8Array;
  layout!: Layout;
  /** Failed spans per row, drawn as markers at every zoom level. */
  errors!: RowSubset;
  /** Visible spans in start order (what Tab steps through) and each span's place in it. */
  stepList!: Int32Array;
  stepRank!: Int32Array;
  /** Search matches in start order, per row, and by span; empty without a search. */
  matchList: Int32Array = new Int32Array(0);
  matchRank: Int32Array = new Int32Array(0);
  matchRows: RowSubset | undefined;
  isMatch: Uint8Array | undefined;
  /** Spans focused from a code lens, shown with their ancestors. */
  focused: Uint8Array | undefined;
  /** By span: 1 when its subtree is collapsed. */
  collapsed: Uint8Array = new Uint8Array(0);

  constructor(readonly c: WaterfallColumns) {
    this.strings = new StringTableReader(c.strings);
    this.depthOrder = byDepth(c);
    this.childCount = new Int32Array(c.count);
    for (let i = 0; i < c.count; i++) if (c.parent[i] >= 0) this.childCount[c.parent[i]]++;
    this.categories = this.collectCategories();
  }

  name(span: number): string {
    return this.strings.get(this.c.name[span]);
  }

  category(span: number): string {
    return this.strings.get(this.c.category[span]);
  }

  kindName(span: number): string {
    return KIND_CODES[this.c.kind[span]] ?? 'other';
  }

  has(span: number, flag: number): boolean {
    return (this.c.flags[span] & flag) !== 0;
  }

  /** Tokens and cost of the LLM calls made in `span`, when it made any. */
  usageOf(span: number): { tokens: number; costUsd: number } | undefined {
    const u = this.c.usage;
    let lo = 0;
    let hi = u.span.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u.span[mid] < span) lo = mid + 1;
      else hi = mid;
    }
    return lo < u.span.length && u.span[lo] === span ? { tokens: u.tokens[lo], costUsd: u.costUsd[lo] } : undefined;
  }

  /** 1 for each span with one of these ids. */
  spansWithIds(ids: SpanId[]): Uint8Array {
    return spansWithIds(this.c.count, this.c.numericId, this.c.textId, this.strings, ids);
  }

  /** Recomputes what shows, the rows, and the search matches. */
  apply(settings: FilterSettings): void {
    const c = this.c;
    const hiddenCategory = new Uint8Array(this.strings.size);
    for (const cat of this.categories) if (settings.hiddenCategories.has(cat.name)) hiddenCategory[cat.id] = 1;
    const collapsed = new Uint8Array(c.count);
    for (const i of settings.collapsed) if (i >= 0 && i < c.count) collapsed[i] = 1;
    this.collapsed = collapsed;
    this.focused = settings.focus ? spansWithIds(c.count, c.numericId, c.textId, this.strings, settings.focus) : undefined;
    this.visible = visibleMask(c, this.depthOrder, { hiddenCategory, collapsed, focus: this.focused });
    this.layout = buildLayout(c, this.visible);
    const failed = new Uint8Array(c.count);
    for (let i = 0; i < c.count; i++) if (c.flags[i] & SPAN_FLAGS.error) failed[i] = 1;
    this.errors = rowSubset(this.layout, failed);
    const steps = new Int32Array(this.layout.shown);
    let at = 0;
    for (let k = 0; k < c.count; k++) if (this.visible[c.order[k]]) steps[at++] = c.order[k];
    this.stepList = steps;
    this.stepRank = rankOf(this.stepList, c.count);
    this.applySearch(settings.search);
  }

  /** Recomputes the search matches only (typing in the search box does not re-lay out). */
  applySearch(query: string): void {
    if (!query.trim()) {
      this.matchList = new Int32Array(0);
      this.matchRank = new Int32Array(0);
      this.matchRows = undefined;
      this.isMatch = undefined;
      return;
    }
    const matching = matchingStrings(this.strings, query);
    this.matchList = searchMatches(this.c, this.visible, matching);
    this.matchRank = rankOf(this.matchList, this.c.count);
    this.isMatch = new Uint8Array(this.c.count);
    for (const i of this.matchList) this.isMatch[i] = 1;
    this.matchRows = rowSubset(this.layout, this.isMatch);
  }

  /** Index of the row's first span and the row count, for drawing. */
  get rowCount(): number {
    return this.layout.rowCount;
  }

  private collectCategories(): CategoryInfo[] {
    const c = this.c;
    // Typed counters by string index, then kind counters by dense category number: no map
    // look-up per span (a million spans, a handful of categories).
    const count = new Int32Array(this.strings.size);
    for (let i = 0; i < c.count; i++) count[c.category[i]]++;
    const dense = new Int32Array(this.strings.size).fill(-1);
    const ids: number[] = [];
    for (let id = 0; id < count.length; id++) if (count[id] > 0) dense[id] = ids.push(id) - 1;
    const kinds = KIND_CODES.length;
    const kindCount = new Int32Array(ids.length * kinds);
    for (let i = 0; i < c.count; i++) kindCount[dense[c.category[i]] * kinds + c.kind[i]]++;
    const out = ids.map((id, j): CategoryInfo => {
      let kind = 0;
      for (let k = 1; k < kinds; k++) if (kindCount[j * kinds + k] > kindCount[j * kinds + kind]) kind = k;
      return { id, name: this.strings.get(id), count: count[id], kind };
    });
    // Most spans first; names break ties so the order is stable.
    return out.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  }
}
