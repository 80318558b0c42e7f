/**
 * Finds timer call sites in source text — `timer("…")`, `timer(f"…")`, `.timed("…")`,
 * `@profiler.timed("…")`, `start("…")` in Python and `timer('…')`, `` timer(`…${x}`) `` in
 * TypeScript/JavaScript — and turns each name (or f-string / template) into a pattern that matches
 * the names the recorder wrote: `f"step_{i}:llm_call"` matches `step_0:llm_call`, `step_1:…`.
 * A regular-expression scan, not a parser: fast enough to run on every document version.
 */

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
  /** Anchored pattern that recorded span names of this call match. */
  pattern: RegExp;
}

// method, optional `name=`, string prefix, quote, body. A body stops at the line's end: the names
// we care about are one-line literals.
const CALL = /(?<![\w$])(timer|timed|start)\s*\(\s*(?:name\s*=\s*)?([rRbBuUfF]{0,2})(["'`])((?:\\.|(?!\3)[^\\\r\n])*)\3/g;

/** `s` with every regular-expression metacharacter escaped. */
export function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

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

/** Pattern source of a Python f-string body: `{expr}` holes match anything, `{{`/`}}` are braces. */
function fStringSource(body: string, raw: boolean): { source: string; holes: number } {
  let source = '';
  let literal = '';
  let holes = 0;
  for (let i = 0; i < body.length; ) {
    if (body.startsWith('{{', i) || body.startsWith('}}', i)) {
      literal += body[i];
      i += 2;
    } else if (body[i] === '{') {
      source += escapeRegExp(unescapeLiteral(literal, raw)) + '.*?';
      literal = '';
      holes++;
      i = holeEnd(body, i);
    } else {
      literal += body[i++];
    }
  }
  return { source: source + escapeRegExp(unescapeLiteral(literal, raw)), holes };
}

/** Pattern source of a JS template literal body: `${expr}` holes match anything. */
function templateSource(body: string): { source: string; holes: number } {
  let source = '';
  let literal = '';
  let holes = 0;
  for (let i = 0; i < body.length; ) {
    if (body[i] === '\\' && i + 1 < body.length) {
      literal += body.slice(i, i + 2);
      i += 2;
    } else if (body.startsWith('${', i)) {
      source += escapeRegExp(unescapeLiteral(literal, false)) + '.*?';
      literal = '';
      holes++;
      i = holeEnd(body, i + 1);
    } else {
      literal += body[i++];
    }
  }
  return { source: source + escapeRegExp(unescapeLiteral(literal, false)), holes };
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
    let compiled: { source: string; holes: number };
    let name: string;
    if (quote === '`') {
      compiled = templateSource(body);
      name = body;
    } else if (lower.includes('f')) {
      compiled = fStringSource(body, raw);
      name = body;
    } else {
      name = unescapeLiteral(body, raw);
      compiled = { source: escapeRegExp(name), holes: 0 };
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
      template: compiled.holes > 0,
      pattern: new RegExp(`^${compiled.source}$`, 's'),
    });
  }
  return calls;
}
