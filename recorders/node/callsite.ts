/**
 * Where in the agent's code a timer was started: file (relative to the run's cwd) and 1-based
 * line, read from V8's structured stack.
 *
 * Cost is the point of this module. Capturing one frame is the expensive part (2–3 µs, most of
 * it V8 summarising optimised frames, which no option here avoids); the rest is cached: per
 * generated position the mapped site, per file the relative path and its source map, and the last
 * site on its own (a timer in a loop skips both maps). The structured API (`prepareStackTrace`
 * returning CallSite objects) measured cheaper than formatting and parsing the stack string, and
 * it also skips Node's per-call source map work, which we do once per position instead.
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

// One holder for every capture: capturing onto a fresh object makes V8 turn its `stack` into an
// accessor (a map migration per call, measured 0.3–0.5 µs of a 5 µs timer); on a holder that
// already has it, the capture only overwrites the stored trace. Sharing is safe because nothing
// else runs between the capture and the read: `prepareStackTrace` is ours at that moment. It keeps
// the last frame (and its receiver) alive until the next capture; clearing it would cost the
// saving again (assigning `stack` turns the accessor back into a data property).
const holder = new StackHolder();

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
    return siteOfFrame(frames[0] as NodeJS.CallSite);
  } catch {
    return undefined;
  }
}

/** The sites seen in one generated file, and whether positions in it go through a source map. */
interface FileSites {
  readonly map: SourceMap | undefined;
  /** By line alone when unmapped; by `line * 2^24 + column` when mapped (columns map apart). */
  readonly byPosition: Map<number, CallSite>;
}

const sitesByFile = new Map<string, FileSites>();
const COLUMN_SPAN = 2 ** 24;

// The last site: a timer in a loop repeats it, and then neither map is consulted.
let lastFileName: string | undefined;
let lastFile: FileSites | undefined;
let lastKey = -1;
let lastSite: CallSite | undefined;

function siteOfFrame(frame: NodeJS.CallSite): CallSite | undefined {
  const fileName = frame.getFileName();
  const line = frame.getLineNumber();
  if (!fileName || !line) return undefined;
  let file = lastFile;
  if (fileName !== lastFileName || file === undefined) {
    file = fileSitesOf(fileName);
    lastFileName = fileName;
    lastFile = file;
    lastKey = -1;
  }
  // The column is read only where it can change the answer: it costs a call into V8 per timer.
  const column = file.map === undefined ? 0 : Math.min(frame.getColumnNumber() ?? 1, COLUMN_SPAN - 1);
  const key = line * COLUMN_SPAN + column;
  if (key === lastKey && lastSite !== undefined) return lastSite;
  let site = file.byPosition.get(key);
  if (site === undefined) {
    site = mapSite(fileName, file.map, line, Math.max(column, 1));
    file.byPosition.set(key, site);
  }
  lastKey = key;
  lastSite = site;
  return site;
}

function fileSitesOf(fileName: string): FileSites {
  let file = sitesByFile.get(fileName);
  if (file === undefined) {
    file = { map: sourceMapOf(fileName), byPosition: new Map() };
    sitesByFile.set(fileName, file);
  }
  return file;
}

function mapSite(fileName: string, map: SourceMap | undefined, line: number, column: number): CallSite {
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
