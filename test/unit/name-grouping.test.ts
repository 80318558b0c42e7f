import { strict as assert } from 'assert';
import { analyze } from '../../src/core/analyze';
import { ProfileBuilder } from '../../src/core/builder';
import { spanLabel, type Profile } from '../../src/core/model';
import { nameInstances } from '../../src/core/name-instances';
import { setNameGrouping } from '../../src/core/name-templates';

const MS = 1e6;

/** The seed chapter's shape: agent_run > steps × (step_<i>:execution > step_<i>:llm_call, step_<i>:tool_call). */
function seedRun(steps: number, llmMs: number, llmName = (i: number) => `step_${i}:llm_call`): Profile {
  const b = new ProfileBuilder();
  let t = 0;
  b.addSpan({ id: 'root', name: 'agent_run', start: 0, end: steps * (llmMs + 10) * MS }, 1);
  for (let i = 1; i <= steps; i++) {
    const start = t;
    b.addSpan({ id: `l${i}`, parentId: `e${i}`, name: llmName(i), start: t, end: (t += llmMs * MS) }, 2);
    b.addSpan({ id: `t${i}`, parentId: `e${i}`, name: `step_${i}:tool_call`, start: t, end: (t += 10 * MS) }, 3);
    b.addSpan({ id: `e${i}`, parentId: 'root', name: `step_${i}:execution`, start, end: t }, 4);
  }
  return b.finish();
}

describe('name grouping', () => {
  afterEach(() => setNameGrouping(true));

  it('gives each span its template as name, category from the template, and keeps the name as written', () => {
    const p = seedRun(2, 100);
    const llm = p.spans.find((s) => s.id === 'l2')!;
    assert.equal(llm.name, 'step_{n}:llm_call');
    assert.equal(llm.instance, 'step_2:llm_call');
    assert.equal(llm.category, 'step_{n}');
    assert.equal(spanLabel(llm), 'step_2:llm_call');
    // A name without variable parts has no instance.
    const root = p.spans.find((s) => s.id === 'root')!;
    assert.equal(root.name, 'agent_run');
    assert.equal(root.instance, undefined);
    assert.equal(spanLabel(root), 'agent_run');
    // One shared template string for every step.
    const l1 = p.spans.find((s) => s.id === 'l1')!;
    assert.ok(Object.is(l1.name, llm.name));
  });

  it('makes one timing row per template, one category, and fires a rule once per template', () => {
    // 30 steps of 4 s LLM calls: each step name alone is one call (no rule fires per name), the
    // template is 30 calls averaging 4 000 ms (slow_llm) and more than 20 calls (many_calls).
    const a = analyze(seedRun(30, 4000));
    // agent_run and step_{n}:execution both total 120 300 ms: the tie goes by name.
    assert.deepEqual(
      a.timing.byName.map((n) => `${n.name} ${n.count}`),
      ['agent_run 1', 'step_{n}:execution 30', 'step_{n}:llm_call 30', 'step_{n}:tool_call 30'],
    );
    // Largest total first: the steps' 90 spans add up to more than the one root.
    assert.deepEqual(a.timing.byCategory.map((c) => `${c.category} ${c.count}`), ['step_{n} 90', 'agent_run 1']);
    // Each step name alone is one call; each template is 30 calls, over the 20 of many_calls: once each.
    assert.deepEqual(
      a.bottlenecks.filter((b) => b.kind === 'many_calls').map((b) => `${b.component} ${b.value}`).sort(),
      ['step_{n}:execution 30', 'step_{n}:llm_call 30', 'step_{n}:tool_call 30'],
    );
    // slow_llm reads the category (the seed's rule); `llm:call_<i>` names are one slow template.
    const llm = analyze(seedRun(30, 4000, (i) => `llm:call_${i}`));
    const slow = llm.bottlenecks.filter((b) => b.kind === 'slow_llm');
    assert.deepEqual(slow.map((b) => `${b.component} ${b.value} ${b.spanIds.length}`), ['llm:call_{n} 4000 30']);
    // The critical path names the spans as written.
    assert.ok(a.criticalPath.some((seg) => seg.name === 'step_30:tool_call'));
  });

  it('can be switched off: names stay as written, one row each', () => {
    setNameGrouping(false);
    const p = seedRun(3, 100);
    const llm = p.spans.find((s) => s.id === 'l2')!;
    assert.equal(llm.name, 'step_2:llm_call');
    assert.equal(llm.instance, undefined);
    assert.equal(llm.category, 'step_2');
    const a = analyze(p);
    assert.equal(a.timing.byName.length, 1 + 3 * 3);
    assert.equal(a.timing.byCategory.length, 1 + 3);
  });

  it('finds spans for a budget by the name as written and by the template', () => {
    const byWritten = analyze(seedRun(3, 100), { budgets: [{ target: 'step_2', maxTokens: undefined, maxCostUsd: undefined, maxMs: 50, source: 'settings' }] });
    // step_2:execution (110 ms) + its llm_call (100) + tool_call (10) = 220 ms.
    assert.equal(byWritten.budgets[0].used, 220);
    const byTemplate = analyze(seedRun(3, 100), { budgets: [{ target: 'step_{n}:llm', maxTokens: undefined, maxCostUsd: undefined, maxMs: 50, source: 'settings' }] });
    assert.equal(byTemplate.budgets[0].used, 300);
  });

  it('lists the instances of the longest spans of a template with their totals, and the spans left over', () => {
    const b = new ProfileBuilder();
    // GET /orders/1 three times (100 ms each), /orders/2 once (250 ms), /orders/3 once (50 ms).
    const calls: Array<[string, number]> = [['1', 100], ['2', 250], ['1', 100], ['3', 50], ['1', 100]];
    let t = 0;
    calls.forEach(([id, ms], k) => b.addSpan({ id: k, name: `GET /orders/${id}`, start: t, end: (t += ms * MS) }, k + 1));
    const p = b.finish();
    // One listed: the longest span's name, /orders/2; the other four spans are left over.
    assert.deepEqual(nameInstances(p, 1).get('GET /orders/{id}'), { top: [{ name: 'GET /orders/2', count: 1, totalMs: 250 }], moreSpans: 4 });
    // Two listed (the longest spans are /orders/2 and /orders/1), ordered by total: 300 ms before 250 ms.
    assert.deepEqual(nameInstances(p, 2).get('GET /orders/{id}'), {
      top: [
        { name: 'GET /orders/1', count: 3, totalMs: 300 },
        { name: 'GET /orders/2', count: 1, totalMs: 250 },
      ],
      moreSpans: 1,
    });
  });

  it('lists at most five names in a sequential_siblings component when names are kept apart', () => {
    setNameGrouping(false);
    const b = new ProfileBuilder();
    b.addSpan({ id: 'root', name: 'agent_run', start: 0, end: 700 * MS }, 1);
    'abcdefg'.split('').forEach((x, k) => b.addSpan({ id: x, parentId: 'root', name: `tool:${x}`, start: k * 100 * MS, end: (k + 1) * 100 * MS }, k + 2));
    const seq = analyze(b.finish()).bottlenecks.filter((x) => x.kind === 'sequential_siblings');
    assert.deepEqual(seq.map((x) => x.component), ['agent_run: tool:a, tool:b, tool:c, tool:d, tool:e (+2 more names)']);
  });

  it('lists a site by its templates and its first names as written, so a lens finds a literal name with a number', () => {
    const b = new ProfileBuilder();
    // agent.py:3 is `timer("step_1:plan")` (one literal name); agent.py:9 an f-string, five steps.
    b.addSpan({ id: 'p', name: 'step_1:plan', start: 0, end: 10 * MS, file: 'agent.py', line: 3 }, 1);
    for (let i = 1; i <= 5; i++) b.addSpan({ id: `s${i}`, name: `step_${i}:tool_call`, start: i * 10 * MS, end: (i + 1) * 10 * MS, file: 'agent.py', line: 9 }, i + 1);
    const a = analyze(b.finish());
    const site = (line: number) => a.timing.bySite.find((s) => s.line === line)!.names;
    assert.deepEqual(site(3), ['step_{n}:plan', 'step_1:plan']);
    // The template, then names as written until the site lists four.
    assert.deepEqual(site(9), ['step_{n}:tool_call', 'step_1:tool_call', 'step_2:tool_call', 'step_3:tool_call']);
  });
});
