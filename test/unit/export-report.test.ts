import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/core/analyze';
import { PriceBook } from '../../src/core/prices';
import { escapeHtml, renderHtmlReport } from '../../src/core/report/html';
import { escapeMarkdownText, renderMarkdownReport } from '../../src/core/report/markdown';
import { parseJsonl } from '../../src/ingest/jsonl';
import { makeProfile } from './helpers/profile-fixtures';

const PRICES = new PriceBook({ at: new Date('2026-11-23T00:00:00Z') });
const sample = () => parseJsonl(fs.readFileSync(path.join(__dirname, '../fixtures/native/sample.agentprof.jsonl')));

/** A profile whose strings try to become markup. */
function hostile() {
  const evil = '<img src=x onerror=alert(1)> [click](javascript:alert(1)) | **b** `c`\n# heading';
  return makeProfile(
    [
      { id: 1, name: `agent:${evil}`, start: 0, end: 5000, file: 'a<b>.py', line: 3, error: `Error: ${evil}` },
      { id: 2, parent: 1, name: 'llm:<script>alert(2)</script>', start: 0, end: 4000, file: 'a<b>.py', line: 9 },
    ],
    { name: `run ${evil}`, usage: [{ spanId: 2, operation: '<b>op</b>', model: 'model"><svg onload=x>', input: 10, output: 5 }] },
  );
}

describe('Markdown and HTML reports', () => {
  it('has the sections of the terminal report, in its order, with its numbers', () => {
    const profile = sample();
    const a = analyze(profile, { prices: PRICES });
    const md = renderMarkdownReport(profile, a, { file: 'runs/sample.agentprof.jsonl' });
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    assert.deepEqual(headings, [
      '# Agent Profiler report: research\\_agent',
      '## Summary',
      '## Bottlenecks (fix the first one first)',
      '## Timing by category',
      '## Call sites',
      '## Critical path',
      '## Tokens \\& cost',
      '## Budgets',
      '## Suggestions',
    ]);
    assert.ok(md.includes('Profile: runs/sample.agentprof.jsonl'));
    assert.ok(md.includes('| Wall time | 9.12 s |'));
    // agent.py:42: step_1 1 013 ms + step_2 1 088 ms = 2 101 ms of a 1 000 ms budget.
    assert.ok(md.includes('| agent.py:42 | time | 2.10 s | 1.00 s | -1.10 s | **BREACHED** |'), md);
    // Ordered by what fixing them saves: 1.18 s (repeated calls) before 1.00 s (slow LLM).
    assert.ok(md.includes('1. **medium** **llm:planning** — repeated\\_calls at agent.py:20, saves \\~1.18 s'), md);
    assert.ok(md.includes('2. **high** **llm:synthesis** — slow\\_llm at agent.py:60'));
    // Critical path: llm:planning 1–1 502 ms is 1 501 / 9 120 = 16 % of the run. Ten segments are
    // under 0.5 % of it (45.6 ms): 1 + 10 + 8 + 10 + 10 + 10 + 4 + 10 + 10 + 20 = 93 ms, not drawn.
    assert.ok(md.includes('- llm:planning: 1.50 s at 1 ms (16 %)'));
    assert.ok(md.includes('_… 10 shorter segments (93 ms in all) not drawn_'));
    assert.ok(!md.includes('- agent:research: 1 ms'), 'the 1 ms sliver is not drawn');
    assert.equal(a.suggestions.length, 3);
    assert.equal(md.split('\n').filter((l) => l.startsWith('- **') && l.includes('prompt-heavy')).length, 3);

    const html = renderHtmlReport(profile, a, { file: 'runs/sample.agentprof.jsonl' });
    const h2 = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(h2, ['Summary', 'Bottlenecks (fix the first one first)', 'Timing by category', 'Call sites', 'Critical path', 'Tokens &#38; cost', 'Budgets', 'Suggestions']);
    const errorsRow = html.split('\n').find((l) => l.startsWith('<tr><td>Errors<'));
    assert.equal(errorsRow, '<tr><td>Errors</td><td class="r"><span class="bad">4</span></td></tr>');
    assert.ok(html.includes('<span class="bad"><strong>BREACHED</strong></span>'));
  });

  it('lists read problems with file and line, as the terminal report does', () => {
    const profile = parseJsonl('{"t":"run","v":1,"name":"r","start":"0"}\n{"t":"s","id":1,"n":"a","at":0}\nnot json\n{"t":"e","id":1,"at":10}\n');
    const a = analyze(profile, { prices: PRICES });
    const md = renderMarkdownReport(profile, a, { file: 'p.jsonl' });
    assert.ok(md.includes('## Problems reading the profile (1)'));
    assert.match(md, /^- p\.jsonl:3: \*\*error\*\*: not valid JSON/m);
    const html = renderHtmlReport(profile, a, { file: 'p.jsonl' });
    assert.match(html, /<li>p\.jsonl:3: <span class="bad">error<\/span>: not valid JSON/);
  });

  it('escapes every profile string in Markdown: no links, images, HTML, headings or table cells form', () => {
    const profile = hostile();
    const md = renderMarkdownReport(profile, analyze(profile, { prices: PRICES }));
    assert.ok(!/(^|[^\\])</m.test(md), 'every < is escaped: no raw HTML');
    assert.ok(!/(^|[^\\])\]\(/m.test(md), 'no link syntax');
    assert.ok(!/\n# heading/.test(md), 'a newline in a name does not start a heading');
    assert.ok(md.includes('\\<img src=x onerror=alert(1)\\>'));
    // Every table row has as many cell separators as its header: pipes from names are escaped.
    const pipes = (line: string) => (line.match(/(^|[^\\])\|/g) ?? []).length;
    let header = -1;
    let rows = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) {
        header = -1;
        continue;
      }
      if (header < 0) header = pipes(line);
      else {
        assert.equal(pipes(line), header, line);
        rows++;
      }
    }
    assert.ok(rows >= 5, `${rows} table rows checked`);
    assert.equal(escapeMarkdownText('a|b*c_d[e](f)<g>'), 'a\\|b\\*c\\_d\\[e\\](f)\\<g\\>');
    // Defect from the new-user walk: numbers and plain punctuation stay readable in the raw file.
    assert.equal(escapeMarkdownText('8.66 s · 17,941 tokens (40 %): done!'), '8.66 s · 17,941 tokens (40 %): done!');
    // A list or heading marker at the start of a line is still defused; a bare URL is not linked.
    assert.equal(escapeMarkdownText('- item'), '\\- item');
    assert.equal(escapeMarkdownText('1. item'), '1\\. item');
    assert.equal(escapeMarkdownText('see https://x.example or www.x.example'), 'see https\\://x.example or www\\.x.example');
    assert.equal(escapeMarkdownText('line\nbreak'), 'line break');
  });

  it('escapes every profile string in HTML, with no scripts, no external resources, light and dark colours', () => {
    const profile = hostile();
    const html = renderHtmlReport(profile, analyze(profile, { prices: PRICES }));
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.ok(!/<(script|img|svg)/i.test(html), 'nothing from the profile became a tag');
    // Quoted attribute values cannot be left (their quotes are escaped); outside them, no handler.
    assert.ok(!/<[^>]*\son\w+=/i.test(html.replace(/"[^"]*"/g, '""')), 'no event handler attribute in any tag');
    assert.ok(html.includes('&#60;img src=x onerror=alert(1)&#62;'));
    assert.ok(html.includes('model&#34;&#62;&#60;svg onload=x&#62;'));
    assert.ok(!/\b(src|href)=/i.test(html.replace(/&#60;img src=x/g, '')), 'no external resources');
    assert.ok(html.includes('@media (prefers-color-scheme: dark)'));
    assert.ok(html.includes(`content="default-src 'none'; style-src 'unsafe-inline'"`));
    assert.equal((html.match(/<style>/g) ?? []).length, 1);
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });

  it('draws the critical path as bars placed on the run\'s time axis', () => {
    // Root 0–100 ms with one child 0–40 ms: the child's 40 %, then the root's own 60 %.
    const profile = makeProfile([
      { id: 1, name: 'agent:run', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'llm:plan', start: 0, end: 40 },
    ]);
    const html = renderHtmlReport(profile, analyze(profile, { prices: PRICES }));
    const bars = [...html.matchAll(/<div class="label" title="([^"]*)">[^<]*<\/div><div class="track"><div class="bar" style="left:([\d.]+)%;width:([\d.]+)%"><\/div><\/div><div class="bar-text">([^<]*)<\/div>/g)].map(
      (m) => [m[1], Number(m[2]), Number(m[3]), m[4]],
    );
    assert.deepEqual(bars, [
      ['llm:plan', 0, 40, '40 ms at 0.00 ms (40 %)'],
      ['agent:run', 40, 60, '60 ms at 40 ms (60 %)'],
    ]);
  });
});
