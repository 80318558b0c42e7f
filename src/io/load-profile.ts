/**
 * Loads a profile file of any supported format into the model. Node-only (reads files); the
 * parsing itself lives in src/ingest. The format is told from the content, not the name:
 * gzip-compressed files of any format and OTLP protobuf (binary-profile.ts) are read too.
 *
 * Native profiles are read incrementally, in chunks, up to a byte cap (src/io/profile-file.ts).
 * OTLP/JSON is read in chunks too: the Collector file form (one request per line) is parsed line
 * by line, a single request document whole. Chrome traces and OpenTelemetry console output can
 * only be parsed whole, so they are read whole. A non-native file over the cap is not read and
 * says so.
 */
import type { promises as fs } from 'node:fs';
import * as zlib from 'node:zlib';
import { describeText, isGzip, looksBinary, readOtlpProtobuf } from '../ingest/binary-profile';
import type { Profile } from '../core/model';
import { detectFormat, DETECT_HEAD_BYTES, FORMAT_NAMES, NOT_A_PROFILE, parseAny, ProfileFormat, unreadableProfile } from '../ingest/detect';
import { OtlpIngest } from '../ingest/otlp-stream';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_BYTES, readProfileFile } from './profile-file';
import { openRegularFile } from './safe-open';
import { markOverMemoryLimit, wholeDocumentRefusal } from '../core/memory-account';

/** A run that only says the file was not read for lack of memory (the CLI exits 2 on it). */
function overMemory(message: string, format: ProfileFormat): Profile {
  const profile = unreadableProfile(message, format);
  markOverMemoryLimit(profile, message);
  return profile;
}

export interface LoadOptions {
  /** Load at most this many bytes (default 512 MiB): native files load their start, other formats none. */
  maxBytes?: number;
}

/** Runs of a file and the format they were read from. */
export interface LoadedRuns {
  format: ProfileFormat;
  /** At least one run; OTLP and console output hold one per trace, largest first. */
  runs: Profile[];
}

/** The first bytes of a file. */
async function readHead(handle: fs.FileHandle): Promise<Uint8Array> {
  const buffer = new Uint8Array(DETECT_HEAD_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  return buffer.subarray(0, bytesRead);
}

/** Decoded for detection (a split UTF-8 sequence at the end is harmless there). */
const headText = (head: Uint8Array) => new TextDecoder().decode(head);

/** The "not a profile" message, with what the content looks like when that says more. */
function notAProfile(what: string | undefined): string {
  return what === undefined ? NOT_A_PROFILE : `${NOT_A_PROFILE}; it looks like ${what}`;
}

/** Inflates gzip up to `maxBytes` of output; undefined when it would be larger. */
function gunzipCapped(bytes: Uint8Array, maxBytes: number): Promise<Buffer | undefined | Error> {
  return new Promise((resolve) => {
    zlib.gunzip(bytes, { maxOutputLength: Math.max(1, maxBytes) }, (err, out) => {
      if (!err) resolve(out);
      else resolve((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? undefined : err);
    });
  });
}

/**
 * Content that is not plain text: gzip (of any format we read, detected again inside) or OTLP
 * protobuf. Read whole, so the same byte cap applies, to the file and to what gzip inflates to.
 */
async function loadBinary(handle: fs.FileHandle, size: number, maxBytes: number, head: Uint8Array): Promise<LoadedRuns> {
  const gz = isGzip(head);
  if (size > maxBytes) {
    const what = gz ? 'gzip-compressed' : 'OTLP protobuf';
    return { format: 'unknown', runs: [unreadableProfile(`the file is ${size} bytes of ${what} data, over the read limit of ${maxBytes} bytes, so it was not read`)] };
  }
  let bytes: Uint8Array = await handle.readFile();
  let prefix = '';
  if (gz) {
    const inflated = await gunzipCapped(bytes, maxBytes);
    if (inflated === undefined) return { format: 'unknown', runs: [unreadableProfile(`gzip of more than ${maxBytes} bytes (the read limit), so it was not read`)] };
    if (inflated instanceof Error) return { format: 'unknown', runs: [unreadableProfile(notAProfile(`damaged gzip (${inflated.message})`))] };
    bytes = inflated;
    prefix = 'gzip of ';
    // What it inflated to is parsed whole: judged against the memory limit as a document of that size.
    const refusal = wholeDocumentRefusal(bytes.length, 'gzip-compressed');
    if (refusal !== undefined) return { format: 'unknown', runs: [overMemory(refusal, 'unknown')] };
    if (!looksBinary(bytes.subarray(0, DETECT_HEAD_BYTES))) {
      const text = new TextDecoder().decode(bytes);
      const format = detectFormat(text.slice(0, DETECT_HEAD_BYTES));
      if (format === 'unknown') return { format, runs: [unreadableProfile(notAProfile(`gzip of ${describeText(text.slice(0, DETECT_HEAD_BYTES)) ?? 'text that is none of the formats'}`))] };
      return { format, runs: parseAny(text, format) };
    }
  }
  if (!gz) {
    const refusal = wholeDocumentRefusal(bytes.length, 'OTLP protobuf');
    if (refusal !== undefined) return { format: 'unknown', runs: [overMemory(refusal, 'unknown')] };
  }
  const pb = readOtlpProtobuf(bytes);
  if (!pb.ok) return { format: 'unknown', runs: [unreadableProfile(notAProfile(`${prefix}${pb.message}`))] };
  return { format: 'otlp', runs: parseAny(pb.text, 'otlp') };
}

/**
 * Reads and parses `path` into its runs. Throws only when the file cannot be read at all
 * (missing, a folder, no permission); everything else is a diagnostic in the runs.
 */
export async function loadRuns(path: string, options: LoadOptions = {}): Promise<LoadedRuns> {
  const maxBytes = Math.max(0, options.maxBytes ?? DEFAULT_MAX_BYTES);
  // A FIFO or device is refused here, before any blocking read (safe-open.ts).
  const { handle, stat } = await openRegularFile(path);
  let format: ProfileFormat;
  const size = stat.size;
  let head: Uint8Array;
  try {
    head = await readHead(handle);
    // Text formats first: a native profile with a damaged (even binary) line is still one.
    format = isGzip(head) ? 'unknown' : detectFormat(headText(head));
    if (format !== 'agentprof' && format !== 'unknown') {
      // Parsed whole (an OTLP document) or into many traces kept at once (the OTLP file form):
      // judged by size before reading, against the memory limit (memory-account.ts).
      const refusal = wholeDocumentRefusal(size, FORMAT_NAMES[format]);
      if (refusal !== undefined) return { format, runs: [overMemory(refusal, format)] };
    }
    if (format === 'otlp' && size <= maxBytes) return { format, runs: await readOtlp(handle) };
    // Everything below reads through the handle already checked (safe-open.ts), not by name again.
    if (isGzip(head) || (format === 'unknown' && looksBinary(head))) return await loadBinary(handle, size, maxBytes, head);
    if (format !== 'agentprof' && format !== 'unknown' && size > maxBytes) {
      const message =
        `the file is ${size} bytes, over the read limit of ${maxBytes} bytes; a ${FORMAT_NAMES[format]} file can only be read whole, ` +
        'so it was not read (raise the limit to read it)';
      return { format, runs: [unreadableProfile(message, format)] };
    }
    if (format === 'unknown') return { format, runs: [unreadableProfile(notAProfile(describeText(headText(head))))] };
    if (format !== 'agentprof') return { format, runs: parseAny(new TextDecoder().decode(await handle.readFile()), format) };
  } finally {
    await handle.close();
  }
  return { format, runs: [await readProfileFile(path, { maxBytes })] };
}

/**
 * An OTLP/JSON file read in chunks: the Collector file form is parsed line by line as it is read
 * (memory holds the model and one chunk); a single document is kept and parsed whole at the end.
 */
async function readOtlp(handle: fs.FileHandle): Promise<Profile[]> {
  const ingest = new OtlpIngest();
  const buffer = new Uint8Array(DEFAULT_CHUNK_BYTES);
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    ingest.push(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return ingest.finish();
}

/** Reads and parses `path` into its runs (see {@link loadRuns}). */
export async function loadProfiles(path: string, options: LoadOptions = {}): Promise<Profile[]> {
  return (await loadRuns(path, options)).runs;
}

/**
 * Reads and parses `path` and returns its first run (the largest, when an OTLP file holds
 * several traces). Throws only when the file cannot be read at all (missing, a folder).
 */
export async function loadProfile(path: string, options: LoadOptions = {}): Promise<Profile> {
  return (await loadRuns(path, options)).runs[0];
}
