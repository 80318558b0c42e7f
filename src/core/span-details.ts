/**
 * The facts of one span that the waterfall's tooltip and details pane show beyond its columns:
 * call site, thread, error message, attributes and LLM calls. Asked for one span at a time (on
 * hover or selection), so the columns stay small. Everything here is text from the profile and
 * therefore untrusted: the webview shows it with `textContent` only. Pure: no `vscode`, no `fs`.
 */
import { spanLabel, type Profile, type SpanKind, type TokenUsage } from './model';

/** At most this many attributes are sent; the rest are counted in `moreAttrs`. */
export const MAX_DETAIL_ATTRS = 40;
/** Attribute values (rendered as JSON when not strings) are cut to this many characters. */
export const MAX_DETAIL_VALUE_CHARS = 400;
/** At most this many LLM calls of the span are listed. */
export const MAX_DETAIL_CALLS = 20;

/** One LLM call made in the span. */
export interface DetailCall {
  model: string;
  input: number;
  output: number;
  cacheRead: number;
  /** USD, 0 when unpriced or no price list was given. */
  costUsd: number;
}

/** See the module comment. */
export interface SpanDetails {
  /** Span index. */
  span: number;
  /** The id from the file, as text. */
  id: string;
  name: string;
  category: string;
  kind: SpanKind;
  file: string | undefined;
  line: number | undefined;
  thread: string | undefined;
  task: string | undefined;
  error: string | undefined;
  /** Attribute name and value as text, in the recorded order. */
  attrs: Array<[string, string]>;
  /** Attributes left out after {@link MAX_DETAIL_ATTRS}. */
  moreAttrs: number;
  calls: DetailCall[];
  /** Calls left out after {@link MAX_DETAIL_CALLS}. */
  moreCalls: number;
}

/** Cuts `text` to `max` characters with an ellipsis. */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A value as one line of text: strings as they are, everything else as JSON. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return cut(value, MAX_DETAIL_VALUE_CHARS);
  try {
    return cut(JSON.stringify(value) ?? String(value), MAX_DETAIL_VALUE_CHARS);
  } catch {
    return '(unreadable value)';
  }
}

/**
 * Details of span `index`, or undefined when the run has no such span. `costOf` prices one usage
 * record in USD (0 when it is not given); it is called only for the span's own calls.
 */
export function spanDetails(profile: Profile, index: number, costOf?: (usage: TokenUsage) => number): SpanDetails | undefined {
  if (!(Number.isInteger(index) && index >= 0 && index < profile.spans.length)) return undefined;
  const s = profile.spans[index];
  const attrs: Array<[string, string]> = [];
  let moreAttrs = 0;
  if (s.attrs) {
    for (const key of Object.keys(s.attrs)) {
      if (attrs.length >= MAX_DETAIL_ATTRS) moreAttrs++;
      else attrs.push([cut(key, 200), valueText(s.attrs[key])]);
    }
  }
  const calls: DetailCall[] = [];
  let moreCalls = 0;
  for (const u of profile.usage) {
    if (u.span !== index) continue;
    if (calls.length >= MAX_DETAIL_CALLS) {
      moreCalls++;
      continue;
    }
    calls.push({ model: u.model, input: u.input, output: u.output, cacheRead: u.cacheRead, costUsd: costOf ? costOf(u) : 0 });
  }
  return {
    span: index,
    id: String(s.id),
    name: spanLabel(s),
    category: s.category,
    kind: s.kind,
    file: s.file,
    line: s.line,
    thread: s.thread,
    task: s.task,
    error: s.error,
    attrs,
    moreAttrs,
    calls,
    moreCalls,
  };
}
