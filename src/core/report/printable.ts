/**
 * Text from a profile, trace, settings or budgets file made safe to print in a terminal. A
 * terminal obeys control characters wherever they come from: ESC starts sequences that retitle
 * the window, write the clipboard (OSC 52), draw fake links (OSC 8) or clear the screen; `\r`
 * overprints a line; `\n` inside a field forges a report line; bidirectional overrides reorder
 * what is shown. Each such character is shown escaped (`\x1b`, `\r`, `\u202e`) instead: the
 * text stays readable and nothing in it acts.
 *
 * Escaped: C0 controls (U+0000–U+001F, `\t`, `\n` and `\r` included: inside a field they are
 * never layout), DEL, C1 controls (U+0080–U+009F: U+009B is a one-character CSI), the line and
 * paragraph separators, and the bidirectional marks, embeddings, overrides and isolates.
 */

// A fixed class of characters, never built from input; one pass, linear in the text.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const UNPRINTABLE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every character that could act on a terminal shown escaped (see the module comment). */
export function printable(text: string): string {
  UNPRINTABLE.lastIndex = 0;
  if (!UNPRINTABLE.test(text)) return text;
  UNPRINTABLE.lastIndex = 0;
  return text.replace(UNPRINTABLE, escapeOne);
}

/**
 * JSON text (from `JSON.stringify`) with the characters it leaves raw inside strings — DEL, C1
 * controls, separators and bidirectional controls — written as `\uXXXX` escapes: the same JSON
 * value, safe in a terminal. (`JSON.stringify` already escapes U+0000–U+001F.)
 */
export function printableJson(json: string): string {
  // Not U+0000–U+001F: JSON.stringify escapes those inside strings, and outside them they are its own layout.
  UNPRINTABLE_IN_JSON.lastIndex = 0;
  if (!UNPRINTABLE_IN_JSON.test(json)) return json;
  UNPRINTABLE_IN_JSON.lastIndex = 0;
  return json.replace(UNPRINTABLE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// The same class less `\t` and `\n`, which lay out a whole document (an export printed to a terminal).
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_IN_DOCUMENT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** A multi-line document (Markdown, HTML, Prometheus text) for a terminal: as {@link printable}, keeping `\n` and `\t`. */
export function printableDocument(text: string): string {
  UNPRINTABLE_IN_DOCUMENT.lastIndex = 0;
  if (!UNPRINTABLE_IN_DOCUMENT.test(text)) return text;
  UNPRINTABLE_IN_DOCUMENT.lastIndex = 0;
  return text.replace(UNPRINTABLE_IN_DOCUMENT, escapeOne);
}
