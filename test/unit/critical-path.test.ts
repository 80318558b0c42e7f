import { strict as assert } from 'assert';
import { CLOCK_TOLERANCE_NS } from '../../src/core/clock';
import fc from 'fast-check';
import { ProfileBuilder } from '../../src/core/builder';
import { criticalPath, criticalPathNs } from '../../src/core/critical-path';
import { Profile, wallTime } from '../../src/core/model';
import { spanTable } from '../../src/core/tree-order';
import { makeProfile, SpanSpec } from './helpers/profile-fixtures';

/** The path as [name, startMs, endMs] triples. */
const pathOf = (profile: Profile) => criticalPath(profile).map((s) => [s.name, s.startMs, s.endMs]);

/** Checks the tiling invariants in ns: in order, contiguous, non-empty, summing to the wall time. */
function assertTiles(profile: Profile): void {
  const p = criticalPathNs(profile);
  let sum = 0;
  for (let k = 0; k < p.length; k++) {
    assert.ok(p.start[k] < p.end[k], `segment ${k} is empty or reversed`);
    if (k > 0) assert.equal(p.start[k], p.end[k - 1], `segment ${k} does not start where ${k - 1} ends`);
    sum += p.end[k] - p.start[k];
  }
  if (p.length) {
    assert.equal(p.start[0], profile.minTime);
    assert.equal(p.end[p.length - 1], profile.maxTime);
  }
  assert.equal(sum, wallTime(profile));
}

describe('criticalPath', () => {
  it('sequential children are all on the path and the root has no self time', () => {
    const profile = makeProfile([
      { id: 1, name: 'agent:run', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'A', start: 0, end: 30 },
      { id: 3, parent: 1, name: 'B', start: 30, end: 70 },
      { id: 4, parent: 1, name: 'C', start: 70, end: 100 },
    ]);
    // C ends at 100 (the root's end), B at C's start 70, A at B's start 30: no gaps → no root segments.
    assert.deepEqual(pathOf(profile), [
      ['A', 0, 30],
      ['B', 30, 70],
      ['C', 70, 100],
    ]);
    // 30 + 40 + 30 = 100 ms
    assertTiles(profile);
    const first = criticalPath(profile)[0];
    assert.deepEqual([first.span, first.spanId], [1, 2]);
  });

  it('asyncio.gather: only the tool that finished last is on the path', () => {
    const profile = makeProfile([
      { id: 1, name: 'agent:run', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'plan', start: 0, end: 10 },
      { id: 3, parent: 1, name: 'tool:short', start: 10, end: 40 },
      { id: 4, parent: 1, name: 'tool:long', start: 10, end: 90 },
      { id: 5, parent: 1, name: 'tool:medium', start: 10, end: 60 },
      { id: 6, parent: 1, name: 'summarize', start: 90, end: 100 },
    ]);
    // Back from 100: summarize (90–100); at 90 the child ending last at or before 90 is tool:long
    // (10–90); at 10, tool:short (ends 40) and tool:medium (ends 60) end after 10, so plan (0–10).
    assert.deepEqual(pathOf(profile), [
      ['plan', 0, 10],
      ['tool:long', 10, 90],
      ['summarize', 90, 100],
    ]);
    assertTiles(profile);
  });

  it('gaps between children are the parent’s own time', () => {
    const profile = makeProfile([
      { id: 1, name: 'root', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'A', start: 10, end: 30 },
      { id: 3, parent: 1, name: 'B', start: 50, end: 80 },
    ]);
    // root 0–10, A 10–30, root 30–50, B 50–80, root 80–100: 10 + 20 + 20 + 30 + 20 = 100.
    assert.deepEqual(pathOf(profile), [
      ['root', 0, 10],
      ['A', 10, 30],
      ['root', 30, 50],
      ['B', 50, 80],
      ['root', 80, 100],
    ]);
    assertTiles(profile);
  });

  it('time between top-level spans belongs to the run, relative to the first start', () => {
    const profile = makeProfile(
      [
        { id: 1, name: 'X', start: 5, end: 20 },
        { id: 2, name: 'Y', start: 30, end: 50 },
        { id: 3, name: 'Z', start: 60, end: 100 },
      ],
      { times: [110] },
    );
    // Run 5–110 ms. Times are ms since minTime = 5: X 0–15, (run) 15–25, Y 25–45, (run) 45–55,
    // Z 55–95, (run) 95–105. Sum 15 + 10 + 20 + 10 + 40 + 10 = 105 = 110 − 5.
    assert.deepEqual(pathOf(profile), [
      ['X', 0, 15],
      ['(run)', 15, 25],
      ['Y', 25, 45],
      ['(run)', 45, 55],
      ['Z', 55, 95],
      ['(run)', 95, 105],
    ]);
    const run = criticalPath(profile)[1];
    assert.deepEqual([run.span, run.spanId], [-1, undefined]);
    assertTiles(profile);
  });

  it('overlapping top-level spans: the earlier-ending one only covers time before the later one starts', () => {
    const profile = makeProfile([
      { id: 1, name: 'P', start: 0, end: 50 },
      { id: 2, name: 'Q', start: 40, end: 60 },
    ]);
    // Q ends last (60): Q 40–60. At 40, P ends at 50 > 40 so it is not on the path: the run's own
    // time 0–40 (Jaeger's rule: only children ending at or before the point qualify).
    assert.deepEqual(pathOf(profile), [
      ['(run)', 0, 40],
      ['Q', 40, 60],
    ]);
    assertTiles(profile);
  });

  it('clips a child that ends after its parent, or starts before it', () => {
    const late = makeProfile([
      { id: 1, name: 'P', start: 0, end: 50 },
      { id: 2, parent: 1, name: 'C', start: 40, end: 80 },
    ]);
    // Run 0–80. P ends 50: (run) 50–80; C clipped to 40–50; P's own 0–40. 30 + 10 + 40 = 80.
    assert.deepEqual(pathOf(late), [
      ['P', 0, 40],
      ['C', 40, 50],
      ['(run)', 50, 80],
    ]);
    assertTiles(late);

    const early = makeProfile([
      { id: 1, name: 'P', start: 20, end: 60 },
      { id: 2, parent: 1, name: 'C', start: 10, end: 30 },
    ]);
    // Run 10–60 (minTime 10). C clipped to 20–30. Relative: (run) 0–10, C 10–20, P 20–50. Sum 50.
    assert.deepEqual(pathOf(early), [
      ['(run)', 0, 10],
      ['C', 10, 20],
      ['P', 20, 50],
    ]);
    assertTiles(early);
  });

  it('an unfinished span lasts until the run’s last time', () => {
    const profile = makeProfile(
      [
        { id: 1, name: 'root', start: 0 },
        { id: 2, parent: 1, name: 'A', start: 0, end: 40 },
        { id: 3, parent: 1, name: 'B', start: 50 },
      ],
      { times: [80] },
    );
    // root and B end at 80: B 50–80, root 40–50, A 0–40.
    assert.deepEqual(pathOf(profile), [
      ['A', 0, 40],
      ['root', 40, 50],
      ['B', 50, 80],
    ]);
    assertTiles(profile);
  });

  it('skips zero-length children and prefers the longer of two children ending together', () => {
    const profile = makeProfile([
      { id: 1, name: 'root', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'short', start: 60, end: 100 },
      { id: 3, parent: 1, name: 'long', start: 20, end: 100 },
      { id: 4, parent: 1, name: 'instant', start: 10, end: 10 },
    ]);
    // long and short both end at 100; long started earlier (was busy longer): long 20–100, root 0–20.
    assert.deepEqual(pathOf(profile), [
      ['root', 0, 20],
      ['long', 20, 100],
    ]);
  });

  it('is empty for an empty run or one without wall time', () => {
    assert.deepEqual(criticalPath(makeProfile([])), []);
    assert.deepEqual(criticalPath(makeProfile([{ id: 1, name: 'x', start: 3, end: 3 }])), []);
  });

  it('handles 100 000-deep nesting without recursion, covering every span', () => {
    const depth = 100_000;
    const b = new ProfileBuilder();
    // Span k: [k, 2·depth − k] ns, child of span k − 1.
    for (let k = 0; k < depth; k++) {
      b.addSpan({ id: k, parentId: k === 0 ? undefined : k - 1, name: `level:${k}`, start: k, end: 2 * depth - k }, k + 1);
    }
    const profile = b.finish();
    const p = criticalPathNs(profile);
    // Each span owns [k, k+1] on the way in and [2·depth − k − 1, 2·depth − k] on the way out;
    // the innermost owns its whole [depth − 1, depth + 1]: 2·(depth − 1) + 1 segments.
    assert.equal(p.length, 2 * depth - 1);
    assert.deepEqual([p.span[0], p.start[0], p.end[0]], [0, 0, 1]);
    assert.deepEqual([p.span[depth - 1], p.start[depth - 1], p.end[depth - 1]], [depth - 1, depth - 1, depth + 1]);
    assert.deepEqual([p.span[p.length - 1], p.end[p.length - 1]], [0, 2 * depth]);
    const seen = new Uint8Array(depth);
    for (let k = 0; k < p.length; k++) seen[p.span[k]] = 1;
    assert.equal(seen.reduce((a, x) => a + x, 0), depth);
    assertTiles(profile);
  });

  it('terminates on a parent cycle the builder did not see', () => {
    const profile = makeProfile([
      { id: 1, name: 'root', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'A', start: 10, end: 90 },
      { id: 3, parent: 2, name: 'B', start: 20, end: 80 },
      { id: 4, name: 'C', start: 40, end: 60 },
    ]);
    // Corrupt the tree by hand: root becomes B's child, closing root → A → B → root. No top-level
    // span reaches the cycle, so only C is on the path: (run) 0–40, C 40–60, (run) 60–100.
    profile.spans[0].parent = 2;
    profile.spans[2].children = [0];
    assert.deepEqual(pathOf(profile), [
      ['(run)', 0, 40],
      ['C', 40, 60],
      ['(run)', 60, 100],
    ]);
    assertTiles(profile);
  });

  it('ignores parent indices that are out of range or the span itself', () => {
    const profile = makeProfile([
      { id: 1, name: 'P', start: 0, end: 30 },
      { id: 2, name: 'Q', start: 50, end: 100 },
    ]);
    profile.spans[0].parent = 0; // itself
    profile.spans[1].parent = 7; // no such span
    // Both count as top-level: P 0–30, (run) 30–50, Q 50–100.
    assert.deepEqual(pathOf(profile), [
      ['P', 0, 30],
      ['(run)', 30, 50],
      ['Q', 50, 100],
    ]);
  });
});

/** Straightforward recursive reference of the same rule, for small random trees. */
function referencePath(profile: Profile): Array<[number, number, number]> {
  const ends = spanTable(profile).end;
  const out: Array<[number, number, number]> = [];
  const walk = (span: number, from: number, to: number, kids: number[]) => {
    let point = to;
    const clipped = kids
      .map((c) => ({ c, s: Math.max(profile.spans[c].start, from), e: Math.min(ends[c], to) }))
      .filter((k) => k.s < k.e);
    for (;;) {
      // Ending less than the clock's tolerance after the point counts as ending at it.
      const ready = clipped.filter((k) => k.e <= point + CLOCK_TOLERANCE_NS && k.s < Math.min(k.e, point));
      if (ready.length === 0) break;
      // Latest end; ties: earliest start, then lowest index — on the unclipped times, so that of
      // two children clipped to the same interval the one reaching further is chosen.
      const spans = profile.spans;
      ready.sort((x, y) => ends[y.c] - ends[x.c] || spans[x.c].start - spans[y.c].start || x.c - y.c);
      const next = ready[0];
      clipped.splice(clipped.indexOf(next), 1);
      const end = Math.min(next.e, point);
      if (point > end) out.push([span, end, point]);
      walk(next.c, next.s, end, profile.spans[next.c].children ?? []);
      point = next.s;
    }
    if (point > from) out.push([span, from, point]);
  };
  const roots = profile.spans.filter((s) => s.parent === -1).map((s) => s.index);
  if (profile.maxTime > profile.minTime) walk(-1, profile.minTime, profile.maxTime, roots);
  return out.reverse();
}

/** Random trees: each span a child of an earlier one (or top-level), times in integer ms. */
const randomTree = (containChildren: boolean, minSpans = 1, maxSpans = 50) =>
  fc
    .array(
      fc.record({
        parentPick: fc.nat(),
        a: fc.integer({ min: 0, max: 1000 }),
        b: fc.integer({ min: 0, max: 1000 }),
        open: fc.boolean(),
      }),
      { minLength: minSpans, maxLength: maxSpans, size: 'max' },
    )
    .chain((raw) => fc.tuple(fc.constant(raw), fc.boolean()))
    .map(([raw, reversed]) => {
      const specs: SpanSpec[] = [];
      const bounds: Array<[number, number]> = [];
      raw.forEach((r, i) => {
        const parent = i === 0 || r.parentPick % 4 === 0 ? undefined : r.parentPick % i;
        let start = Math.min(r.a, r.b);
        let end = Math.max(r.a, r.b);
        if (containChildren && parent !== undefined) {
          // Scale [0, 1000] into the parent's interval, in whole ms: stays inside it.
          const [ps, pe] = bounds[parent];
          start = ps + Math.floor(((pe - ps) * start) / 1000);
          end = ps + Math.floor(((pe - ps) * end) / 1000);
        }
        bounds.push([start, end]);
        const open = !containChildren && r.open;
        specs.push({ id: i, parent, name: `s${i}`, start, end: open ? undefined : end });
      });
      // Reversed order: children before parents, like OTLP files.
      return makeProfile(reversed ? specs.reverse() : specs);
    });

describe('criticalPath properties', () => {
  for (const contained of [true, false]) {
    const what = contained ? 'children within parents' : 'children spilling out, open spans';
    it(`segments are sorted, never overlap and sum exactly to the wall time (${what})`, () => {
      fc.assert(
        fc.property(randomTree(contained), (profile) => {
          assertTiles(profile);
          const p = criticalPathNs(profile);
          const ends = spanTable(profile).end;
          for (let k = 0; k < p.length; k++) {
            const span = p.span[k];
            if (span < 0) continue;
            // A span's segments lie inside the span.
            assert.ok(p.start[k] >= profile.spans[span].start && p.end[k] <= ends[span]);
          }
        }),
        { numRuns: 400 },
      );
    });

    it(`matches a recursive reference implementation (${what})`, () => {
      const matches = (profile: Profile) => {
        const p = criticalPathNs(profile);
        const expected = referencePath(profile);
        // Compared one segment at a time: a diff of two long arrays per shrink step is slow.
        assert.equal(p.length, expected.length);
        expected.forEach((segment, k) => assert.deepEqual([p.span[k], p.start[k], p.end[k]], segment, `segment ${k}`));
      };
      fc.assert(fc.property(randomTree(contained), matches), { numRuns: 400 });
      // Larger trees: long child lists (sorted by end with a comparison sort), radix ordering by start.
      fc.assert(fc.property(randomTree(contained, 1000, 3000), matches), { numRuns: 15, endOnFailure: true });
    });
  }
});
