/**
 * The incremental analysis against the batch one: random native profiles (nesting, concurrent
 * siblings, open spans, errors, orphans and children written before their parents, repeated
 * keys, usage on priced and unpriced models, budgets, a run end) are fed to a reader in random
 * chunks, and after every chunk `LiveAnalysis.update` must deep-equal `analyze` of the same
 * profile with the same options — every field. Small runs and wide ones (see {@link RunShape}).
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { analyze, type AnalyzeOptions } from '../../src/core/analyze';
import { LiveAnalysis } from '../../src/core/incremental/live-analysis';
import { PriceBook } from '../../src/core/prices';
import { JsonlIngest } from '../../src/ingest/jsonl';

const prices = new PriceBook();
const encoder = new TextEncoder();

const HEADER = '{"t":"run","v":1,"name":"live","start":"1763900000000000000","pid":1,"argv":[],"cwd":"/w","recorder":"prop/0"}';
// Names with numbers are grouped into templates (step_{n}:tool_call, GET /orders/{id}) with their
// names as written kept: both engines see the same template and instances.
const NAMES = ['llm:plan', 'llm:answer', 'tool:search', 'tool:fetch', 'agent:step', 'memory:get', 'step_1:tool_call', 'step_2:tool_call', 'step_37:tool_call', 'GET /orders/8812'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet-20241022', 'no-such-model'];

interface GenSpan {
  parentMode: number;
  parentPick: number;
  name: number;
  start: number;
  duration: number;
  open: boolean;
  error: boolean;
  key: number;
  file: number;
}

const genSpan: fc.Arbitrary<GenSpan> = fc.record({
  // 0 top level, 1-3 an earlier span (most common: nesting), 4 any span (maybe later), 5 a missing id.
  parentMode: fc.nat(5),
  parentPick: fc.nat(),
  name: fc.nat(NAMES.length - 1),
  start: fc.integer({ min: 0, max: 20_000 }),
  duration: fc.integer({ min: 0, max: 6_000 }),
  open: fc.boolean(),
  error: fc.boolean(),
  // 0: no key; otherwise one of three keys, so calls repeat.
  key: fc.nat(3),
  file: fc.nat(3),
});

const genUsage = fc.record({
  spanPick: fc.nat(),
  inSpan: fc.boolean(),
  op: fc.constantFrom('llm:plan', 'llm:answer', 'tool:search', 'embed'),
  model: fc.constantFrom(...MODELS),
  input: fc.integer({ min: 0, max: 200_000 }),
  output: fc.integer({ min: 0, max: 20_000 }),
  cacheRead: fc.integer({ min: 0, max: 2_000 }),
  at: fc.option(fc.integer({ min: 0, max: 30_000 }), { nil: undefined }),
  file: fc.constantFrom(undefined, 'a.py', 'b.py'),
  line: fc.integer({ min: 1, max: 3 }),
  key: fc.nat(2),
  cost: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
});

const genBudget = fc.record({
  target: fc.constantFrom('llm', 'tool:s', 'agent', 'a.py:1', 'b.py:2', 'zzz'),
  tokens: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
  cost: fc.option(fc.double({ min: 0, max: 0.5, noNaN: true }), { nil: undefined }),
  ms: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
});

/**
 * The shape of the generated runs. `small`: up to 30 spans at random times. `wide`: 40–160 spans
 * laid out in time (each starts after the one before, give or take), many of them children of the
 * first three (long-lived parents with many children), so names gather tens of spans with open
 * ones among them, and the kept per-name sums, the resumed critical-path walks and the sibling
 * scans are exercised across many updates.
 */
interface RunShape {
  minSpans: number;
  maxSpans: number;
  wide: boolean;
}

/** Native records (one JSON line each) of a generated run, in a shuffled but mostly natural order. */
const genRun = (shape: RunShape) => fc
  .record({
    spans: fc.array(genSpan, { minLength: shape.minSpans, maxLength: shape.maxSpans }),
    usage: fc.array(genUsage, { maxLength: 15 }),
    budgets: fc.array(genBudget, { maxLength: 3 }),
    swaps: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
    ended: fc.boolean(),
  })
  .map(({ spans, usage, budgets, swaps, ended }) => {
    const lines: string[] = [];
    spans.forEach((s, i) => {
      const id = i + 1;
      let p: number | undefined;
      if (s.parentMode >= 1 && s.parentMode <= 3 && i > 0) p = shape.wide && s.parentMode !== 1 ? 1 + (s.parentPick % Math.min(i, 3)) : 1 + (s.parentPick % i);
      else if (s.parentMode === 4) p = 1 + (s.parentPick % spans.length);
      else if (s.parentMode === 5) p = 900 + (s.parentPick % 3);
      if (p === id) p = undefined;
      const file = s.file === 0 ? undefined : ['a.py', 'b.py', 'c.py'][s.file - 1];
      const start = shape.wide ? i * 150 + (s.start % 400) : s.start;
      const end = shape.wide ? start + (s.duration % 900) : s.start + s.duration;
      lines.push(
        JSON.stringify({ t: 's', id, p, n: NAMES[s.name], at: start, f: file, l: file ? 1 + (id % 2) : undefined, k: s.key ? `k${s.key}` : undefined }),
      );
      if (!s.open) lines.push(JSON.stringify({ t: 'e', id, at: end, err: s.error ? 'boom' : undefined }));
    });
    usage.forEach((u) => {
      const span = u.inSpan ? 1 + (u.spanPick % spans.length) : undefined;
      lines.push(
        JSON.stringify({ t: 'u', span, op: u.op, model: u.model, in: u.input, out: u.output, cr: Math.min(u.cacheRead, u.input), at: u.at, f: u.file, l: u.file ? u.line : undefined, k: u.key ? `u${u.key}` : undefined, cost: u.cost }),
      );
    });
    for (const b of budgets) lines.splice(lines.length > 0 ? (b.tokens ?? 0) % lines.length : 0, 0, JSON.stringify({ t: 'b', ...b }));
    // A few swaps: ends before starts, children before parents, usage before its span.
    for (const [a, b] of swaps) {
      const i = a % lines.length;
      const j = b % lines.length;
      [lines[i], lines[j]] = [lines[j], lines[i]];
    }
    if (ended) lines.push(JSON.stringify({ t: 'end', at: 30_000, status: 'ok' }));
    return [HEADER, ...lines];
  });

/** Cut points: the run is fed in this many chunks of random sizes. */
const genCuts = (minLength: number, maxLength: number) => fc.array(fc.nat(), { minLength, maxLength });

const genOptions: fc.Arbitrary<AnalyzeOptions> = fc.record({
  thresholds: fc.constantFrom(
    undefined,
    // Low thresholds, so every rule fires on small runs.
    { slowLlmAvgMs: 0.001, slowToolAvgMs: 0.001, manyCalls: 2, expensiveOperationUsd: 0.001, sequentialSiblings: 2, suggestionExpensiveUsd: 0.001, promptHeavyShare: 0.5 },
  ),
  budgets: fc.constantFrom(undefined, [{ target: 'llm', maxTokens: 1000, maxCostUsd: 0.01, maxMs: 0.002, source: 'settings' as const }]),
});

/** Feeds `lines` in chunks cut at `cuts`, checking the live analysis after each one. */
function check(lines: string[], cuts: number[], generated: AnalyzeOptions): void {
  const options = { ...generated, prices };
  const ingest = new JsonlIngest();
  const live = new LiveAnalysis(options);
  const text = lines.join('\n') + '\n';
  const bytes = encoder.encode(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    if (to < from) continue;
    ingest.push(bytes.subarray(from, to));
    from = to;
    const profile = ingest.builder.finish();
    const result = live.update(profile, ingest.builder.takeChanges());
    assert.deepStrictEqual(result, analyze(profile, options));
  }
}

describe('incremental analysis properties', () => {
  it('equals analyze() after every chunk of a randomly cut native run', () => {
    fc.assert(
      fc.property(genRun({ minSpans: 1, maxSpans: 30, wide: false }), genCuts(1, 8), genOptions, (lines, cuts, options) => check(lines, cuts, options)),
      { numRuns: 300 },
    );
  });

  it('equals analyze() after every chunk of wide runs: long-lived parents with many children, cut in 5–25 chunks', () => {
    fc.assert(
      fc.property(genRun({ minSpans: 40, maxSpans: 160, wide: true }), genCuts(5, 25), genOptions, (lines, cuts, options) => check(lines, cuts, options)),
      { numRuns: 100 },
    );
  });
});
