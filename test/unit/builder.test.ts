import { strict as assert } from 'assert';
import { ProfileBuilder, SpanStart } from '../../src/core/builder';
import type { Profile } from '../../src/core/model';

/** A span start with only the fields these tests care about. */
function start(id: number | string, parentId: number | string | undefined, at: number, name = 'tool:x'): SpanStart {
  return { id, parentId, name, start: at };
}

function messages(p: Profile): string[] {
  return p.diagnostics.map((d) => `${d.line} ${d.severity} ${d.message}`);
}

describe('ProfileBuilder', () => {
  it('links a child that arrives after its parent', () => {
    const b = new ProfileBuilder();
    b.openSpan(start(1, undefined, 0, 'agent:run'), 1);
    b.openSpan(start(2, 1, 10, 'llm:plan'), 2);
    b.closeSpan(2, 30, 3);
    b.closeSpan(1, 50, 4);
    const p = b.finish();
    assert.deepEqual(
      p.spans.map((s) => [s.id, s.parent, s.children, s.start, s.end, s.orphan]),
      [
        [1, -1, [1], 0, 50, false],
        [2, 0, undefined, 10, 30, false],
      ],
    );
    assert.equal(p.spans[1].category, 'llm');
    assert.equal(p.spans[1].kind, 'llm');
    assert.deepEqual(p.diagnostics, []);
    // minTime = smallest start (0), maxTime = latest end (50).
    assert.equal(p.minTime, 0);
    assert.equal(p.maxTime, 50);
  });

  it('adopts children that arrive before their parent (OTLP order)', () => {
    const b = new ProfileBuilder();
    b.addSpan({ ...start('c1', 'root', 5), end: 7 }, 1);
    b.addSpan({ ...start('c2', 'root', 6), end: 9 }, 2);
    b.addSpan({ ...start('root', undefined, 0), end: 10 }, 3);
    const p = b.finish();
    // root is index 2; its children are the early spans 0 and 1, in arrival order.
    assert.deepEqual(p.spans[2].children, [0, 1]);
    assert.equal(p.spans[0].parent, 2);
    assert.equal(p.spans[1].parent, 2);
    assert.ok(p.spans.every((s) => !s.orphan));
    assert.deepEqual(p.diagnostics, []);
  });

  it('flags orphans only at finish, once, and keeps them at the top level', () => {
    const b = new ProfileBuilder();
    b.openSpan(start(1, 99, 0), 7);
    assert.equal(b.profile.spans[0].orphan, false, 'the parent may still come');
    b.finish();
    const p = b.finish(); // a second finish (live view refresh) adds nothing
    assert.equal(p.spans[0].orphan, true);
    assert.equal(p.spans[0].parent, -1);
    assert.deepEqual(messages(p), ['7 warning span 1 names parent 99, which is not in the file; shown at the top level']);
  });

  it('cuts a parent cycle A→B→A', () => {
    const b = new ProfileBuilder();
    b.openSpan(start('A', 'B', 0), 1); // waits for B
    b.openSpan(start('B', 'A', 1), 2); // A is known: B becomes A's child; then A's wait for B would close the cycle
    const p = b.finish();
    const [a, bSpan] = p.spans;
    assert.equal(bSpan.parent, 0);
    assert.deepEqual(a.children, [1]);
    assert.equal(a.parent, -1);
    assert.equal(a.orphan, true);
    assert.deepEqual(messages(p), ['1 warning parent cycle through span A; the cycle is cut and the span shown at the top level']);
  });

  it('cuts a longer cycle A→C→B→A', () => {
    const b = new ProfileBuilder();
    b.openSpan(start('A', 'C', 0), 1);
    b.openSpan(start('B', 'A', 1), 2);
    b.openSpan(start('C', 'B', 2), 3);
    const p = b.finish();
    // B under A, C under B; A's link to C is cut.
    assert.deepEqual(
      p.spans.map((s) => [s.id, s.parent, s.orphan]),
      [
        ['A', -1, true],
        ['B', 0, false],
        ['C', 1, false],
      ],
    );
    assert.equal(p.diagnostics.length, 1);
  });

  it('shows a self-parent at the top level with a warning', () => {
    const b = new ProfileBuilder();
    b.openSpan(start(5, 5, 0), 3);
    const p = b.finish();
    assert.equal(p.spans[0].parent, -1);
    assert.equal(p.spans[0].orphan, true);
    assert.deepEqual(messages(p), ['3 warning span 5 names itself as parent; shown at the top level']);
  });

  it('keeps a duplicate id as a separate span; ends and children bind to the latest', () => {
    const b = new ProfileBuilder();
    b.openSpan(start(1, undefined, 0), 1);
    b.openSpan(start(1, undefined, 10), 2);
    b.openSpan(start(2, 1, 11), 3);
    b.closeSpan(1, 20, 4);
    const p = b.finish();
    assert.equal(p.spans.length, 3);
    assert.ok(Number.isNaN(p.spans[0].end), 'the first span 1 stays open');
    assert.equal(p.spans[1].end, 20);
    assert.equal(p.spans[2].parent, 1);
    assert.deepEqual(messages(p), ['2 warning duplicate span id 1 (first at line 1); kept as a separate span']);
  });

  it('clamps an end before its start to zero duration', () => {
    const b = new ProfileBuilder();
    b.openSpan(start(1, undefined, 100), 1);
    b.closeSpan(1, 40, 2);
    const p = b.finish();
    assert.equal(p.spans[0].end, 100);
    assert.deepEqual(messages(p), ['2 warning span 1 ends before it starts; duration set to 0']);
  });

  it('reports the end of an unknown span and a second end', () => {
    const b = new ProfileBuilder();
    assert.equal(b.closeSpan(42, 10, 1), -1);
    b.openSpan(start(1, undefined, 0), 2);
    b.closeSpan(1, 5, 3);
    b.closeSpan(1, 9, 4);
    const p = b.finish();
    assert.equal(p.spans[0].end, 5);
    assert.deepEqual(messages(p), [
      '1 warning end of unknown span 42; ignored',
      '4 warning span 1 ended twice (first end kept)',
    ]);
  });

  it('records an error and merges end attributes into the start attributes', () => {
    const b = new ProfileBuilder();
    const attrs: Record<string, unknown> = Object.create(null);
    attrs.tool = 'web_search';
    b.openSpan({ ...start(1, undefined, 0), attrs }, 1);
    const endAttrs: Record<string, unknown> = Object.create(null);
    endAttrs.results = 3;
    b.closeSpan(1, 8, 2, 'TimeoutError: slow', endAttrs);
    const s = b.finish().spans[0];
    assert.equal(s.status, 'error');
    assert.equal(s.error, 'TimeoutError: slow');
    assert.deepEqual({ ...s.attrs }, { tool: 'web_search', results: 3 });
  });

  it('binds usage to a span and inherits its name and call site', () => {
    const b = new ProfileBuilder();
    b.openSpan({ ...start(3, undefined, 0, 'llm:plan'), file: 'a.py', line: 7 }, 1);
    b.addUsage({ spanId: 3, model: 'gpt-4o', input: 100, output: 20, time: 50 }, 2);
    b.addUsage({ model: 'gpt-4o', input: 1, output: 1 }, 3);
    const p = b.finish();
    assert.deepEqual(
      p.usage.map((u) => [u.span, u.operation, u.file, u.line, u.input, u.output, u.cacheRead]),
      [
        [0, 'llm:plan', 'a.py', 7, 100, 20, 0],
        [-1, 'unknown', undefined, undefined, 1, 1, 0],
      ],
    );
    assert.equal(p.maxTime, 50);
  });

  it('keeps minTime tracking real times after finish() on an empty run (live view)', () => {
    const b = new ProfileBuilder();
    assert.equal(b.finish().minTime, 0); // nothing seen: shown as 0
    b.openSpan(start(1, undefined, 500), 1);
    b.closeSpan(1, 900, 2);
    // The only times seen are 500 and 900: the earliest is 500, not the 0 shown while empty.
    assert.equal(b.finish().minTime, 500);
    assert.equal(b.profile.maxTime, 900);
  });

  it('derives the kind from the category, memoised per builder', () => {
    const b = new ProfileBuilder();
    b.openSpan(start(1, undefined, 0, 'retrieval:embed'), 1);
    b.openSpan(start(2, undefined, 0, 'retrieval:search'), 2);
    b.openSpan({ ...start(3, undefined, 0, 'retrieval:x'), kind: 'tool' }, 3);
    b.openSpan(start(4, undefined, 0, 'Memory:get'), 4);
    assert.deepEqual(
      b.finish().spans.map((s) => [s.category, s.kind]),
      [
        ['retrieval', 'retrieval'],
        ['retrieval', 'retrieval'],
        ['retrieval', 'tool'],
        ['Memory', 'memory'],
      ],
    );
  });

  it('handles a 100 000-deep chain without recursion, including a late root', () => {
    const depth = 100_000;
    const b = new ProfileBuilder();
    // Children first (OTLP order): span i names parent i-1; span 0 arrives last. Adopting it walks
    // up from the root (no ancestors), so the cycle check costs nothing here.
    for (let i = depth - 1; i >= 1; i--) b.addSpan({ ...start(i, i - 1, i), end: 2 * depth - i }, depth - i);
    b.addSpan({ ...start(0, undefined, 0), end: 2 * depth }, depth);
    const p = b.finish();
    assert.equal(p.spans.length, depth);
    assert.deepEqual(p.diagnostics, []);
    // Walk down from the root: every span has exactly one child except the deepest.
    let index = p.spans.length - 1;
    let levels = 1;
    while (p.spans[index].children) {
      assert.equal(p.spans[index].children!.length, 1);
      index = p.spans[index].children![0];
      levels++;
    }
    assert.equal(levels, depth);
  });
  it('openSpanWith fills the same span as openSpan with the same fields', () => {
    const attrs = { step: 3 };
    const a = new ProfileBuilder();
    a.openSpan(
      { id: 7, parentId: undefined, name: 'llm:plan', start: 5, category: 'think', kind: 'tool', file: 'a.py', line: 9, thread: 'T', task: 'K', key: 'h1', attrs },
      4,
    );
    const b = new ProfileBuilder();
    b.openSpanWith(7, undefined, 'llm:plan', 5, 'think', 'tool', 'a.py', 9, 'T', 'K', 'h1', attrs, 4);
    // Explicit category and kind win over the name's 'llm' prefix; end stays NaN (open span).
    const expected = {
      index: 0, id: 7, parentId: undefined, parent: -1, children: undefined, name: 'llm:plan', instance: undefined, category: 'think',
      kind: 'tool', start: 5, end: NaN, status: 'ok', error: undefined, file: 'a.py', line: 9, thread: 'T', task: 'K',
      key: 'h1', attrs, sourceLine: 4, orphan: false,
    };
    assert.deepEqual({ ...a.profile.spans[0] }, expected);
    assert.deepEqual({ ...b.profile.spans[0] }, expected);
    // Without a category, both derive it from the name: 'llm:plan' -> category 'llm', kind 'llm'.
    b.openSpanWith(8, 7, 'llm:plan', 6, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 5);
    assert.equal(b.profile.spans[1].category, 'llm');
    assert.equal(b.profile.spans[1].kind, 'llm');
    assert.equal(b.profile.spans[1].parent, 0);
    assert.deepEqual(b.profile.spans[0].children, [1]);
  });
});
