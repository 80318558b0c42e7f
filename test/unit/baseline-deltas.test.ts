import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildBaselineLookup, deltaHoverLine, lensDelta, lensTitleWithDelta, vanishedLensTitle } from '../../src/extension/baseline-deltas';
import { buildSiteIndex, lensTitle, matchCalls } from '../../src/extension/lens-index';
import { scanTimerCalls } from '../../src/extension/timer-scan';
import { analysis, nameTiming, runResult, site } from './extension-fixtures';

const posix = { path: path.posix, caseInsensitive: false };
const PARTS = ['calls', 'p95', 'cost'] as const;

describe('lens deltas against a baseline run', () => {
  // Baseline: web_scrape at agent.py:40 (3 calls, p95 1 500 ms, $0.0135), planning at :10.
  const base = runResult(
    analysis({
      timing: {
        byCategory: [],
        byName: [nameTiming('tool:web_scrape', { count: 3, p95Ms: 1500 }), nameTiming('llm:old', { count: 1, p95Ms: 200 })],
        bySite: [
          site('agent.py', 40, ['tool:web_scrape'], { count: 3, p95Ms: 1500, costUsd: 0.0135, tokens: 10 }),
          site('./agent.py', 10, ['llm:planning'], { count: 1, p95Ms: 1000, costUsd: 0.01, tokens: 900 }),
          site('agent.py', 60, ['llm:old'], { count: 1, p95Ms: 200 }),
        ],
      },
    }),
    { file: '/ws/.agentprof/base.agentprof.jsonl' },
  );
  // This run: three lines were inserted at the top (web_scrape now at :43, planning at :13), the
  // scrape got slower (p95 1 680 ms: +12 %) and cheaper ($0.0081: −40 %); llm:old is gone and
  // tool:new is new.
  const head = runResult(
    analysis({
      timing: {
        byCategory: [],
        byName: [nameTiming('tool:web_scrape'), nameTiming('llm:planning'), nameTiming('tool:new')],
        bySite: [
          site('agent.py', 43, ['tool:web_scrape'], { count: 3, p95Ms: 1680, costUsd: 0.0081, tokens: 10 }),
          site('agent.py', 13, ['llm:planning'], { count: 1, p95Ms: 1300, costUsd: 0.012, tokens: 900 }),
          site('agent.py', 50, ['tool:new'], { count: 2, p95Ms: 30 }),
        ],
      },
    }),
  );
  const text = [
    ...Array(12).fill(''),
    'with profiler.timer("llm:planning"):', // line 13
    ...Array(29).fill(''),
    'with profiler.timer("tool:web_scrape"):', // line 43
    ...Array(6).fill(''),
    'with profiler.timer("tool:new"):', // line 50
    ...Array(9).fill(''),
    'with profiler.timer("llm:old"):', // line 60
  ].join('\n');
  const calls = scanTimerCalls(text);
  const matches = matchCalls(calls, buildSiteIndex(head, 1, '/ws', posix), '/ws/agent.py');
  const lookup = buildBaselineLookup(base);

  it('matches by file and timer name across a line move and shows p95 and cost changes', () => {
    const scrape = matches.find((m) => m.call.line === 42)!;
    const delta = lensDelta(scrape, head, lookup, 10);
    // (1680 − 1500) / 1500 = +12 % > 10 %: a regression; (0.0081 − 0.0135) / 0.0135 = −40 %.
    assert.equal(delta?.kind, 'changed');
    assert.equal(lensTitleWithDelta(scrape.stats, PARTS, delta), '$(warning) 3 calls · p95 1.68 s (+12 % vs baseline ⚠ regression) · $0.0081 (−40 %)');
    // With the threshold at 15 % it is a change, not a regression.
    assert.equal(lensTitleWithDelta(scrape.stats, PARTS, lensDelta(scrape, head, lookup, 15)), '$(watch) 3 calls · p95 1.68 s (+12 % vs baseline) · $0.0081 (−40 %)');
    assert.equal(deltaHoverLine(delta!, scrape.stats), '**vs baseline (baseline line 40):** 3 → 3 calls · p95 1.50 s → 1.68 s (+12 %) **⚠ regression** · cost $0.0135 → $0.0081 (−40 %)');
  });

  it('matches a recorded path written another way (./agent.py) and marks a cost rise', () => {
    const planning = matches.find((m) => m.call.line === 12)!;
    const delta = lensDelta(planning, head, lookup, 10);
    // p95 1000 → 1300: +30 %; cost 0.01 → 0.012: +20 %.
    assert.equal(lensTitleWithDelta(planning.stats, PARTS, delta), '$(warning) 1 call · p95 1.30 s (+30 % vs baseline ⚠ regression) · $0.0120 (+20 % ⚠ cost up)');
  });

  it('says a call is new since the baseline, and one that stopped running is not called', () => {
    const added = matches.find((m) => m.call.line === 49)!;
    assert.deepEqual(lensDelta(added, head, lookup, 10), { kind: 'new' });
    assert.equal(lensTitleWithDelta(added.stats, PARTS, { kind: 'new' }), '$(watch) 2 calls · p95 30 ms · new since the baseline');
    // llm:old matched nothing in this run; the baseline's index matches it at its recorded line.
    assert.ok(!matches.some((m) => m.call.line === 59));
    const gone = matchCalls(calls, buildSiteIndex(base, 1, '/ws', posix), '/ws/agent.py').find((m) => m.call.line === 59)!;
    assert.equal(vanishedLensTitle(gone.stats), '$(circle-slash) not called in this run (baseline: 1 call · p95 200 ms)');
  });

  it('is the plain lens title without a baseline', () => {
    const scrape = matches.find((m) => m.call.line === 42)!;
    assert.equal(lensTitleWithDelta(scrape.stats, PARTS, undefined), lensTitle(scrape.stats, PARTS));
  });
});
