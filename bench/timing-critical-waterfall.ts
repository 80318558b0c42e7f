/**
 * Speed of the timing, critical-path and waterfall analyzers on a synthetic 1 000 000-span run.
 * Run: `npx tsx bench/timing-critical-waterfall.ts [spans]`.
 *
 * Shape: one root; steps of 11 spans each (a step, an LLM call, three parallel tools each with an
 * HTTP child, a memory look-up, two answer calls); call sites on every span but the root; 1 % of
 * the tools fail; the root stays open. Built twice: in start order, as our recorders write
 * spans, and reversed (children before parents, ends before starts), as OTLP exports arrive —
 * there the analyzers must sort. Then a chain nested 100 000 deep.
 */
import { ProfileBuilder, SpanStart } from '../src/core/builder';
import { criticalPath } from '../src/core/critical-path';
import type { Profile } from '../src/core/model';
import { computeTiming } from '../src/core/timing';
import { waterfallRows } from '../src/core/waterfall';

const MS = 1e6;

type Spec = SpanStart & { end?: number; error?: string };

function wideRunSpecs(spanCount: number): Spec[] {
  const specs: Spec[] = [{ id: 0, name: 'agent:run', start: 0 }];
  const steps = Math.floor((spanCount - 1) / 11);
  let id = 1;
  let t = 0;
  for (let s = 0; s < steps; s++) {
    const error = s % 100 === 7 ? 'TimeoutError' : undefined;
    const add = (name: string, parentId: number, start: number, end: number, line: number, err?: string) => {
      specs.push({ id, parentId, name, start, end, file: 'agent.py', line, error: err });
      return id++;
    };
    const step = add(`step_${s % 50}:run`, 0, t, t + 13 * MS, 10);
    add('llm:planning', step, t, t + 3 * MS, 20);
    const tools = [0, 1, 2].map((k) =>
      add(`tool:${['search', 'fetch', 'calc'][k]}`, step, t + 3 * MS, t + (4 + k * 2) * MS, 30 + k, error),
    );
    tools.forEach((tool, k) => add('http:get', tool, t + 3 * MS + 1000, t + (4 + k * 2) * MS - 1000, 90));
    add('memory:lookup', step, t + 9 * MS, t + 9.5 * MS, 40);
    add('llm:answer', step, t + 9.5 * MS, t + 12 * MS, 21);
    add('llm:answer', step, t + 12 * MS, t + 13 * MS, 21);
    t += 14 * MS;
  }
  return specs;
}

function build(specs: Spec[]): Profile {
  const b = new ProfileBuilder();
  specs.forEach((spec, k) => (spec.end === undefined ? b.openSpan(spec, k + 1) : b.addSpan({ ...spec, end: spec.end }, k + 1)));
  return b.finish();
}

function deepChain(depth: number): Profile {
  const specs: Spec[] = [];
  for (let k = 0; k < depth; k++) {
    specs.push({ id: k, parentId: k === 0 ? undefined : k - 1, name: `level:${k % 10}`, start: k * 1000, end: (2 * depth - k) * 1000 });
  }
  return build(specs);
}

/** Median and minimum wall time of `repeats` runs after a warm-up, with the CPU time of the fastest. */
function time<T>(label: string, f: () => T, repeats = 5): T {
  let result = f(); // warm-up
  const runs: Array<[number, number]> = [];
  for (let r = 0; r < repeats; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    result = f();
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    runs.push([wall, (cpu.user + cpu.system) / 1000]);
  }
  runs.sort((a, b) => a[0] - b[0]);
  const [median, min] = [runs[repeats >> 1][0], runs[0][0]];
  console.log(
    `${label.padEnd(16)} median ${median.toFixed(0).padStart(5)} ms   min ${min.toFixed(0).padStart(5)} ms (cpu ${runs[0][1].toFixed(0)} ms)`,
  );
  return result;
}

const spans = Number(process.argv[2] ?? 1_000_000);
const runs: Array<[string, () => Profile]> = [
  [`wide run, ${spans} spans, recorder order`, () => build(wideRunSpecs(spans))],
  [`wide run, ${spans} spans, reversed (OTLP-like)`, () => build(wideRunSpecs(spans).reverse())],
  ['chain 100 000 deep', () => deepChain(100_000)],
];
for (const [what, make] of runs) {
  const profile = make();
  console.log(`\n${what} (${profile.spans.length} spans)`);
  const timing = time('computeTiming', () => computeTiming(profile));
  const path = time('criticalPath', () => criticalPath(profile));
  const rows = time('waterfallRows', () => waterfallRows(profile, path));
  time('all three', () => waterfallRows(profile, criticalPath(profile)) && computeTiming(profile));
  console.log(`  ${timing.byName.length} names, ${timing.bySite.length} sites, ${path.length} critical segments, ${rows.length} rows`);
}
