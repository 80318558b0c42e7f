/**
 * The waterfall's data in columns: one typed array per field, indexed by span index, so that a run
 * of a million spans crosses from the worker to the webview as a few buffers (transferred, not
 * copied into a million JSON objects) and the webview loops over flat arrays when it draws.
 * Pure: no `vscode`, no `fs`; the analysis worker builds it, the webview reads it.
 *
 * Columns are in span-index order (the order spans arrived), which stays stable while a live run
 * grows: a selection or a collapsed span keeps its index from one update to the next.
 */
import type { CriticalSegment } from './analysis-types';
import { ORIGINAL_NAME_ATTR, Profile, SpanKind, spanLabel, wallTime } from './model';
import { StringTable, StringTableBuilder } from './string-table';
import { selfTimes } from './timing';
import { orderBy, preorder, spanTable } from './tree-order';

/** Kind codes of the `kind` column: `KIND_CODES[kind[i]]` is the span's kind. */
export const KIND_CODES: readonly SpanKind[] = ['llm', 'tool', 'memory', 'retrieval', 'agent', 'other'];

/** Bits of the `flags` column. */
export const SPAN_FLAGS = {
  /** The span has a segment on the critical path. */
  critical: 1,
  /** The span failed. */
  error: 2,
  /** The span never closed; its end is the run's last time. */
  open: 4,
  /** Its parent id names a span that never appeared. */
  orphan: 8,
  /** A call site (file) was recorded, so "Go to code" can open it. */
  site: 16,
} as const;

/** Token use and cost of the spans that made LLM calls, sparse: most spans make none. */
export interface SpanUsageColumns {
  /** Span indices, ascending. */
  span: Int32Array;
  /** Input + output tokens of the calls made in `span[k]` (input includes cache reads/writes). */
  tokens: Float64Array;
  /** Cost of those calls, USD (unpriced calls count 0). */
  costUsd: Float64Array;
}

/** Every span of a run as columns; all arrays have `count` entries unless said otherwise. */
export interface WaterfallColumns {
  count: number;
  /** Wall time of the run, ms (the time axis runs from 0 to here). */
  wallMs: number;
  /** Start, ms since the run's first start. */
  start: Float64Array;
  /** Effective end, ms since the run's first start; open spans end at the run's last time. */
  end: Float64Array;
  /** Nesting depth, 0 for top-level spans; always `depth[parent[i]] + 1` for nested spans. */
  depth: Int32Array;
  /** Parent span index, −1 at the top level (a parent cycle in bad input is cut here). */
  parent: Int32Array;
  /** All span indices ordered by start (ties by index). */
  order: Int32Array;
  /** Index into {@link KIND_CODES}. */
  kind: Uint8Array;
  /** {@link SPAN_FLAGS} bits. */
  flags: Uint8Array;
  /** Name, as an index into `strings`. */
  name: Int32Array;
  /** Category, as an index into `strings`. */
  category: Int32Array;
  /**
   * The name the file gave a span whose shown name the importer replaced (`ORIGINAL_NAME_ATTR`),
   * as an index into `strings`, −1 for the others; undefined when no span has one. Searched too.
   */
  alias?: Int32Array;
  /** Self time (duration minus the union of the children), ms. */
  selfMs: Float32Array;
  /** Span ids when every id is a number; undefined otherwise (then see `textId`). */
  numericId: Float64Array | undefined;
  /** Span ids as indices into `strings`, when some id is a string; undefined otherwise. */
  textId: Int32Array | undefined;
  usage: SpanUsageColumns;
  /** Names, categories and text ids. */
  strings: StringTable;
}

const NS_PER_MS = 1e6;

/**
 * Builds the columns of `profile`. `critical` (the run's critical path) sets the critical flag;
 * `usageCostUsd`, the cost of each usage record by usage index (see `usageCosts` in tokens.ts),
 * fills the cost of the usage columns (0 without it).
 */
export function buildWaterfallColumns(profile: Profile, critical: CriticalSegment[], usageCostUsd?: Float64Array): WaterfallColumns {
  const spans = profile.spans;
  const count = spans.length;
  const table = spanTable(profile);
  const origin = count && Number.isFinite(profile.minTime) ? profile.minTime : 0;
  const start = new Float64Array(count);
  const end = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    start[i] = (table.start[i] - origin) / NS_PER_MS;
    end[i] = (table.end[i] - origin) / NS_PER_MS;
  }

  // Depth from the pre-order walk; a span it had to take as an extra root (only under a parent
  // cycle) becomes top-level, so parent and depth always agree.
  const tree = preorder(profile, table);
  const depth = new Int32Array(count);
  const parent = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const i = tree.order[k];
    depth[i] = tree.depth[k];
    parent[i] = tree.depth[k] === 0 ? -1 : table.parent[i];
  }

  const strings = new StringTableBuilder();
  const kind = new Uint8Array(count);
  const flags = new Uint8Array(count);
  const name = new Int32Array(count);
  const category = new Int32Array(count);
  let alias: Int32Array | undefined;
  let allNumeric = true;
  for (let i = 0; i < count; i++) {
    const s = spans[i];
    const code = KIND_CODES.indexOf(s.kind);
    kind[i] = code < 0 ? KIND_CODES.length - 1 : code;
    let f = 0;
    if (s.status === 'error') f |= SPAN_FLAGS.error;
    if (s.end !== s.end) f |= SPAN_FLAGS.open;
    if (s.orphan) f |= SPAN_FLAGS.orphan;
    if (s.file) f |= SPAN_FLAGS.site;
    flags[i] = f;
    name[i] = strings.add(spanLabel(s));
    category[i] = strings.add(s.category);
    const original = s.attrs?.[ORIGINAL_NAME_ATTR];
    if (typeof original === 'string') {
      if (!alias) alias = new Int32Array(count).fill(-1);
      alias[i] = strings.add(original);
    }
    if (typeof s.id !== 'number') allNumeric = false;
  }
  for (const segment of critical) if (segment.span >= 0 && segment.span < count) flags[segment.span] |= SPAN_FLAGS.critical;

  let numericId: Float64Array | undefined;
  let textId: Int32Array | undefined;
  if (allNumeric) {
    numericId = new Float64Array(count);
    for (let i = 0; i < count; i++) numericId[i] = spans[i].id as number;
  } else {
    textId = new Int32Array(count);
    for (let i = 0; i < count; i++) textId[i] = strings.add(String(spans[i].id));
  }

  const selfNs = selfTimes(profile);
  const selfMs = new Float32Array(count);
  for (let i = 0; i < count; i++) selfMs[i] = selfNs[i] / NS_PER_MS;

  return {
    count,
    wallMs: wallTime(profile) / NS_PER_MS,
    start,
    end,
    depth,
    parent,
    order: startOrder(table.start, start),
    kind,
    flags,
    name,
    category,
    // Only when some span has one: a run of our own recorder's carries no extra column.
    ...(alias ? { alias } : {}),
    selfMs,
    numericId,
    textId,
    usage: spanUsage(profile, usageCostUsd),
    strings: strings.build(),
  };
}

/**
 * Span indices by start (ties by index). The columns promise this order to the webview, whose
 * lane layout depends on it, so the result of the shared sort is checked (one linear pass) and
 * redone by comparison if it is ever off.
 */
function startOrder(startNs: Float64Array, start: Float64Array): Int32Array {
  const order = orderBy(startNs);
  for (let k = 1; k < order.length; k++) {
    if (start[order[k]] < start[order[k - 1]]) {
      const list = Array.from({ length: start.length }, (_, i) => i);
      list.sort((a, b) => start[a] - start[b] || a - b);
      return Int32Array.from(list);
    }
  }
  return order;
}

/** Sums the usage records of each span that has any. */
function spanUsage(profile: Profile, usageCostUsd: Float64Array | undefined): SpanUsageColumns {
  const bySpan = new Map<number, { tokens: number; costUsd: number }>();
  for (const u of profile.usage) {
    if (!(u.span >= 0 && u.span < profile.spans.length)) continue;
    let sum = bySpan.get(u.span);
    if (!sum) bySpan.set(u.span, (sum = { tokens: 0, costUsd: 0 }));
    sum.tokens += u.input + u.output;
    sum.costUsd += usageCostUsd?.[u.index] ?? 0;
  }
  const keys = [...bySpan.keys()].sort((a, b) => a - b);
  const span = Int32Array.from(keys);
  const tokens = new Float64Array(keys.length);
  const costUsd = new Float64Array(keys.length);
  keys.forEach((k, j) => {
    const sum = bySpan.get(k) as { tokens: number; costUsd: number };
    tokens[j] = sum.tokens;
    costUsd[j] = sum.costUsd;
  });
  return { span, tokens, costUsd };
}

/** The buffers of `c`, for a transfer list (`postMessage(msg, transfer)`); each buffer once. */
export function columnBuffers(c: WaterfallColumns): ArrayBuffer[] {
  const views: ArrayBufferView[] = [
    c.start,
    c.end,
    c.depth,
    c.parent,
    c.order,
    c.kind,
    c.flags,
    c.name,
    c.category,
    c.selfMs,
    c.usage.span,
    c.usage.tokens,
    c.usage.costUsd,
    c.strings.bytes,
    c.strings.offsets,
  ];
  if (c.numericId) views.push(c.numericId);
  if (c.alias) views.push(c.alias);
  if (c.textId) views.push(c.textId);
  const buffers = new Set<ArrayBuffer>();
  for (const v of views) if (v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
  return [...buffers];
}

/**
 * Checks that columns received in a message are whole: every array of the right type and length,
 * indices in range. Returns what is wrong, or undefined. Cheap next to drawing (one pass over the
 * index columns), and it keeps a malformed message from turning into out-of-range reads later.
 */
export function checkWaterfallColumns(value: unknown): string | undefined {
  const c = value as WaterfallColumns;
  if (typeof c !== 'object' || c === null) return 'not an object';
  const n = c.count;
  if (!(Number.isInteger(n) && n >= 0)) return 'bad count';
  if (!(typeof c.wallMs === 'number' && c.wallMs >= 0)) return 'bad wallMs';
  const typed: Array<[string, unknown, new (...args: never[]) => ArrayBufferView]> = [
    ['start', c.start, Float64Array],
    ['end', c.end, Float64Array],
    ['depth', c.depth, Int32Array],
    ['parent', c.parent, Int32Array],
    ['order', c.order, Int32Array],
    ['kind', c.kind, Uint8Array],
    ['flags', c.flags, Uint8Array],
    ['name', c.name, Int32Array],
    ['category', c.category, Int32Array],
    ['selfMs', c.selfMs, Float32Array],
  ];
  for (const [field, column, type] of typed) {
    if (!(column instanceof type) || (column as unknown as { length: number }).length !== n) return `bad column ${field}`;
  }
  if (c.numericId !== undefined && !(c.numericId instanceof Float64Array && c.numericId.length === n)) return 'bad numericId';
  if (c.textId !== undefined && !(c.textId instanceof Int32Array && c.textId.length === n)) return 'bad textId';
  if (c.alias !== undefined && !(c.alias instanceof Int32Array && c.alias.length === n)) return 'bad alias';
  if ((c.numericId === undefined) === (c.textId === undefined)) return 'need exactly one of numericId and textId';
  const s = c.strings;
  if (!(s && s.bytes instanceof Uint8Array && s.offsets instanceof Uint32Array && s.offsets.length >= 1)) return 'bad strings';
  if (s.offsets[s.offsets.length - 1] !== s.bytes.length) return 'bad string offsets';
  const strings = s.offsets.length - 1;
  const u = c.usage;
  if (!(u && u.span instanceof Int32Array && u.tokens instanceof Float64Array && u.costUsd instanceof Float64Array)) return 'bad usage';
  if (u.tokens.length !== u.span.length || u.costUsd.length !== u.span.length) return 'bad usage lengths';
  for (let k = 0; k < u.span.length; k++) if (!(u.span[k] >= 0 && u.span[k] < n) || (k > 0 && u.span[k] <= u.span[k - 1])) return 'bad usage span';
  const seen = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = c.order[k];
    if (!(i >= 0 && i < n) || seen[i]) return 'order is not a permutation';
    seen[i] = 1;
    if (k > 0 && c.start[i] < c.start[c.order[k - 1]]) return 'order is not by start';
  }
  for (let i = 0; i < n; i++) {
    const p = c.parent[i];
    if (p !== -1 && !(p >= 0 && p < n && c.depth[p] === c.depth[i] - 1)) return 'bad parent';
    if (c.depth[i] < 0 || (p === -1 && c.depth[i] !== 0)) return 'bad depth';
    if (!(c.name[i] >= 0 && c.name[i] < strings) || !(c.category[i] >= 0 && c.category[i] < strings)) return 'bad string index';
    if (c.textId && !(c.textId[i] >= 0 && c.textId[i] < strings)) return 'bad text id';
    if (c.alias && !(c.alias[i] >= -1 && c.alias[i] < strings)) return 'bad alias index';
    if (c.kind[i] >= KIND_CODES.length) return 'bad kind';
    if (!(c.end[i] >= c.start[i])) return 'bad interval';
  }
  return undefined;
}
