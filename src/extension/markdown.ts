/**
 * Safe markdown from untrusted strings. Everything shown in a hover or report that comes from a
 * profile (span names, models, error messages, suggestions) goes through {@link escapeMarkdown}:
 * a profile is data from anywhere and must not inject links, images, HTML or command URIs.
 */

/** Longest profile string shown in one place; the rest is cut with an ellipsis. */
export const MAX_SHOWN_CHARS = 300;

/**
 * Escapes `text` so markdown renders it literally. CommonMark lets any ASCII punctuation be
 * backslash-escaped, so all of it is: no emphasis, links, autolinks, HTML, tables or headings can
 * form. Line breaks become spaces so a string cannot start a block of its own.
 */
export function escapeMarkdown(text: string, maxChars = MAX_SHOWN_CHARS): string {
  let s = String(text).replace(/[\r\n\u2028\u2029]+/g, ' ');
  // Control characters other than tab render as nothing useful.
  s = s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  if (s.length > maxChars) s = s.slice(0, maxChars - 1) + '…';
  return s.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * A `command:` link to one of our own commands, with JSON arguments. `encodeURIComponent` leaves
 * `(`, `)`, `!`, `'` and `*` as they are, and a `)` from a span id would end the Markdown link early
 * and cut the arguments (issue 18): those are percent-encoded too.
 */
export function commandLink(label: string, command: string, args: unknown[]): string {
  const query = encodeURIComponent(JSON.stringify(args)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${escapeMarkdown(label)}](command:${command}?${query})`;
}
