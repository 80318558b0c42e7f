/**
 * A JSON document written piece by piece: the same text as `JSON.stringify(value, null, 2)`, handed
 * to `write` in chunks of about {@link CHUNK_CHARS}, so a document larger than the biggest string
 * V8 makes (about 512 MB: "Invalid string length") can still be written — the `--full` report of a
 * million-span run. Objects and arrays are walked; each array element that is not an array is
 * stringified on its own (rows of a report are small), then indented to its place.
 */

/** Characters gathered before one call of `write`. */
export const CHUNK_CHARS = 1 << 16;

const INDENT = '  ';

/** Writes `value` as `JSON.stringify(value, null, 2)` would, in chunks, then a newline. */
export function writeJson(value: unknown, write: (chunk: string) => void): void {
  let buffer = '';
  const put = (text: string) => {
    buffer += text;
    if (buffer.length >= CHUNK_CHARS) {
      write(buffer);
      buffer = '';
    }
  };
  walk(value, '', put);
  put('\n');
  if (buffer) write(buffer);
}

/** One value at indentation `indent`: containers walked, anything else as JSON.stringify writes it. */
function walk(value: unknown, indent: string, put: (text: string) => void): void {
  if (Array.isArray(value)) {
    if (value.length === 0) return put('[]');
    const inner = indent + INDENT;
    put('[');
    for (let i = 0; i < value.length; i++) {
      put(i === 0 ? `\n${inner}` : `,\n${inner}`);
      const item = value[i];
      if (Array.isArray(item)) walk(item, inner, put);
      else put(leaf(item, inner, 'null'));
    }
    put(`\n${indent}]`);
    return;
  }
  if (isPlainObject(value)) {
    const inner = indent + INDENT;
    let first = true;
    put('{');
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      // JSON.stringify leaves out keys whose value it cannot write.
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      put(`${first ? '' : ','}\n${inner}${JSON.stringify(key)}: `);
      first = false;
      walk(v, inner, put);
    }
    put(first ? '}' : `\n${indent}}`);
    return;
  }
  put(leaf(value, indent, 'null'));
}

/** A value stringified whole and indented to `indent`; `missing` for what JSON.stringify writes as nothing. */
function leaf(value: unknown, indent: string, missing: string): string {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  if (text === undefined) return missing;
  return indent && text.includes('\n') ? text.split('\n').join(`\n${indent}`) : text;
}

function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  return true;
}
