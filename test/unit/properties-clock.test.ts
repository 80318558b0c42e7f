/**
 * The critical path survives real clocks: the OpenTelemetry JS SDK stamps starts in whole
 * milliseconds (ends finer), so a span that starts right after its sibling ended can look as if it
 * started up to 1 ms before that end. Random runs of sequential steps, some of them groups of
 * concurrent spans, nested, keep their critical path when every start is rounded down to the
 * millisecond or moved earlier by up to 0.9 ms of jitter; the batch and the incremental walks agree.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { analyze } from '../../src/core/analyze';
import { criticalPathNs } from '../../src/core/critical-path';
import { LiveAnalysis } from '../../src/core/incremental/live-analysis';
import { ProfileBuilder } from '../../src/core/builder';
import type { Profile } from '../../src/core/model';
import { makeProfile, SpanSpec } from './helpers/profile-fixtures';

/** One step of a parent's work: one span, or spans run concurrently (durations apart by ≥ 3 ms). */
interface Step {
  gap: number;
  durations: number[];
  children: Step[][];
}

const step: fc.Memo<Step> = fc.memo((depth) =>
  fc.record({
    // Often 0: the next step starts exactly when the previous one ended (the case the clock breaks).
    gap: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5, noNaN: true })),
    durations: fc.array(fc.double({ min: 2, max: 50, noNaN: true }), { minLength: 1, maxLength: 3 }),
    children: depth > 1 ? fc.array(fc.array(step(depth - 1), { maxLength: 3 }), { maxLength: 1 }) : fc.constant([]),
  }),
);

/** Lays the steps out from `t` under `parent`: exact sub-ms times, like a real run's. Returns the end. */
function layout(steps: Step[], t: number, parent: number | undefined, specs: SpanSpec[]): number {
  let at = t;
  for (const s of steps) {
    at += s.gap;
    let groupEnd = at;
    s.durations.forEach((d, k) => {
      const id = specs.length;
      // Distinct durations: concurrent spans end at least 3 ms apart (no tie for the clock to flip).
      const inner = s.children[0] ?? [];
      const spec: SpanSpec = { id, parent, name: `s${id}`, start: at, end: at };
      specs.push(spec);
      const childEnd = k === 0 && inner.length ? layout(inner, at + 0.25, id, specs) : at;
      spec.end = Math.max(childEnd + 0.25, at + d + 3 * k + 0.123);
      if (spec.end > groupEnd) groupEnd = spec.end;
    });
    at = groupEnd;
  }
  return at;
}

/**
 * The spans the path goes through: those with a segment, and their ancestors (a span whose time
 * its children cover whole has no segment of its own). Rounding starts may shorten or remove a
 * span's own sub-ms time before its first child, never the spans the path goes through.
 */
function pathSpans(profile: Profile): number[] {
  const p = criticalPathNs(profile);
  const on = new Set<number>();
  for (let k = 0; k < p.length; k++) for (let a = p.span[k]; a >= 0 && !on.has(a); a = profile.spans[a].parent) on.add(a);
  return [...on].sort((a, b) => a - b);
}

describe('critical path under real clocks (properties)', () => {
  it('whole-ms starts and sub-ms jitter leave the path unchanged; batch and incremental agree', () => {
    fc.assert(
      fc.property(fc.array(step(3), { minLength: 1, maxLength: 6 }), fc.array(fc.double({ min: 0, max: 0.9, noNaN: true }), { minLength: 64, maxLength: 64 }), (steps, jitter) => {
        const specs: SpanSpec[] = [];
        const end = layout(steps, 10, undefined, specs);
        const root: SpanSpec = { id: 'root', name: 'root', start: 0, end: end + 1 };
        for (const s of specs) if (s.parent === undefined) s.parent = 'root';
        const exact = makeProfile([root, ...specs]);
        const expected = pathSpans(exact);
        const rounded = makeProfile([root, ...specs].map((s) => ({ ...s, start: Math.floor(s.start) })));
        assert.deepEqual(pathSpans(rounded), expected, 'starts rounded down to the ms');
        const jittered = makeProfile([root, ...specs].map((s, i) => ({ ...s, start: Math.max(0, s.start - jitter[i % 64]) })));
        assert.deepEqual(pathSpans(jittered), expected, 'starts up to 0.9 ms early');
        // The incremental walk, fed the spans in two updates, gives the batch path.
        const b = new ProfileBuilder();
        const live = new LiveAnalysis();
        const all = [root, ...specs].map((s) => ({ ...s, start: Math.floor(s.start) }));
        const half = Math.ceil(all.length / 2);
        for (const [from, to] of [[0, half], [half, all.length]]) {
          for (const s of all.slice(from, to)) {
            b.addSpan({ id: s.id, parentId: s.parent, name: s.name, start: Math.round(s.start * 1e6), end: Math.round(s.end! * 1e6) }, 0);
          }
          live.update(b.profile, b.takeChanges());
        }
        const liveResult = live.update(b.profile, b.takeChanges());
        assert.deepEqual(liveResult.criticalPath, analyze(b.finish()).criticalPath);
      }),
      { numRuns: 300 },
    );
  });
});
