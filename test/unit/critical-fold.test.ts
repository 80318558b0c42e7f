import { strict as assert } from 'assert';
import type { CriticalSegment } from '../../src/core/analysis-types';
import { foldCriticalPath } from '../../src/core/critical-fold';

/** Segments tiling [0, Σ durations) ms, named in turn. */
function path(durations: number[], names: string[]): CriticalSegment[] {
  let t = 0;
  return durations.map((d, k) => ({ span: k, spanId: k, name: names[k % names.length], startMs: t, endMs: (t += d) }));
}

describe('foldCriticalPath', () => {
  it('keeps segments of at least 0.5 % of the path and folds each stretch of shorter ones', () => {
    // 1000 ms in all: 0.5 % is 5 ms. Kept: 400, 300, 250 (and the lone 4 ms sliver stays itself).
    const p = path([400, 1, 2, 3, 300, 4, 250, 10, ...new Array<number>(30).fill(1)], ['a', 'b', 'c']);
    const total = p[p.length - 1].endMs;
    assert.equal(total, 400 + 6 + 300 + 4 + 250 + 10 + 30);
    const f = foldCriticalPath(p, 50);
    assert.equal(f.total, p.length);
    assert.equal(f.more, 0);
    assert.deepEqual(
      f.segments.map((s) => [s.name, s.startMs, s.endMs, s.folded]),
      [
        ['a', 0, 400, 0],
        ['3 shorter segments', 400, 406, 3],
        ['b', 406, 706, 0],
        // 4 ms < 5 ms, but a stretch of one segment is shown as itself.
        ['c', 706, 710, 0],
        ['a', 710, 960, 0],
        ['b', 960, 970, 0],
        ['30 shorter segments', 970, 1000, 30],
      ],
    );
    // The stretch of 3: b 1 ms, c 2 ms, a 3 ms → by time a, c, b.
    assert.deepEqual(f.segments[1].names, [
      { name: 'a', segments: 1, ms: 3 },
      { name: 'c', segments: 1, ms: 2 },
      { name: 'b', segments: 1, ms: 1 },
    ]);
    // The stretch of 30 (indices 8..37, names by index mod 3): ten of each, 10 ms each, ties by name.
    assert.deepEqual(f.segments[6].names, [
      { name: 'a', segments: 10, ms: 10 },
      { name: 'b', segments: 10, ms: 10 },
      { name: 'c', segments: 10, ms: 10 },
    ]);
  });

  it('groups a folded stretch by the given name (a template) and stops at max entries', () => {
    const p = path(new Array(1000).fill(1), ['x']);
    const f = foldCriticalPath(p, 10, (s) => (s.spanId as number) % 2 ? 'odd' : 'even');
    assert.equal(f.segments.length, 1);
    assert.equal(f.segments[0].folded, 1000);
    assert.deepEqual(f.segments[0].names, [
      { name: 'even', segments: 500, ms: 500 },
      { name: 'odd', segments: 500, ms: 500 },
    ]);
    // Ten 10 % segments, max 4: four shown, six more.
    const wide = foldCriticalPath(path(new Array(10).fill(100), ['w']), 4);
    assert.equal(wide.segments.length, 4);
    assert.equal(wide.more, 6);
    assert.equal(foldCriticalPath([], 5).total, 0);
  });
});
