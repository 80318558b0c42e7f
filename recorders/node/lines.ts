/**
 * The JSON lines of the profile format (docs/format.md), built as strings. Span lines are on the
 * hot path, so they are concatenated by hand instead of `JSON.stringify` of an object (about
 * three times cheaper measured); only user-supplied strings and attributes go through
 * `JSON.stringify`.
 */
import { warnOnce } from './warn';

/** A call site with its file already JSON-escaped (sites are cached, so escaping is paid once). */
export interface LineSite {
  readonly fileJson: string;
  readonly line: number;
}

/** `s`: span start. `attrs` is the already serialised `a` object, or undefined. */
export function spanStartLine(
  id: number,
  parentId: number | undefined,
  name: string,
  at: number,
  site: LineSite | undefined,
  attrs: string | undefined,
): string {
  let line = '{"t":"s","id":' + id;
  if (parentId !== undefined) line += ',"p":' + parentId;
  line += ',"n":' + nameJson(name) + ',"at":' + nsText(at);
  if (site !== undefined) line += ',"f":' + site.fileJson + ',"l":' + site.line;
  if (attrs !== undefined) line += ',"a":' + attrs;
  return line + '}\n';
}

/** `e`: span end, with the failure and the attributes set while the span ran. */
export function spanEndLine(id: number, at: number, error: string | undefined, attrs: string | undefined): string {
  let line = '{"t":"e","id":' + id + ',"at":' + nsText(at);
  if (error !== undefined) line += ',"err":' + JSON.stringify(error);
  if (attrs !== undefined) line += ',"a":' + attrs;
  return line + '}\n';
}

// The last name and its JSON: timers in a loop repeat their name (a literal, so the comparison
// is one pointer check).
let lastName = '';
let lastNameJson = '""';

function nameJson(name: string): string {
  if (name !== lastName) {
    lastNameJson = JSON.stringify(name);
    lastName = name;
  }
  return lastNameJson;
}

const ZEROS = ['', '0', '00', '000', '0000', '00000'];

/**
 * The decimal digits of `ns` (a whole number of nanoseconds), as `String(ns)` would write them.
 * Past 2^31 ns (2.1 s into a run) a number is a heap double, whose printing goes through V8's
 * double-to-string; two small integers (ms and the ns within the ms) print about twice as fast.
 */
export function nsText(ns: number): string {
  // Below 1 ms there is nothing to split; fractions, NaN and huge values print as JS does.
  if (!(ns >= 1e6 && ns < 2 ** 51) || ns !== Math.floor(ns)) return '' + ns;
  const ms = Math.floor(ns / 1e6); // exact: below 2^51 the quotient cannot round up to the next integer
  const digits = '' + (ns - ms * 1e6);
  return ms + ZEROS[6 - digits.length] + digits;
}

/** Any record as one line; undefined keys are dropped by `JSON.stringify`. */
export function recordLine(record: Record<string, unknown>): string {
  return JSON.stringify(record) + '\n';
}

/**
 * Free attributes as a JSON object, or undefined (and one warning) when they cannot be written:
 * not an object, circular, a BigInt, a throwing getter or `toJSON`.
 */
export function attrsJson(attrs: unknown): string | undefined {
  if (attrs === undefined || attrs === null) return undefined;
  let json: string | undefined;
  try {
    json = typeof attrs === 'object' && !Array.isArray(attrs) ? JSON.stringify(attrs) : undefined;
  } catch (error) {
    warnOnce('attrs', `metadata left out of the profile: it cannot be written as JSON (${describeError(error)})`);
    return undefined;
  }
  if (json === undefined || json.charCodeAt(0) !== 123 /* { */) {
    warnOnce('attrs', 'metadata left out of the profile: it must be a plain object');
    return undefined;
  }
  return json;
}

/**
 * `Type: message` of a thrown value, as the format's `err` wants. Errors whose `name` was left
 * at `Error` are named by their class (`class TimeoutError extends Error {}`).
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
      const err = error as { name?: unknown; message?: unknown; constructor?: { name?: unknown } };
      let type = typeof err.name === 'string' && err.name !== '' ? err.name : 'Error';
      const className = err.constructor?.name;
      if (type === 'Error' && typeof className === 'string' && className !== '' && className !== 'Object') {
        type = className;
      }
      const message = String(err.message ?? '');
      return message === '' ? type : `${type}: ${message}`;
    }
    return `thrown: ${String(error)}`;
  } catch {
    return 'thrown: <unprintable value>';
  }
}
