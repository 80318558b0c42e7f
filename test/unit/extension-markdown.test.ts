import * as assert from 'node:assert/strict';
import { HOVER_COMMANDS, hoverMarkdown, perThousandRuns } from '../../src/extension/hover-content';
import { COMMANDS } from '../../src/extension/ids';
import { buildSiteIndex, matchCalls } from '../../src/extension/lens-index';
import { commandLink, escapeMarkdown } from '../../src/extension/markdown';
import { scanTimerCalls } from '../../src/extension/timer-scan';
import { analysis, nameTiming, runResult, site } from './extension-fixtures';
import * as path from 'node:path';

/** Markdown links, images, HTML tags and command URIs a string could smuggle in. */
const INJECTIONS = ['[x](command:workbench.action.terminal.new)', '![img](https://evil.example/a.png)', '<img src=x onerror=alert(1)>', '**bold**', '`code`', '# heading', '| a | b |'];

describe('extension markdown escaping', () => {
  it('escapes every markdown construct so it renders literally', () => {
    assert.equal(escapeMarkdown('a*b_c'), 'a\\*b\\_c');
    assert.equal(escapeMarkdown('[x](command:y)'), '\\[x\\]\\(command\\:y\\)');
    assert.equal(escapeMarkdown('<b>&amp;</b>'), '\\<b\\>\\&amp\\;\\<\\/b\\>');
    assert.equal(escapeMarkdown('line1\nline2\r\n# h'), 'line1 line2 \\# h');
    assert.equal(escapeMarkdown('plain text 42'), 'plain text 42');
    for (const s of INJECTIONS) {
      const e = escapeMarkdown(s);
      // With every escape pair removed, no ASCII punctuation is left: all of it was escaped.
      assert.ok(!/[!-/:-@[-`{-~]/.test(e.replace(/\\[!-/:-@[-`{-~]/g, '')), e);
    }
  });

  it('cuts very long strings and drops control characters', () => {
    assert.equal(escapeMarkdown('x'.repeat(500), 10), 'xxxxxxxxx…');
    assert.equal(escapeMarkdown('a\u0000b\u0007c'), 'abc');
  });

  it('builds command links with URI-encoded JSON arguments', () => {
    assert.equal(commandLink('Go', 'agentProfiler.showWaterfall', [{ spanIds: [1, 'a b'] }]), `[Go](command:agentProfiler.showWaterfall?${encodeURIComponent('[{"spanIds":[1,"a b"]}]')})`);
  });

  it('keeps every argument when a span id holds `)`, `(` or other URI-safe punctuation (issue 18)', () => {
    const args = [{ spanIds: ['a)b', '(c', "d'!*~"], file: 'x).py' }];
    const link = commandLink('Go', 'agentProfiler.showWaterfall', args);
    const dest = link.slice(link.indexOf('](') + 2, -1);
    // Markdown ends the destination at the first unbalanced `)`: none may be inside.
    assert.ok(!/[()]/.test(dest), dest);
    const query = dest.slice(dest.indexOf('?') + 1);
    assert.deepEqual(JSON.parse(decodeURIComponent(query)), args);
  });
});

describe('extension hover content', () => {
  const evil = 'llm:[x](command:workbench.action.terminal.new)';
  const s = site('agent.py', 3, [evil], { count: 4, costUsd: 0.04, tokens: 4000, spans: [0, 1, 2, 3] });
  const a = analysis({
    run: { ...analysis().run, costUsd: 0.1 },
    timing: { byCategory: [], byName: [nameTiming(evil)], bySite: [s] },
    budgets: [{ target: 'llm', source: 'settings', metric: 'tokens', limit: 3000, used: 4000, remaining: -1000, breached: true, file: undefined, line: undefined }],
    bottlenecks: [
      { kind: 'slow_llm', component: 'llm', impact: 'high', metric: 'avg_ms', value: 3500, threshold: 3000, savingsMs: 2000, savingsUsd: 0, suggestion: 'Use <b>streaming</b>', file: undefined, line: undefined, spanIds: [1], spans: [0] },
    ],
  });
  const result = runResult(a, {
    views: {
      sites: [
        {
          spanIds: [1, 2, 3, 4],
          models: [
            { model: 'gpt-4o', provider: 'openai', calls: 4, input: 3000, output: 1000, cacheRead: 0, cacheWrite: 0, reasoning: 0, costUsd: 0.04, priced: true, cheapest: { model: 'gpt-4o-mini', provider: 'openai', costUsd: 0.004 } },
          ],
        },
      ],
    },
  });
  const index = buildSiteIndex(result, 1, '/ws', { path: path.posix, caseInsensitive: false });
  const [match] = matchCalls(scanTimerCalls('\n\nwith profiler.timer(f"llm:{x}"):'), index, '/ws/agent.py');
  const md = hoverMarkdown({ match, result, spanIds: [1, 2, 3, 4] });

  it('shows per-call and per-run tokens and cost, share, projection and the cheaper model', () => {
    // 4000 tokens over 4 calls = 1,000 per call; $0.04 / 4 = $0.0100 per call.
    assert.ok(md.includes('| tokens | 1,000 | 4,000 |'), md);
    assert.ok(md.includes('| cost | $0.0100 | $0.0400 |'), md);
    // $0.04 of the run's $0.10 = 40 %; $0.04 × 1000 = $40.00 per 1 000 runs.
    assert.ok(md.includes('40 % of the run\'s cost · $40.00 per 1 000 runs'), md);
    // gpt-4o-mini: $0.004 instead of $0.04 → $0.0360 less per run (90 %), $36.00 per 1 000 runs.
    assert.ok(md.includes('gpt\\-4o\\-mini would have cost $0.0040 instead of $0.0400'), md);
    assert.ok(md.includes('$0.0360 less per run (90 %), $36.00 per 1 000 runs'), md);
  });

  it('shows budgets and bottlenecks that concern the site', () => {
    assert.ok(md.includes('⚠ over llm: 4,000 tokens of 3,000 tokens'), md);
    assert.ok(md.includes('**high** slow\\_llm (llm), saves ~2.00 s: Use \\<b\\>streaming\\<\\/b\\>'), md);
  });

  it('escapes profile strings and links only to our own commands', () => {
    assert.ok(!md.includes('](command:workbench'), 'the span name cannot form a link');
    const targets = [...md.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
    assert.deepEqual(targets, [COMMANDS.showWaterfall]);
    for (const t of targets) assert.ok(HOVER_COMMANDS.includes(t));
  });
});

describe('extension hover content: what the cost covers', () => {
  it('says how many LLM calls the run cost covers, with the span ids escaped, when some are left out', () => {
    const s = site('agent.py', 3, ['llm:plan'], { count: 1, costUsd: 0.01, tokens: 100, spans: [0] });
    const coverage = { calls: 2, covered: 1, noUsage: 1, noUsageFailed: 1, noUsageSpanIds: ['a*b'], unpricedCalls: 0, unpricedModels: [] };
    const model = { model: 'gpt-4o', provider: 'openai', calls: 1, input: 60, output: 40, cacheRead: 0, cacheWrite: 0, reasoning: 0, costUsd: 0.01, priced: true, cheapest: undefined };
    const hover = (c: typeof coverage) => {
      const a = analysis({ run: { ...analysis().run, costUsd: 0.01, costCoverage: c }, timing: { byCategory: [], byName: [nameTiming('llm:plan')], bySite: [s] } });
      const result = runResult(a, { views: { sites: [{ spanIds: [1], models: [model] }] } });
      const index = buildSiteIndex(result, 1, '/ws', { path: path.posix, caseInsensitive: false });
      const [match] = matchCalls(scanTimerCalls('\n\nwith profiler.timer("llm:plan"):'), index, '/ws/agent.py');
      return hoverMarkdown({ match, result, spanIds: [1] });
    };
    const md = hover(coverage);
    assert.ok(md.includes('_Run cost covers 1 of 2 LLM calls\\; 1 has no usage \\(span a\\*b\\)\\, 1 failed\\; 0 unpriced models._'), md);
    assert.ok(!hover({ ...coverage, calls: 1, noUsage: 0, noUsageFailed: 0, noUsageSpanIds: [] }).includes('cost covers'), 'nothing when the cost covers every call');
  });
});

describe('hover on a decorated function', () => {
  it('does not say the code moved: decorator spans are recorded where the function is called', () => {
    // @profiler.timed on line 3 (1-based); its three calls were recorded at the caller, line 9.
    const result = runResult(analysis({ timing: { byCategory: [], byName: [nameTiming('tool:web_search')], bySite: [site('agent.py', 9, ['tool:web_search'], { count: 3 })] } }));
    const index = buildSiteIndex(result, 1, '/ws', { path: path.posix, caseInsensitive: false });
    const [match] = matchCalls(scanTimerCalls('\n\n@profiler.timed("tool:web_search")\nasync def web_search(q):\n    pass'), index, '/ws/agent.py');
    assert.equal(match.how, 'moved');
    const md = hoverMarkdown({ match, result, spanIds: [] });
    assert.ok(!md.includes('the code moved'), md);
    assert.ok(md.includes('_Recorded where the function is called: line 9._'), md);
  });
});

describe('hover money at scale', () => {
  it('shows cost per 1 000 runs in cents, like the cheaper-model line beside it', () => {
    // $0.00036 per run × 1 000 = $0.36, not "$0.3600" next to "$6.00".
    assert.equal(perThousandRuns(0.00036), '$0.36');
    assert.equal(perThousandRuns(0.006), '$6.00');
    assert.equal(perThousandRuns(0.000004), '$0.0040');
    assert.equal(perThousandRuns(2), '$2,000');
  });
});
