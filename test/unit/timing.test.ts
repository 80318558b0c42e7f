import { strict as assert } from 'assert';
import fc from 'fast-check';
import type { TimingStats } from '../../src/core/analysis-types';
import { wallTime } from '../../src/core/model';
import { percentile, percentilesInPlace } from '../../src/core/percentiles';
import { computeTiming, selfTimes } from '../../src/core/timing';
import { spanTable } from '../../src/core/tree-order';
import { makeProfile } from './helpers/profile-fixtures';

const close = (actual: number, expected: number, what = '') =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what} expected ${expected}, got ${actual}`);

function find<T extends object, K extends keyof T>(list: T[], key: K, value: T[K]): T {
  const hit = list.find((t) => t[key] === value);
  assert.ok(hit, `no ${String(key)} = ${String(value)} in ${list.map((t) => String(t[key])).join(', ')}`);
  return hit;
}

describe('percentile', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('interpolates linearly between closest ranks (rank = p/100 × (n − 1))', () => {
    // [1,2,3,4]: rank 0.5 × 3 = 1.5 → halfway between 2 and 3.
    assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
    // 1..100: p50 rank 49.5 → 50 + 0.5 × 1 = 50.5
    close(percentile(oneToHundred, 50), 50.5);
    // p95 rank 0.95 × 99 = 94.05 → 95 + 0.05 = 95.05
    close(percentile(oneToHundred, 95), 95.05);
    // p99 rank 0.99 × 99 = 98.01 → 99 + 0.01 = 99.01
    close(percentile(oneToHundred, 99), 99.01);
  });

  it('gives min and max at the ends, clamps p, and 0 for no samples', () => {
    const xs = Float64Array.from([3, 7, 20]);
    assert.equal(percentile(xs, 0), 3);
    assert.equal(percentile(xs, 100), 20);
    assert.equal(percentile(xs, -5), 3);
    assert.equal(percentile(xs, 250), 20);
    // rank 0.25 × 2 = 0.5 → 3 + 0.5 × (7 − 3) = 5
    assert.equal(percentile(xs, 25), 5);
    assert.equal(percentile([42], 95), 42);
    assert.equal(percentile([], 50), 0);
    assert.equal(percentile(new Float64Array(0), 99), 0);
  });
});

describe('percentilesInPlace', () => {
  it('selects the same values as percentile() of the sorted samples', () => {
    // 1..100 shuffled: p50 50.5, p95 95.05, p99 99.01 (see above); p0 1, p100 100.
    const shuffled = Float64Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    const [p50, p95, p99, p0, p100] = percentilesInPlace(shuffled, [50, 95, 99, 0, 100]);
    close(p50, 50.5);
    close(p95, 95.05);
    close(p99, 99.01);
    assert.deepEqual([p0, p100], [1, 100]);
    assert.deepEqual(percentilesInPlace(new Float64Array(0), [50]), [0]);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (samples, ps) => {
          const sorted = Float64Array.from(samples).sort();
          const got = percentilesInPlace(Float64Array.from(samples), ps);
          ps.forEach((p, k) => close(got[k], percentile(sorted, p), `p${p}`));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('computeTiming', () => {
  it('sequential run: totals, self time and share per category', () => {
    const profile = makeProfile([
      { id: 1, name: 'agent:run', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'llm:plan', start: 0, end: 30 },
      { id: 3, parent: 1, name: 'tool:search', start: 30, end: 70 },
      { id: 4, parent: 1, name: 'llm:answer', start: 70, end: 100 },
    ]);
    const t = computeTiming(profile);
    // Sorted by total: agent 100, llm 30 + 30 = 60, tool 40.
    assert.deepEqual(
      t.byCategory.map((c) => [c.category, c.totalMs]),
      [
        ['agent', 100],
        ['llm', 60],
        ['tool', 40],
      ],
    );
    const agent = find(t.byCategory, 'category', 'agent');
    // The children cover 0–100 entirely: self = 100 − 100 = 0.
    assert.equal(agent.selfMs, 0);
    assert.equal(agent.shareOfRun, 1);
    const llm: TimingStats = find(t.byCategory, 'category', 'llm');
    assert.deepEqual(
      [llm.count, llm.selfMs, llm.avgMs, llm.minMs, llm.maxMs, llm.p50Ms, llm.p99Ms],
      [2, 60, 30, 30, 30, 30, 30],
    );
    // llm covers 0–30 and 70–100: 60 of 100 ms.
    close(llm.shareOfRun, 0.6);
    const names = t.byName.map((n) => n.name);
    assert.deepEqual(names, ['agent:run', 'tool:search', 'llm:answer', 'llm:plan']); // 100, 40, then 30/30 by name
    const plan = find(t.byName, 'name', 'llm:plan');
    assert.equal(plan.category, 'llm');
    assert.equal(plan.kind, 'llm');
  });

  it('asyncio.gather run: concurrent children are not double-subtracted or double-counted in share', () => {
    const profile = makeProfile([
      { id: 1, name: 'agent:run', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'llm:plan', start: 0, end: 10 },
      { id: 3, parent: 1, name: 'tool:fetch', start: 10, end: 40 },
      { id: 4, parent: 1, name: 'tool:fetch', start: 10, end: 90 },
      { id: 5, parent: 1, name: 'tool:fetch', start: 10, end: 60 },
      { id: 6, parent: 1, name: 'llm:summarize', start: 90, end: 100 },
    ]);
    const t = computeTiming(profile);
    // Children union: 0–10 ∪ 10–90 ∪ 90–100 = 0–100 → root self 0 (the sum, 180, would give −80).
    assert.equal(find(t.byCategory, 'category', 'agent').selfMs, 0);
    const tool = find(t.byName, 'name', 'tool:fetch');
    // Durations 30, 80, 50 → sorted [30, 50, 80].
    assert.equal(tool.count, 3);
    assert.equal(tool.totalMs, 160);
    close(tool.avgMs, 160 / 3);
    assert.equal(tool.minMs, 30);
    assert.equal(tool.maxMs, 80);
    assert.equal(tool.p50Ms, 50); // rank 1
    close(tool.p95Ms, 77); // rank 1.9 → 50 + 0.9 × 30
    close(tool.p99Ms, 79.4); // rank 1.98 → 50 + 0.98 × 30
    // Union of 10–40, 10–90, 10–60 is 10–90 = 80 ms of 100, not 160/100.
    close(tool.shareOfRun, 0.8);
  });

  it('self time subtracts the union of overlapping children, never below 0', () => {
    const profile = makeProfile([
      { id: 'p', name: 'agent:step', start: 0, end: 100 },
      { id: 'a', parent: 'p', name: 'tool:a', start: 10, end: 40 },
      { id: 'b', parent: 'p', name: 'tool:b', start: 20, end: 60 },
      { id: 'c', parent: 'p', name: 'tool:c', start: 80, end: 90 },
    ]);
    // Union: 10–60 (50) + 80–90 (10) = 60 → self 100 − 60 = 40 (a sum of 30 + 40 + 10 = 80 would give 20).
    assert.equal(find(computeTiming(profile).byName, 'name', 'agent:step').selfMs, 40);
  });

  it('nested repeats of one name: counts and self times per name', () => {
    const profile = makeProfile([
      { id: 1, name: 'step', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'step', start: 10, end: 60 },
      { id: 3, parent: 2, name: 'step', start: 20, end: 30 },
      { id: 4, parent: 1, name: 'llm:call', start: 70, end: 80 },
    ]);
    const step = find(computeTiming(profile).byName, 'name', 'step');
    assert.equal(step.count, 3);
    // Durations 100 + 50 + 10 = 160.
    assert.equal(step.totalMs, 160);
    // Self: outer 100 − (step 10–60 + llm:call 70–80 = 60) = 40; middle 50 − 10 = 40; inner 10 → 90.
    assert.equal(step.selfMs, 90);
    // Union of the three is the outer one: 100 of 100.
    assert.equal(step.shareOfRun, 1);
    // Category of a name without ':' is the whole name.
    assert.equal(find(computeTiming(profile).byCategory, 'category', 'step').count, 3);
  });

  it('unfinished spans last until the run’s last time and are counted', () => {
    const profile = makeProfile(
      [
        { id: 1, name: 'agent:run', start: 0 },
        { id: 2, parent: 1, name: 'llm:plan', start: 0, end: 40 },
        { id: 3, parent: 1, name: 'tool:slow', start: 50 },
      ],
      { times: [80] },
    );
    const t = computeTiming(profile);
    const agent = find(t.byCategory, 'category', 'agent');
    // Open root ends at maxTime 80: duration 80; self 80 − (40 + 30) = 10.
    assert.deepEqual([agent.totalMs, agent.selfMs, agent.unfinished], [80, 10, 1]);
    const tool = find(t.byCategory, 'category', 'tool');
    // 80 − 50 = 30 ms, still open.
    assert.deepEqual([tool.totalMs, tool.unfinished], [30, 1]);
    assert.equal(find(t.byCategory, 'category', 'llm').unfinished, 0);
  });

  it('counts errors per group', () => {
    const profile = makeProfile([
      { id: 1, name: 'tool:search', start: 0, end: 10, error: 'TimeoutError: slow' },
      { id: 2, name: 'tool:search', start: 10, end: 20 },
      { id: 3, name: 'tool:fetch', start: 20, end: 30, error: 'HTTPError: 500' },
      { id: 4, name: 'llm:call', start: 30, end: 40 },
    ]);
    const t = computeTiming(profile);
    assert.equal(find(t.byCategory, 'category', 'tool').errors, 2);
    assert.equal(find(t.byCategory, 'category', 'llm').errors, 0);
    assert.equal(find(t.byName, 'name', 'tool:search').errors, 1);
  });

  it('a child running past its parent is clipped for the parent’s self time only', () => {
    const profile = makeProfile([
      { id: 1, name: 'agent:step', start: 0, end: 50 },
      { id: 2, parent: 1, name: 'tool:late', start: 40, end: 80 },
    ]);
    const t = computeTiming(profile);
    // Child clipped to 40–50: self 50 − 10 = 40. The child keeps its own 40 ms duration.
    assert.equal(find(t.byName, 'name', 'agent:step').selfMs, 40);
    assert.equal(find(t.byName, 'name', 'tool:late').totalMs, 40);
  });

  it('groups by call site, leaving out spans without a file', () => {
    const profile = makeProfile([
      { id: 1, name: 'agent:run', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'tool:search', start: 0, end: 20, file: 'agent.py', line: 42 },
      { id: 3, parent: 1, name: 'tool:fetch', start: 30, end: 60, file: 'agent.py', line: 42 },
      { id: 4, parent: 1, name: 'tool:search', start: 20, end: 25, file: 'agent.py', line: 42 },
      { id: 5, parent: 1, name: 'llm:call', start: 60, end: 100, file: 'llm.py', line: 7 },
    ]);
    const sites = computeTiming(profile).bySite;
    // agent.py:42 total 20 + 30 + 5 = 55, llm.py:7 total 40; agent:run has no file.
    assert.deepEqual(
      sites.map((s) => [s.file, s.line, s.totalMs]),
      [
        ['agent.py', 42, 55],
        ['llm.py', 7, 40],
      ],
    );
    const site = sites[0];
    assert.equal(site.count, 3);
    assert.deepEqual(site.names, ['tool:search', 'tool:fetch']);
    // Span indices in start order: id 2 (0 ms) = index 1, id 4 (20 ms) = index 3, id 3 (30 ms) = index 2.
    assert.deepEqual(site.spans, [1, 3, 2]);
    assert.equal(site.kind, 'tool');
    assert.deepEqual([site.costUsd, site.tokens], [0, 0]);
    // Union 0–25 ∪ 30–60 = 55 of 100.
    close(site.shareOfRun, 0.55);
  });

  it('share of run is 0 when the run has no wall time, and nothing at all for an empty profile', () => {
    const instant = makeProfile([{ id: 1, name: 'llm:cached', start: 5, end: 5 }]);
    assert.equal(wallTime(instant), 0);
    const t = computeTiming(instant);
    assert.deepEqual([t.byCategory[0].totalMs, t.byCategory[0].shareOfRun], [0, 0]);
    assert.deepEqual(computeTiming(makeProfile([])), { byCategory: [], byName: [], bySite: [] });
  });

  it('self times match a brute-force union on random trees (children may spill out of parents)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 300 })), {
          minLength: 1,
          maxLength: 40,
          size: 'max',
        }),
        (raw) => {
          // Span i: parent = one of the earlier spans or none, start s, end s + d (ms, integers).
          const specs = raw.map(([p, s, d], i) => ({
            id: i,
            parent: i === 0 || p % (i + 1) === i ? undefined : p % i,
            name: `n${p % 3}`,
            start: s,
            end: s + d,
          }));
          const profile = makeProfile(specs);
          const ends = spanTable(profile).end;
          const self = selfTimes(profile);
          for (const span of profile.spans) {
            const clipped = (span.children ?? [])
              .map((c) => [Math.max(profile.spans[c].start, span.start), Math.min(ends[c], ends[span.index])])
              .filter(([a, b]) => a < b)
              .sort((x, y) => x[0] - y[0]);
            let covered = 0;
            let runEnd = -Infinity;
            for (const [a, b] of clipped) {
              const from = Math.max(a, runEnd);
              if (b > from) covered += b - from;
              runEnd = Math.max(runEnd, b);
            }
            assert.equal(self[span.index], Math.max(0, ends[span.index] - span.start - covered));
          }
          for (const g of computeTiming(profile).byName) assert.ok(g.shareOfRun >= 0 && g.shareOfRun <= 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
