import * as assert from 'node:assert/strict';
import { compareRuns } from '../../src/core/compare';
import { buildCompareModel } from '../../src/extension/compare-model';
import { compareHtml } from '../../src/extension/compare-html';
import { parseFromCompare } from '../../src/webview/compare/protocol';
import { analysis, site } from './extension-fixtures';

describe('compare view model', () => {
  const base = analysis({
    timing: {
      byCategory: [],
      byName: [],
      bySite: [
        site('agent.py', 40, ['tool:web_scrape'], { count: 3, p95Ms: 1500, totalMs: 4500, selfMs: 4500 }),
        site('agent.py', 10, ['llm:planning'], { count: 1, p95Ms: 1000, totalMs: 9000, selfMs: 9000 }),
      ],
    },
  });
  base.run.wallMs = 14_000;
  const head = analysis({
    timing: {
      byCategory: [],
      byName: [],
      bySite: [
        site('agent.py', 43, ['tool:web_scrape'], { count: 3, p95Ms: 2400, totalMs: 7200, selfMs: 7200 }),
        site('agent.py', 10, ['llm:planning'], { count: 1, p95Ms: 1020, totalMs: 9100, selfMs: 9100 }),
      ],
    },
  });
  head.run.wallMs = 16_800;
  head.run.ended = false;
  head.run.unfinished = 1;

  it('puts warnings first, the regression first in its table, and opens rows by id only', () => {
    const { model, rows } = buildCompareModel({ comparison: compareRuns(base, head), baseLabel: 'a', headLabel: 'b', baseColumns: undefined, headColumns: undefined });
    assert.equal(model.warnings.length, 1);
    assert.match(model.warnings[0], /^This run \(agent\) did not finish/);
    const sites = model.tables[0];
    // planning has the larger total (9 100 ms) but web_scrape regressed (+60 %): it comes first.
    assert.equal(sites.rows[0].cells[0].text, 'agent.py:40→43 tool:web_scrape');
    assert.equal(sites.rows[0].regression, true);
    assert.equal(sites.rows[0].cells[5].text, '+60 % ✗');
    assert.equal(sites.rows[0].where, 'agent.py:43');
    assert.equal(rows[sites.rows[0].id].line, 43);
    // web_scrape self time +2 700 ms of a +2 800 ms wall change: 96 %.
    assert.equal(model.attribution, '+2.80 s wall, 96 % of it at agent.py:43 (tool:web_scrape): +2.70 s of its own time');
    assert.equal(model.attributionRow, sites.rows[0].id);
    assert.deepEqual(parseFromCompare({ type: 'open', id: sites.rows[0].id }, rows.length), { type: 'open', id: 0 });
    assert.equal(parseFromCompare({ type: 'open', id: rows.length }, rows.length), undefined);
    assert.equal(parseFromCompare({ type: 'open', id: '0' }, rows.length), undefined);
    assert.equal(parseFromCompare({ type: 'export', format: 'html' }, rows.length), undefined);
  });

  it('has a strict CSP: one script by nonce, no inline styles', () => {
    const html = compareHtml({ cspSource: 'vscode-resource:', nonce: 'abc', scriptUri: 's.js', styleUri: 's.css' });
    assert.match(html, /default-src 'none'; script-src 'nonce-abc'; style-src vscode-resource:/);
    assert.ok(!html.includes('unsafe-inline'));
    assert.ok(!/\sstyle=/.test(html));
  });
});
