import * as assert from 'node:assert/strict';
import { buildViewData, headerOf, type PricedTokens, type Pricing } from '../../src/extension/view-data';
import { analysis, nameTiming, site } from './extension-fixtures';
import { makeProfile } from './helpers/profile-fixtures';

/** $1 per million input tokens and $2 per million output tokens for "big"; "mini" costs a tenth; "local" is unpriced. */
const pricing: Pricing = {
  price(model: string, _provider: string | undefined, u: PricedTokens) {
    if (model === 'local') return { priced: false, costUsd: 0 };
    const f = model === 'mini' ? 0.1 : 1;
    return { priced: true, costUsd: f * (u.input * 1 + u.output * 2) / 1e6 };
  },
  cheaperAlternatives(model: string, provider: string | undefined, calls: readonly PricedTokens[]) {
    if (model !== 'big') return [];
    const cost = calls.reduce((sum, u) => sum + this.price('mini', provider, u).costUsd, 0);
    return [{ model: 'mini', provider: 'p', costUsd: cost }, { model: 'dearer', provider: 'p', costUsd: 1e9 }];
  },
};

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
    // mini for the same calls: a tenth = $0.0004; the dearer alternative is ignored.
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
