/**
 * The profile file of this process: where it goes, its header, and how lines reach it.
 *
 * Lines are appended with `fs.writeSync` to an fd opened in append mode: synchronous writes keep
 * the order of records and are on disk as soon as they return. A span start is written before
 * `start` or `timer` returns, so an agent that hangs in it (a stuck LLM or tool call) and is then
 * killed leaves that span in the file as unfinished; only in a burst (lines already waiting and
 * the last write under {@link WRITE_THROUGH_GAP_NS} ago) does a start wait with the others.
 * Every other line waits in a buffer that goes out with the next written start, after at most
 * {@link FLUSH_DELAY_MS}, past {@link FLUSH_BYTES}, and at process exit. Bursts of short spans
 * thus share one system call (measured: the write of each start cost about as much as the rest
 * of an empty timer), and the exit flush covers every normal way a process ends (return,
 * `process.exit`, an uncaught exception); only a kill during a burst can lose its last
 * milliseconds.
 *
 * Never throws into the agent: a failed open or write (missing directory, ENOSPC, EBADF) warns
 * once on stderr and turns writing off; in-memory records keep working.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as startTimer } from 'node:timers'; // immune to fake timers patching globals
import { isMainThread } from 'node:worker_threads';
import { describeError, recordLine } from './lines';
import { RUN_CWD, RUN_NAME, RUN_START_EPOCH_NS, nowNs } from './run';
import { warnOnce } from './warn';

/** Recorder name and version written in the header. */
export const RECORDER = 'agentprof-node/0.1.0';
/** Longest a buffered line waits for the file (while the event loop runs). */
export const FLUSH_DELAY_MS = 2;
/** A span start waits in the buffer only when lines wait there and the last write is younger than this. */
export const WRITE_THROUGH_GAP_NS = 1_000_000;
/** Buffered bytes (UTF-16 units) that trigger an immediate write. */
export const FLUSH_BYTES = 64 * 1024;

/** Where and whether a {@link ProfileWriter} writes. */
export interface ProfileWriterOptions {
  /**
   * Output file. Default: env `AGENTPROF_OUT`, else `.agentprof/<UTC time>-<script>.agentprof.jsonl`
   * under the working directory (that folder is created; an explicit path's folder is not).
   */
  path?: string;
  /** Write nothing. Default: env `AGENTPROF_DISABLE` is `1`/`true`/`yes`. */
  disabled?: boolean;
}

type WriterState = 'unopened' | 'open' | 'off';

/**
 * One profile file with its header. Profilers sharing a writer share its file; get writers from
 * {@link writerFor} so that one path never has two writers (two headers would restart readers).
 */
export class ProfileWriter {
  /** Absolute output path; undefined when writing is disabled. */
  readonly path: string | undefined;
  private readonly createFolder: boolean;
  private state: WriterState;
  private fd = -1;
  private pending = '';
  private flushScheduled = false;
  /** ns (run clock) of the last system call; -Infinity before the first. */
  private lastWriteAt = -Infinity;
  private ended = false;

  constructor(options: ProfileWriterOptions = {}) {
    const env = process.env;
    const disabled = options.disabled ?? /^(1|true|yes)$/i.test(env.AGENTPROF_DISABLE ?? '');
    const explicit = options.path ?? (env.AGENTPROF_OUT || undefined);
    this.createFolder = explicit === undefined;
    this.path = disabled ? undefined : resolveOut(explicit ?? defaultProfilePath(new Date()));
    this.state = this.path === undefined ? 'off' : 'unopened';
  }

  /** True while lines can still reach the file (not disabled, no failure yet). */
  get active(): boolean {
    return this.state !== 'off';
  }

  /** Appends one line (ending in `\n`): buffered, on disk within {@link FLUSH_DELAY_MS}. */
  write(line: string): void {
    if (this.state !== 'open' && !this.ready()) return;
    if (this.ended || this.pending.length + line.length > FLUSH_BYTES) {
      // after the end record no timer will fire again: write at once
      this.writeOut(this.pending + line, nowNs());
      this.pending = '';
      return;
    }
    this.pending += line;
    this.scheduleFlush();
  }

  /**
   * Appends a span start taken at `at` (ns since the run start). It is written before this
   * returns, together with everything buffered, unless it comes in a burst (lines are waiting
   * and the last write was under {@link WRITE_THROUGH_GAP_NS} ago): then it waits with them.
   */
  writeStart(line: string, at: number): void {
    if (this.state !== 'open' && !this.ready()) return;
    const inBurst = this.pending !== '' && at - this.lastWriteAt < WRITE_THROUGH_GAP_NS;
    if (inBurst && this.pending.length + line.length <= FLUSH_BYTES) {
      this.pending += line;
      this.scheduleFlush();
      return;
    }
    const chunk = this.pending === '' ? line : this.pending + line;
    this.pending = '';
    this.writeOut(chunk, at);
  }

  /** Writes whatever is buffered. */
  flush(): void {
    if (this.pending === '' || this.state !== 'open') return;
    const chunk = this.pending;
    this.pending = '';
    this.writeOut(chunk, nowNs());
  }

  /** Writes the `end` record (once). Called at process exit; `error` is an exception in flight. */
  end(exitCode: number, error: unknown): void {
    if (this.ended || this.state !== 'open') return;
    this.ended = true;
    const failed = exitCode !== 0;
    const err = !failed ? undefined : error !== undefined ? describeError(error) : `exit code ${exitCode}`;
    this.write(recordLine({ t: 'end', at: nowNs(), status: failed ? 'error' : 'ok', err }));
    this.flush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    startTimer(this.flushLater, FLUSH_DELAY_MS).unref();
  }

  private readonly flushLater = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  /** Opens the file on first use; false when writing is off. */
  private ready(): boolean {
    return this.state !== 'off' && this.open();
  }

  private open(): boolean {
    const file = this.path as string;
    if (!isMainThread) {
      this.state = 'off';
      warnOnce('worker', 'spans recorded in worker threads are kept in memory only, not written to the profile');
      return false;
    }
    try {
      if (this.createFolder) fs.mkdirSync(path.dirname(file), { recursive: true });
      this.fd = fs.openSync(file, 'a');
    } catch (error) {
      this.fail(error);
      return false;
    }
    this.state = 'open';
    watchExit(this);
    this.pending = recordLine(headerRecord()); // goes out with the first line
    return true;
  }

  private writeOut(chunk: string, at: number): void {
    this.lastWriteAt = at;
    try {
      const written = fs.writeSync(this.fd, chunk);
      // ASCII (nearly every line) writes as many bytes as characters; otherwise make sure a
      // short write (a full disk about to fail) does not leave half a line.
      if (written !== chunk.length) this.writeRest(chunk, written);
    } catch (error) {
      this.fail(error);
    }
  }

  private writeRest(chunk: string, written: number): void {
    const bytes = Buffer.from(chunk, 'utf8');
    for (let offset = written; offset < bytes.length; ) offset += fs.writeSync(this.fd, bytes, offset);
  }

  private fail(error: unknown): void {
    this.state = 'off';
    this.pending = '';
    const reason = (error as { message?: unknown } | undefined)?.message ?? String(error);
    warnOnce('write', `cannot write the profile to ${this.path}: ${String(reason)}; the agent goes on without it`);
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already unusable
      }
      this.fd = -1;
    }
  }
}

function headerRecord(): Record<string, unknown> {
  return {
    t: 'run',
    v: 1,
    name: RUN_NAME,
    start: RUN_START_EPOCH_NS,
    pid: process.pid,
    argv: process.argv.slice(1),
    cwd: RUN_CWD,
    recorder: RECORDER,
    lang: 'node',
  };
}

/** `20261123T121500Z`: sortable, file-name-safe UTC time (the CLI names its files the same way). */
export function utcStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** `.agentprof/<UTC time>-<script>.agentprof.jsonl`, relative to the working directory. */
export function defaultProfilePath(now: Date): string {
  const safeName = RUN_NAME.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'run';
  return path.join('.agentprof', `${utcStamp(now)}-${safeName}.agentprof.jsonl`);
}

// Exit handling: one listener for all writers; the exception monitor only observes (it neither
// handles the exception nor changes the exit code), so the agent dies exactly as it would have.
const openWriters: ProfileWriter[] = [];
let errorInFlight: unknown;

function watchExit(writer: ProfileWriter): void {
  if (openWriters.length === 0) {
    process.on('uncaughtExceptionMonitor', (error) => {
      errorInFlight = error;
    });
    process.on('exit', (code) => {
      for (const open of openWriters) open.end(code ?? 0, errorInFlight);
    });
  }
  openWriters.push(writer);
}

/** Absolute output path; undefined when there is no directory to resolve a relative one in. */
function resolveOut(file: string): string | undefined {
  if (path.isAbsolute(file)) return path.normalize(file);
  return RUN_CWD === '' ? undefined : path.resolve(RUN_CWD, file);
}

const writersByPath = new Map<string, ProfileWriter>();
let defaultWriter: ProfileWriter | undefined;

/**
 * The shared writer of a path (`out`), or the process's default writer when `out` is undefined:
 * every profiler of a process writing to one file goes through one writer (one header, one
 * order of lines).
 */
export function writerFor(out?: string): ProfileWriter {
  if (out === undefined) {
    if (defaultWriter === undefined) {
      const created = new ProfileWriter();
      defaultWriter = created.path === undefined ? created : sharedWriter(created.path, created);
    }
    return defaultWriter;
  }
  const file = resolveOut(out);
  return file === undefined ? new ProfileWriter({ disabled: true }) : sharedWriter(file, undefined);
}

function sharedWriter(file: string, candidate: ProfileWriter | undefined): ProfileWriter {
  let writer = writersByPath.get(file);
  if (writer === undefined) {
    writer = candidate ?? new ProfileWriter({ path: file });
    writersByPath.set(file, writer);
  }
  return writer;
}
