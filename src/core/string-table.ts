/**
 * A table of distinct strings as one UTF-8 byte block plus offsets: the compact form in which the
 * waterfall sends span names and categories to the webview. A million spans usually share a few
 * hundred names, and even a million distinct names travel as two buffers instead of a million
 * JSON strings. Pure: runs in the worker and in the browser.
 */

/** Distinct strings; string `k` is the UTF-8 bytes `bytes[offsets[k] … offsets[k + 1])`. */
export interface StringTable {
  bytes: Uint8Array;
  /** `count + 1` offsets, ascending, the last one `bytes.length`. */
  offsets: Uint32Array;
}

/** Collects distinct strings and gives each a dense index in first-seen order. */
export class StringTableBuilder {
  private readonly index = new Map<string, number>();
  private readonly list: string[] = [];

  /** Index of `text`, adding it when new. */
  add(text: string): number {
    let k = this.index.get(text);
    if (k === undefined) {
      k = this.list.length;
      this.list.push(text);
      this.index.set(text, k);
    }
    return k;
  }

  get size(): number {
    return this.list.length;
  }

  /** Encodes the strings collected so far. */
  build(): StringTable {
    const encoder = new TextEncoder();
    const parts = this.list.map((s) => encoder.encode(s));
    const offsets = new Uint32Array(parts.length + 1);
    for (let k = 0; k < parts.length; k++) offsets[k + 1] = offsets[k] + parts[k].length;
    const bytes = new Uint8Array(offsets[parts.length]);
    for (let k = 0; k < parts.length; k++) bytes.set(parts[k], offsets[k]);
    return { bytes, offsets };
  }
}

/** Number of strings in a table. */
export function stringCount(table: StringTable): number {
  return Math.max(0, table.offsets.length - 1);
}

/**
 * Reads strings out of a table lazily, each decoded once; out-of-range indices read as `''`, so
 * a bad index from a message cannot throw.
 */
export class StringTableReader {
  private readonly decoded: Array<string | undefined>;
  private readonly decoder = new TextDecoder();

  constructor(private readonly table: StringTable) {
    this.decoded = new Array(stringCount(table));
  }

  get size(): number {
    return this.decoded.length;
  }

  get(k: number): string {
    if (!(k >= 0 && k < this.decoded.length)) return '';
    let s = this.decoded[k];
    if (s === undefined) {
      s = this.decoder.decode(this.table.bytes.subarray(this.table.offsets[k], this.table.offsets[k + 1]));
      this.decoded[k] = s;
    }
    return s;
  }
}
