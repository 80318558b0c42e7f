/**
 * An OTLP/JSON file polled for changes (node-only). The Collector `file` exporter only appends,
 * one export request per line, so each poll reads just the bytes appended since the last one and
 * parses the lines they complete: every span is read once, however often the file is polled. A
 * file that shrank, was replaced, or changed before the read offset is read again from the start.
 * Content that turns out to be one (pretty-printed) document can only be parsed whole; from then
 * on the `whole` source given to the constructor takes over (it re-reads the file on change).
 */
import { EndProbe } from './end-probe';
import type { promises as fs } from 'node:fs';
import { openRegularFile } from './safe-open';
import { markOverMemoryLimit, memoryLimitMessage, wholeDocumentRefusal } from '../core/memory-account';
import { unreadableProfile } from '../ingest/detect';
import { emptyProfile, type Profile } from '../core/model';
import type { ProfileChanges } from '../core/profile-changes';
import { OtlpIngest } from '../ingest/otlp-stream';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_BYTES, type PollResult } from './profile-file';
import type { PolledProfile } from './profile-source';


function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Every run of the file a shown run came from, when it holds several (see {@link runsOfFile}). */
const fileRuns = new WeakMap<Profile, Profile[]>();

/** All runs of the file `shown` was chosen from (it among them), or undefined when it was the only one. */
export function runsOfFile(shown: Profile): readonly Profile[] | undefined {
  return fileRuns.get(shown);
}

/**
 * The run shown for a file's runs: the largest, with notes on the others and on the byte cap. The
 * others stay reachable through {@link runsOfFile} (the Runs view lists every trace of the file).
 */
export function shownRun(runs: Profile[], size: number, loaded: number, maxBytes: number): Profile {
  const shown = runs[0];
  if (runs.length > 1) {
    fileRuns.set(shown, runs);
    shown.diagnostics.push({
      line: 0,
      severity: 'info',
      message: `the file holds ${runs.length} traces; showing the largest (${shown.spans.length} spans), all listed under "Traces in this file". The CLI reports each (--run N picks one).`,
    });
  }
  if (size > maxBytes) {
    shown.diagnostics.push({
      line: 0,
      severity: 'warning',
      message: `only the first ${loaded} of ${size} bytes are loaded (the limit is ${maxBytes} bytes); the rest of the file is not shown`,
    });
  }
  return shown;
}

/** Follows an OTLP/JSON file, reading appended requests incrementally. */
export class OtlpTail implements PolledProfile {
  private ingest = new OtlpIngest();
  private identity: { dev: number; ino: number } | undefined;
  /** The last bytes before the read offset, as read; an appending writer never changes them. */
  private readonly endProbe = new EndProbe();
  private current: Profile = emptyProfile('otlp');
  /** Set when the content is a single document: it is read whole from then on. */
  private wholeSource: PolledProfile | undefined;
  /** Set by {@link endOfInput}: the ingest is finished, more bytes mean reading anew. */
  private ended = false;
  /** The file's size at the last poll (for the byte-cap note). */
  private size = 0;
  /** Polls run one after another; a poll never overlaps the previous one. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * @param whole makes the source used when the content is one document (read whole).
   * @param maxBytes read at most this much of the file.
   */
  constructor(
    readonly path: string,
    private readonly whole: () => PolledProfile,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
    private readonly chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {}

  /** The largest trace read so far (spans whose parent has not arrived yet are at the top level). */
  get profile(): Profile {
    return this.wholeSource ? this.wholeSource.profile : this.current;
  }

  /** Bytes read so far. */
  get offset(): number {
    return this.wholeSource ? this.wholeSource.offset : this.ingest.offset;
  }

  /** Reads what was appended since the last call. Never throws for a missing file (`missing` says so). */
  poll(): Promise<PollResult> {
    const next = this.queue.then(() => this.pollNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Input complete: a last request without its newline is read, and parents that never came are flagged. */
  endOfInput(): void {
    if (this.wholeSource) {
      this.wholeSource.endOfInput();
      return;
    }
    if (this.ended || this.ingest.form === 'document') return;
    this.ended = true;
    this.current = shownRun(this.ingest.finish(), this.size, this.ingest.offset, this.maxBytes);
  }

  /**
   * Everything, always: the shown run is rebuilt from the traces on each change (another trace may
   * become the largest, and a root arriving late moves every time of its trace).
   */
  takeChanges(): ProfileChanges {
    if (this.wholeSource) return this.wholeSource.takeChanges();
    return { firstNewSpan: 0, changedSpans: [], firstNewUsage: 0, firstNewBudget: 0, runChanged: true, timeChanged: true };
  }

  private async pollNow(): Promise<PollResult> {
    if (this.wholeSource) return this.wholeSource.poll();
    let handle: fs.FileHandle;
    let stat;
    try {
      ({ handle, stat } = await openRegularFile(this.path));
    } catch (err) {
      if (isMissing(err)) return { appendedBytes: 0, reset: false, truncatedByCap: false, missing: true };
      throw err;
    }
    let appendedBytes = 0;
    let reset = false;
    let size: number;
    try {
      size = stat.size;
      this.size = size;
      reset =
        (this.identity !== undefined && (this.identity.dev !== stat.dev || this.identity.ino !== stat.ino)) ||
        size < this.ingest.offset ||
        (this.ended && size > this.ingest.offset) ||
        !(await this.endProbe.unchanged(handle, this.ingest.offset));
      if (reset) this.startOver();
      this.identity = { dev: stat.dev, ino: stat.ino };
      // The traces are kept whole until the end: judged by size against the memory limit (memory-account.ts).
      const refusal = wholeDocumentRefusal(Math.min(size, this.maxBytes), 'OTLP/JSON');
      if (refusal !== undefined) {
        if (!memoryLimitMessage(this.current)) {
          this.current = unreadableProfile(refusal, 'otlp');
          markOverMemoryLimit(this.current, refusal);
        }
        return { appendedBytes: 0, reset: true, truncatedByCap: true, missing: false };
      }
      appendedBytes = await this.readUpTo(handle, Math.min(size, this.maxBytes));
    } finally {
      await handle.close();
    }
    if (this.ingest.form === 'document') {
      this.wholeSource = this.whole();
      const polled = await this.wholeSource.poll();
      return { ...polled, reset: true };
    }
    if (appendedBytes > 0 || reset) {
      const runs = this.ingest.snapshot();
      this.current = runs ? shownRun(runs, size, this.ingest.offset, this.maxBytes) : emptyProfile('otlp');
    }
    return { appendedBytes, reset, truncatedByCap: size > this.maxBytes, missing: false };
  }

  private startOver(): void {
    this.ingest = new OtlpIngest();
    this.endProbe.clear();
    this.current = emptyProfile('otlp');
    this.ended = false;
  }

  /** Reads from the current offset up to `limit`; returns the bytes read. */
  private async readUpTo(handle: fs.FileHandle, limit: number): Promise<number> {
    let bytes = 0;
    if (this.ingest.offset >= limit) return bytes;
    const buffer = new Uint8Array(Math.min(this.chunkBytes, limit - this.ingest.offset));
    while (this.ingest.offset < limit) {
      const position = this.ingest.offset;
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, limit - position), position);
      if (bytesRead === 0) break; // shrank while reading; the next poll notices
      const chunk = buffer.subarray(0, bytesRead);
      this.ingest.push(chunk);
      this.endProbe.keep(chunk, position);
      bytes += bytesRead;
    }
    return bytes;
  }

}
