import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Analysis } from '../../src/core/analysis-types';
import { analyze } from '../../src/core/analyze';
import { exportSarif, SARIF_SCHEMA } from '../../src/core/export/sarif';
import { PriceBook } from '../../src/core/prices';
import { parseJsonl } from '../../src/ingest/jsonl';

const PRICES = new PriceBook({ at: new Date('2026-11-23T00:00:00Z') });
const sample = () => parseJsonl(fs.readFileSync(path.join(__dirname, '../fixtures/native/sample.agentprof.jsonl')));

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The properties SARIF 2.1.0 requires, and those code scanning needs to show a result on a line. */
function checkSarif(log: any): void {
  assert.equal(log.version, '2.1.0');
  assert.equal(log.$schema, SARIF_SCHEMA);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  const rules = run.tool.driver.rules;
  assert.equal(run.tool.driver.name, 'Agent Profiler');
  assert.equal(new Set(rules.map((r: any) => r.id)).size, rules.length, 'rule ids are unique');
  for (const rule of rules) {
    assert.match(rule.id, /^AP\d{3}$/);
    for (const key of ['shortDescription', 'fullDescription', 'help']) assert.ok(rule[key].text.length > 10, `${rule.id}.${key}`);
    assert.equal(rule.help.markdown, rule.help.text);
  }
  for (const result of run.results) {
    assert.equal(rules[result.ruleIndex].id, result.ruleId, 'ruleIndex points at the rule');
    assert.ok(result.level === 'warning' || result.level === 'note');
    assert.ok(result.message.text.length > 0);
    assert.match(result.partialFingerprints['agentprofFinding/v1'], /^[0-9a-f]{8}$/);
  }
}

describe('SARIF export', () => {
  it('locates bottlenecks and breached budgets at their call sites, relative to the run\'s cwd', () => {
    const profile = sample();
    const log = JSON.parse(exportSarif(profile, analyze(profile, { prices: PRICES }), { toolVersion: '0.1.0' }));
    checkSarif(log);
    const run = log.runs[0];
    assert.equal(run.tool.driver.semanticVersion, '0.1.0');
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///home/me/agent/' } });
    // Four bottlenecks, by what fixing them saves (repeated calls 1.18 s, slow LLM 1.00 s, slow
    // tool 30 ms, cheaper model $0.0197) and the agent.py:42 latency budget: step_1 1 013 ms +
    // step_2 1 088 ms = 2 101 ms over its 1 000 ms.
    assert.deepEqual(
      run.results.map((r: any) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine]),
      [
        ['AP006', 'warning', 'agent.py', 20],
        ['AP001', 'warning', 'agent.py', 60],
        ['AP002', 'warning', 'agent.py', 90],
        ['AP007', 'warning', 'agent.py', 64],
        ['AP100', 'warning', 'agent.py', 42],
      ],
    );
    assert.ok(run.results.every((r: any) => r.locations[0].physicalLocation.artifactLocation.uriBaseId === '%SRCROOT%'));
    const budget = run.results[4];
    assert.equal(budget.message.text, 'A budget was exceeded: agent.py:42 used 2.10 s of its 1.00 s time budget (profile).');
    assert.deepEqual(budget.properties, { target: 'agent.py:42', metric: 'ms', used: 2101, limit: 1000, source: 'profile' });
    assert.match(run.results[1].message.text, /^LLM calls are slow on average \(llm:synthesis, high impact\)\. llm:synthesis averages 4\.00 s/);
  });

  it('maps paths: absolute inside the cwd to relative, outside to file URIs; low impact to notes; no site to the profile', () => {
    const profile = sample();
    const a = analyze(profile, { prices: PRICES });
    const base = a.bottlenecks[0];
    const changed: Analysis = {
      ...a,
      budgets: [],
      bottlenecks: [
        { ...base, file: '/home/me/agent/src/my tools.py', line: 7 },
        { ...base, file: '/opt/lib/other.py', line: 3, impact: 'low' },
        { ...base, file: undefined, line: undefined },
      ],
    };
    const withFallback = JSON.parse(exportSarif(profile, changed, { profileFile: '.agentprof/run.agentprof.jsonl' }));
    checkSarif(withFallback);
    const locations = withFallback.runs[0].results.map((r: any) => r.locations?.[0].physicalLocation);
    assert.deepEqual(locations, [
      { artifactLocation: { uri: 'src/my%20tools.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 7 } },
      { artifactLocation: { uri: 'file:///opt/lib/other.py' }, region: { startLine: 3 } },
      { artifactLocation: { uri: '.agentprof/run.agentprof.jsonl', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } },
    ]);
    assert.deepEqual(withFallback.runs[0].results.map((r: any) => r.level), ['warning', 'note', 'warning']);
    const without = JSON.parse(exportSarif(profile, changed));
    assert.equal(without.runs[0].results[2].locations, undefined, 'no site and no profile path: no location');
  });

  it('writes a valid log with no results for a clean run', () => {
    const profile = parseJsonl('{"t":"run","v":1,"name":"ok","start":"0"}\n{"t":"s","id":1,"n":"llm:a","at":0}\n{"t":"e","id":1,"at":1000}\n');
    const log = JSON.parse(exportSarif(profile, analyze(profile, { prices: PRICES })));
    checkSarif(log);
    assert.deepEqual(log.runs[0].results, []);
    assert.equal(log.runs[0].originalUriBaseIds, undefined, 'no cwd recorded: no base');
    assert.equal(log.runs[0].tool.driver.rules.length, 8, 'seven bottleneck kinds and budgets');
  });
});
