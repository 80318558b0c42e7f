/**
 * fast-check generators of whole profiles for export → import round trips: random trees (parents
 * among earlier spans, now and then a parent that never appears), overlapping siblings, open
 * spans, errors, call sites, threads, attributes with awkward strings, and token usage.
 */
import fc from 'fast-check';
import { ProfileBuilder } from '../../../src/core/builder';
import type { Profile } from '../../../src/core/model';

interface SpanSeed {
  parentPick: number;
  orphan: boolean;
  start: number;
  duration: number;
  open: boolean;
  name: string;
  thread: string | undefined;
  task: string | undefined;
  error: string | undefined;
  site: { file: string; line: number } | undefined;
  attrs: Record<string, unknown> | undefined;
  stringId: boolean;
}

const names = fc.constantFrom('llm:plan', 'tool:search', 'step_1:tool_call', 'memory:get', 'agent:run', 'a "quoted" \\ name', 'ünï:cødé', 'x');
const text = fc.string({ maxLength: 12 });

const spanSeed: fc.Arbitrary<SpanSeed> = fc.record({
  parentPick: fc.nat(),
  orphan: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  start: fc.integer({ min: 0, max: 5_000_000_000 }),
  duration: fc.integer({ min: 0, max: 2_000_000_000 }),
  open: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  name: names,
  thread: fc.option(fc.constantFrom('MainThread', 'worker-1'), { nil: undefined }),
  task: fc.option(fc.constantFrom('Task-1', 'Task-2'), { nil: undefined }),
  error: fc.option(text.map((t) => `Error: ${t}`), { nil: undefined, freq: 4 }),
  site: fc.option(fc.record({ file: fc.constantFrom('agent.py', 'tools/x y.py', '/abs/outside.py'), line: fc.integer({ min: 1, max: 999 }) }), { nil: undefined }),
  attrs: fc.option(fc.dictionary(fc.constantFrom('q', 'n', 'nested', '__proto__', 'tool'), fc.oneof(text, fc.integer(), fc.record({ deep: text }))), { nil: undefined }),
  stringId: fc.boolean(),
});

const usageSeed = fc.record({
  spanPick: fc.nat(),
  input: fc.integer({ min: 0, max: 100_000 }),
  output: fc.integer({ min: 0, max: 10_000 }),
  cacheRead: fc.integer({ min: 0, max: 100 }),
  model: fc.constantFrom('gpt-4o-mini', 'claude-sonnet-4-5', 'unknown-model'),
  timed: fc.boolean(),
});

/** A random profile of 1–25 spans (parents before children, as recorders write them) and 0–5 usage records. */
export const randomProfile: fc.Arbitrary<Profile> = fc
  .record({ spans: fc.array(spanSeed, { minLength: 1, maxLength: 25 }), usage: fc.array(usageSeed, { maxLength: 5 }) })
  .map(({ spans, usage }) => {
    const b = new ProfileBuilder('agentprof');
    b.setRun({ name: 'random', startEpochNs: '1763900000000000000', cwd: '/abs', pid: 99 });
    const ids: Array<number | string> = [];
    spans.forEach((s, i) => {
      const id = s.stringId ? `s${i}` : i + 1;
      const parentId = s.orphan ? 'never-seen' : i > 0 && s.parentPick % 3 !== 0 ? ids[s.parentPick % i] : undefined;
      ids.push(id);
      const start = { id, parentId, name: s.name, start: s.start, file: s.site?.file, line: s.site?.line, thread: s.thread, task: s.task, attrs: s.attrs ? { ...s.attrs } : undefined };
      if (s.open) b.openSpan(start, i + 2);
      else b.addSpan({ ...start, end: s.start + s.duration, error: s.error }, i + 2);
    });
    usage.forEach((u, k) => {
      const cacheRead = Math.min(u.cacheRead, u.input);
      b.addUsage(
        { spanId: ids[u.spanPick % ids.length], operation: 'llm:plan', model: u.model, input: u.input, output: u.output, cacheRead, time: u.timed ? 1000 * (k + 1) : undefined },
        spans.length + 2 + k,
      );
    });
    return b.finish();
  });
