/**
 * Incremental reader of the native profile format (`*.agentprof.jsonl`, docs/format.md). Pure:
 * it takes bytes, never touches files, so the same code reads a finished file in one go
 * ({@link parseJsonl}) and follows a growing one chunk by chunk (src/io/profile-file.ts).
 */
import { markOverMemoryLimit } from '../core/memory-account';
import { ProfileBuilder } from '../core/builder';
import type { Profile } from '../core/model';
import { LineFramer, StopPoint } from './line-framer';
import { applyBudget, applyRunEnd, applySpanEnd, applySpanStart, applyUsage, RawRecord, runInfoOf } from './native-records';

/** Default cap on one line (16 MiB): longer lines are reported and skipped unread. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Unknown record types are reported once each, for at most this many distinct names. */
const MAX_UNKNOWN_TYPES = 100;

export interface JsonlIngestOptions {
  /** Lines longer than this many bytes are reported and skipped (default 16 MiB). */
  maxLineBytes?: number;
  /** Line number of the first byte pushed, when starting mid-file (default 1). */
  firstLine?: number;
  /** File offset of the first byte pushed (default 0). A BOM is accepted only at offset 0. */
  startOffset?: number;
}

/** Short form of a parse error; V8 quotes the input in its messages, which may be huge. */
function brief(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * Feeds native JSON Lines into a {@link ProfileBuilder} as bytes arrive. Every malformed line is
 * reported with its line number and skipped; everything else is kept.
 */
export class JsonlIngest {
  readonly builder: ProfileBuilder;
  /** Set when a `run` header appears after other records: the file holds a new run. */
  private restartPoint: StopPoint | undefined;
  private readonly framer: LineFramer;
  private sawRecord = false;
  private readonly unknownTypes = new Set<string>();
  /** True while `end()` hands over the unterminated last line. */
  private atEnd = false;

  constructor(builder?: ProfileBuilder, options: JsonlIngestOptions = {}) {
    this.builder = builder ?? new ProfileBuilder('agentprof');
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.framer = new LineFramer(
      {
        line: (text, lineNumber) => this.record(text, lineNumber),
        badLine: (lineNumber, problem) => this.badLine(lineNumber, problem, maxLineBytes),
      },
      maxLineBytes,
      options.firstLine ?? 1,
      options.startOffset ?? 0,
    );
  }

  /** The model so far (unfinished: orphans are flagged by `builder.finish()`). */
  get profile(): Profile {
    return this.builder.profile;
  }

  /** Bytes consumed so far (complete lines + held partial line). The caller reads the file from here next. */
  get offset(): number {
    return this.framer.offset;
  }

  /** 1-based number of the next line. */
  get lineNumber(): number {
    return this.framer.lineNumber;
  }

  /**
   * True after a `run` header appeared again after other records: the file was rewritten by (or
   * appended with) a new run. Lines from there on are ignored; the caller starts over, at
   * {@link restartOffset} / {@link restartLine} to read just the new run.
   */
  get restarted(): boolean {
    return this.restartPoint !== undefined;
  }

  /** Byte offset of the new run's header line, once {@link restarted}. */
  get restartOffset(): number | undefined {
    return this.restartPoint?.offset;
  }

  /** Line number of the new run's header line, once {@link restarted}. */
  get restartLine(): number | undefined {
    return this.restartPoint?.line;
  }

  /** True while a partial last line is held, waiting for its newline. */
  get midLine(): boolean {
    return this.framer.midLine;
  }

  /** Feed the next bytes. Complete lines are parsed now; a trailing partial line is held until its newline. */
  push(chunk: Uint8Array): void {
    this.framer.push(chunk);
    this.restartPoint = this.framer.stoppedAt;
  }

  /** Input complete: try the held partial line; report it (warning with line number) when it does not parse. */
  end(): void {
    this.atEnd = true;
    this.framer.end();
    this.atEnd = false;
    this.restartPoint = this.framer.stoppedAt;
  }

  /** True once the model reached the memory limit (memory-account.ts): further lines are not read. */
  get memoryExceeded(): boolean {
    return this.builder.memory.exceeded;
  }

  /** One line of text. Returns true to stop reading (a new run starts here). */
  private record(text: string, line: number): boolean {
    if (this.builder.memory.exceeded) return false; // past the memory limit: nothing more is kept
    const stop = this.recordNow(text, line);
    if (this.builder.memory.exceeded) {
      const message = this.builder.memory.message(`at line ${line}`);
      this.builder.diagnostic(line, 'error', message);
      markOverMemoryLimit(this.builder.profile, message);
    }
    return stop;
  }

  private recordNow(text: string, line: number): boolean {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      if (isBlank(text)) return false;
      if (this.atEnd) {
        this.builder.diagnostic(line, 'warning', `last line is incomplete (no newline) and not valid JSON; skipped: ${brief(err)}`);
      } else {
        this.builder.diagnostic(line, 'error', `not valid JSON; line skipped: ${brief(err)}`);
      }
      return false;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.builder.diagnostic(line, 'error', `not a JSON object; line skipped`);
      return false;
    }
    const r = parsed as RawRecord;
    const b = this.builder;
    switch (r.t) {
      case 's':
        applySpanStart(b, r, line);
        break;
      case 'e':
        applySpanEnd(b, r, line);
        break;
      case 'u':
        applyUsage(b, r, line);
        break;
      case 'run':
        if (this.sawRecord) return true;
        b.setRun(runInfoOf(b, r, line));
        this.sawRecord = true;
        return false;
      case 'b':
        applyBudget(b, r, line);
        break;
      case 'end':
        applyRunEnd(b, r, line);
        break;
      default:
        this.unknownType(r.t, line);
        return false;
    }
    if (!this.sawRecord) {
      this.sawRecord = true;
      b.diagnostic(line, 'warning', 'the file does not start with a "run" header; the run start is taken as 0');
    }
    return false;
  }

  private unknownType(t: unknown, line: number): void {
    if (typeof t !== 'string') {
      this.builder.diagnostic(line, 'error', `record without a string "t" (record type); line skipped`);
      return;
    }
    if (this.unknownTypes.has(t) || this.unknownTypes.size >= MAX_UNKNOWN_TYPES) return;
    this.unknownTypes.add(t);
    this.builder.diagnostic(line, 'info', `unknown record type "${t.slice(0, 40)}" ignored (first at this line; a newer recorder?)`);
  }

  /** The size is not in the message: an over-long line is reported before its end is seen. */
  private badLine(line: number, problem: 'utf8' | 'too-long', maxLineBytes: number): void {
    const message =
      problem === 'utf8'
        ? 'not valid UTF-8; line skipped'
        : `line longer than the limit of ${maxLineBytes} bytes; skipped unread`;
    this.builder.diagnostic(line, 'error', message);
  }
}

/**
 * Parses a whole native profile. When the file holds several runs (a header again later on), the
 * last run is returned, with an info diagnostic saying where it starts.
 */
export function parseJsonl(input: string | Uint8Array, options: Omit<JsonlIngestOptions, 'firstLine' | 'startOffset'> = {}): Profile {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let ingest = new JsonlIngest(undefined, options);
  ingest.push(bytes);
  ingest.end();
  while (ingest.restarted) {
    const offset = ingest.restartOffset!;
    const line = ingest.restartLine!;
    ingest = new JsonlIngest(undefined, { ...options, firstLine: line, startOffset: offset });
    ingest.builder.diagnostic(line, 'info', `the file holds a new run from line ${line}; earlier lines are not shown`);
    ingest.push(bytes.subarray(offset));
    ingest.end();
  }
  return ingest.builder.finish();
}
