/**
 * Name templates: span names that differ only in numbers, hex or UUID ids, hashes or URL path
 * parameters (`step_17:llm_call`, `GET /orders/8812`) are one operation to a reader, and one row
 * of a table (`step_{n}:llm_call`, `GET /orders/{id}`). Without this, a run named the way the seed
 * chapter names its steps has as many timing rows, categories and bottlenecks as steps.
 *
 * {@link templateOf} is a hand-written scan of the name, linear in its length and bounded (names
 * longer than {@link MAX_TEMPLATE_NAME} are left as they are): no regular expression, so no
 * backtracking on hostile names, and nothing built from input. Pure; callers cache it per distinct
 * name (shared-strings.ts), so each distinct name is scanned once.
 *
 * What is a variable part, token by token (a token is a run of ASCII letters and digits; `_`,
 * `-`, `.`, `/`, `:`, spaces and the rest separate tokens and are kept):
 * - a UUID (8-4-4-4-12 hex digits) → `{uuid}`;
 * - digits only → `{n}`, except a snapshot date after `-` (`-20241022`, `-2024-07-18`: dated model
 *   names stay apart) and a version number: one or two digits right after `-` or `.` that
 *   follow a letter or a token kept as it is (`gpt-4`, `claude-3-5`, `v1.2`) stay, so two models
 *   are not merged into one row (at most 100 such variants per place, so rows stay bounded);
 * - 8 or more hex digits with at least one digit and one letter (a hash, a trace or span id) → `{hex}`;
 * - 12 or more letters and digits with at least two digits (an opaque id: `call_9fT2kq0LmZ8x`) → `{id}`;
 * - any of these as a whole URL path segment (between `/` and `/`, `?`, `#`, a space or the end)
 *   → `{id}`.
 */

/** Names longer than this are not templated (a bound on the work per name). */
export const MAX_TEMPLATE_NAME = 1000;

const enum C {
  Zero = 48,
  Nine = 57,
  UpperA = 65,
  UpperF = 70,
  UpperZ = 90,
  LowerA = 97,
  LowerF = 102,
  LowerZ = 122,
  Dash = 45,
  Dot = 46,
  Slash = 47,
  Question = 63,
  Hash = 35,
  Space = 32,
}

const isDigit = (c: number) => c >= C.Zero && c <= C.Nine;
const isLetter = (c: number) => (c >= C.UpperA && c <= C.UpperZ) || (c >= C.LowerA && c <= C.LowerZ);
const isHex = (c: number) => isDigit(c) || (c >= C.UpperA && c <= C.UpperF) || (c >= C.LowerA && c <= C.LowerF);
const isWordChar = (c: number) => isDigit(c) || isLetter(c);

/** True when `name` holds a UUID at `i` (36 characters, dashes at 8, 13, 18, 23) not glued to more word characters. */
function uuidAt(name: string, i: number): boolean {
  if (i + 36 > name.length) return false;
  for (let k = 0; k < 36; k++) {
    const c = name.charCodeAt(i + k);
    if (k === 8 || k === 13 || k === 18 || k === 23) {
      if (c !== C.Dash) return false;
    } else if (!isHex(c)) return false;
  }
  return i + 36 === name.length || !isWordChar(name.charCodeAt(i + 36));
}

/** True when the token ending before `end` is a whole path segment: `/` before, a segment end after. */
function wholeSegment(name: string, start: number, end: number): boolean {
  if (start === 0 || name.charCodeAt(start - 1) !== C.Slash) return false;
  if (end === name.length) return true;
  const c = name.charCodeAt(end);
  return c === C.Slash || c === C.Question || c === C.Hash || c === C.Space;
}

/**
 * The template of a span name: its variable parts replaced by `{n}`, `{hex}`, `{uuid}` or `{id}`
 * (see the module comment). Returns `name` itself (the same string) when nothing varies.
 */
export function templateOf(name: string): string {
  const n = name.length;
  if (n > MAX_TEMPLATE_NAME) return name;
  let out = '';
  let copied = 0; // name[copied, i) is still to be copied to `out`
  let changed = false;
  // Whether the previous token was kept as it is (`claude-3-5`, `v1.2`: the 5 and the 2 follow a kept token).
  let previousKept = false;
  let i = 0;
  while (i < n) {
    const c = name.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    let placeholder: string | undefined;
    let end: number;
    if (uuidAt(name, i)) {
      end = i + 36;
      placeholder = '{uuid}';
    } else {
      end = i;
      let digits = 0;
      let letters = 0;
      let hex = true;
      while (end < n) {
        const d = name.charCodeAt(end);
        if (isDigit(d)) digits++;
        else if (isLetter(d)) {
          letters++;
          if (!isHex(d)) hex = false;
        } else break;
        end++;
      }
      const length = end - i;
      const dateEnd = letters === 0 ? dateAt(name, i, length) : -1;
      if (dateEnd >= 0) end = dateEnd;
      else if (letters === 0) {
        if (!versionAt(name, i, length, previousKept)) placeholder = '{n}';
      } else if (hex && length >= 8 && digits > 0) placeholder = '{hex}';
      else if (length >= 12 && digits >= 2) placeholder = '{id}';
    }
    previousKept = placeholder === undefined;
    if (placeholder !== undefined) {
      if (wholeSegment(name, i, end)) placeholder = '{id}';
      out += name.slice(copied, i) + placeholder;
      copied = end;
      changed = true;
    }
    i = end;
  }
  return changed ? out + name.slice(copied) : name;
}

/** `dd` two digits at `at` forming a number in [lo, hi]. */
function twoDigitsIn(name: string, at: number, lo: number, hi: number): boolean {
  const a = name.charCodeAt(at);
  const b = name.charCodeAt(at + 1);
  if (!isDigit(a) || !isDigit(b)) return false;
  const v = (a - C.Zero) * 10 + (b - C.Zero);
  return v >= lo && v <= hi;
}

/**
 * The end of a snapshot date right after `-` at the all-digit token `start` (of `length`), or -1:
 * `-20241022` or `-2024-07-18`, as dated model names spell them (`claude-3-5-sonnet-20241022`,
 * `gpt-4o-mini-2024-07-18`). Kept as written: two snapshots of a model are two models (prices
 * differ), and dates in names vary slowly, so rows stay few.
 */
function dateAt(name: string, start: number, length: number): number {
  if (start < 2 || name.charCodeAt(start - 1) !== C.Dash || !isWordChar(name.charCodeAt(start - 2))) return -1;
  const century = (name.charCodeAt(start) - C.Zero) * 10 + (name.charCodeAt(start + 1) - C.Zero);
  if (century !== 19 && century !== 20) return -1;
  if (length === 8) return twoDigitsIn(name, start + 4, 1, 12) && twoDigitsIn(name, start + 6, 1, 31) ? start + 8 : -1;
  if (length !== 4 || start + 10 > name.length) return -1;
  if (name.charCodeAt(start + 4) !== C.Dash || name.charCodeAt(start + 7) !== C.Dash) return -1;
  if (!twoDigitsIn(name, start + 5, 1, 12) || !twoDigitsIn(name, start + 8, 1, 31)) return -1;
  return start + 10 < name.length && isWordChar(name.charCodeAt(start + 10)) ? -1 : start + 10;
}

/**
 * True when the all-digit token at `start` (of `length`) reads as a version: one or two digits
 * right after `-` or `.`, which follows a letter or a digit of a token kept as it is.
 */
function versionAt(name: string, start: number, length: number, previousKept: boolean): boolean {
  if (length > 2 || start < 2) return false;
  const separator = name.charCodeAt(start - 1);
  if (separator !== C.Dash && separator !== C.Dot) return false;
  const before = name.charCodeAt(start - 2);
  return isLetter(before) || (isDigit(before) && previousKept);
}

/**
 * Whether builders made from now on group names into templates (default on). One switch per
 * process or worker thread rather than an option threaded through every importer: the CLI sets it
 * from `--no-group-names` before reading, the analysis worker from the `agentProfiler.groupNames`
 * setting before it reads files again. Each builder reads it once, when made, so a run is never
 * half grouped.
 */
let grouping = true;

export function setNameGrouping(on: boolean): void {
  grouping = on;
}

export function nameGrouping(): boolean {
  return grouping;
}
