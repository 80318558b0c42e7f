/**
 * The waterfall's column builder: every column of a small hand-built run, the string table, the
 * sparse usage columns, the transfer list, and the checks a received message goes through.
 */
import * as assert from 'node:assert/strict';
import type { CriticalSegment } from '../../src/core/analysis-types';
import { StringTableBuilder, StringTableReader } from '../../src/core/string-table';
import { buildWaterfallColumns, checkWaterfallColumns, columnBuffers, KIND_CODES, SPAN_FLAGS, type WaterfallColumns } from '../../src/core/waterfall-columns';
import { makeProfile } from './helpers/profile-fixtures';

/**
 * Root 0–100 ms; llm:plan 0–30 (one LLM call); tool:search 30–70 failing; tool:fetch 40–60 in
 * parallel with it; llm:answer from 70, never closed (the run ends at 100).
 */
function sampleRun() {
  return makeProfile(
    [
      { id: 1, name: 'agent:run', start: 0, end: 100, file: 'agent.py', line: 1 },
      { id: 2, parent: 1, name: 'llm:plan', start: 0, end: 30, file: 'agent.py', line: 5 },
      { id: 3, parent: 1, name: 'tool:search', start: 30, end: 70, error: 'TimeoutError' },
      { id: 4, parent: 1, name: 'tool:fetch', start: 40, end: 60 },
      { id: 5, parent: 1, name: 'llm:answer', start: 70 },
    ],
    { times: [100], usage: [{ spanId: 2, operation: 'llm:plan', model: 'm', input: 100, output: 50 }] },
  );
}

/** The critical path of the sample, by hand: plan 0–30, search 30–70, answer 70–100. */
const CRITICAL: CriticalSegment[] = [
  { span: 1, spanId: 2, name: 'llm:plan', startMs: 0, endMs: 30 },
  { span: 2, spanId: 3, name: 'tool:search', startMs: 30, endMs: 70 },
  { span: 4, spanId: 5, name: 'llm:answer', startMs: 70, endMs: 100 },
];

const names = (c: WaterfallColumns, column: Int32Array) => {
  const strings = new StringTableReader(c.strings);
  return [...column].map((k) => strings.get(k));
};

describe('buildWaterfallColumns', () => {
  const c = buildWaterfallColumns(sampleRun(), CRITICAL, Float64Array.of(0.25));

  it('gives times in ms since the first start, open spans ending at the run end', () => {
    assert.equal(c.count, 5);
    assert.equal(c.wallMs, 100);
    assert.deepEqual([...c.start], [0, 0, 30, 40, 70]);
    assert.deepEqual([...c.end], [100, 30, 70, 60, 100]);
  });

  it('gives depth, parent and the start order (ties by index)', () => {
    assert.deepEqual([...c.depth], [0, 1, 1, 1, 1]);
    assert.deepEqual([...c.parent], [-1, 0, 0, 0, 0]);
    assert.deepEqual([...c.order], [0, 1, 2, 3, 4]);
  });

  it('codes kinds and flags', () => {
    assert.deepEqual(
      [...c.kind].map((k) => KIND_CODES[k]),
      ['agent', 'llm', 'tool', 'tool', 'llm'],
    );
    const { critical, error, open, site } = SPAN_FLAGS;
    // Root: call site only (its time is all covered by children, so no critical segment).
    assert.deepEqual([...c.flags], [site, critical | site, critical | error, 0, critical | open]);
  });

  it('puts names and categories in one table of distinct strings', () => {
    assert.deepEqual(names(c, c.name), ['agent:run', 'llm:plan', 'tool:search', 'tool:fetch', 'llm:answer']);
    assert.deepEqual(names(c, c.category), ['agent', 'llm', 'tool', 'tool', 'llm']);
    // 5 names + 3 categories.
    assert.equal(c.strings.offsets.length - 1, 8);
  });

  it('computes self times: the duration minus the union of the children', () => {
    // Root: 100 − |[0,30] ∪ [30,70] ∪ [40,60] ∪ [70,100]| = 100 − 100 = 0; leaves keep their duration.
    assert.deepEqual([...c.selfMs], [0, 30, 40, 20, 30]);
  });

  it('keeps numeric ids as numbers and usage sparse', () => {
    assert.deepEqual([...(c.numericId ?? [])], [1, 2, 3, 4, 5]);
    assert.equal(c.textId, undefined);
    assert.deepEqual([...c.usage.span], [1]);
    // 100 input + 50 output tokens; the cost passed in for usage record 0.
    assert.deepEqual([...c.usage.tokens], [150]);
    assert.deepEqual([...c.usage.costUsd], [0.25]);
  });

  it('lists every buffer once for the transfer', () => {
    const buffers = columnBuffers(c);
    // 15 typed arrays of their own plus numericId.
    assert.equal(buffers.length, 16);
    assert.equal(new Set(buffers).size, 16);
  });

  it('keeps string ids in the string table', () => {
    const s = buildWaterfallColumns(makeProfile([{ id: 'a', name: 'x', start: 0, end: 1 }, { id: 'b', parent: 'a', name: 'x', start: 0, end: 1 }]), []);
    assert.equal(s.numericId, undefined);
    assert.deepEqual(names(s, s.textId as Int32Array), ['a', 'b']);
    assert.deepEqual([...s.depth], [0, 1]);
  });

  it('handles an empty run', () => {
    const e = buildWaterfallColumns(makeProfile([]), []);
    assert.equal(e.count, 0);
    assert.equal(e.wallMs, 0);
    assert.equal(checkWaterfallColumns(e), undefined);
  });
});

describe('checkWaterfallColumns', () => {
  const fresh = () => buildWaterfallColumns(sampleRun(), CRITICAL);

  it('accepts what the builder makes', () => {
    assert.equal(checkWaterfallColumns(fresh()), undefined);
  });

  it('rejects damaged columns', () => {
    const cases: Array<[string, (c: WaterfallColumns) => void]> = [
      ['bad column start', (c) => (c.start = new Float64Array(4))],
      ['bad column kind', (c) => ((c as { kind: unknown }).kind = [0, 0, 0, 0, 0])],
      ['bad parent', (c) => (c.parent[2] = 7)],
      ['bad parent', (c) => (c.parent[2] = 3)],
      ['order is not a permutation', (c) => (c.order[1] = 0)],
      ['order is not by start', (c) => c.order.set([4, 3, 2, 1, 0])],
      ['bad string index', (c) => (c.name[0] = 99)],
      ['bad kind', (c) => (c.kind[0] = 6)],
      ['bad interval', (c) => (c.end[1] = -1)],
      ['bad usage span', (c) => (c.usage = { span: Int32Array.of(9), tokens: Float64Array.of(1), costUsd: Float64Array.of(0) })],
      ['need exactly one of numericId and textId', (c) => (c.numericId = undefined)],
    ];
    for (const [problem, damage] of cases) {
      const c = fresh();
      damage(c);
      assert.equal(checkWaterfallColumns(c), problem);
    }
    assert.equal(checkWaterfallColumns(null), 'not an object');
  });
});

describe('string table', () => {
  it('round-trips UTF-8 and reads out-of-range indices as empty', () => {
    const b = new StringTableBuilder();
    assert.equal(b.add('llm:plan'), 0);
    assert.equal(b.add('résumé ✓'), 1);
    assert.equal(b.add('llm:plan'), 0);
    const table = b.build();
    // 'llm:plan' is 8 bytes; 'résumé ✓' is 6 letters (2 of 2 bytes) + space + ✓ (3 bytes) = 12 bytes.
    assert.deepEqual([...table.offsets], [0, 8, 20]);
    const r = new StringTableReader(table);
    assert.equal(r.get(1), 'résumé ✓');
    assert.equal(r.get(2), '');
    assert.equal(r.get(-1), '');
  });
});
