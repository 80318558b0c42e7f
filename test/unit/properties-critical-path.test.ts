/**
 * Critical-path properties on random profiles read through the real parser (not built by hand):
 * concurrent siblings, unfinished spans, orphans, children written before their parents, parent
 * cycles, ends before starts, and usage records that extend the run. The existing properties in
 * critical-path.test.ts cover hand-built trees; these add what only the reader produces.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { analyze } from '../../src/core/analyze';
import { criticalPathNs } from '../../src/core/critical-path';
import { spanEnd, wallTime } from '../../src/core/model';
import { PriceBook } from '../../src/core/prices';
import { parseJsonl } from '../../src/ingest/jsonl';
import { randomProfile } from '../fixtures/hostile/random-profile';

const prices = new PriceBook();

describe('critical path properties (profiles read by the parser)', () => {
  it('tiles the run: ordered, contiguous, no overlap, summing exactly to the wall time; each segment inside its span', () => {
    fc.assert(
      fc.property(randomProfile(), ({ text }) => {
        const p = parseJsonl(text);
        const path = criticalPathNs(p);
        const wall = wallTime(p);
        if (wall === 0) {
          assert.equal(path.length, 0);
          return;
        }
        assert.equal(path.start[0], p.minTime);
        assert.equal(path.end[path.length - 1], p.maxTime);
        let sum = 0;
        for (let k = 0; k < path.length; k++) {
          assert.ok(path.end[k] > path.start[k], `segment ${k} is empty`);
          if (k > 0) assert.equal(path.start[k], path.end[k - 1], `gap or overlap before segment ${k}`);
          sum += path.end[k] - path.start[k];
          // Children are clipped to their parents: a segment lies inside its span and every ancestor.
          for (let index = path.span[k]; index >= 0; index = p.spans[index].parent) {
            const span = p.spans[index];
            assert.ok(path.start[k] >= span.start && path.end[k] <= spanEnd(p, span), `segment ${k} outside span ${String(span.id)}`);
          }
        }
        // Integer ns: the sum is exact.
        assert.equal(sum, wall);
      }),
      { numRuns: 400 },
    );
  });

  it('through analyze(): the segments in ms add up to the run’s wall time', () => {
    fc.assert(
      fc.property(randomProfile(), ({ text }) => {
        const a = analyze(parseJsonl(text), { prices });
        const total = a.criticalPath.reduce((s, seg) => s + (seg.endMs - seg.startMs), 0);
        assert.ok(Math.abs(total - a.run.wallMs) <= 1e-9 * Math.max(1, a.run.wallMs), `${total} vs ${a.run.wallMs}`);
      }),
      { numRuns: 150 },
    );
  });
});
