/**
 * Field validation of the native records (docs/format.md) and their mapping onto
 * {@link ProfileBuilder}. A missing or invalid *required* field skips the record with an error
 * diagnostic; an invalid *optional* field is dropped with a warning and the record kept, so one
 * bad call-site line number does not lose a span and orphan its children.
 */
import type { ProfileBuilder } from '../core/builder';
import type { RunInfo, SpanId, SpanKind } from '../core/model';
import { adoptAttrs, AttrCopyLoss } from './safe-attrs';

/** Every key a version-1 record may carry; all `unknown` until checked. */
export interface RawRecord {
  t?: unknown;
  // run
  v?: unknown;
  name?: unknown;
  start?: unknown;
  pid?: unknown;
  argv?: unknown;
  cwd?: unknown;
  recorder?: unknown;
  // s / e
  id?: unknown;
  p?: unknown;
  n?: unknown;
  at?: unknown;
  f?: unknown;
  l?: unknown;
  th?: unknown;
  task?: unknown;
  a?: unknown;
  k?: unknown;
  kind?: unknown;
  err?: unknown;
  // u
  span?: unknown;
  op?: unknown;
  model?: unknown;
  prov?: unknown;
  in?: unknown;
  out?: unknown;
  cr?: unknown;
  cw?: unknown;
  rs?: unknown;
  cost?: unknown;
  // b
  target?: unknown;
  tokens?: unknown;
  ms?: unknown;
  // end
  status?: unknown;
}

/** 2^53: larger integers are not exact in a double. */
const MAX_EXACT = 9007199254740992;
const KINDS: ReadonlySet<string> = new Set<SpanKind>(['llm', 'tool', 'memory', 'retrieval', 'agent', 'other']);
const EPOCH_NS = /^\d{1,30}$/;

/** Short JSON rendering of a bad value for a message. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value); // JSON.stringify(Infinity) would say null
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function skip(b: ProfileBuilder, line: number, t: string, key: string, expected: string, value: unknown): void {
  b.diagnostic(line, 'error', `"${t}" record skipped: "${key}" must be ${expected}, got ${shown(value)}`);
}

function dropped(b: ProfileBuilder, line: number, t: string, key: string, expected: string, value: unknown): void {
  b.diagnostic(line, 'warning', `"${t}" record: "${key}" ignored, it must be ${expected}, got ${shown(value)}`);
}

/** A time or count: a finite number in [0, 2^53]; fractions are rounded. -1 when invalid. */
function nonNegative(value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0) || value > MAX_EXACT) return -1;
  return Number.isInteger(value) ? value : Math.round(value);
}

/** A span id: a non-negative safe integer or a non-empty string. Undefined when invalid. */
function spanId(value: unknown): SpanId | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  return undefined;
}

const ID = 'an integer >= 0 or a non-empty string';
const TIME = 'an integer number of ns in [0, 2^53]';

/** Optional string field: the string, or undefined (with a warning when present but not a string). */
function optString(b: ProfileBuilder, line: number, t: string, key: string, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== undefined && value !== null) dropped(b, line, t, key, 'a string', value);
  return undefined;
}

/** Optional 1-based line number. */
function optLine(b: ProfileBuilder, line: number, t: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  dropped(b, line, t, 'l', 'an integer >= 1', value);
  return undefined;
}

const attrLoss: AttrCopyLoss = { tooDeep: 0, tooMany: 0 };

/** Optional attribute object, copied prototype-free. */
function optAttrs(b: ProfileBuilder, line: number, t: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    dropped(b, line, t, 'a', 'an object', value);
    return undefined;
  }
  // One loss tally reused by every call (reset here): most records carry attrs, and nothing
  // keeps the tally past this function.
  const loss = attrLoss;
  loss.tooDeep = 0;
  loss.tooMany = 0;
  // The record is ours and dropped after this call: its `a` object may become the attrs.
  const attrs = adoptAttrs(value, loss);
  if (loss.tooDeep > 0) b.diagnostic(line, 'warning', `"${t}" record: ${loss.tooDeep} attribute value(s) nested deeper than 8 levels dropped`);
  if (loss.tooMany > 0) b.diagnostic(line, 'warning', `"${t}" record: ${loss.tooMany} attribute value(s) over the limit of 10000 dropped`);
  return attrs;
}

/** `s`: opens a span. */
export function applySpanStart(b: ProfileBuilder, r: RawRecord, line: number): void {
  const id = spanId(r.id);
  if (id === undefined) return skip(b, line, 's', 'id', ID, r.id);
  if (typeof r.n !== 'string') return skip(b, line, 's', 'n', 'a string', r.n);
  const at = nonNegative(r.at);
  if (at < 0) return skip(b, line, 's', 'at', TIME, r.at);
  let parentId: SpanId | undefined;
  if (r.p !== undefined && r.p !== null) {
    parentId = spanId(r.p);
    if (parentId === undefined) dropped(b, line, 's', 'p', ID, r.p);
  }
  let kind: SpanKind | undefined;
  if (typeof r.kind === 'string' && KINDS.has(r.kind)) kind = r.kind as SpanKind;
  // An unknown kind (a later version's) or a non-string falls back to the name, silently.
  // Positional, not a SpanStart object: one allocation fewer per span (see openSpanWith).
  // Each check runs in field order, so its warnings come out in the order they always did.
  const file = optString(b, line, 's', 'f', r.f);
  const callLine = optLine(b, line, 's', r.l);
  const thread = optString(b, line, 's', 'th', r.th);
  const task = optString(b, line, 's', 'task', r.task);
  const key = optString(b, line, 's', 'k', r.k);
  const attrs = r.a === undefined ? undefined : optAttrs(b, line, 's', r.a);
  b.openSpanWith(id, parentId, r.n, at, undefined, kind, file, callLine, thread, task, key, attrs, line);
}

/** `e`: closes a span. */
export function applySpanEnd(b: ProfileBuilder, r: RawRecord, line: number): void {
  const id = spanId(r.id);
  if (id === undefined) return skip(b, line, 'e', 'id', ID, r.id);
  const at = nonNegative(r.at);
  if (at < 0) return skip(b, line, 'e', 'at', TIME, r.at);
  const error = optString(b, line, 'e', 'err', r.err);
  const attrs = r.a === undefined ? undefined : optAttrs(b, line, 'e', r.a);
  b.closeSpan(id, at, line, error, attrs);
}

/** A token count: invalid numbers become 0 with a warning; -1 when not a number at all. */
function tokens(b: ProfileBuilder, line: number, key: string, value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number') return -1;
  const n = nonNegative(value);
  if (n >= 0) return n;
  b.diagnostic(line, 'warning', `"u" record: "${key}" must be a token count >= 0, got ${shown(value)}; taken as 0`);
  return 0;
}

/** `u`: token usage of one LLM call. */
export function applyUsage(b: ProfileBuilder, r: RawRecord, line: number): void {
  if (typeof r.op !== 'string') return skip(b, line, 'u', 'op', 'a string', r.op);
  if (typeof r.model !== 'string') return skip(b, line, 'u', 'model', 'a string', r.model);
  if (typeof r.in !== 'number') return skip(b, line, 'u', 'in', 'a token count', r.in);
  if (typeof r.out !== 'number') return skip(b, line, 'u', 'out', 'a token count', r.out);
  const input = tokens(b, line, 'in', r.in);
  const output = tokens(b, line, 'out', r.out);
  const cacheRead = tokens(b, line, 'cr', r.cr);
  const cacheWrite = tokens(b, line, 'cw', r.cw);
  const reasoning = tokens(b, line, 'rs', r.rs);
  if (cacheRead < 0) return skip(b, line, 'u', 'cr', 'a token count', r.cr);
  if (cacheWrite < 0) return skip(b, line, 'u', 'cw', 'a token count', r.cw);
  if (reasoning < 0) return skip(b, line, 'u', 'rs', 'a token count', r.rs);
  let spanRef: SpanId | undefined;
  if (r.span !== undefined && r.span !== null) {
    spanRef = spanId(r.span);
    if (spanRef === undefined) dropped(b, line, 'u', 'span', ID, r.span);
  }
  let cost: number | undefined;
  if (r.cost !== undefined && r.cost !== null) {
    if (typeof r.cost === 'number' && r.cost >= 0 && r.cost < Infinity) cost = r.cost;
    else dropped(b, line, 'u', 'cost', 'a number of USD >= 0', r.cost);
  }
  let time: number | undefined;
  if (r.at !== undefined && r.at !== null) {
    const at = nonNegative(r.at);
    if (at >= 0) time = at;
    else dropped(b, line, 'u', 'at', TIME, r.at);
  }
  b.addUsage(
    {
      spanId: spanRef,
      operation: r.op,
      model: r.model,
      provider: optString(b, line, 'u', 'prov', r.prov),
      input,
      output,
      cacheRead,
      cacheWrite,
      reasoning,
      reportedCostUsd: cost,
      time,
      file: optString(b, line, 'u', 'f', r.f),
      line: optLine(b, line, 'u', r.l),
      key: optString(b, line, 'u', 'k', r.k),
      attrs: r.a === undefined ? undefined : optAttrs(b, line, 'u', r.a),
    },
    line,
  );
}

/** Optional budget limit: a finite number >= 0. */
function limit(b: ProfileBuilder, line: number, key: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && value >= 0 && value < Infinity) return value;
  dropped(b, line, 'b', key, 'a number >= 0', value);
  return undefined;
}

/** `b`: a budget recorded by the agent. */
export function applyBudget(b: ProfileBuilder, r: RawRecord, line: number): void {
  if (typeof r.target !== 'string' || r.target.length === 0) return skip(b, line, 'b', 'target', 'a non-empty string', r.target);
  b.addBudget({
    target: r.target,
    maxTokens: limit(b, line, 'tokens', r.tokens),
    maxCostUsd: limit(b, line, 'cost', r.cost),
    maxMs: limit(b, line, 'ms', r.ms),
    source: 'profile',
  });
}

/** `end`: the run ended (normally or with an exception). */
export function applyRunEnd(b: ProfileBuilder, r: RawRecord, line: number): void {
  const at = nonNegative(r.at);
  if (at < 0) return skip(b, line, 'end', 'at', TIME, r.at);
  const error = optString(b, line, 'end', 'err', r.err);
  let status: 'ok' | 'error' | undefined;
  if (r.status === 'ok' || r.status === 'error') status = r.status;
  else {
    if (r.status !== undefined) dropped(b, line, 'end', 'status', '"ok" or "error"', r.status);
    status = error !== undefined ? 'error' : 'ok';
  }
  b.setRun({ endedAt: at, exitStatus: status, exitError: error });
  b.noteTime(at);
}

/**
 * `run`: the header, mapped onto {@link RunInfo}. The header is never skipped: a bad field is
 * replaced by its default with a warning, since losing the header would lose the run's identity.
 */
export function runInfoOf(b: ProfileBuilder, r: RawRecord, line: number): Partial<RunInfo> {
  const info: Partial<RunInfo> = {};
  if (typeof r.v === 'number' && Number.isSafeInteger(r.v) && r.v >= 1) {
    info.formatVersion = r.v;
    if (r.v > 1) {
      b.diagnostic(line, 'warning', `written in format version ${r.v}; this reader knows version 1 and reads what it can`);
    }
  } else dropped(b, line, 'run', 'v', 'an integer >= 1', r.v);

  if (typeof r.name === 'string') info.name = r.name;
  else dropped(b, line, 'run', 'name', 'a string', r.name);

  if (typeof r.start === 'string' && EPOCH_NS.test(r.start)) info.startEpochNs = r.start;
  else if (typeof r.start === 'number' && Number.isSafeInteger(r.start) && r.start >= 0) {
    // A number this large is usually already rounded; keep it, but say why times may look off.
    info.startEpochNs = String(r.start);
    b.diagnostic(line, 'warning', '"run" record: "start" should be a string of decimal digits; a JSON number may have lost precision');
  } else {
    dropped(b, line, 'run', 'start', 'a string of decimal digits (epoch ns)', r.start);
    info.startEpochNs = '0';
  }

  if (r.pid !== undefined && r.pid !== null) {
    if (typeof r.pid === 'number' && Number.isSafeInteger(r.pid) && r.pid >= 0) info.pid = r.pid;
    else dropped(b, line, 'run', 'pid', 'an integer >= 0', r.pid);
  }
  if (r.argv !== undefined && r.argv !== null) {
    if (Array.isArray(r.argv) && r.argv.every((x) => typeof x === 'string')) info.argv = r.argv as string[];
    else dropped(b, line, 'run', 'argv', 'an array of strings', r.argv);
  }
  const cwd = optString(b, line, 'run', 'cwd', r.cwd);
  if (cwd !== undefined) info.cwd = cwd;
  const recorder = optString(b, line, 'run', 'recorder', r.recorder);
  if (recorder !== undefined) info.recorder = recorder;
  return info;
}
