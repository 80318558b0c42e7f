/**
 * Finds timer call sites in source text — `timer("…")`, `timer(f"…")`, `.timed("…")`,
 * `@profiler.timed("…")`, `start("…")` in Python and `timer('…')`, `` timer(`…${x}`) `` in
 * TypeScript/JavaScript — and turns each name (or f-string / template) into a matcher of the names
 * the recorder wrote: `f"step_{i}:llm_call"` matches `step_0:llm_call`, `step_1:…`. The scan uses
 * one constant regular expression (not a parser: fast enough for every document version); the
 * names are matched by literal pieces ({@link TemplateMatcher}), never by an expression built from
 * the source.
 */
import { TemplateMatcher, type NameMatcher } from './name-template';

export interface TimerCall {
  /** 0-based line of the call. */
  line: number;
  /** 0-based columns of the call, from the method name to the closing quote. */
  startColumn: number;
  endColumn: number;
  /** `recorded`: no call in the text, a call site the profile recorded (see matchRecordedSites). */
  method: 'timer' | 'timed' | 'start' | 'recorded';
  /** The name as written (escapes resolved; holes of a template kept as written). */
  name: string;
  /** True for an f-string or a template literal with holes. */
  template: boolean;
  /** Says which recorded span names belong to this call (the whole name must match). */
  pattern: NameMatcher;
}

// method, optional `name=`, string prefix, quote, body. A body stops at the line's end: the names
// we care about are one-line literals.
const CALL = /(?<![\w$])(timer|timed|start)\s*\(\s*(?:name\s*=\s*)?([rRbBuUfF]{0,2})(["'`])((?:\\.|(?!\3)[^\\\r\n])*)\3/g;

function unescapeLiteral(s: string, raw: boolean): string {
  return raw ? s : s.replace(/\\(["'`\\])/g, '$1');
}

/** End index (exclusive) of a hole starting at `open` (the `{`), counting nested braces. */
function holeEnd(body: string, open: number): number {
  let depth = 0;
  for (let i = open; i < body.length; i++) {
    if (body[i] === '{') depth++;
    else if (body[i] === '}' && --depth === 0) return i + 1;
  }
  return body.length;
}

/** Literal pieces of a Python f-string body: `{expr}` holes match anything, `{{`/`}}` are braces. */
function fStringPieces(body: string, raw: boolean): string[] {
  const pieces: string[] = [];
  let literal = '';
  for (let i = 0; i < body.length; ) {
    if (body.startsWith('{{', i) || body.startsWith('}}', i)) {
      literal += body[i];
      i += 2;
    } else if (body[i] === '{') {
      pieces.push(unescapeLiteral(literal, raw));
      literal = '';
      i = holeEnd(body, i);
    } else {
      literal += body[i++];
    }
  }
  pieces.push(unescapeLiteral(literal, raw));
  return pieces;
}

/** Literal pieces of a JS template literal body: `${expr}` holes match anything. */
function templatePieces(body: string): string[] {
  const pieces: string[] = [];
  let literal = '';
  for (let i = 0; i < body.length; ) {
    if (body[i] === '\\' && i + 1 < body.length) {
      literal += body.slice(i, i + 2);
      i += 2;
    } else if (body.startsWith('${', i)) {
      pieces.push(unescapeLiteral(literal, false));
      literal = '';
      i = holeEnd(body, i + 1);
    } else {
      literal += body[i++];
    }
  }
  pieces.push(unescapeLiteral(literal, false));
  return pieces;
}

/** Start offsets of every line, for offset → line lookups by binary search. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Every timer call in `text`, in text order. */
export function scanTimerCalls(text: string): TimerCall[] {
  const calls: TimerCall[] = [];
  const starts = lineStarts(text);
  CALL.lastIndex = 0;
  for (let m = CALL.exec(text); m; m = CALL.exec(text)) {
    const [whole, method, prefix, quote, body] = m;
    const lower = prefix.toLowerCase();
    if (lower.includes('b')) continue; // bytes are not names
    const raw = lower.includes('r');
    let pieces: string[];
    let name: string;
    if (quote === '`') {
      pieces = templatePieces(body);
      name = body;
    } else if (lower.includes('f')) {
      pieces = fStringPieces(body, raw);
      name = body;
    } else {
      name = unescapeLiteral(body, raw);
      pieces = [name];
    }
    if (name === '') continue;
    const line = lineOf(starts, m.index);
    const startColumn = m.index - starts[line];
    calls.push({
      line,
      startColumn,
      endColumn: startColumn + whole.length,
      method: method as TimerCall['method'],
      name,
      template: pieces.length > 1,
      pattern: new TemplateMatcher(pieces),
    });
  }
  return calls;
}
