/**
 * Reading a tool's input. A model (or a hand-written MCP request) may send anything: a string
 * instead of an object, a limit of a million, a run id of a megabyte. Wrong types are answered
 * with an error that says what was expected; a limit out of range is clamped and a note says so;
 * unknown keys are ignored and named. Every echoed string is clipped.
 */
import { BREAKDOWN_BY, BREAKDOWN_SORT } from './definitions';
import { clip, ToolError, toolError } from './shape';

export interface ReadInput {
  values: { run?: string; baseline?: string; limit: number; by: (typeof BREAKDOWN_BY)[number]; sort: (typeof BREAKDOWN_SORT)[number] };
  /** Things the model should know about its input (clamped limit, ignored keys). */
  notes: string[];
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function readString(raw: Record<string, unknown>, key: string): string | undefined | ToolError {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return toolError('invalid_input', `\`${key}\` must be a string (a run id from agentProfiler_listRuns); got ${typeName(v)}.`);
  if (v.length > 1000) return toolError('invalid_input', `\`${key}\` is ${v.length} characters long; a run id is at most 1000.`);
  return v;
}

function readEnum<T extends string>(raw: Record<string, unknown>, key: string, allowed: readonly T[]): T | ToolError {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return allowed[0];
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  const shown = typeof v === 'string' ? `"${clip(v, 40)}"` : typeName(v);
  return toolError('invalid_input', `\`${key}\` must be one of ${allowed.join(', ')}; got ${shown}.`);
}

/**
 * Reads `raw` against the keys a tool takes. `limits` is the tool's default and maximum limit,
 * or undefined when the tool takes no limit.
 */
export function readInput(raw: unknown, keys: readonly string[], limits: { default: number; max: number } | undefined): ReadInput | ToolError {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return toolError('invalid_input', `The input must be a JSON object such as {"run": "…", "limit": 5}; got ${typeName(raw)}.`);
  }
  const input = raw as Record<string, unknown>;
  const notes: string[] = [];
  const unknown = Object.keys(input).filter((k) => !keys.includes(k));
  if (unknown.length) {
    const named = unknown.slice(0, 5).map((k) => `\`${clip(k, 40)}\``).join(', ');
    notes.push(`Ignored unknown input ${unknown.length === 1 ? 'key' : 'keys'} ${named}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}; this tool takes ${keys.map((k) => `\`${k}\``).join(', ') || 'no input'}.`);
  }
  const run = keys.includes('run') ? readString(input, 'run') : undefined;
  if (typeof run === 'object') return run;
  const baseline = keys.includes('baseline') ? readString(input, 'baseline') : undefined;
  if (typeof baseline === 'object') return baseline;
  const by = keys.includes('by') ? readEnum(input, 'by', BREAKDOWN_BY) : BREAKDOWN_BY[0];
  if (typeof by === 'object') return by;
  const sort = keys.includes('sort') ? readEnum(input, 'sort', BREAKDOWN_SORT) : BREAKDOWN_SORT[0];
  if (typeof sort === 'object') return sort;

  let limit = limits?.default ?? 0;
  const rawLimit = input.limit;
  if (limits && rawLimit !== undefined && rawLimit !== null) {
    // A model often sends numbers as strings ("5"); a numeric string is taken as its number.
    const n = typeof rawLimit === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(rawLimit) ? Number(rawLimit) : rawLimit;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      const shown = typeof rawLimit === 'string' ? `"${clip(rawLimit, 40)}"` : typeName(rawLimit);
      return toolError('invalid_input', `\`limit\` must be a whole number from 1 to ${limits.max}; got ${shown}.`);
    }
    const whole = Math.floor(n);
    limit = Math.min(limits.max, Math.max(1, whole));
    if (limit !== n) notes.push(`\`limit\` ${clip(String(rawLimit), 40)} was taken as ${limit} (it must be a whole number from 1 to ${limits.max}).`);
  }
  const values: ReadInput['values'] = { limit, by, sort };
  if (run !== undefined) values.run = run;
  if (baseline !== undefined) values.baseline = baseline;
  return { values, notes };
}
