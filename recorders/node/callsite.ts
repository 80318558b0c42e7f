/**
 * Where in the agent's code a timer was started: file (relative to the run's cwd) and 1-based
 * line, read from V8's structured stack.
 *
 * Cost is the point of this module. Capturing one frame is the expensive part (a few µs); the
 * rest is cached: per generated position the mapped site, per file the relative path and its
 * source map. The structured API (`prepareStackTrace` returning CallSite objects) measured
 * cheaper than formatting and parsing the stack string, and it also skips Node's per-call source
 * map work, which we do once per position instead (see {@link siteAt}).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSourceMap, type SourceMap } from 'node:module';
import { RUN_CWD } from './run';

/** A call site as written to the file (`f`, `l`). */
export interface CallSite {
  /** File relative to the run's cwd; absolute when outside it. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** `file` as a JSON string, escaped once per cached site for the line writer. */
  readonly fileJson: string;
}

type Frames = NodeJS.CallSite[];
const returnFrames = (_error: Error, frames: Frames): Frames => frames;

/** Receives the captured stack; a fixed shape keeps `captureStackTrace` on its fast path. */
class StackHolder {
  stack: unknown = undefined;
}

/**
 * The call site of the call to `entry` (the public function the agent called: `timer`,
 * `start`, …): the first frame below it. Undefined when the stack cannot be read.
 */
export function callSiteOf(entry: Function): CallSite | undefined {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  let frames: unknown;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = returnFrames;
    const holder = new StackHolder();
    Error.captureStackTrace(holder, entry);
    frames = holder.stack;
  } catch {
    frames = undefined; // a frozen or exotic Error: no call site, never an exception
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
  if (!Array.isArray(frames) || frames.length === 0) return undefined;
  try {
    const frame = frames[0] as NodeJS.CallSite;
    const fileName = frame.getFileName();
    const line = frame.getLineNumber();
    if (!fileName || !line) return undefined;
    return siteAt(fileName, line, frame.getColumnNumber() ?? 1);
  } catch {
    return undefined;
  }
}

/** Per generated file name: resolved sites by position (`line * 2^24 + column`). */
const sitesByFile = new Map<string, Map<number, CallSite>>();
const COLUMN_SPAN = 2 ** 24;

/**
 * The site of a generated position, mapped through the file's source map when Node holds one
 * (tsx, `--enable-source-maps`): TypeScript lines, not the transpiled ones.
 */
export function siteAt(fileName: string, line: number, column: number): CallSite {
  let sites = sitesByFile.get(fileName);
  if (sites === undefined) {
    sites = new Map();
    sitesByFile.set(fileName, sites);
  }
  const key = line * COLUMN_SPAN + Math.min(column, COLUMN_SPAN - 1);
  let site = sites.get(key);
  if (site === undefined) {
    site = mapSite(fileName, line, column);
    sites.set(key, site);
  }
  return site;
}

function mapSite(fileName: string, line: number, column: number): CallSite {
  const map = sourceMapOf(fileName);
  if (map !== undefined) {
    try {
      const entry = map.findEntry(line - 1, column - 1) as Partial<{ originalSource: string; originalLine: number }>;
      if (typeof entry.originalSource === 'string' && typeof entry.originalLine === 'number') {
        return makeSite(relativeFile(sourcePath(entry.originalSource, fileName)), entry.originalLine + 1);
      }
    } catch {
      // an unreadable map: keep the generated position
    }
  }
  return makeSite(relativeFile(fileName), line);
}

function makeSite(file: string, line: number): CallSite {
  return { file, line, fileJson: JSON.stringify(file) };
}

const sourceMaps = new Map<string, SourceMap | undefined>();

function sourceMapOf(fileName: string): SourceMap | undefined {
  if (sourceMaps.has(fileName)) return sourceMaps.get(fileName);
  let map: SourceMap | undefined;
  try {
    map = findSourceMap(fileName);
  } catch {
    map = undefined;
  }
  sourceMaps.set(fileName, map);
  return map;
}

/** A source map's source as a path: file URLs converted, relative names against the file. */
function sourcePath(source: string, generatedFile: string): string {
  if (source.startsWith('file:')) return fileURLToPath(source);
  if (path.isAbsolute(source) || /^[a-z][a-z0-9+.-]*:/i.test(source)) return source;
  return path.resolve(path.dirname(toPath(generatedFile)), source);
}

function toPath(fileName: string): string {
  return fileName.startsWith('file:') ? fileURLToPath(fileName) : fileName;
}

const relativeFiles = new Map<string, string>();

/** `fileName` relative to the run's cwd; absolute when outside it; URLs other than file: kept. */
export function relativeFile(fileName: string): string {
  let relative = relativeFiles.get(fileName);
  if (relative === undefined) {
    relative = computeRelative(fileName);
    relativeFiles.set(fileName, relative);
  }
  return relative;
}

function computeRelative(fileName: string): string {
  let absolute: string;
  try {
    absolute = toPath(fileName);
  } catch {
    return fileName;
  }
  if (!path.isAbsolute(absolute) || RUN_CWD === '') return absolute;
  const relative = path.relative(RUN_CWD, absolute);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return outside || relative === '' ? absolute : relative;
}
