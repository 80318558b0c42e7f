/**
 * Reading native profile files from disk (node-only). A {@link ProfileTail} follows a file that an
 * agent is still writing: each poll reads only the bytes appended since the last one and feeds
 * them to a {@link JsonlIngest}; when the file shrank, was replaced, or holds a new run, it starts
 * over. Files are read in chunks through a file handle, never whole, and up to a byte cap.
 */
import { EndProbe } from './end-probe';
import type { promises as fs } from 'node:fs';
import { openRegularFile } from './safe-open';
import { JsonlIngest } from '../ingest/jsonl';
import type { Diagnostic, Profile } from '../core/model';
import type { ProfileChanges } from '../core/profile-changes';

/** Default cap on how much of a file is loaded (512 MiB). */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
/** Default read size (4 MiB). */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
/** At most this much of the first line is kept to notice a rewritten header. */
const HEADER_PROBE_BYTES = 4096;

export interface ProfileTailOptions {
  /** Load at most this many bytes of the file (default 512 MiB); a warning says how much was loaded. */
  maxBytes?: number;
  /** Bytes per read (default 4 MiB). */
  chunkBytes?: number;
  /** Lines longer than this are reported and skipped (default 16 MiB). */
  maxLineBytes?: number;
}

/** What one {@link ProfileTail.poll} found. */
export interface PollResult {
  /** Bytes read by this poll (after a reset: read again from the start). */
  appendedBytes: number;
  /** True when the model was rebuilt: the file shrank, was replaced, or a new run began. */
  reset: boolean;
  /** True when the file is larger than `maxBytes` and only its start is loaded. */
  truncatedByCap: boolean;
  /** True when the file does not exist (deleted, or not yet created). The last model is kept. */
  missing: boolean;
}

interface FileIdentity {
  dev: number;
  ino: number;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Reads a profile file incrementally from a byte offset; detects truncation/rewrite and starts over. */
export class ProfileTail {
  private ingest: JsonlIngest;
  private identity: FileIdentity | undefined;
  /** The file's first line (or its first 4 KiB) as last read; a change means a rewritten file. */
  private header: Uint8Array | undefined;
  /**
   * The last bytes before the read offset, as read. An appending writer never changes them; when
   * they differ, the file was rewritten in place (even with an identical header) and is read anew.
   */
  private readonly endProbe = new EndProbe();
  /** The warning about the byte cap, updated as the file grows. */
  private capNote: Diagnostic | undefined;
  /** Polls run one after another; a poll never overlaps the previous one. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly maxBytes: number;
  private readonly chunkBytes: number;
  private readonly maxLineBytes: number | undefined;

  constructor(
    readonly path: string,
    options: ProfileTailOptions = {},
  ) {
    this.maxBytes = Math.max(0, options.maxBytes ?? DEFAULT_MAX_BYTES);
    this.chunkBytes = Math.max(1, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    this.maxLineBytes = options.maxLineBytes;
    this.ingest = new JsonlIngest(undefined, { maxLineBytes: this.maxLineBytes });
  }

  /** The current model, orphans flagged (a half-written last line is not in it yet). */
  get profile(): Profile {
    return this.ingest.builder.finish();
  }

  /** Bytes read so far. */
  get offset(): number {
    return this.ingest.offset;
  }

  /**
   * What changed in {@link profile} since the last call (orphans flagged first, as the getter
   * does), for `LiveAnalysis.update`. After a reset the model is a new object and the changes
   * start from it.
   */
  takeChanges(): ProfileChanges {
    this.ingest.builder.finish();
    return this.ingest.builder.takeChanges();
  }

  /** Bumped on every change of the model; a new model (after a reset) starts again from 0. */
  get revision(): number {
    return this.ingest.builder.revision;
  }

  /** Read what was appended since the last call. Never throws for a missing file (`missing` says so). */
  poll(): Promise<PollResult> {
    const next = this.queue.then(() => this.pollNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Input complete (a finished file): the held last line is parsed, unless the cap cut the file,
   * in which case it is only a fragment and the cap warning already explains the gap.
   */
  endOfInput(): void {
    if (!this.capNote) this.ingest.end();
  }

  private async pollNow(): Promise<PollResult> {
    let handle: fs.FileHandle;
    let stat;
    try {
      ({ handle, stat } = await openRegularFile(this.path));
    } catch (err) {
      if (isMissing(err)) return { appendedBytes: 0, reset: false, truncatedByCap: this.capNote !== undefined, missing: true };
      throw err;
    }
    try {
      const size = stat.size;
      let reset =
        (this.identity !== undefined && (this.identity.dev !== stat.dev || this.identity.ino !== stat.ino)) ||
        size < this.ingest.offset ||
        (this.header !== undefined && !(await this.headerUnchanged(handle))) ||
        !(await this.endProbe.unchanged(handle, this.ingest.offset));
      if (reset) this.startOver(0, 1);
      this.identity = { dev: stat.dev, ino: stat.ino };

      const read = await this.readUpTo(handle, Math.min(size, this.maxBytes));
      reset ||= read.restarted;
      if (this.header === undefined && this.ingest.offset > 0) this.header = await this.firstLine(handle);
      // Cut at the memory limit counts as cut by a cap: the rest is not read, now or on later polls.
      const truncatedByCap = size > this.maxBytes || this.ingest.memoryExceeded;
      if (size > this.maxBytes) this.noteCap(size);
      return { appendedBytes: read.bytes, reset, truncatedByCap, missing: false };
    } finally {
      await handle.close();
    }
  }

  /** Reads from the current offset up to `limit`, starting over at a new run's header. */
  private async readUpTo(handle: fs.FileHandle, limit: number): Promise<{ bytes: number; restarted: boolean }> {
    let restarted = false;
    let bytes = 0;
    if (this.ingest.offset >= limit || this.ingest.memoryExceeded) return { bytes, restarted };
    const buffer = new Uint8Array(Math.min(this.chunkBytes, limit - this.ingest.offset));
    while (this.ingest.offset < limit) {
      const position = this.ingest.offset;
      const want = Math.min(buffer.length, limit - position);
      const { bytesRead } = await handle.read(buffer, 0, want, position);
      if (bytesRead === 0) break; // shrank while reading; the next poll notices
      this.ingest.push(buffer.subarray(0, bytesRead));
      this.endProbe.keep(buffer.subarray(0, bytesRead), position);
      bytes += bytesRead;
      // Past the memory limit nothing more is kept, so nothing more is read (memory-account.ts).
      if (this.ingest.memoryExceeded) break;
      if (this.ingest.restarted) {
        const line = this.ingest.restartLine!;
        this.startOver(this.ingest.restartOffset!, line);
        this.ingest.builder.diagnostic(line, 'info', `the file holds a new run from line ${line}; earlier lines are not shown`);
        restarted = true;
      }
    }
    return { bytes, restarted };
  }

  private startOver(offset: number, line: number): void {
    this.ingest = new JsonlIngest(undefined, { maxLineBytes: this.maxLineBytes, firstLine: line, startOffset: offset });
    this.capNote = undefined;
    this.endProbe.clear();
    if (offset === 0) this.header = undefined;
  }

  /** The first line of the file (with its newline), or its first 4 KiB; undefined while incomplete. */
  private async firstLine(handle: fs.FileHandle): Promise<Uint8Array | undefined> {
    const probe = new Uint8Array(HEADER_PROBE_BYTES);
    const { bytesRead } = await handle.read(probe, 0, probe.length, 0);
    const nl = probe.subarray(0, bytesRead).indexOf(10);
    if (nl >= 0) return probe.slice(0, nl + 1);
    return bytesRead === HEADER_PROBE_BYTES ? probe : undefined;
  }

  private async headerUnchanged(handle: fs.FileHandle): Promise<boolean> {
    const header = this.header!;
    const now = new Uint8Array(header.length);
    const { bytesRead } = await handle.read(now, 0, now.length, 0);
    if (bytesRead !== header.length) return false;
    for (let i = 0; i < header.length; i++) if (now[i] !== header[i]) return false;
    return true;
  }

  private noteCap(size: number): void {
    const loaded = Math.min(this.ingest.offset, this.maxBytes);
    const message = `only the first ${loaded} of ${size} bytes are loaded (the limit is ${this.maxBytes} bytes); the rest of the file is not shown`;
    if (this.capNote) {
      this.capNote.message = message;
      return;
    }
    const diagnostics = this.ingest.builder.profile.diagnostics;
    const count = diagnostics.length;
    this.ingest.builder.diagnostic(0, 'warning', message);
    if (diagnostics.length > count) this.capNote = diagnostics[diagnostics.length - 1];
    else this.capNote = { line: 0, severity: 'warning', message };
  }
}

/**
 * Reads a whole profile file (up to `maxBytes`) and parses it. Throws only when the file cannot be
 * read at all (missing, a folder, no permission); everything else is a diagnostic in the profile.
 */
export async function readProfileFile(path: string, options: { maxBytes?: number; maxLineBytes?: number } = {}): Promise<Profile> {
  const tail = new ProfileTail(path, options);
  const polled = await tail.poll();
  if (polled.missing) {
    // Errors from open() other than a missing file propagate from poll() unchanged.
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT', path });
  }
  tail.endOfInput();
  return tail.profile;
}
