/**
 * Speed of the timing, critical-path and waterfall analyzers on a synthetic 1 000 000-span run.
 * Run: `npx tsx bench/timing-critical-waterfall.ts [spans]`.
 *
 * Shape: one root; steps of 11 spans each (a step, an LLM call, three parallel tools each with an
 * HTTP child, a memory look-up, two answer calls); call sites on every span but the root;
 * 1 % errors, the last step left open. Then, separately, a chain nested 100 000 deep.
 */
import { ProfileBuilder } from '../src/core/builder';
import { criticalPath } from '../src/core/critical-path';
import type { Profile } from '../src/core/model';
import { computeTiming } from '../src/core/timing';
import { waterfallRows } from '../src/core/waterfall';

const MS = 1e6;

function wideRun(spanCount: number): Profile {
  const b = new ProfileBuilder();
  let id = 0;
  let line = 0;
  const root = id++;
  b.openSpan({ id: root, name: 'agent:run', start: 0 }, ++line);
  const steps = Math.floor((spanCount - 1) / 11);
  let t = 0;
  for (let s = 0; s < steps; s++) {
    const step = id++;
    const open = s === steps - 1;
    const err = s % 100 === 7 ? 'TimeoutError' : undefined;
    b.openSpan({ id: step, parentId: root, name: `step_${s % 50}:run`, start: t, file: 'agent.py', line: 10 }, ++line);
    const add = (name: string, parentId: number, start: number, end: number, l: number, error?: string) => {
      const sid = id++;
      b.addSpan({ id: sid, parentId, name, start, end, file: 'agent.py', line: l, error }, ++line);
      return sid;
    };
    add('llm:planning', step, t, t + 3 * MS, 20);
    for (let k = 0; k < 3; k++) {
      const tool = add(`tool:${['search', 'fetch', 'calc'][k]}`, step, t + 3 * MS, t + (4 + k * 2) * MS, 30 + k, err);
      add('http:get', tool, t + 3 * MS + 1000, t + (4 + k * 2) * MS - 1000, 90);
    }
    add('memory:lookup', step, t + 9 * MS, t + 9.5 * MS, 40);
    add('llm:answer', step, t + 9.5 * MS, t + 12 * MS, 21);
    add('llm:answer', step, t + 12 * MS, t + 13 * MS, 21);
    if (!open) b.closeSpan(step, t + 13 * MS, ++line);
    t += 14 * MS;
  }
  return b.finish();
}

function deepChain(depth: number): Profile {
  const b = new ProfileBuilder();
  for (let k = 0; k < depth; k++) {
    b.addSpan({ id: k, parentId: k === 0 ? undefined : k - 1, name: `level:${k % 10}`, start: k * 1000, end: (2 * depth - k) * 1000 }, k + 1);
  }
  return b.finish();
}

function time<T>(label: string, f: () => T, repeats = 5): T {
  let result = f(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    result = f();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(28)} median ${times[repeats >> 1].toFixed(1).padStart(7)} ms   min ${times[0].toFixed(1).padStart(7)} ms`);
  return result;
}

const spans = Number(process.argv[2] ?? 1_000_000);
for (const [what, profile] of [
  [`wide run, ${spans} spans`, wideRun(spans)],
  ['chain 100 000 deep', deepChain(100_000)],
] as const) {
  console.log(`\n${what} (${profile.spans.length} spans)`);
  const timing = time('computeTiming', () => computeTiming(profile));
  const path = time('criticalPath', () => criticalPath(profile));
  const rows = time('waterfallRows', () => waterfallRows(profile, path));
  time('all three', () => waterfallRows(profile, criticalPath(profile)) && computeTiming(profile));
  console.log(`  ${timing.byName.length} names, ${timing.bySite.length} sites, ${path.length} critical segments, ${rows.length} rows`);
}
