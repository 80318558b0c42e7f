/**
 * Finds the JSON objects of a text that is not one JSON document: objects written one after
 * another (Python's OpenTelemetry `ConsoleSpanExporter` prints each span pretty-printed, with the
 * application's own output in between), or the items of an array whose end is missing (a Chrome
 * trace written by a tracer that crashed). A brace-depth scanner that respects strings; it only
 * cuts the text into object slices, `JSON.parse` reads each slice. Iterative, linear, no recursion.
 */

/** One object found: `text.slice(start, end)`; `line` is the 1-based line it starts on. */
export interface JsonSlice {
  start: number;
  end: number;
  line: number;
}

/** What {@link scanJsonObjects} found. */
export interface JsonScan {
  /** Complete objects, balanced braces (each may still fail `JSON.parse`). */
  objects: JsonSlice[];
  /**
   * Objects that were cut off: by the end of the text, or (`lines` mode) by the next object
   * starting at the beginning of a line while braces were still open. `end` is where the cut is.
   */
  cut: JsonSlice[];
  /** Lines of text outside any object that were skipped (`lines` mode), or junk between items (`array` mode). */
  skippedLines: number;
  /** First line of skipped text, when any (for the diagnostic). */
  firstSkippedLine: number;
  /** `array` mode: offset just after the `]` that closed the array; -1 when the array never closed. */
  arrayEnd: number;
}

/**
 * `lines`: top-level objects start with `{` as the first non-blank character of a line (other
 * text is skipped line by line, so log output between spans is harmless). `array`: the items of
 * an array whose `[` is just before `from`; stops at its `]`.
 */
export type ScanMode = 'lines' | 'array';

const OPEN_BRACE = 123; // {
const CLOSE_BRACE = 125; // }
const OPEN_BRACKET = 91; // [
const CLOSE_BRACKET = 93; // ]
const QUOTE = 34; // "
const BACKSLASH = 92; // \
const NEWLINE = 10;

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === NEWLINE || code === 0xfeff;
}

/** Cuts `text` (from offset `from`, which is on line `firstLine`) into top-level object slices. */
export function scanJsonObjects(text: string, mode: ScanMode, from = 0, firstLine = 1): JsonScan {
  const result: JsonScan = { objects: [], cut: [], skippedLines: 0, firstSkippedLine: 0, arrayEnd: -1 };
  let line = firstLine;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let objStart = -1;
  let objLine = 0;
  let lineStart = true; // only blanks since the last newline
  let skippingLine = false;

  const skip = () => {
    if (!skippingLine) {
      result.skippedLines++;
      if (result.firstSkippedLine === 0) result.firstSkippedLine = line;
      skippingLine = true;
    }
  };

  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      line++;
      lineStart = true;
      skippingLine = false;
      // A raw newline cannot be inside a JSON string: the object is broken; keep scanning.
      inString = false;
      escaped = false;
      // lines mode: an object starting at column 0 while braces are open means the open one was cut.
      if (mode === 'lines' && depth > 0 && text.charCodeAt(i + 1) === OPEN_BRACE) {
        result.cut.push({ start: objStart, end: i, line: objLine });
        depth = 0;
      }
      continue;
    }
    if (depth === 0) {
      if (skippingLine && mode === 'lines') continue;
      if (c === OPEN_BRACE && (mode === 'array' || lineStart)) {
        depth = 1;
        objStart = i;
        objLine = line;
        lineStart = false;
        continue;
      }
      if (isBlank(c)) continue;
      lineStart = false;
      if (mode === 'array') {
        if (c === 44 /* , */) continue;
        if (c === CLOSE_BRACKET) {
          result.arrayEnd = i + 1;
          return result;
        }
      }
      skip();
      continue;
    }
    lineStart = false;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === BACKSLASH) escaped = true;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) result.objects.push({ start: objStart, end: i + 1, line: objLine });
    }
  }
  if (depth > 0) result.cut.push({ start: objStart, end: text.length, line: objLine });
  return result;
}

/** Short form of a parse error; V8 quotes the input in its messages, which may be huge. */
export function briefError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
