/**
 * What the waterfall shows and finds: collapsed subtrees, the category filter, a focus set with
 * its ancestors, id look-up, the name search and stepping through results.
 */
import * as assert from 'node:assert/strict';
import { StringTableBuilder, StringTableReader } from '../../src/core/string-table';
import { byDepth, type FilterInput, matchingStrings, rankOf, searchMatches, spansWithIds, stepThrough, visibleMask } from '../../src/webview/filters';

/**
 * 0 agent:run
 * ├─ 1 llm:plan
 * ├─ 2 tool:search
 * │   └─ 3 tool:http
 * └─ 4 llm:answer
 * Spans arrive out of depth order on purpose (3 before its parent would be in a live file).
 */
function tree() {
  const strings = new StringTableBuilder();
  const names = ['agent:run', 'llm:plan', 'tool:search', 'tool:http', 'llm:answer'];
  const cats = ['agent', 'llm', 'tool', 'tool', 'llm'];
  const input: FilterInput = {
    count: 5,
    parent: Int32Array.of(-1, 0, 0, 2, 0),
    depth: Int32Array.of(0, 1, 1, 2, 1),
    name: Int32Array.from(names.map((n) => strings.add(n))),
    category: Int32Array.from(cats.map((c) => strings.add(c))),
    // By start: run 0, plan 1, search 2, http 3, answer 4.
    order: Int32Array.of(0, 1, 2, 3, 4),
  };
  return { input, strings: new StringTableReader(strings.build()) };
}

const none = (n: number) => new Uint8Array(n);
const ones = (mask: Uint8Array) => [...mask].flatMap((v, i) => (v ? [i] : []));

describe('visibleMask', () => {
  const { input, strings } = tree();
  const depthOrder = byDepth(input);
  const categoryId = (name: string) => [...Array(strings.size).keys()].find((k) => strings.get(k) === name) as number;

  it('orders spans by depth', () => {
    assert.deepEqual([...depthOrder], [0, 1, 2, 4, 3]);
  });

  it('shows everything without filters', () => {
    assert.deepEqual(ones(visibleMask(input, depthOrder, { hiddenCategory: none(strings.size), collapsed: none(5), focus: undefined })), [0, 1, 2, 3, 4]);
  });

  it('hides the descendants of a collapsed span, not the span', () => {
    assert.deepEqual(ones(visibleMask(input, depthOrder, { hiddenCategory: none(strings.size), collapsed: Uint8Array.of(0, 0, 1, 0, 0), focus: undefined })), [0, 1, 2, 4]);
    // Collapsing the root hides all but the root.
    assert.deepEqual(ones(visibleMask(input, depthOrder, { hiddenCategory: none(strings.size), collapsed: Uint8Array.of(1, 0, 0, 0, 0), focus: undefined })), [0]);
  });

  it('hides unchecked categories but keeps their children', () => {
    const hidden = none(strings.size);
    hidden[categoryId('agent')] = 1;
    assert.deepEqual(ones(visibleMask(input, depthOrder, { hiddenCategory: hidden, collapsed: none(5), focus: undefined })), [1, 2, 3, 4]);
  });

  it('shows focused spans with their ancestors only', () => {
    assert.deepEqual(ones(visibleMask(input, depthOrder, { hiddenCategory: none(strings.size), collapsed: none(5), focus: Uint8Array.of(0, 0, 0, 1, 0) })), [0, 2, 3]);
  });
});

describe('spansWithIds', () => {
  const { strings } = tree();

  it('matches numeric ids, given as numbers or strings, repeated ids included', () => {
    const ids = Float64Array.of(10, 11, 12, 11, 14);
    assert.deepEqual(ones(spansWithIds(5, ids, undefined, strings, [11, '14', 'x'])), [1, 3, 4]);
  });

  it('matches text ids through the string table', () => {
    const b = new StringTableBuilder();
    const textId = Int32Array.from(['a1', 'b2', 'c3'].map((s) => b.add(s)));
    assert.deepEqual(ones(spansWithIds(3, undefined, textId, new StringTableReader(b.build()), ['c3', 'a1'])), [0, 2]);
  });
});

describe('search', () => {
  const { input, strings } = tree();

  it('matches names case-insensitively, an empty query nothing', () => {
    const matching = matchingStrings(strings, ' LLM ');
    const names = [...Array(strings.size).keys()].filter((k) => matching[k]).map((k) => strings.get(k));
    // 'llm' is in two names and in the category 'llm'.
    assert.deepEqual(names, ['llm:plan', 'llm:answer', 'llm']);
    assert.equal(ones(matchingStrings(strings, '  ')).length, 0);
  });

  it('lists visible matches in start order', () => {
    const matching = matchingStrings(strings, 'tool');
    assert.deepEqual([...searchMatches(input, Uint8Array.of(1, 1, 1, 1, 1), matching)], [2, 3]);
    assert.deepEqual([...searchMatches(input, Uint8Array.of(1, 1, 1, 0, 1), matching)], [2]);
  });
});

describe('stepThrough', () => {
  // The list holds spans 4, 1, 7 (in start order); starts by span index.
  const list = Int32Array.of(4, 1, 7);
  const rank = rankOf(list, 9);
  const start = Float64Array.of(0, 20, 0, 25, 10, 0, 0, 30, 40);

  it('steps forward and back with wrap-around', () => {
    assert.equal(stepThrough(list, rank, start, 4, 1), 1);
    assert.equal(stepThrough(list, rank, start, 7, 1), 4);
    assert.equal(stepThrough(list, rank, start, 4, -1), 7);
    assert.equal(stepThrough(list, rank, start, -1, 1), 4);
    assert.equal(stepThrough(list, rank, start, -1, -1), 7);
  });

  it('from a span not in the list, goes to the nearest item after (or before) it', () => {
    // Span 3 starts at 25: after it comes 7 (30), before it 1 (20).
    assert.equal(stepThrough(list, rank, start, 3, 1), 7);
    assert.equal(stepThrough(list, rank, start, 3, -1), 1);
    // Span 8 starts at 40, after everything: forward wraps to the first.
    assert.equal(stepThrough(list, rank, start, 8, 1), 4);
  });

  it('finds nothing in an empty list', () => {
    assert.equal(stepThrough(new Int32Array(0), rank, start, 4, 1), -1);
  });
});
