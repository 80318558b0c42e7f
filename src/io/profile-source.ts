/**
 * A profile file of any supported format, polled for changes. Native JSON Lines files are tailed
 * incrementally ({@link ProfileTail}), and so are OTLP/JSON files in the Collector file form, one
 * request per line ({@link OtlpTail}); a single OTLP document, Chrome traces and OpenTelemetry
 * console output can only be parsed whole, so they are re-read whole when their size or time
 * stamp changes.
 * The format is told from the content on the first poll that finds any.
 */
import { promises as fs } from 'node:fs';
import { notRegularFile, openRegularFile } from './safe-open';
import { emptyProfile, type Profile } from '../core/model';
import type { ProfileChanges } from '../core/profile-changes';
import { isGzip, looksBinary } from '../ingest/binary-profile';
import { detectFormat, DETECT_HEAD_BYTES, type ProfileFormat } from '../ingest/detect';
import { loadRuns } from './load-profile';
import { OtlpTail, shownRun } from './otlp-tail';
import { type PollResult, ProfileTail, type ProfileTailOptions } from './profile-file';

/** The surface the extension's worker uses: the same for every format. */
export interface PolledProfile {
  readonly path: string;
  readonly profile: Profile;
  readonly offset: number;
  poll(): Promise<PollResult>;
  endOfInput(): void;
  /** What changed in `profile` since the last call (see `ProfileBuilder.takeChanges`). */
  takeChanges(): ProfileChanges;
}

/** Changes that say "everything is new": for a model rebuilt whole. */
function everything(): ProfileChanges {
  return { firstNewSpan: 0, changedSpans: [], firstNewUsage: 0, firstNewBudget: 0, runChanged: true, timeChanged: true };
}

/** A whole-document format, re-parsed when the file changes. The first (largest) run is shown. */
export class WholeFileSource implements PolledProfile {
  private current: Profile = emptyProfile();
  private stamp = '';
  private size = 0;

  constructor(
    readonly path: string,
    private readonly maxBytes: number | undefined,
  ) {}

  get profile(): Profile {
    return this.current;
  }

  get offset(): number {
    return this.size;
  }

  async poll(): Promise<PollResult> {
    let stat;
    try {
      stat = await fs.stat(this.path);
    } catch {
      return { appendedBytes: 0, reset: false, truncatedByCap: false, missing: true };
    }
    // Replaced by a FIFO or a device since the last poll: refused (loadRuns would refuse it too).
    if (!stat.isFile()) throw notRegularFile(this.path, stat);
    const stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    if (stamp === this.stamp) return { appendedBytes: 0, reset: false, truncatedByCap: false, missing: false };
    this.stamp = stamp;
    const { runs } = await loadRuns(this.path, { maxBytes: this.maxBytes });
    this.current = shownRun(runs, 0, 0, Infinity);
    const previous = this.size;
    this.size = stat.size;
    const truncatedByCap = this.maxBytes !== undefined && stat.size > this.maxBytes;
    return { appendedBytes: Math.max(0, stat.size - previous), reset: true, truncatedByCap, missing: false };
  }

  endOfInput(): void {
    // A whole document has no half-written line to finish.
  }

  takeChanges(): ProfileChanges {
    // Each change re-parses the file into a new model; its consumers start over on a new model.
    return everything();
  }
}

/** Chooses native tailing or whole-file reading from the file's first bytes. */
export class ProfileSource implements PolledProfile {
  private inner: PolledProfile | undefined;
  private format: ProfileFormat | undefined;

  constructor(
    readonly path: string,
    private readonly options: ProfileTailOptions = {},
  ) {}

  /** The detected format, once known. */
  get detectedFormat(): ProfileFormat | undefined {
    return this.format;
  }

  get profile(): Profile {
    return this.inner ? this.inner.profile : emptyProfile();
  }

  get offset(): number {
    return this.inner ? this.inner.offset : 0;
  }

  async poll(): Promise<PollResult> {
    if (!this.inner) {
      const headBytes = await readHead(this.path);
      if (headBytes === undefined) return { appendedBytes: 0, reset: false, truncatedByCap: false, missing: true };
      const head = new TextDecoder().decode(headBytes);
      // An empty file (a run that has not written yet) is waited for as a native profile.
      this.format = head.trim() === '' ? 'agentprof' : isGzip(headBytes) ? 'unknown' : detectFormat(head);
      const { maxBytes, chunkBytes } = this.options;
      const whole = () => new WholeFileSource(this.path, maxBytes);
      // gzip and OTLP protobuf are read whole (load-profile.ts undoes and decodes them).
      const binary = isGzip(headBytes) || (this.format === 'unknown' && looksBinary(headBytes));
      this.inner = binary
        ? whole()
        : this.format === 'agentprof' || this.format === 'unknown'
          ? new ProfileTail(this.path, this.options)
          : this.format === 'otlp'
            ? new OtlpTail(this.path, whole, maxBytes, chunkBytes)
            : whole();
    }
    return this.inner.poll();
  }

  endOfInput(): void {
    this.inner?.endOfInput();
  }

  takeChanges(): ProfileChanges {
    return this.inner ? this.inner.takeChanges() : everything();
  }
}

/** The file's first bytes; undefined when it does not exist. A FIFO or device throws (safe-open.ts). */
async function readHead(path: string): Promise<Uint8Array | undefined> {
  let handle: fs.FileHandle;
  try {
    ({ handle } = await openRegularFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EFTYPE') throw err;
    return undefined;
  }
  try {
    const buffer = new Uint8Array(DETECT_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
