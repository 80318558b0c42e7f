import * as assert from 'node:assert/strict';
import { DEFAULT_THRESHOLDS } from '../../src/core/analysis-types';
import { DEFAULT_LENS_PARTS, parseConfig } from '../../src/extension/config';

const from = (values: Record<string, unknown>) => parseConfig((key) => values[key]);

describe('extension config', () => {
  it('gives the defaults when nothing is set', () => {
    const c = from({});
    assert.deepEqual(c.profileGlobs, ['**/*.agentprof.jsonl', '**/*.otlp.json', '**/*.otlp.jsonl']);
    assert.equal(c.pythonPath, '');
    assert.deepEqual(c.runCommand, []);
    assert.deepEqual(c.thresholds, DEFAULT_THRESHOLDS);
    assert.deepEqual(c.codeLens, { enabled: true, show: DEFAULT_LENS_PARTS });
    // 200 MB = 200 * 1024 * 1024 bytes
    assert.equal(c.maxFileBytes, 209_715_200);
    assert.equal(c.groupNames, true);
  });

  it('groups names unless groupNames is false', () => {
    assert.equal(from({ groupNames: false }).groupNames, false);
    assert.equal(from({ groupNames: 'no' }).groupNames, true);
  });

  it('reads thresholds one by one and rejects bad numbers', () => {
    const c = from({ 'thresholds.manyCalls': 5, 'thresholds.slowLlmAvgMs': -1, 'thresholds.promptHeavyShare': 'high' });
    assert.equal(c.thresholds.manyCalls, 5);
    assert.equal(c.thresholds.slowLlmAvgMs, DEFAULT_THRESHOLDS.slowLlmAvgMs);
    assert.equal(c.thresholds.promptHeavyShare, DEFAULT_THRESHOLDS.promptHeavyShare);
  });

  it('keeps valid price overrides and budgets, drops broken ones', () => {
    const c = from({
      priceOverrides: [
        { model: 'my-ft', inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.5 },
        { model: '', inputPerMTok: 1, outputPerMTok: 2 },
        { model: 'no-output', inputPerMTok: 1 },
        'junk',
      ],
      budgets: [{ target: 'llm', tokens: 50000, cost: 0.5 }, { target: 'x' }, { tokens: 3 }, { target: 'agent.py:12', ms: 3000 }],
    });
    assert.deepEqual(c.priceOverrides, [
      { model: 'my-ft', provider: undefined, inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.5, cacheWritePerMTok: undefined },
    ]);
    assert.deepEqual(c.budgets, [
      { target: 'llm', maxTokens: 50000, maxCostUsd: 0.5, maxMs: undefined, source: 'settings' },
      { target: 'agent.py:12', maxTokens: undefined, maxCostUsd: undefined, maxMs: 3000, source: 'settings' },
    ]);
  });

  it('orders lens parts canonically and ignores unknown ones', () => {
    assert.deepEqual(from({ 'codeLens.show': ['cost', 'calls', 'bogus', 'p95'] }).codeLens.show, ['calls', 'p95', 'cost']);
    assert.equal(from({ 'codeLens.enabled': false }).codeLens.enabled, false);
  });

  it('falls back to the default globs when the list is empty, and trims the interpreter', () => {
    const c = from({ profileGlobs: [], pythonPath: '  /opt/py/bin/python  ', runCommand: ['${python}', '', 'agent.py'], maxFileSizeMB: 1 });
    assert.deepEqual(c.profileGlobs, ['**/*.agentprof.jsonl', '**/*.otlp.json', '**/*.otlp.jsonl']);
    assert.equal(c.pythonPath, '/opt/py/bin/python');
    assert.deepEqual(c.runCommand, ['${python}', 'agent.py']);
    assert.equal(c.maxFileBytes, 1_048_576);
  });
});
