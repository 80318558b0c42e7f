/**
 * The data structures added for speed (docs/benchmarks.md) give the same answers as the plain
 * ones they replaced: the dense span-id index, shared strings, group pricing from per-tier token
 * sums, the repeated-call grouping and the span table shared within one analysis.
 */
import { strict as assert } from 'assert';
import { analyze } from '../../src/core/analyze';
import { ProfileBuilder } from '../../src/core/builder';
import { IdIndex } from '../../src/core/id-index';
import { PriceBook, PricedTokens } from '../../src/core/prices';
import { repeatsByKeyPair } from '../../src/core/repeat-groups';
import { SharedStrings } from '../../src/core/shared-strings';
import { orderBy, shareSpanTables, spanTable } from '../../src/core/tree-order';

const AT = new Date('2026-11-01T12:00:00Z');
const tokens = (input: number, output: number): PricedTokens => ({ input, output, cacheRead: 0, cacheWrite: 0 });
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) <= 1e-12 + 1e-9 * Math.abs(expected), `${actual} != ${expected}`);

describe('IdIndex', () => {
  it('keeps the latest index per id, numbers and strings apart', () => {
    const ids = new IdIndex();
    ids.set(1, 0);
    ids.set('1', 1);
    ids.set(7, 2);
    ids.set(1, 3); // a repeated id: the latest span wins
    assert.equal(ids.get(1), 3);
    assert.equal(ids.get('1'), 1);
    assert.equal(ids.get(7), 2);
    assert.equal(ids.get(2), undefined);
    assert.equal(ids.get('7'), undefined);
    assert.equal(ids.get(1.5), undefined);
  });

  it('keeps huge, negative and fractional ids, and one id before and after the dense array reaches it', () => {
    const ids = new IdIndex();
    ids.set(2 ** 40, 0); // far past the dense limit: kept in the map
    ids.set(-3, 1);
    ids.set(0.5, 2);
    ids.set(100_000, 3); // past the first limit of 65 536 slots: in the map
    for (let k = 0; k < 40_000; k++) ids.set(k, 10 + k); // 40 000 ids: the limit grows to 160 000 slots
    assert.equal(ids.get(100_000), 3); // still found, now looked up past the dense slots' end
    ids.set(100_000, 99); // now dense
    assert.equal(ids.get(100_000), 99);
    assert.equal(ids.get(2 ** 40), 0);
    assert.equal(ids.get(-3), 1);
    assert.equal(ids.get(0.5), 2);
    assert.equal(ids.get(39_999), 10 + 39_999);
  });
});

describe('SharedStrings', () => {
  it('derives category and kind once per name, as categoryOf and kindOfName do', () => {
    const shared = new SharedStrings();
    const a = shared.nameFacts('llm:planning');
    // A second, equal string gets the same facts object.
    assert.equal(shared.nameFacts(['llm', 'planning'].join(':')), a);
    assert.deepEqual({ ...a }, { name: 'llm:planning', instance: undefined, category: 'llm', kind: 'llm' });
    // A name with a number: its template (name-templates.ts) and category of the template, the name as written kept.
    assert.deepEqual({ ...shared.nameFacts('step_3:tool_call') }, { name: 'step_{n}:tool_call', instance: 'step_3:tool_call', category: 'step_{n}', kind: 'other' });
    assert.equal(shared.intern(undefined), undefined);
    assert.equal(shared.intern('agent.py'), 'agent.py');
  });

  it('leaves the model unchanged: spans and usage read the strings they were given', () => {
    const b = new ProfileBuilder();
    b.openSpan({ id: 1, name: 'tool:web_search', start: 0, file: 'src/agent/tools.py', line: 4, thread: 'MainThread', task: 'Task-2' }, 1);
    b.addUsage({ spanId: 1, operation: 'llm:answer', model: 'claude-haiku-4-5', provider: 'anthropic', input: 10, output: 2, file: 'src/agent/tools.py', line: 5 }, 2);
    const p = b.finish();
    const s = p.spans[0];
    assert.deepEqual([s.name, s.category, s.kind, s.file, s.thread, s.task], ['tool:web_search', 'tool', 'tool', 'src/agent/tools.py', 'MainThread', 'Task-2']);
    const u = p.usage[0];
    assert.deepEqual([u.operation, u.model, u.provider, u.file], ['llm:answer', 'claude-haiku-4-5', 'anthropic', 'src/agent/tools.py']);
  });
});

describe('group pricing from per-tier token sums', () => {
  const book = new PriceBook({ at: AT });

  it('prices 20 calls like 20 single calls', () => {
    const calls = Array.from({ length: 20 }, () => tokens(10_000, 1_000));
    const mini = book.cheaperAlternatives('gpt-4o', 'openai', calls).find((a) => a.model === 'gpt-4o-mini');
    // gpt-4o-mini: 10 000 × 0.15 + 1 000 × 0.60 = 2 100 µ$ a call; × 20 = 0.042 $.
    close(mini!.costUsd, 0.042);
  });

  it('keeps long-context tiers per call in a large group', () => {
    // 20 calls of 150 000 input stay in claude-sonnet-4-5's base tier each; on claude-haiku-4-5
    // (input 1 $/M) they cost 20 × 150 000 × 1 µ$ = 3.00 $.
    const calls = Array.from({ length: 20 }, () => tokens(150_000, 0));
    const haiku = book.cheaperAlternatives('claude-sonnet-4-5', 'anthropic', calls).find((a) => a.model === 'claude-haiku-4-5');
    close(haiku!.costUsd, 3);
  });

  it('gives every alternative the sum of its calls priced one by one, across tiers', () => {
    // Calls on both sides of the 200 000-token tier start, with cache reads and writes.
    const calls: PricedTokens[] = [];
    for (let k = 0; k < 30; k++) {
      const input = k % 3 === 0 ? 250_000 + 1000 * k : 20_000 + 500 * k;
      calls.push({ input, output: 300 + 10 * k, cacheRead: k % 2 ? Math.floor(input / 4) : 0, cacheWrite: k % 5 === 0 ? 1000 : 0 });
    }
    const alternatives = book.cheaperAlternatives('claude-sonnet-4-5', 'anthropic', calls);
    assert.ok(alternatives.length > 3);
    for (const alt of alternatives) {
      let oneByOne = 0;
      for (const call of calls) oneByOne += book.price(alt.model, alt.provider, call).costUsd;
      close(alt.costUsd, oneByOne);
    }
  });
});

describe('repeatsByKeyPair', () => {
  interface Call {
    name: string | undefined;
    key: string;
  }
  const calls: Call[] = [
    { name: 'tool:search', key: 'a' }, // 0
    { name: 'tool:search', key: 'b' }, // 1
    { name: 'tool:fetch', key: 'a' }, // 2: same hash, other name: not a repeat of 0
    { name: 'tool:search', key: 'a' }, // 3: repeats 0
    { name: undefined, key: 'b' }, // 4: skipped (no name)
    { name: 'tool:fetch', key: 'c' }, // 5
    { name: 'tool:fetch', key: 'a' }, // 6: repeats 2
    { name: 'tool:search', key: 'a' }, // 7: repeats 0 again
  ];

  it('groups by name and key, in the order of each group first call, and leaves single calls out', () => {
    const groups = repeatsByKeyPair(calls, (c) => c.name, (c) => c.key);
    const positions = groups.map((g) => g.map((c) => calls.indexOf(c)));
    assert.deepEqual(positions, [
      [0, 3, 7],
      [2, 6],
    ]);
  });
});

describe('shareSpanTables', () => {
  const b = new ProfileBuilder();
  b.addSpan({ id: 1, name: 'agent:run', start: 0, end: 100 }, 1);
  b.addSpan({ id: 3, parentId: 1, name: 'tool:b', start: 50, end: 90 }, 2);
  b.addSpan({ id: 2, parentId: 1, name: 'tool:a', start: 10, end: 40 }, 3);
  const profile = b.finish();

  it('gathers the table and the start order once inside, afresh outside', () => {
    shareSpanTables(profile, () => {
      const table = spanTable(profile);
      assert.equal(spanTable(profile), table);
      const byStart = orderBy(table.start);
      assert.equal(orderBy(table.start), byStart);
      // Starts 0, 50, 10 → order 0, 2, 1.
      assert.deepEqual([...byStart], [0, 2, 1]);
      assert.notEqual(orderBy(table.start, undefined, true), byStart);
    });
    assert.notEqual(spanTable(profile), spanTable(profile));
  });

  it('changes nothing in the analysis', () => {
    const shared = analyze(profile, { prices: new PriceBook({ at: AT }) });
    // The same analyzers outside a shared scope give the same timing and critical path.
    assert.deepEqual(shared.timing.byName.map((n) => [n.name, n.selfMs]), [
      ['agent:run', 0.00003], // 100 ns − children 30 + 40 = 30 ns self
      ['tool:b', 0.00004],
      ['tool:a', 0.00003],
    ]);
    assert.deepEqual(
      shared.criticalPath.map((s) => [s.name, Math.round(s.startMs * 1e6), Math.round(s.endMs * 1e6)]),
      [
        ['agent:run', 0, 10],
        ['tool:a', 10, 40],
        ['agent:run', 40, 50],
        ['tool:b', 50, 90],
        ['agent:run', 90, 100],
      ],
    );
  });
});
