/**
 * The host's side of budgets stays bounded: the worker reads and parses the budgets file (capped),
 * places each breached budget at a call site by index, and the host publishes at most 100 entries
 * per file and kind plus one that counts the rest. Thresholds and settings budgets are validated
 * against the settings' schema in package.json.
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_THRESHOLDS, type BudgetStatus, type SiteTiming, type Thresholds } from '../../src/core/analysis-types';
import { MAX_PLACED_BUDGETS, placeBudgets } from '../../src/core/budget-places';
import { answerBudgetsFile } from '../../src/extension/budgets-worker';
import { parseConfig, THRESHOLD_BOUNDS } from '../../src/extension/config';
import { CappedProblems, groupDigits, moreText } from '../../src/extension/problem-cap';

const ROOT = path.join(__dirname, '../..');

function status(target: string, metric: BudgetStatus['metric'], breached: boolean, site?: { file: string; line: number }): BudgetStatus {
  return { target, source: 'workspace', metric, limit: 1, used: 2, remaining: -1, breached, file: site?.file, line: site?.line };
}

function site(file: string, line: number, names: string[], totalMs: number, tokens: number, costUsd: number): SiteTiming {
  return { file, line, names, totalMs, tokens, costUsd } as SiteTiming;
}

describe('budgets on the host, bounded', () => {
  it('placeBudgets: own site, or the heaviest site of the target per metric; none when not breached or no site', () => {
    const sites = [
      site('a.py', 1, ['llm:plan'], 100, 50, 0.5),
      site('a.py', 2, ['llm:answer', 'tool:x'], 300, 10, 0.1),
      site('b.py', 3, ['llm:plan'], 50, 900, 0.01),
    ];
    const places = placeBudgets(
      [
        status('llm', 'ms', true), // a.py:2 (300 ms)
        status('llm', 'tokens', true), // b.py:3 (900 tokens)
        status('llm:plan', 'cost', true), // a.py:1 ($0.5)
        status('llm', 'ms', false), // not breached
        status('nothing', 'ms', true), // no site of its target
        status('c.py:9', 'tokens', true, { file: 'c.py', line: 9 }), // its own site
      ],
      sites,
    );
    assert.deepEqual(places, [{ file: 'a.py', line: 2 }, { file: 'b.py', line: 3 }, { file: 'a.py', line: 1 }, undefined, undefined, { file: 'c.py', line: 9 }]);
  });

  it('placeBudgets: 30 000 breached prefix budgets over 30 000 sites in well under a second', () => {
    const sites = Array.from({ length: 30_000 }, (_, i) => site('a.py', i + 1, [`op${i}:call`], i, i, i));
    const budgets = Array.from({ length: 30_000 }, (_, i) => status(`op${i}`, 'ms', true));
    const t = performance.now();
    const places = placeBudgets(budgets, sites);
    const ms = performance.now() - t;
    // op29 matches op29, op290..op299, op2900..op2999 and op29000..op29999 (1 111 names): the heaviest is op29999.
    assert.deepEqual(places[29], { file: 'a.py', line: 30_000 });
    assert.deepEqual(places[1999], { file: 'a.py', line: 20_000 }); // op1999 matches op19990..op19999 too: the heaviest is op19999
    assert.equal(places[MAX_PLACED_BUDGETS], undefined); // beyond the first 2 000 breached: not placed
    assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  });

  it('CappedProblems: 100 per file and kind, then one entry counting the rest', () => {
    const capped = new CappedProblems<string>();
    for (let i = 0; i < 30_000; i++) capped.add('a.py', 'budget breach', () => `breach ${i}`, i + 1);
    for (let i = 0; i < 101; i++) capped.add('a.py', 'bottleneck', () => `bottleneck ${i}`, 7);
    capped.add('b.py', 'problem', () => 'only', 1);
    const files = capped.files((text, line) => `${text} @${line}`);
    assert.deepEqual(files.map(([f, list]) => [f, list.length]), [['a.py', 202], ['b.py', 1]]);
    const list = files[0][1];
    assert.equal(list[99], 'breach 99');
    assert.equal(list[100], 'bottleneck 0');
    assert.deepEqual(list.slice(200), ['… and 29 900 more budget breaches @101', '… and 1 more bottleneck @7']);
    assert.equal(groupDigits(1234567), '1 234 567');
    assert.equal(moreText('problem', 2), '… and 2 more problems');
  });

  describe('answerBudgetsFile (in the worker)', () => {
    let tmp: string;
    before(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'agentprof-budgets-'))));
    after(() => rmSync(tmp, { recursive: true, force: true }));

    it('a missing file is missing; a normal file is parsed', async () => {
      assert.deepEqual(await answerBudgetsFile(1, path.join(tmp, 'none.json'), 'agentprof.budgets.json'), { type: 'budgetsFile', id: 1, missing: true, budgets: [], diagnostics: [] });
      const file = path.join(tmp, 'ok.json');
      writeFileSync(file, '{"budgets":[{"target":"llm","tokens":5}]}');
      const reply = await answerBudgetsFile(2, file, 'agentprof.budgets.json');
      assert.deepEqual(reply.budgets, [{ target: 'llm', maxTokens: 5, maxCostUsd: undefined, maxMs: undefined, source: 'workspace' }]);
      assert.deepEqual(reply.diagnostics, []);
    });

    it('a 5.7 MB file is not read: one problem names the cap', async () => {
      const file = path.join(tmp, 'big.json');
      writeFileSync(file, `{"budgets":[${Array.from({ length: 120_000 }, (_, i) => `{"target":"t${i}","x":1}`).join(',')}]}`);
      const reply = await answerBudgetsFile(3, file, 'agentprof.budgets.json');
      assert.deepEqual(reply.budgets, []);
      assert.deepEqual(reply.diagnostics, [
        { line: 1, severity: 'error', message: 'agentprof.budgets.json is larger than 1048576 bytes; not read (a budgets file holds at most 1 000 budgets)' },
      ]);
    });

    it('a FIFO is refused at once', async () => {
      const fifo = path.join(tmp, 'fifo.json');
      execFileSync('mkfifo', [fifo]);
      const reply = await answerBudgetsFile(4, fifo, 'agentprof.budgets.json');
      assert.equal(reply.diagnostics.length, 1);
      assert.match(reply.diagnostics[0].message, /not a regular file \(FIFO\)/);
    });
  });

  it('thresholds: the code’s bounds are the settings schema’s, and 0 falls back to the default', () => {
    const props = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties as Record<string, Record<string, unknown>>;
    for (const key of Object.keys(DEFAULT_THRESHOLDS) as Array<keyof Thresholds>) {
      const schema = props[`agentProfiler.thresholds.${key}`];
      const { exclusiveMinimum, minimum, maximum } = THRESHOLD_BOUNDS[key];
      assert.deepEqual([schema.exclusiveMinimum, schema.minimum, schema.maximum], [exclusiveMinimum, minimum, maximum], key);
    }
    const read = (values: Record<string, unknown>) => parseConfig((k) => values[k]).thresholds;
    assert.equal(read({ 'thresholds.manyCalls': 0 }).manyCalls, 20);
    assert.equal(read({ 'thresholds.manyCalls': 0.5 }).manyCalls, 0.5);
    assert.equal(read({ 'thresholds.slowLlmAvgMs': 0 }).slowLlmAvgMs, 3000);
    assert.equal(read({ 'thresholds.sequentialSiblings': 1 }).sequentialSiblings, 3);
    assert.equal(read({ 'thresholds.promptHeavyShare': 1.5 }).promptHeavyShare, 0.8);
    assert.equal(read({ 'thresholds.promptHeavyShare': 1 }).promptHeavyShare, 1);
    assert.equal(read({ 'thresholds.regressionPct': 0 }).regressionPct, 0);
  });

  it('settings budgets: at most 1 000 read', () => {
    const budgets = Array.from({ length: 5000 }, (_, i) => ({ target: `t${i}`, tokens: 1 }));
    const config = parseConfig((k) => (k === 'budgets' ? budgets : undefined));
    assert.equal(config.budgets.length, 1000);
    assert.equal(config.budgets[999].target, 't999');
  });
});
