import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../src/core/analyze';
import { ProfileBuilder } from '../../src/core/builder';
import { CallGroup } from '../../src/core/price-sums';
import { PriceBook } from '../../src/core/prices';
import { buildViewData, headerOf, LiveViewData, type PricedTokens, type Pricing } from '../../src/extension/view-data';
import { analysis, nameTiming, site } from './extension-fixtures';
import { makeProfile, ns } from './helpers/profile-fixtures';

/** $1 per million input tokens and $2 per million output tokens for "big"; "mini" costs a tenth; "local" is unpriced. */
const pricing: Pricing = {
  price(model: string, _provider: string | undefined, u: PricedTokens) {
    if (model === 'local') return { priced: false, costUsd: 0 };
    const f = model === 'mini' ? 0.1 : 1;
    return { priced: true, costUsd: f * (u.input * 1 + u.output * 2) / 1e6 };
  },
  cheaperAlternatives(model: string, provider: string | undefined, group: readonly PricedTokens[] | CallGroup) {
    if (model !== 'big') return [];
    const calls = group instanceof CallGroup ? group.calls : group;
    const cost = calls.reduce((sum, u) => sum + this.price('mini', provider, u).costUsd, 0);
    return [{ model: 'mini', provider: 'p', costUsd: cost }, { model: 'other', provider: 'q', costUsd: cost / 2 }];
  },
};

/** Bundled prices on a fixed day, so the figures below stay put. */
const book = new PriceBook({ at: new Date('2026-10-01T00:00:00Z') });

describe('extension view data', () => {
  const profile = makeProfile(
    [
      { id: 1, name: 'agent:run', start: 0, end: 1000, file: 'agent.py', line: 1 },
      { id: 2, parent: 1, name: 'llm:plan', start: 0, end: 400, file: 'agent.py', line: 5 },
      { id: 3, parent: 1, name: 'llm:plan', start: 400, end: 900, file: 'agent.py', line: 5, error: 'Timeout' },
      { id: 4, parent: 1, name: 'tool:search', start: 900, file: 'tools.py', line: 9 },
    ],
    {
      usage: [
        { spanId: 2, model: 'big', provider: 'p', input: 1000, output: 500 },
        { spanId: 3, model: 'big', provider: 'p', input: 2000, output: 0 },
        { spanId: 3, model: 'local', input: 10, output: 10 },
        // Outside any span but recorded at the tool's site.
        { model: 'mini', provider: 'p', input: 100, output: 100, file: 'tools.py', line: 9 },
      ],
    },
  );
  const a = analysis({
    timing: {
      byCategory: [],
      byName: [nameTiming('llm:plan'), nameTiming('tool:search')],
      bySite: [site('agent.py', 5, ['llm:plan'], { spans: [1, 2] }), site('tools.py', 9, ['tool:search'], { spans: [3] })],
    },
    criticalPath: [{ span: 2, spanId: 3, name: 'llm:plan', startMs: 400, endMs: 900 }],
    bottlenecks: [{ kind: 'slow_tool', component: 'tool', impact: 'medium', metric: 'avg_ms', value: 1, threshold: 1, savingsMs: 0, savingsUsd: 0, suggestion: '', file: undefined, line: undefined, spanIds: [4], spans: [3] }],
  });
  const v = buildViewData(profile, a, pricing);

  it('gives each site its span ids and its priced token use by model', () => {
    assert.deepEqual(v.sites.map((s) => s.spanIds), [[2, 3], [4]]);
    const [big, local] = v.sites[0].models;
    // big: call 1 = (1000 + 2*500)/1e6 = $0.002, call 2 = 2000/1e6 = $0.002 → $0.004.
    assert.equal(big.model, 'big');
    assert.equal(big.calls, 2);
    assert.equal(big.input, 3000);
    assert.equal(big.output, 500);
    assert.ok(Math.abs(big.costUsd - 0.004) < 1e-12);
    // The first alternative the price book lists (its own provider's) is named, not the cheapest
    // ("other"), as the cheaper_model bottleneck does: mini = a tenth = $0.0004, saving $0.0036.
    assert.equal(big.cheapest?.model, 'mini');
    assert.ok(Math.abs(big.cheapest!.costUsd - 0.0004) < 1e-12);
    assert.deepEqual([local.model, local.priced, local.costUsd, local.cheapest], ['local', false, 0, undefined]);
    // The record outside any span lands on the site of its own file:line: (100 + 200)/1e6 × 0.1.
    assert.equal(v.sites[1].models[0].model, 'mini');
    assert.ok(Math.abs(v.sites[1].models[0].costUsd - 0.00003) < 1e-12);
  });

  it('lists span ids by name, and the spans the critical path and bottlenecks name', () => {
    assert.deepEqual(v.nameSpanIds, [[2, 3], [4]]);
    assert.deepEqual(v.spans.map((s) => [s.index, s.id, s.name, s.file, s.line, s.startMs, s.durationMs, s.open, s.error]), [
      [2, 3, 'llm:plan', 'agent.py', 5, 400, 500, false, 'Timeout'],
      // The open tool span runs to the run's last time (1000 ms): 100 ms so far.
      [3, 4, 'tool:search', 'tools.py', 9, 900, 100, true, undefined],
    ]);
  });

  it('copies the header fields views need', () => {
    assert.deepEqual(headerOf(profile), { name: profile.run.name, cwd: undefined, argv: [], startEpochNs: '0', recorder: undefined, source: 'agentprof' });
  });
});

describe('extension view data: the hover names the cheaper model the bottleneck names', () => {
  // Bundled prices per million tokens: claude-sonnet-5 $2 in / $10 out, claude-haiku-4-5 $1 / $5,
  // gpt-5-nano $0.05 / $0.40 (the cheapest candidate for these calls).
  it('names claude-haiku-4-5 for claude-sonnet-5 calls in both, where the hover used to say gpt-5-nano', () => {
    const spans = Array.from({ length: 10 }, (_, k) => ({ id: k + 1, name: 'llm:plan', start: k * 10, end: k * 10 + 10, file: 'agent.py', line: 5 }));
    const usage = spans.map((s) => ({ spanId: s.id, model: 'claude-sonnet-5', provider: 'anthropic', input: 10_000, output: 1_000 }));
    const profile = makeProfile(spans, { usage });
    const result = analyze(profile, { prices: book });
    const views = buildViewData(profile, result, book);

    // Per call: sonnet 10 000 × 2/1e6 + 1 000 × 10/1e6 = $0.03, haiku $0.015, gpt-5-nano
    // 10 000 × 0.05/1e6 + 1 000 × 0.4/1e6 = $0.0009; ten calls: $0.30, $0.15, $0.009.
    const calls = usage.map((u) => ({ input: u.input, output: u.output, cacheRead: 0, cacheWrite: 0 }));
    const cheapestOverall = book.cheaperAlternatives('claude-sonnet-5', 'anthropic', calls).reduce((x, y) => (y.costUsd < x.costUsd ? y : x));
    // What the old hover picked: the cheapest of all.
    assert.equal(cheapestOverall.model, 'gpt-5-nano');
    assert.ok(Math.abs(cheapestOverall.costUsd - 0.009) < 1e-9);

    const [use] = views.sites[0].models;
    assert.equal(use.model, 'claude-sonnet-5');
    assert.ok(Math.abs(use.costUsd - 0.3) < 1e-9);
    assert.equal(use.cheapest?.model, 'claude-haiku-4-5');
    assert.ok(Math.abs(use.cheapest!.costUsd - 0.15) < 1e-9);

    const switches = result.bottlenecks.filter((b) => b.kind === 'cheaper_model');
    assert.equal(switches.length, 1);
    assert.equal(switches[0].component, 'llm:plan on claude-sonnet-5');
    assert.match(switches[0].suggestion, /used claude-haiku-4-5 \(anthropic\)/);
    assert.ok(Math.abs(switches[0].value - 0.3) < 1e-9);
    assert.ok(Math.abs(switches[0].threshold - 0.15) < 1e-9);
  });

  it('names none when the saving is negligible, as the bottleneck rule', () => {
    // One call: sonnet 100 × 2/1e6 + 10 × 10/1e6 = $0.0003; haiku half of it saves $0.00015 < $0.001.
    const profile = makeProfile([{ id: 1, name: 'llm:plan', start: 0, end: 10, file: 'agent.py', line: 5 }], {
      usage: [{ spanId: 1, model: 'claude-sonnet-5', provider: 'anthropic', input: 100, output: 10 }],
    });
    const result = analyze(profile, { prices: book });
    const [use] = buildViewData(profile, result, book).sites[0].models;
    assert.ok(Math.abs(use.costUsd - 0.0003) < 1e-12);
    assert.equal(use.cheapest, undefined);
    assert.equal(result.bottlenecks.filter((b) => b.kind === 'cheaper_model').length, 0);
  });
});

/** One step of a generated live run. */
type Op =
  | { op: 'open'; name: number; site: number; parent: number; at: number; back: number }
  | { op: 'close'; pick: number; at: number; error: boolean }
  | { op: 'usage'; span: number; model: number; site: number; input: number; output: number; cacheRead: number }
  | { op: 'time'; at: number };

const NAMES = ['llm:plan', 'llm:answer', 'tool:search', 'memory:get'];
/** Undefined: no call site (no timing site for spans; no own site for usage records). */
const SITES: Array<{ file: string; line: number | undefined } | undefined> = [
  { file: 'agent.py', line: 5 },
  { file: 'agent.py', line: 9 },
  { file: 'tools.py', line: undefined },
  undefined,
];
const MODELS = [
  { model: 'claude-sonnet-5', provider: 'anthropic' },
  { model: 'gpt-5-mini', provider: 'openai' },
  { model: 'gpt-5-mini', provider: undefined },
  { model: 'my-local-llm', provider: undefined },
];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  // `back`: a span may start before spans already written (threads, OTLP order).
  fc.record({ op: fc.constant('open' as const), name: fc.nat(NAMES.length - 1), site: fc.nat(SITES.length - 1), parent: fc.nat(), at: fc.nat(50), back: fc.oneof(fc.constant(0), fc.nat(200)) }),
  fc.record({ op: fc.constant('close' as const), pick: fc.nat(), at: fc.nat(50), error: fc.boolean() }),
  fc.record({
    op: fc.constant('usage' as const),
    span: fc.integer({ min: -1, max: 1000 }),
    model: fc.nat(MODELS.length - 1),
    site: fc.nat(SITES.length - 1),
    input: fc.nat(200_000),
    output: fc.nat(20_000),
    cacheRead: fc.nat(1_000),
  }),
  fc.record({ op: fc.constant('time' as const), at: fc.nat(50) }),
);

/** Applies generated steps to a builder; the clock moves forward, a span may start in the past. */
class LiveRun {
  readonly builder = new ProfileBuilder();
  private clock = 0;
  private line = 0;
  private readonly open: number[] = [];

  apply(o: Op): void {
    const b = this.builder;
    const spans = b.profile.spans;
    this.line++;
    if (o.op === 'time') {
      b.noteTime(ns((this.clock += o.at)));
    } else if (o.op === 'open') {
      const where = SITES[o.site];
      // Parent: one of the open spans, or none.
      const parent = this.open.length > 0 && o.parent % 3 !== 0 ? spans[this.open[o.parent % this.open.length]].id : undefined;
      const index = b.openSpan(
        { id: spans.length + 1, parentId: parent, name: NAMES[o.name], start: ns(Math.max(0, (this.clock += o.at) - o.back)), file: where?.file, line: where?.line },
        this.line,
      );
      this.open.push(index);
    } else if (o.op === 'close') {
      if (this.open.length === 0) return;
      const [index] = this.open.splice(o.pick % this.open.length, 1);
      b.closeSpan(spans[index].id, ns((this.clock += o.at)), this.line, o.error ? 'failed' : undefined);
    } else {
      const m = MODELS[o.model];
      const where = SITES[o.site];
      const spanId = o.span >= 0 && spans.length > 0 ? spans[o.span % spans.length].id : undefined;
      b.addUsage(
        { spanId, model: m.model, provider: m.provider, input: o.input + o.cacheRead, output: o.output, cacheRead: o.cacheRead, file: where?.file, line: where?.line },
        this.line,
      );
    }
  }
}

describe('LiveViewData', () => {
  it('after every append equals buildViewData of the same profile and analysis, and leaves earlier results as they were', () => {
    fc.assert(
      fc.property(fc.array(fc.array(opArb, { maxLength: 40 }), { minLength: 1, maxLength: 6 }), (chunks) => {
        const run = new LiveRun();
        const live = new LiveViewData();
        const earlier: Array<{ result: unknown; copy: unknown }> = [];
        for (const chunk of chunks) {
          for (const o of chunk) run.apply(o);
          const profile = run.builder.finish();
          const result = analyze(profile, { prices: book });
          const updated = live.update(profile, result, book);
          assert.deepEqual(updated, buildViewData(profile, result, book));
          for (const e of earlier) assert.deepEqual(e.result, e.copy);
          earlier.push({ result: updated, copy: structuredClone(updated) });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('starts over for another profile object (a file read anew)', () => {
    const live = new LiveViewData();
    const first = makeProfile([{ id: 1, name: 'llm:plan', start: 0, end: 10, file: 'a.py', line: 1 }], {
      usage: [{ spanId: 1, model: 'gpt-5-mini', provider: 'openai', input: 1000, output: 100 }],
    });
    live.update(first, analyze(first, { prices: book }), book);
    // The new file has fewer spans and records; nothing of the first may remain.
    const second = makeProfile([{ id: 7, name: 'tool:run', start: 0, end: 5, file: 'b.py', line: 2 }]);
    const views = live.update(second, analyze(second, { prices: book }), book);
    assert.deepEqual(views.nameSpanIds, [[7]]);
    assert.deepEqual(views.sites, [{ spanIds: [7], models: [] }]);
  });

  it('works out again only the sites that got new usage records', () => {
    const run = new LiveRun();
    const live = new LiveViewData();
    // Site 0 (agent.py:5) and site 1 (agent.py:9) each get a span and a call.
    run.apply({ op: 'open', name: 0, site: 0, parent: 0, at: 1, back: 0 });
    run.apply({ op: 'open', name: 1, site: 1, parent: 0, at: 1, back: 0 });
    run.apply({ op: 'usage', span: 0, model: 0, site: 3, input: 1000, output: 10, cacheRead: 0 });
    run.apply({ op: 'usage', span: 1, model: 1, site: 3, input: 1000, output: 10, cacheRead: 0 });
    const p = run.builder.finish();
    const look = () => {
      const result = analyze(p, { prices: book });
      return { result, views: live.update(p, result, book) };
    };
    const modelsOf = ({ result, views }: ReturnType<typeof look>, file: string, line: number) =>
      views.sites[result.timing.bySite.findIndex((s) => s.file === file && s.line === line)].models;
    const before = look();
    // A new call on span 1 (agent.py:9) only.
    run.apply({ op: 'usage', span: 1, model: 1, site: 3, input: 1000, output: 10, cacheRead: 0 });
    const after = look();
    assert.equal(modelsOf(after, 'agent.py', 5), modelsOf(before, 'agent.py', 5));
    assert.notEqual(modelsOf(after, 'agent.py', 9), modelsOf(before, 'agent.py', 9));
    assert.equal(modelsOf(after, 'agent.py', 9)[0].calls, 2);
  });

  it('keeps the first 500 ids of a site in start order and of a name in file order, across appends', () => {
    const builder = new ProfileBuilder();
    const live = new LiveViewData();
    const open = (id: number, startMs: number) =>
      builder.addSpan({ id, name: 'llm:plan', start: ns(startMs), end: ns(startMs + 1), file: 'a.py', line: 3 }, id);
    const look = () => {
      const p = builder.finish();
      const result = analyze(p, { prices: book });
      const views = live.update(p, result, book);
      assert.deepEqual(views, buildViewData(p, result, book));
      return views;
    };
    // Spans 1…300 start at 1000…1299 ms.
    for (let k = 0; k < 300; k++) open(k + 1, 1000 + k);
    assert.deepEqual(look().sites[0].spanIds, Array.from({ length: 300 }, (_, k) => k + 1));
    // Spans 301…600 start at 0…299 ms, before all others: by start the site shows 301…600 and
    // then 1…200 (500 in all); by file order the name keeps 1…500.
    for (let k = 0; k < 300; k++) open(301 + k, k);
    const views = look();
    assert.deepEqual(views.sites[0].spanIds, [...Array.from({ length: 300 }, (_, k) => 301 + k), ...Array.from({ length: 200 }, (_, k) => k + 1)]);
    assert.deepEqual(views.nameSpanIds[0], Array.from({ length: 500 }, (_, k) => k + 1));
    // One more span at the end changes neither list: the same arrays come back.
    open(601, 5000);
    const after = look();
    assert.equal(after.sites[0].spanIds, views.sites[0].spanIds);
    assert.equal(after.nameSpanIds[0], views.nameSpanIds[0]);
  });
});
