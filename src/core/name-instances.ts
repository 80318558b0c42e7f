/**
 * The names as written under each name template (name-templates.ts): `step_{n}:llm_call` lists a
 * few of its instances (`step_17:llm_call`, …) with their counts and totals, and how many of the
 * template's spans are not in them, so grouping hides no span from a reader.
 *
 * Which instances: those of the template's longest spans (the names a reader looks for first).
 * Two passes over the spans and no map of every distinct name: a run named like the seed chapter
 * has a distinct name per step, and a hash map of 300 000 fresh strings cost more than the rest of
 * this report (measured ~0.8 s); here the only map holds the few listed names.
 */
import type { Profile } from './model';
import { spanEnd } from './model';

/** One name as written under a template: its spans' count and total time. */
export interface NameInstance {
  name: string;
  count: number;
  totalMs: number;
}

/** Some instances of one template, largest total first, and the template's spans not in them. */
export interface TemplateInstances {
  top: NameInstance[];
  /** Spans of the template whose name is not one of `top`. */
  moreSpans: number;
}

interface Longest {
  spans: number;
  /** Names of the longest spans so far, longest first, each name once, at most `top`. */
  names: string[];
  durations: number[];
}

/** For each template with instances (spans named other than their template), see {@link TemplateInstances}. */
export function nameInstances(profile: Profile, top: number): Map<string, TemplateInstances> {
  const byTemplate = new Map<string, Longest>();
  let lastTemplate: string | undefined;
  let last: Longest | undefined;
  // Pass 1: per template, its span count and the distinct names of its longest spans.
  for (const span of profile.spans) {
    const instance = span.instance;
    if (instance === undefined) continue;
    // Spans of one template tend to come together; skip the look-up then.
    if (span.name !== lastTemplate) {
      lastTemplate = span.name;
      last = byTemplate.get(span.name);
      if (!last) byTemplate.set(span.name, (last = { spans: 0, names: [], durations: [] }));
    }
    last!.spans++;
    offer(last!, instance, Math.max(0, spanEnd(profile, span) - span.start), top);
  }
  // Pass 2: count and total of each listed name, over all its spans.
  const listed = new Map<string, NameInstance>();
  for (const l of byTemplate.values()) for (const name of l.names) listed.set(name, { name, count: 0, totalMs: 0 });
  for (const span of profile.spans) {
    if (span.instance === undefined) continue;
    const row = listed.get(span.instance);
    if (!row) continue;
    row.count++;
    row.totalMs += Math.max(0, spanEnd(profile, span) - span.start) / 1e6;
  }
  const out = new Map<string, TemplateInstances>();
  for (const [template, l] of byTemplate) {
    const rows = l.names.map((n) => listed.get(n)!);
    rows.sort((a, b) => b.totalMs - a.totalMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.set(template, { top: rows, moreSpans: l.spans - rows.reduce((n, r) => n + r.count, 0) });
  }
  return out;
}

/** Puts `name` with `duration` into the short list of longest spans (longest first; ties keep the earlier). */
function offer(l: Longest, name: string, duration: number, top: number): void {
  const { names, durations } = l;
  const at = names.indexOf(name);
  if (at >= 0) {
    if (duration <= durations[at]) return;
    names.splice(at, 1);
    durations.splice(at, 1);
  } else if (names.length >= top) {
    if (top === 0 || duration <= durations[names.length - 1]) return;
    names.pop();
    durations.pop();
  }
  let i = names.length;
  while (i > 0 && durations[i - 1] < duration) i--;
  names.splice(i, 0, name);
  durations.splice(i, 0, duration);
}
