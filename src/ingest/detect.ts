/**
 * Which format a profile file is in, told from its first few kilobytes (never from its name:
 * traces are saved as `trace.json`, `spans.log`, `out.txt`, …), and one entry point that parses
 * any supported format into runs.
 */
import { ProfileBuilder } from '../core/builder';
import type { Profile } from '../core/model';
import { looksLikeChrome, parseChrome } from './chrome';
import { parseJsonl } from './jsonl';
import { looksLikeOtelConsole, parseOtelConsole } from './otel-console';
import { looksLikeOtlp, parseOtlp } from './otlp';

/** The formats Agent Profiler reads. */
export type ProfileFormat = 'agentprof' | 'otlp' | 'chrome' | 'otel-console' | 'unknown';

/** How much of the start of a file {@link detectFormat} needs. */
export const DETECT_HEAD_BYTES = 64 * 1024;

/** Human names of the formats, for messages. */
export const FORMAT_NAMES: Record<ProfileFormat, string> = {
  agentprof: 'Agent Profiler JSON Lines',
  otlp: 'OTLP/JSON',
  chrome: 'Chrome trace',
  'otel-console': 'OpenTelemetry console output',
  unknown: 'unknown',
};

/** The message for content that is none of the formats. */
export const NOT_A_PROFILE =
  'not a profile: expected Agent Profiler JSON Lines, OTLP/JSON, Chrome trace or OpenTelemetry console output';

/** Lines after a damaged first one that are checked for native records. */
const NATIVE_PROBE_LINES = 20;

const NATIVE_TYPES = /^\{\s*"t"\s*:\s*"(run|s|e|u|b|end)"/;

/** True when the first line is a native record: a JSON object whose `t` is a record type. */
function looksNative(firstLine: string): boolean {
  if (NATIVE_TYPES.test(firstLine)) return true;
  if (!firstLine.startsWith('{')) return false;
  try {
    const record = JSON.parse(firstLine) as { t?: unknown };
    return typeof record === 'object' && record !== null && typeof record.t === 'string' && !Array.isArray(record);
  } catch {
    return false; // a cut first line (the head ended inside it): the regex above decides
  }
}

/**
 * The format of a file from its first bytes (decoded as text; {@link DETECT_HEAD_BYTES} is
 * plenty). Empty or blank content counts as a native profile: an agent has just created it.
 */
export function detectFormat(head: string): ProfileFormat {
  const text = head.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  if (text === '') return 'agentprof';
  const newline = text.indexOf('\n');
  const firstLine = (newline < 0 ? text : text.slice(0, newline)).trim();
  if (looksNative(firstLine)) return 'agentprof';
  if (looksLikeOtlp(text)) return 'otlp';
  if (looksLikeChrome(text)) return 'chrome';
  if (looksLikeOtelConsole(text)) return 'otel-console';
  // A native profile whose first line is damaged is still one: its later lines say so, and the
  // reader reports the damaged line instead of losing the whole file.
  const lines = text.split('\n', NATIVE_PROBE_LINES + 1).slice(1, NATIVE_PROBE_LINES + 1);
  if (lines.some((l) => looksNative(l.trim()))) return 'agentprof';
  return 'unknown';
}

/** A run with nothing but an error saying why the content could not be read. */
export function unreadableProfile(message: string, source = 'unknown'): Profile {
  const b = new ProfileBuilder(source);
  b.diagnostic(0, 'error', message);
  return b.finish();
}

/**
 * Parses content of any supported format into its runs: one for native profiles and Chrome
 * traces, one per trace id for OTLP and console output (largest first). Content of no known
 * format gives one empty run whose diagnostics say so. Never throws.
 */
export function parseAny(text: string, format: ProfileFormat = detectFormat(text.slice(0, DETECT_HEAD_BYTES))): Profile[] {
  switch (format) {
    case 'agentprof':
      return [parseJsonl(text)];
    case 'otlp':
      return parseOtlp(text);
    case 'chrome':
      return [parseChrome(text)];
    case 'otel-console':
      return parseOtelConsole(text);
    case 'unknown':
      return [unreadableProfile(NOT_A_PROFILE)];
  }
}
