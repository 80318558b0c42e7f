import { strict as assert } from 'assert';
import type { Analysis, CategoryTiming, NameTiming, RunSummary, SiteTiming, TimingStats, TokenStats } from '../../src/core/analysis-types';
import { compareRuns } from '../../src/core/compare';
import { attributionText, changePctText, renderMarkdownComparison, signedMs } from '../../src/core/report/compare-doc';
import { comparisonToJson } from '../../src/core/report/json';
import { renderTextComparison } from '../../src/core/report/text';

/** Timing stats where only count, p50, p95 and total matter to the comparison. */
function stats(count: number, p50Ms: number, p95Ms: number, totalMs: number): TimingStats {
  return {
    count,
    totalMs,
    selfMs: totalMs,
    avgMs: totalMs / count,
    minMs: p50Ms,
    maxMs: p95Ms,
    p50Ms,
    p95Ms,
    p99Ms: p95Ms,
    shareOfRun: 0,
    errors: 0,
    unfinished: 0,
  };
}

function tokenStats(input: number, output: number, costUsd: number): TokenStats {
  return { calls: 1, input, output, cacheRead: 0, cacheWrite: 0, reasoning: 0, costUsd, reportedCostUsd: undefined, unpricedCalls: 0 };
}

interface RunSpec {
  wallMs: number;
  costUsd: number;
  categories: Array<[string, TimingStats]>;
  names?: Array<[string, TimingStats]>;
  sites?: Array<[string, number, string[], TimingStats, number, number]>; // file, line, names, stats, tokens, cost
  operations?: Array<[string, TokenStats]>;
}

function analysis(name: string, spec: RunSpec): Analysis {
  const run: RunSummary = {
    name,
    source: 'agentprof',
    spans: 0,
    wallMs: spec.wallMs,
    errors: 0,
    unfinished: 0,
    orphans: 0,
    tokens: 0,
    costUsd: spec.costUsd,
    unpricedModels: [],
    ended: true,
    exitStatus: 'ok',
    exitError: undefined,
  };
  const byCategory: CategoryTiming[] = spec.categories.map(([category, s]) => ({ category, ...s }));
  const byName: NameTiming[] = (spec.names ?? []).map(([n, s]) => ({
    name: n,
    category: n.split(':')[0],
    kind: 'other',
    ...s,
  }));
  const bySite: SiteTiming[] = (spec.sites ?? []).map(([file, line, names, s, tokens, costUsd]) => ({
    file,
    line,
    names,
    kind: 'other',
    spans: [],
    tokens,
    costUsd,
    ...s,
  }));
  return {
    run,
    timing: { byCategory, byName, bySite },
    criticalPath: [],
    tokens: {
      ...tokenStats(0, 0, spec.costUsd),
      unpricedModels: [],
      byOperation: (spec.operations ?? []).map(([operation, t]) => ({ operation, ...t })),
      byModel: [],
      bySite: [],
      priceSource: 'test',
    },
    budgets: [],
    bottlenecks: [],
    suggestions: [],
    diagnostics: [],
  };
}

describe('compareRuns', () => {
  const base = analysis('base', {
    wallMs: 10_000,
    costUsd: 0.2,
    categories: [
      ['tool', stats(4, 900, 2000, 4000)],
      ['llm', stats(2, 1000, 1000, 2000)],
      ['memory', stats(10, 5, 10, 50)],
    ],
    names: [
      ['tool:web_scrape', stats(4, 900, 2000, 4000)],
      ['llm:plan', stats(2, 1000, 1000, 2000)],
      ['memory:get', stats(10, 5, 10, 50)],
    ],
    sites: [
      ['agent.py', 42, ['tool:web_scrape'], stats(4, 900, 2000, 4000), 0, 0],
      ['agent.py', 20, ['llm:plan'], stats(2, 1000, 1000, 2000), 3000, 0.2],
    ],
    operations: [['llm:plan', tokenStats(2500, 500, 0.2)]],
  });
  const head = analysis('head', {
    wallMs: 12_500,
    costUsd: 0.3,
    categories: [
      ['tool', stats(4, 1000, 2400, 4800)], // p95 2000 → 2400: +20 % → regression
      ['llm', stats(2, 1000, 1050, 2100)], // p95 1000 → 1050: +5 % → not
      ['retrieval', stats(1, 300, 300, 300)], // new in head
    ],
    names: [
      ['tool:web_scrape', stats(4, 1000, 2400, 4800)],
      ['llm:plan', stats(2, 1000, 1050, 2100)],
      ['retrieval:search', stats(1, 300, 300, 300)],
    ],
    sites: [
      ['agent.py', 44, ['tool:web_scrape'], stats(4, 1000, 2400, 4800), 0, 0], // moved from line 42
      ['agent.py', 20, ['llm:plan'], stats(2, 1000, 1050, 2100), 4000, 0.3],
    ],
    operations: [['llm:plan', tokenStats(3500, 500, 0.3)]],
  });

  it('flags a 20 % p95 increase as a regression and a 5 % one not', () => {
    const c = compareRuns(base, head);
    const tool = c.byCategory.find((r) => r.key === 'tool')!;
    // (2400 − 2000) / 2000 × 100 = 20 % > 10 %.
    assert.equal(tool.p95ChangePct, 20);
    assert.equal(tool.regression, true);
    const llm = c.byCategory.find((r) => r.key === 'llm')!;
    // (1050 − 1000) / 1000 × 100 = 5 % ≤ 10 %.
    assert.ok(Math.abs(llm.p95ChangePct! - 5) < 1e-9);
    assert.equal(llm.regression, false);
    // With the threshold raised to 25 %, the tool row is no longer a regression.
    assert.equal(compareRuns(base, head, { regressionPct: 25 }).regressions.length, 0);
  });

  it('computes deltas, including tokens and cost per category from the operations', () => {
    const c = compareRuns(base, head);
    const llm = c.byCategory.find((r) => r.key === 'llm')!;
    // tokens 2500 + 500 = 3000 → 3500 + 500 = 4000; cost 0.2 → 0.3; total 2000 → 2100.
    assert.equal(llm.base!.tokens, 3000);
    assert.equal(llm.head!.tokens, 4000);
    assert.equal(llm.delta.tokens, 1000);
    assert.ok(Math.abs(llm.delta.costUsd - 0.1) < 1e-12);
    assert.equal(llm.delta.totalMs, 100);
    // Wall 10 000 → 12 500: +25 %; cost 0.2 → 0.3: +50 %.
    assert.equal(c.wallChangePct, 25);
    assert.ok(Math.abs(c.costChangePct! - 50) < 1e-9);
  });

  it('reports rows of one run only with the other side undefined, never as regressions', () => {
    const c = compareRuns(base, head);
    const retrieval = c.byCategory.find((r) => r.key === 'retrieval')!;
    assert.equal(retrieval.base, undefined);
    assert.equal(retrieval.head!.count, 1);
    assert.equal(retrieval.delta.count, 1);
    assert.equal(retrieval.p95ChangePct, undefined);
    assert.equal(retrieval.regression, false);
    const memory = c.byCategory.find((r) => r.key === 'memory')!;
    assert.equal(memory.head, undefined);
    assert.equal(memory.delta.count, -10);
    // Order: by the larger total of the two runs: tool 4800, llm 2100, retrieval 300, memory 50.
    assert.deepEqual(
      c.byCategory.map((r) => r.key),
      ['tool', 'llm', 'retrieval', 'memory'],
    );
  });

  it('matches call sites by file:line, a moved line by file and names, and site-less spans by name', () => {
    const c = compareRuns(base, head);
    assert.deepEqual(
      c.bySite.map((r) => r.key),
      // web_scrape 4800, llm:plan 2100, retrieval:search 300 (no site, head only), memory:get 50 (no site, base only)
      ['agent.py:42→44', 'agent.py:20', 'retrieval:search', 'memory:get'],
    );
    const moved = c.bySite[0];
    assert.equal(moved.line, 44);
    assert.equal(moved.p95ChangePct, 20);
    assert.equal(moved.regression, true);
    const plan = c.bySite[1];
    assert.equal(plan.delta.tokens, 1000); // site tokens 3000 → 4000
    // Regressions of both tables, largest p95 increase first (both +400 ms; then by key).
    assert.deepEqual(
      c.regressions.map((r) => r.key),
      ['agent.py:42→44', 'tool'],
    );
  });

  it('leaves the cost change undefined when the base cost nothing', () => {
    const free = analysis('free', { wallMs: 0, costUsd: 0, categories: [] });
    const c = compareRuns(free, head);
    assert.equal(c.costChangePct, undefined);
    assert.equal(c.wallChangePct, 0);
  });
});

describe('comparison warnings, attribution and the shared renderers', () => {
  const base = analysis('agent', {
    wallMs: 10_000,
    costUsd: 0.2,
    categories: [['tool', stats(4, 900, 2000, 4000)]],
    names: [['tool:web_scrape', stats(4, 900, 2000, 4000)]],
    sites: [
      ['agent.py', 42, ['tool:web_scrape'], stats(4, 900, 2000, 4000), 0, 0],
      ['agent.py', 20, ['llm:plan'], stats(2, 1000, 1000, 2000), 3000, 0.2],
    ],
  });
  const head = analysis('agent', {
    wallMs: 12_500,
    costUsd: 0.12,
    categories: [['tool', stats(4, 1000, 2400, 4800)]],
    names: [['tool:web_scrape', stats(4, 1000, 2400, 4800)]],
    sites: [
      ['agent.py', 44, ['tool:web_scrape'], stats(4, 1000, 2400, 4800), 0, 0],
      ['agent.py', 20, ['llm:plan'], stats(2, 1000, 1050, 2100), 3000, 0.12],
    ],
  });

  it('warns, before any number, that a run did not finish or is of another agent', () => {
    const cancelled = analysis('agent', { wallMs: 3110, costUsd: 0.1, categories: [] });
    cancelled.run.ended = false;
    cancelled.run.unfinished = 2;
    const c = compareRuns(base, cancelled);
    assert.deepEqual(c.warnings.map((w) => [w.kind, w.run]), [['unfinished', 'head']]);
    assert.match(c.warnings[0].text, /did not finish.*2 spans never closed/);
    const text = renderTextComparison(c);
    const warningAt = text.indexOf('did not finish');
    assert.ok(warningAt > 0, text);
    assert.ok(warningAt < text.indexOf('3.11 s'), 'the warning comes before the wall time');
    const other = analysis('other-agent', { wallMs: 1, costUsd: 0, categories: [] });
    other.run.exitStatus = 'error';
    other.run.exitError = 'boom';
    assert.deepEqual(compareRuns(base, other).warnings.map((w) => w.kind), ['failed', 'differentAgent']);
    assert.deepEqual(compareRuns(base, head).warnings, []);
  });

  it('says where the wall-time change comes from, by self time, and marks a cost rise', () => {
    const c = compareRuns(base, head);
    // Self-time changes (stats() sets self = total): web_scrape 4000 → 4800 (+800, line 42→44),
    // llm:plan 2000 → 2100 (+100). Wall +2 500 ms; 800 / 2 500 = 32 % of it at agent.py:44.
    assert.equal(c.attribution?.key, 'agent.py:42→44');
    assert.ok(Math.abs(c.attribution!.share - 800 / 2500) < 1e-12);
    assert.equal(attributionText(c), '+2.50 s wall, 32 % of it at agent.py:44 (tool:web_scrape): +800 ms of its own time');
    // Cost 0.2 → 0.12 at llm:plan: −40 %, not a rise.
    const plan = c.bySite.find((r) => r.key === 'agent.py:20')!;
    assert.ok(Math.abs(plan.costChangePct! + 40) < 1e-9);
    assert.equal(plan.costUp, false);
    assert.equal(changePctText(plan.costChangePct), '−40 %');
    assert.equal(changePctText(12.4), '+12 %');
    assert.equal(changePctText(-0.04), '±0 %');
    assert.equal(changePctText(0.4), '+0.4 %');
    assert.equal(signedMs(0.001), '±0 ms');
    assert.equal(signedMs(-26), '−26 ms');
  });

  it('renders Markdown and JSON with the same facts, regressions first', () => {
    const c = compareRuns(base, head);
    const md = renderMarkdownComparison(c, { baseFile: 'a.jsonl', headFile: 'b.jsonl' });
    assert.ok(md.includes('Where the change comes from: **+2.50 s wall, 32 % of it at agent.py:44 \\(tool\\_web\\_scrape)'.replace('\\(tool\\_web\\_scrape)', '(tool:web\\_scrape)')), md);
    const siteTable = md.split('## By call site')[1].split('\n').filter((l) => l.startsWith('| '));
    // Header, then the regression (web_scrape, +20 %) before llm:plan (+5 %).
    assert.ok(siteTable[1].startsWith('| agent.py:42→44 tool:web\\_scrape |'), siteTable[1]);
    assert.ok(siteTable[1].includes('**+20 % ✗**'), siteTable[1]);
    const json = comparisonToJson(c, 'a.jsonl', 'b.jsonl');
    assert.equal(json.attribution?.key, 'agent.py:42→44');
    assert.deepEqual(json.warnings, []);
    assert.equal(json.by_name.length, 1);
  });
});

describe('call-site matching after an edit', () => {
  it('does not pair two different calls that happen to sit on the same line number', () => {
    // Two lines were inserted above: web_search moved 99 → 101, and rank_results (at 101 in the
    // baseline) moved to 103. Line 101 holds a different call in each run.
    const base = analysis('agent', {
      wallMs: 1000,
      costUsd: 0,
      categories: [],
      sites: [
        ['agent.py', 99, ['tool:web_search'], stats(3, 490, 535, 1520), 0, 0],
        ['agent.py', 101, ['llm:rank_results'], stats(1, 373, 373, 373), 0, 0],
      ],
    });
    const head = analysis('agent', {
      wallMs: 1000,
      costUsd: 0,
      categories: [],
      sites: [
        ['agent.py', 101, ['tool:web_search'], stats(3, 493, 537, 1520), 0, 0],
        ['agent.py', 103, ['llm:rank_results'], stats(1, 367, 367, 367), 0, 0],
      ],
    });
    const c = compareRuns(base, head);
    assert.deepEqual(
      c.bySite.map((r) => [r.key, r.base?.count, r.head?.count]),
      [
        ['agent.py:99→101', 3, 3],
        ['agent.py:101→103', 1, 1],
      ],
    );
    assert.equal(c.regressions.length, 0);
  });
});
