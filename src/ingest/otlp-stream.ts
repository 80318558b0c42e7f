/**
 * OTLP/JSON read from bytes pushed in chunks, so a Collector `file` exporter output (one export
 * request per line) is parsed line by line and memory holds the model plus one chunk, never the
 * whole text. Pure (no fs): the caller pushes bytes as it reads them.
 *
 * The form is told from the first non-blank line: when it is valid JSON on its own, the content is
 * one request per line and goes through the {@link LineFramer}; otherwise it is one (pretty-printed)
 * document, whose bytes are kept and parsed whole at the end, exactly as {@link parseOtlp} does.
 * A content of a single request on a single line reads as a single document (line 0), as before.
 */
import type { Diagnostic, Profile } from '../core/model';
import { LineFramer } from './line-framer';
import { quoteNanoNumbers } from './otel-values';
import { collectRequest, collectText } from './otlp';
import { TraceRuns } from './otlp-runs';

/** Default cap on one line (one export request); longer lines are reported and skipped. */
export const DEFAULT_MAX_OTLP_LINE_BYTES = 512 * 1024 * 1024;

/** Options of {@link OtlpIngest}. */
export interface OtlpIngestOptions {
  /** Lines longer than this are reported and skipped (default 512 MiB). */
  maxLineBytes?: number;
}

/** Only JSON's own white space (`trim()` also drops other spaces, which JSON.parse rejects). */
const JSON_BLANK = /^[ \t\r]*$/;
const NEWLINE = 10;

/**
 * How the content is read: `probing` until its first non-blank line is complete, then `lines`
 * (one request per line, parsed as they come) or `document` (kept, parsed whole at the end).
 */
export type OtlpForm = 'probing' | 'lines' | 'document';

/** Reads OTLP/JSON traces from pushed bytes; {@link finish} returns one run per trace, largest first. */
export class OtlpIngest {
  private mode: OtlpForm = 'probing';
  /** Probing and document mode: every byte so far (copies; callers reuse their buffers). */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Probing: offset of the first byte other than white space (or the BOM); -1 until seen. */
  private contentStart = -1;
  private readonly framer: LineFramer;
  private readonly runs = new TraceRuns('otlp');
  private readonly diagnostics: Diagnostic[] = [];
  /** Lines mode: the first request, kept until a second line shows the content is not one document. */
  private first: { doc: unknown; line: number } | undefined;
  private requests = 0;
  private pushed = 0;

  constructor(options: OtlpIngestOptions = {}) {
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_OTLP_LINE_BYTES;
    this.framer = new LineFramer(
      {
        line: (text, lineNumber) => this.line(text, lineNumber),
        badLine: (lineNumber, problem) => {
          this.flushFirst();
          const message = problem === 'utf8' ? 'not valid UTF-8; skipped' : `line longer than ${maxLineBytes} bytes; skipped`;
          this.diagnostics.push({ line: lineNumber, severity: 'error', message });
        },
      },
      maxLineBytes,
    );
  }

  /** The form found so far. */
  get form(): OtlpForm {
    return this.mode;
  }

  /** Bytes pushed so far: where the caller reads on from. */
  get offset(): number {
    return this.pushed;
  }

  /**
   * The runs read so far, largest first, from content still being written (see
   * {@link TraceRuns.snapshot}); the input goes on. A first request seen here keeps its line
   * number even if nothing follows it. While no line is complete yet, the content so far is
   * parsed whole (a single request without a newline; a half-written one gives its parse error).
   * Undefined for a single document spread over lines, which can only be read whole.
   */
  snapshot(): Profile[] | undefined {
    if (this.mode === 'document') return undefined;
    if (this.mode === 'probing') {
      const runs = new TraceRuns('otlp');
      const diagnostics: Diagnostic[] = [];
      const bytes = this.takeHeld();
      this.held = [bytes];
      this.heldBytes = bytes.length;
      collectText(new TextDecoder().decode(bytes), runs, diagnostics);
      return runs.finish(diagnostics);
    }
    this.flushFirst();
    return this.runs.snapshot(this.diagnostics);
  }

  /** Spans read so far (document form: none until {@link finish}). */
  get spanCount(): number {
    return this.runs.spanCount;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.pushed += chunk.length;
    if (this.mode === 'lines') {
      this.framer.push(chunk);
      return;
    }
    // A copy, never a view: callers reuse their read buffers.
    this.held.push(Uint8Array.prototype.slice.call(chunk));
    this.heldBytes += chunk.length;
    if (this.mode === 'probing') this.probe(chunk);
  }

  /** Input complete: returns the runs, largest first (at least one). Call once. */
  finish(): Profile[] {
    if (this.mode === 'lines') {
      this.framer.end();
      // Nothing after the first request: the content is one document, as parseOtlp reads it.
      if (this.first) collectRequest(this.first.doc, 0, this.runs, this.diagnostics);
      this.first = undefined;
    } else {
      collectText(new TextDecoder().decode(this.takeHeld()), this.runs, this.diagnostics);
    }
    return this.runs.finish(this.diagnostics);
  }

  /** Probing: looks in the latest chunk for the end of the first non-blank line. */
  private probe(chunk: Uint8Array): void {
    const base = this.heldBytes - chunk.length;
    let from = 0;
    if (this.contentStart < 0) {
      while (from < chunk.length && isBlankByte(chunk[from], base + from)) from++;
      if (from === chunk.length) return;
      this.contentStart = base + from;
    }
    const newline = chunk.indexOf(NEWLINE, from);
    if (newline < 0) return;
    const bytes = this.takeHeld();
    const firstLine = new TextDecoder().decode(bytes.subarray(this.contentStart, base + newline)).trim();
    let isRequestLine = true;
    try {
      JSON.parse(quoteNanoNumbers(firstLine));
    } catch {
      isRequestLine = false;
    }
    if (isRequestLine) {
      this.mode = 'lines';
      this.framer.push(bytes);
    } else {
      this.mode = 'document';
      this.held = [bytes];
      this.heldBytes = bytes.length;
    }
  }

  /** A complete line of the one-request-per-line form. */
  private line(text: string, lineNumber: number): boolean {
    if (this.first && !JSON_BLANK.test(text)) this.flushFirst();
    const trimmed = text.trim();
    if (trimmed === '') return false;
    let doc: unknown;
    try {
      doc = JSON.parse(quoteNanoNumbers(trimmed));
    } catch (err) {
      this.diagnostics.push({ line: lineNumber, severity: 'error', message: `not valid JSON: ${(err as Error).message}` });
      this.requests++;
      return false;
    }
    if (this.requests++ === 0) this.first = { doc, line: lineNumber };
    else collectRequest(doc, lineNumber, this.runs, this.diagnostics);
    return false;
  }

  /** The first request is not the whole content: it is read with its line number. */
  private flushFirst(): void {
    const first = this.first;
    if (!first) return;
    this.first = undefined;
    collectRequest(first.doc, first.line, this.runs, this.diagnostics);
  }

  /** The held bytes as one array; clears them. */
  private takeHeld(): Uint8Array {
    const bytes = this.held.length === 1 ? this.held[0] : new Uint8Array(this.heldBytes);
    if (this.held.length !== 1) {
      let at = 0;
      for (const piece of this.held) {
        bytes.set(piece, at);
        at += piece.length;
      }
    }
    this.held = [];
    this.heldBytes = 0;
    return bytes;
  }
}

const BOM = [0xef, 0xbb, 0xbf];

/** White space before the first line; the BOM's bytes count as blank at the file's start. */
function isBlankByte(byte: number, offset: number): boolean {
  return byte === 32 || byte === 9 || byte === 13 || byte === NEWLINE || (offset < 3 && byte === BOM[offset]);
}
