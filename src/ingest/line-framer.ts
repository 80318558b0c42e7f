/**
 * Cuts a byte stream into UTF-8 text lines, incrementally. Pure (no fs): the caller pushes bytes
 * as it reads them. Complete lines are decoded and handed to a {@link LineSink}; a trailing partial
 * line is held (copied, so callers may reuse their buffers) until its newline arrives.
 *
 * Speed: a run of complete lines is decoded with ONE `TextDecoder` call and split on `'\n'`, which
 * measured ~15 % faster than decoding line by line (400 000 lines, 30 MB). Decoding is fatal, so
 * invalid UTF-8 fails the whole run; only then are its lines decoded one by one, to find and
 * report the bad ones. A line is valid UTF-8 iff every part between `0x0A` bytes is, so both paths
 * report the same lines.
 */

/** Receives the lines. `line` returns true to stop: the rest of the input is ignored. */
export interface LineSink {
  /** A complete line without its `\n` (a `\r` before it is kept; JSON.parse treats it as space). */
  line(text: string, lineNumber: number): boolean;
  /** A line that was not handed over: invalid UTF-8, or longer than the cap (skipped unread). */
  badLine(lineNumber: number, problem: 'utf8' | 'too-long'): void;
}

/** Where {@link LineFramer} stopped when the sink asked it to. */
export interface StopPoint {
  /** Byte offset of the start of the line that stopped the framer. */
  offset: number;
  /** Its 1-based line number. */
  line: number;
}

/** Complete lines are decoded at most this many bytes at a time (bounds the size of one string). */
const SEGMENT_BYTES = 4 * 1024 * 1024;
const NEWLINE = 10;

export class LineFramer {
  /** 1-based number of the next line. */
  lineNumber: number;
  /** Bytes consumed so far, counted from the start of the file. */
  offset: number;
  /** Set when the sink stopped the framer. */
  stoppedAt: StopPoint | undefined;

  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly segmentBytes: number;
  /** Pieces of the partial line held until its newline; `heldBytes` is their total size. */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private heldStart = 0;
  /** True while dropping a line over the cap, up to its newline. */
  private skipping = false;

  /**
   * @param maxLineBytes lines longer than this are reported and skipped; at most this much of a
   *   partial line is held.
   * @param firstLine number of the first line pushed (when starting mid-file).
   * @param startOffset file offset of the first byte pushed; a BOM is stripped only at offset 0.
   */
  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes: number,
    firstLine = 1,
    startOffset = 0,
  ) {
    this.lineNumber = firstLine;
    this.offset = startOffset;
    this.segmentBytes = Math.max(1, Math.min(SEGMENT_BYTES, maxLineBytes));
  }

  /** True while a partial line (or the tail of an over-long one) is waiting for its newline. */
  get midLine(): boolean {
    return this.heldBytes > 0 || this.skipping;
  }

  push(chunk: Uint8Array): void {
    const base = this.offset;
    this.offset += chunk.length;
    if (this.stoppedAt || chunk.length === 0) return;
    let pos = 0;
    if (this.skipping || this.heldBytes > 0) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        if (!this.skipping) this.hold(chunk, 0, chunk.length, base);
        return;
      }
      if (this.skipping) {
        this.skipping = false;
        this.lineNumber++;
      } else if (this.heldBytes + nl > this.maxLineBytes) {
        this.sink.badLine(this.lineNumber++, 'too-long');
        this.dropHeld();
      } else {
        const bytes = this.takeHeld(chunk, nl);
        this.emitLine(bytes, 0, bytes.length, this.heldStart);
        if (this.stoppedAt) return;
      }
      pos = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(NEWLINE);
    if (lastNl >= pos) {
      this.emitLines(chunk, pos, lastNl, base);
      if (this.stoppedAt) return;
      pos = lastNl + 1;
    }
    if (pos < chunk.length) this.hold(chunk, pos, chunk.length, base);
  }

  /** Input complete: the held partial line (if any) is handed over as the last line. */
  end(): void {
    if (this.stoppedAt) return;
    if (this.skipping) {
      this.skipping = false;
      this.lineNumber++;
      return;
    }
    if (this.heldBytes === 0) return;
    const bytes = this.takeHeld(new Uint8Array(0), 0);
    this.emitLine(bytes, 0, bytes.length, this.heldStart);
  }

  private hold(chunk: Uint8Array, from: number, to: number, base: number): void {
    const n = to - from;
    if (this.heldBytes + n > this.maxLineBytes) {
      // Memory stays bounded: the line is reported now and its bytes dropped up to the newline.
      this.sink.badLine(this.lineNumber, 'too-long');
      this.dropHeld();
      this.skipping = true;
      return;
    }
    if (this.heldBytes === 0) this.heldStart = base + from;
    // A copy, never a view: callers reuse their read buffers (and Node's Buffer#slice is a view).
    this.held.push(Uint8Array.prototype.slice.call(chunk, from, to));
    this.heldBytes += n;
  }

  /** The held pieces plus `chunk[0, upTo)` as one array; clears the held state. */
  private takeHeld(chunk: Uint8Array, upTo: number): Uint8Array {
    const bytes = new Uint8Array(this.heldBytes + upTo);
    let at = 0;
    for (const piece of this.held) {
      bytes.set(piece, at);
      at += piece.length;
    }
    bytes.set(chunk.subarray(0, upTo), at);
    this.dropHeld();
    return bytes;
  }

  private dropHeld(): void {
    this.held = [];
    this.heldBytes = 0;
  }

  /**
   * Complete lines in `bytes[from, lastNl)` (`lastNl` is the index of a newline), decoded in
   * segments of at most `segmentBytes` cut at newlines. `base` is the file offset of `bytes[0]`.
   */
  private emitLines(bytes: Uint8Array, from: number, lastNl: number, base: number): void {
    while (from <= lastNl) {
      let end = lastNl;
      if (lastNl - from > this.segmentBytes) {
        const nl = bytes.lastIndexOf(NEWLINE, from + this.segmentBytes);
        // No newline within the segment: one line longer than it, ending at the next newline.
        end = nl >= from ? nl : bytes.indexOf(NEWLINE, from + this.segmentBytes);
      }
      if (end - from > this.maxLineBytes && bytes.indexOf(NEWLINE, from) === end) {
        this.sink.badLine(this.lineNumber++, 'too-long');
      } else {
        this.emitSegment(bytes, from, end, base);
        if (this.stoppedAt) return;
      }
      from = end + 1;
    }
  }

  /** Lines of `bytes[from, end)`, decoded at once; per line only when the whole fails to decode. */
  private emitSegment(bytes: Uint8Array, from: number, end: number, base: number): void {
    let text: string;
    try {
      text = this.decoder.decode(bytes.subarray(from, end));
    } catch {
      this.emitEachLine(bytes, from, end, base);
      return;
    }
    // A BOM is accepted at the very start of the file only.
    let start = base + from === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const sink = this.sink;
    for (let k = 0; ; k++) {
      const nl = text.indexOf('\n', start);
      const line = nl < 0 ? (start === 0 ? text : text.slice(start)) : text.slice(start, nl);
      if (sink.line(line, this.lineNumber)) {
        this.stop(bytes, from, base, k);
        return;
      }
      this.lineNumber++;
      if (nl < 0) return;
      start = nl + 1;
    }
  }

  /** Slow path: decode line by line to tell the invalid lines from the good ones. */
  private emitEachLine(bytes: Uint8Array, from: number, end: number, base: number): void {
    let start = from;
    for (;;) {
      let nl = bytes.indexOf(NEWLINE, start);
      if (nl < 0 || nl > end) nl = end;
      this.emitLine(bytes, start, nl, base + start);
      if (this.stoppedAt || nl === end) return;
      start = nl + 1;
    }
  }

  /** One line `bytes[from, to)` starting at file offset `lineOffset`. */
  private emitLine(bytes: Uint8Array, from: number, to: number, lineOffset: number): void {
    let text: string;
    try {
      text = this.decoder.decode(bytes.subarray(from, to));
    } catch {
      this.sink.badLine(this.lineNumber++, 'utf8');
      return;
    }
    if (lineOffset === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (this.sink.line(text, this.lineNumber)) {
      this.stoppedAt = { offset: lineOffset, line: this.lineNumber };
      this.dropHeld();
      return;
    }
    this.lineNumber++;
  }

  /**
   * Records where the sink stopped inside a segment: the `skipLines`-th line after `bytes[from]`.
   * Rare (a second run header), so the newlines are simply counted again.
   */
  private stop(bytes: Uint8Array, from: number, base: number, skipLines: number): void {
    let at = from;
    for (let i = 0; i < skipLines; i++) at = bytes.indexOf(NEWLINE, at) + 1;
    this.stoppedAt = { offset: base + at, line: this.lineNumber };
    this.dropHeld();
  }
}
