import { strict as assert } from 'assert';
import { Bottleneck, DEFAULT_THRESHOLDS, Thresholds } from '../../src/core/analysis-types';
import { combinedSavingsMs, orderBottlenecks, resolveThresholds, timeBottlenecks } from '../../src/core/bottlenecks';
import { savingsText } from '../../src/core/report/sections';
import { ProfileBuilder, SpanStart, UsageInput } from '../../src/core/builder';
import { criticalPath } from '../../src/core/critical-path';
import { Profile } from '../../src/core/model';
import { computeTiming } from '../../src/core/timing';

const MS = 1e6; // ns per ms

/** A span given in ms: [id, parent, name, startMs, endMs, extra fields]. */
type SpanSpec = [number, number | undefined, string, number, number, Partial<SpanStart>?];

function build(specs: SpanSpec[], usage: UsageInput[] = []): Profile {
  const b = new ProfileBuilder();
  b.setRun({ name: 'research' });
  specs.forEach(([id, parentId, name, start, end, extra], k) =>
    b.addSpan({ id, parentId, name, start: start * MS, end: end * MS, ...extra }, k + 2),
  );
  usage.forEach((u, k) => b.addUsage(u, specs.length + k + 2));
  return b.finish();
}

function bottlenecksOf(profile: Profile, thresholds: Thresholds = DEFAULT_THRESHOLDS, usageCost?: Float64Array) {
  return timeBottlenecks(profile, computeTiming(profile), criticalPath(profile), thresholds, usageCost);
}

const ofKind = (list: Bottleneck[], kind: Bottleneck['kind']) => list.filter((b) => b.kind === kind);

describe('timeBottlenecks', () => {
  // agent:run [0, 6500] with three 2 s web scrapes one after another at agent.py:42.
  const sequential = () =>
    build([
      [1, undefined, 'agent:run', 0, 6500, { file: 'agent.py', line: 10 }],
      [2, 1, 'tool:web_scrape', 100, 2100, { file: 'agent.py', line: 42 }],
      [3, 1, 'tool:web_scrape', 2200, 4200, { file: 'agent.py', line: 42 }],
      [4, 1, 'tool:web_scrape', 4300, 6300, { file: 'agent.py', line: 42 }],
    ]);

  it('flags sequential slow tool calls, the slow tool first, with savings in ms', () => {
    const found = bottlenecksOf(sequential());
    // Every scrape is on the critical path (they tile [100, 6300] with agent self time between).
    // slow_tool: avg 2000 > 1000; per parent the better of cache (3 × min(2000 − 1000, 2000) = 3000)
    // and parallel (6000 on the path − longest 2000 = 4000) → 4000. Critical share 6000 / 6500 ≥ 25 % → high.
    const top = found[0];
    assert.equal(top.kind, 'slow_tool');
    assert.equal(top.component, 'tool:web_scrape');
    assert.equal(top.impact, 'high');
    assert.equal(top.file, 'agent.py');
    assert.equal(top.line, 42);
    assert.equal(top.value, 2000);
    assert.equal(top.threshold, 1000);
    assert.equal(top.savingsMs, 4000);
    assert.deepEqual(top.spanIds, [2, 3, 4]);
    assert.match(top.suggestion, /2\.00 s over 3 calls/);

    // sequential_siblings: 2000 + 2000 + 2000 − 2000 = 4000, medium, at the first sibling's site.
    const [seq] = ofKind(found, 'sequential_siblings');
    assert.equal(seq.savingsMs, 4000);
    assert.equal(seq.impact, 'medium');
    assert.equal(seq.value, 3);
    assert.equal(seq.component, 'agent:run: tool:web_scrape ×3');
    assert.equal(seq.line, 42);
    assert.deepEqual(seq.spans, [1, 2, 3]);
    assert.equal(found.length, 2);
  });

  it('takes siblings that overlap by less than the clock tolerance (whole-ms starts) as sequential', () => {
    // Each call's start was stamped in whole ms, 0.4 ms before the previous call's (finer) end.
    const profile = build([
      [1, undefined, 'agent:run', 0, 3000],
      [2, 1, 'tool:web_scrape', 0, 1000.4],
      [3, 1, 'tool:web_scrape', 1000, 2000.4],
      [4, 1, 'tool:web_scrape', 2000, 3000],
    ]);
    const [seq] = ofKind(bottlenecksOf(profile), 'sequential_siblings');
    assert.ok(seq, 'three calls one after the other');
    assert.deepEqual(seq.spans, [1, 2, 3]);
  });

  it('does not flag calls that already overlap (asyncio.gather) as sequential', () => {
    const profile = build([
      [1, undefined, 'agent:run', 0, 2200],
      [2, 1, 'tool:web_scrape', 100, 2100, { file: 'agent.py', line: 42 }],
      [3, 1, 'tool:web_scrape', 110, 2110, { file: 'agent.py', line: 42 }],
      [4, 1, 'tool:web_scrape', 120, 2120, { file: 'agent.py', line: 42 }],
    ]);
    const found = bottlenecksOf(profile);
    assert.equal(ofKind(found, 'sequential_siblings').length, 0);
    // Only the last to end (span 4, 2000 ms) is on the critical path: parallel saving 2000 − 2000 = 0;
    // cache saving min(1000, 0) + min(1000, 0) + min(1000, 2000) = 1000.
    const [slow] = ofKind(found, 'slow_tool');
    assert.equal(slow.savingsMs, 1000);
    // 2000 of 2200 ms on the critical path ≥ 25 % → high.
    assert.equal(slow.impact, 'high');
  });

  it('counts a run of sequential siblings only when long enough and independent-looking', () => {
    // Three 100 ms calls one after another per parent; each parent tests one naming pattern.
    const trio = (parent: number, names: string[]): SpanSpec[] =>
      names.map((name, k) => [parent * 10 + k, parent, name, parent * 1000 + k * 100, parent * 1000 + (k + 1) * 100]);
    const profile = build([
      [1, undefined, 'chain', 1000, 1300],
      ...trio(1, ['llm:plan', 'llm:act', 'llm:reflect']), // an LLM chain: not independent
      [2, undefined, 'chunks', 2000, 2300],
      ...trio(2, ['llm:summarize', 'llm:summarize', 'llm:summarize']), // same LLM call thrice: flagged
      [3, undefined, 'loop', 3000, 3300],
      ...trio(3, ['agent:step', 'agent:step', 'agent:step']), // agent loop iterations: not flagged
      [4, undefined, 'textbook', 4000, 4300],
      ...trio(4, ['step_1:tool_call', 'step_2:tool_call', 'step_3:tool_call']), // same detail: flagged
      [5, undefined, 'pair', 5000, 5200],
      ...trio(5, ['tool:a', 'tool:b']), // only two: below the threshold of 3
    ]);
    const seq = ofKind(bottlenecksOf(profile), 'sequential_siblings');
    assert.deepEqual(seq.map((b) => b.component).sort(), [
      'chunks: llm:summarize ×3',
      // Grouped by template (name-templates.ts): the three step names are one operation.
      'textbook: step_{n}:tool_call ×3',
    ]);
    // Each flagged trio is on the critical path: 300 − 100 = 200 ms.
    for (const b of seq) assert.equal(b.savingsMs, 200);
    // With the threshold lowered to 2, the pair is flagged too (200 − 100 = 100 ms).
    const lowered = ofKind(bottlenecksOf(profile, resolveThresholds({ sequentialSiblings: 2 })), 'sequential_siblings');
    assert.equal(lowered.find((b) => b.component === 'pair: tool:a, tool:b')?.savingsMs, 100);
  });

  it('merges the same sequential run repeated by a loop', () => {
    const specs: SpanSpec[] = [];
    for (let it = 0; it < 2; it++) {
      const base = it * 1000;
      specs.push([100 + it, undefined, 'iteration', base, base + 1000]);
      for (let k = 0; k < 3; k++) {
        specs.push([200 + it * 10 + k, 100 + it, 'tool:fetch', base + k * 300, base + (k + 1) * 300, { file: 'a.py', line: 7 }]);
      }
    }
    const [seq] = ofKind(bottlenecksOf(build(specs)), 'sequential_siblings');
    // Two runs of 3 × 300 ms, each fully critical: 2 × (900 − 300) = 1200.
    assert.equal(seq.savingsMs, 1200);
    assert.equal(seq.spans.length, 6);
    assert.match(seq.suggestion, /2 such runs/);
  });

  it('flags more than 20 calls of one name, and a category over 20 when no name is', () => {
    const calls = (n: number, name: string, first = 0): SpanSpec[] =>
      Array.from({ length: n }, (_, k): SpanSpec => [first + k, undefined, name, first + k * 10, first + k * 10 + 5]);
    // 21 calls of one name → flagged; 20 → not.
    const many = ofKind(bottlenecksOf(build(calls(21, 'memory:get'))), 'many_calls');
    assert.equal(many.length, 1);
    assert.equal(many[0].component, 'memory:get');
    assert.equal(many[0].value, 21);
    assert.equal(many[0].savingsMs, 0);
    assert.equal(ofKind(bottlenecksOf(build(calls(20, 'memory:get'))), 'many_calls').length, 0);
    // 11 + 10 = 21 calls in category "memory", no name over 20 → the category is flagged.
    const byCategory = ofKind(bottlenecksOf(build([...calls(11, 'memory:get'), ...calls(10, 'memory:put', 1000)])), 'many_calls');
    assert.deepEqual(
      byCategory.map((b) => [b.component, b.value]),
      [['memory', 21]],
    );
  });

  it('limits a slow LLM saving to the time on the critical path', () => {
    // Two concurrent llm:plan calls; only the longer one (5000 ms) is on the critical path.
    const profile = build([
      [1, undefined, 'agent:run', 0, 5000],
      [2, 1, 'llm:plan', 0, 5000, { file: 'agent.py', line: 20 }],
      [3, 1, 'llm:plan', 0, 4000, { file: 'agent.py', line: 30 }],
    ]);
    const [slow] = ofKind(bottlenecksOf(profile), 'slow_llm');
    // avg (5000 + 4000) / 2 = 4500 > 3000. Saving: min(5000 − 3000, 5000) + min(4000 − 3000, 0) = 2000.
    assert.equal(slow.value, 4500);
    assert.equal(slow.savingsMs, 2000);
    assert.equal(slow.impact, 'high');
    assert.equal(slow.line, 20); // the site with the most time (5000 ms vs 4000 ms)
  });

  it('prices repeated calls: repeats on the critical path and their own cost', () => {
    // Four sequential 300 ms searches: key k1 three times, k2 once → 2 repeats.
    // Two llm:summarize spans with the same prompt key, each with one usage record.
    // A usage-only operation (no span) sent twice with the same key. A repeat already cached.
    const profile = build(
      [
        [1, undefined, 'tool:search', 0, 300, { key: 'k1', file: 't.py', line: 5 }],
        [2, undefined, 'tool:search', 300, 600, { key: 'k1', file: 't.py', line: 5 }],
        [3, undefined, 'tool:search', 600, 900, { key: 'k1', file: 't.py', line: 5 }],
        [4, undefined, 'tool:search', 900, 1200, { key: 'k2', file: 't.py', line: 5 }],
        [5, undefined, 'llm:summarize', 1200, 1400, { key: 'p' }],
        [6, undefined, 'llm:summarize', 1400, 1600, { key: 'p' }],
        // The agent's own cache served this repeat: 5 ms < 10 % of 100 ms, no usage → not a saving.
        [7, undefined, 'tool:lookup', 1600, 1700, { key: 'c' }],
        [8, undefined, 'tool:lookup', 1700, 1705, { key: 'c' }],
      ],
      [
        { spanId: 5, model: 'm', input: 100, output: 10 },
        { spanId: 6, model: 'm', input: 100, output: 10 },
        { operation: 'embed', model: 'e', input: 50, key: 'q', time: 1700 * MS },
        { operation: 'embed', model: 'e', input: 50, key: 'q', time: 1800 * MS },
      ],
    );
    const usageCost = Float64Array.from([0.004, 0.004, 0.001, 0.003]);
    const repeated = ofKind(bottlenecksOf(profile, DEFAULT_THRESHOLDS, usageCost), 'repeated_calls');
    const by = new Map(repeated.map((b) => [b.component, b]));
    assert.deepEqual([...by.keys()].sort(), ['embed', 'llm:summarize', 'tool:search']);

    // Wall time 1800 ms (last usage at 1800). tool:search: 2 repeats × 300 ms, all critical → 600 ms,
    // 600 ≥ 25 % × 1800 = 450 → high.
    const search = by.get('tool:search')!;
    assert.equal(search.value, 2);
    assert.equal(search.savingsMs, 600);
    assert.equal(search.savingsUsd, 0);
    assert.equal(search.impact, 'high');
    assert.equal(search.line, 5);
    assert.deepEqual(search.spanIds, [1, 2, 3]);

    // llm:summarize: 1 repeat, 200 ms, its usage costs $0.004. 200 ≥ 5 % × 1800 = 90 → medium.
    const summarize = by.get('llm:summarize')!;
    assert.equal(summarize.savingsMs, 200);
    assert.equal(summarize.savingsUsd, 0.004);
    assert.equal(summarize.impact, 'medium');

    // embed: usage only; the repeat's own cost $0.003, no time. $0.003 < $0.05 / 10 → low.
    const embed = by.get('embed')!;
    assert.equal(embed.savingsMs, 0);
    assert.equal(embed.savingsUsd, 0.003);
    assert.equal(embed.impact, 'low');
  });

  it('counts a recursive span once and survives 100 000 levels of nesting', () => {
    const depth = 100_000;
    const b = new ProfileBuilder();
    // Outermost [0, 4000 ms]; each level 1 ns shorter at both ends.
    for (let d = 0; d < depth; d++) {
      b.addSpan({ id: d, parentId: d === 0 ? undefined : d - 1, name: 'tool:recurse', start: d, end: 4000 * MS - d }, d + 1);
    }
    const [slow] = ofKind(bottlenecksOf(b.finish()), 'slow_tool');
    // Only the outermost call counts: min(4000 − 1000, 4000 on the path) = 3000.
    assert.equal(slow.savingsMs, 3000);
    assert.equal(slow.spans.length, 100);
  });
});

describe('orderBottlenecks', () => {
  const item = (component: string, impact: Bottleneck['impact'], savingsMs: number, savingsUsd: number): Bottleneck => ({
    kind: 'slow_tool',
    component,
    impact,
    metric: 'avg_ms',
    value: 0,
    threshold: 0,
    savingsMs,
    savingsUsd,
    suggestion: '',
    file: undefined,
    line: undefined,
    spanIds: [],
    spans: [],
  });

  it('orders by what fixing them saves: ms saved, then dollars saved, then impact, then name', () => {
    // The README promises this order; it used to put impact first (#1 saved 3.05 s, #2 3.35 s).
    const ordered = orderBottlenecks([
      item('d', 'medium', 5000, 0),
      item('c', 'high', 0, 1),
      item('a', 'high', 100, 0),
      item('b', 'high', 100, 0.5),
      item('e', 'low', 9000, 9),
      item('a2', 'high', 100, 0),
      item('f', 'low', 100, 0),
    ]);
    assert.deepEqual(
      ordered.map((b) => b.component),
      ['e', 'd', 'b', 'a', 'a2', 'f', 'c'],
    );
  });

  it('marks a bottleneck over the same calls as an earlier one, and never adds their savings up', () => {
    // The example agent: sequential_siblings on step_2:read (spans 10–13, saves 3 350 ms) and
    // slow_tool on tool:web_scrape (spans 10–12, saves 3 050 ms) are two fixes of the same calls.
    const seq = { ...item('step_2:read: tool:web_scrape ×3, tool:fetch_pdf', 'medium', 3350, 0), kind: 'sequential_siblings' as const, spans: [10, 11, 12, 13] };
    const slow = { ...item('tool:web_scrape', 'high', 3050, 0), kind: 'slow_tool' as const, spans: [10, 11, 12] };
    const other = { ...item('step_3:summarize', 'medium', 455, 0), spans: [20, 21, 22] };
    const ordered = orderBottlenecks([slow, other, seq]);
    assert.deepEqual(ordered.map((b) => b.component), [seq.component, slow.component, other.component]);
    assert.deepEqual(ordered[1].overlaps, { rank: 1, kind: 'sequential_siblings', component: seq.component });
    assert.equal(ordered[0].overlaps, undefined);
    assert.equal(ordered[2].overlaps, undefined);
    // 3 350 + 455, not 3 350 + 3 050 + 455.
    assert.equal(combinedSavingsMs(ordered), 3805);
    assert.equal(savingsText(ordered[1]), '~3.05 s (same calls as #1: not in addition)');
    assert.equal(slow.overlaps, undefined, 'the input is not changed');
  });
});

describe('resolveThresholds', () => {
  it('keeps defaults for missing or undefined overrides', () => {
    const t = resolveThresholds({ manyCalls: 5, slowToolAvgMs: undefined });
    assert.equal(t.manyCalls, 5);
    assert.equal(t.slowToolAvgMs, 1000);
    assert.equal(t.regressionPct, 10);
  });
});
