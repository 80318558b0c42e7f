/**
 * Loads a profile file of any supported format into the model. Node-only (reads files); the
 * parsing itself lives in src/ingest. The format is told from the content, not the name.
 *
 * Native profiles are read incrementally, in chunks, up to a byte cap (src/io/profile-file.ts).
 * OTLP/JSON is read in chunks too: the Collector file form (one request per line) is parsed line
 * by line, a single request document whole. Chrome traces and OpenTelemetry console output can
 * only be parsed whole, so they are read whole. A non-native file over the cap is not read and
 * says so.
 */
import type { promises as fs } from 'node:fs';
import type { Profile } from '../core/model';
import { detectFormat, DETECT_HEAD_BYTES, FORMAT_NAMES, parseAny, ProfileFormat, unreadableProfile } from '../ingest/detect';
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

/** The first bytes of a file, decoded (a split UTF-8 sequence at the end is harmless for detection). */
async function readHead(handle: fs.FileHandle): Promise<string> {
  const buffer = new Uint8Array(DETECT_HEAD_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  return new TextDecoder().decode(buffer.subarray(0, bytesRead));
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
  try {
    format = detectFormat(await readHead(handle));
    if (format !== 'agentprof' && format !== 'unknown') {
      // Parsed whole (an OTLP document) or into many traces kept at once (the OTLP file form):
      // judged by size before reading, against the memory limit (memory-account.ts).
      const refusal = wholeDocumentRefusal(size, FORMAT_NAMES[format]);
      if (refusal !== undefined) return { format, runs: [overMemory(refusal, format)] };
    }
    if (format === 'otlp' && size <= maxBytes) return { format, runs: await readOtlp(handle) };
    if (format !== 'agentprof' && format !== 'unknown' && size > maxBytes) {
      const message =
        `the file is ${size} bytes, over the read limit of ${maxBytes} bytes; a ${FORMAT_NAMES[format]} file can only be read whole, ` +
        'so it was not read (raise the limit to read it)';
      return { format, runs: [unreadableProfile(message, format)] };
    }
    if (format !== 'agentprof') {
      // Read through the handle already checked, not by name again.
      const text = format === 'unknown' ? '' : new TextDecoder().decode(await handle.readFile());
      return { format, runs: parseAny(text, format) };
    }
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
