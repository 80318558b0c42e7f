/**
 * The names as written under each name template (name-templates.ts): `step_{n}:llm_call` lists
 * its largest instances (`step_17:llm_call`, …) and how many more there are, so grouping hides no
 * span from a reader. One pass over the spans; a bounded list per template.
 */
import type { Profile } from './model';
import { spanEnd } from './model';

/** One name as written under a template. */
export interface NameInstance {
  name: string;
  count: number;
  totalMs: number;
}

/** The instances of one template: the largest by total time, and the number of distinct instances. */
export interface TemplateInstances {
  top: NameInstance[];
  distinct: number;
}

/**
 * For each template with instances (spans whose name differs from its template), the `top`
 * instances by total time (ties by name) and the number of distinct instances.
 */
export function nameInstances(profile: Profile, top: number): Map<string, TemplateInstances> {
  const byTemplate = new Map<string, Map<string, NameInstance>>();
  let lastTemplate: string | undefined;
  let lastMap: Map<string, NameInstance> | undefined;
  for (const span of profile.spans) {
    const instance = span.instance;
    if (instance === undefined) continue;
    // Spans of one template tend to come together; skip the outer look-up then.
    if (span.name !== lastTemplate) {
      lastTemplate = span.name;
      lastMap = byTemplate.get(span.name);
      if (!lastMap) byTemplate.set(span.name, (lastMap = new Map()));
    }
    let row = lastMap!.get(instance);
    if (!row) lastMap!.set(instance, (row = { name: instance, count: 0, totalMs: 0 }));
    row.count++;
    row.totalMs += Math.max(0, spanEnd(profile, span) - span.start) / 1e6;
  }
  const out = new Map<string, TemplateInstances>();
  for (const [template, rows] of byTemplate) out.set(template, { top: largest(rows.values(), top), distinct: rows.size });
  return out;
}

const before = (a: NameInstance, b: NameInstance) => a.totalMs > b.totalMs || (a.totalMs === b.totalMs && a.name < b.name);

/** The `k` largest rows in order, by insertion into a short sorted list: O(n·k) for small k, no sort of n. */
function largest(rows: Iterable<NameInstance>, k: number): NameInstance[] {
  const best: NameInstance[] = [];
  if (k <= 0) return best;
  for (const row of rows) {
    if (best.length === k && !before(row, best[k - 1])) continue;
    let i = best.length < k ? best.length : k - 1;
    if (best.length < k) best.push(row);
    while (i > 0 && before(row, best[i - 1])) {
      best[i] = best[i - 1];
      i--;
    }
    best[i] = row;
  }
  return best;
}
