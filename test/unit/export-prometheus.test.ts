import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/core/analyze';
import { escapeLabelValue, exportPrometheus, LLM_LATENCY_BUCKETS } from '../../src/core/export/prometheus';
import { PriceBook } from '../../src/core/prices';
import { parseJsonl } from '../../src/ingest/jsonl';
import { makeProfile, SpanSpec } from './helpers/profile-fixtures';

// A real parser of the Prometheus text format (a port of the Python client's), so the output is
// checked by someone else's reading of the format. It throws on any line it cannot parse.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parsePrometheus = require('parse-prometheus-text-format') as (text: string) => Family[];

interface Family {
  name: string;
  help: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string> }>;
}

const PRICES = new PriceBook({ at: new Date('2026-11-23T00:00:00Z') });
const sample = () => parseJsonl(fs.readFileSync(path.join(__dirname, '../fixtures/native/sample.agentprof.jsonl')));

/** Value of the sample line `name{labels} value` (the parser folds histogram sums and counts away). */
function sampleValue(text: string, name: string): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith(name + '{') || l.startsWith(name + ' '));
  return line?.slice(line.lastIndexOf(' ') + 1);
}

describe('Prometheus export', () => {
  it('writes the names teams scrape, with values a real parser reads back', () => {
    const profile = sample();
    const text = exportPrometheus(profile, analyze(profile, { prices: PRICES }));
    const families = parsePrometheus(text);
    assert.deepEqual(
      families.map((f) => [f.name, f.type]),
      [
        ['agent_llm_latency_seconds', 'HISTOGRAM'],
        ['agent_tool_calls_total', 'COUNTER'],
        ['agent_token_usage_total', 'COUNTER'],
        ['agent_tasks_total', 'COUNTER'],
        ['agent_task_duration_seconds', 'GAUGE'],
      ],
    );
    const family = (n: string) => families.find((f) => f.name === n)!;

    // LLM spans: planning 1.501 s, synthesis 4.000 s, planning 1.180 s. None is ≤ 1 s; two are
    // ≤ 2.5 s; all three ≤ 5 s. Sum 6.681 s.
    assert.deepEqual(family('agent_llm_latency_seconds').metrics[0].buckets, {
      '0.1': '0', '0.25': '0', '0.5': '0', '1': '0', '2.5': '2', '5': '3', '10': '3', '30': '3', '+Inf': '3',
    });
    assert.equal(sampleValue(text, 'agent_llm_latency_seconds_sum'), '6.681');
    assert.equal(sampleValue(text, 'agent_llm_latency_seconds_count'), '3');
    assert.deepEqual(LLM_LATENCY_BUCKETS, [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);

    // Tool calls: step_1/step_2 (textbook names) used the web_search tool, one failed;
    // tool:calculator ok; tool:write_report failed.
    assert.deepEqual(
      family('agent_tool_calls_total').metrics.map((m) => [m.labels?.tool_name, m.labels?.status, m.value, m.labels?.agent]),
      [
        ['calculator', 'ok', '1', 'research_agent'],
        ['web_search', 'ok', '1', 'research_agent'],
        ['web_search', 'error', '1', 'research_agent'],
        ['write_report', 'error', '1', 'research_agent'],
      ],
    );
    // Tokens: input 1 200 + 5 000 + 9 000 + 1 200 + 300 = 16 700; output 340 + 0 + 1 200 + 340 + 50
    // = 1 930; cache read 800 + 6 000 + 1 152 = 7 952; cache write 1 000; reasoning 300.
    assert.deepEqual(
      family('agent_token_usage_total').metrics.map((m) => [m.labels?.token_type, m.value]),
      [['input', '16700'], ['output', '1930'], ['cache_read', '7952'], ['cache_write', '1000'], ['reasoning', '300']],
    );
    assert.deepEqual(family('agent_tasks_total').metrics.map((m) => [m.labels?.status, m.value]), [['error', '1']]);
    assert.equal(family('agent_task_duration_seconds').metrics[0].value, '9.12');
    assert.ok(text.endsWith('\n'), 'the last line ends with a line feed');
  });

  it('escapes label values so they read back unchanged', () => {
    const awkward = 'my "agent"\\v2\nprod';
    const profile = makeProfile([{ id: 1, name: 'tool:search', start: 0, end: 10, attrs: { tool: 'say "hi"\\' } }], { name: awkward });
    const text = exportPrometheus(profile, analyze(profile, { prices: PRICES }));
    const tools = parsePrometheus(text).find((f) => f.name === 'agent_tool_calls_total')!;
    assert.equal(tools.metrics[0].labels?.agent, awkward);
    assert.equal(tools.metrics[0].labels?.tool_name, 'say "hi"\\');
    assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
    assert.equal(escapeLabelValue('x'.repeat(200)).length, 120, 'long values are cut');
  });

  it('keeps tool_name bounded: the most used tools by name, the rest as "other"', () => {
    // tool:t0 … tool:t5 called 6, 5, 4, 3, 2, 1 times; t3 fails every time.
    const spans: SpanSpec[] = [];
    let id = 0;
    for (let t = 0; t < 6; t++) {
      for (let k = 0; k < 6 - t; k++) spans.push({ id: ++id, name: `tool:t${t}`, start: id, end: id + 0.5, error: t === 3 ? 'boom' : undefined });
    }
    const profile = makeProfile(spans);
    const text = exportPrometheus(profile, analyze(profile, { prices: PRICES }), { maxTools: 3 });
    const tools = parsePrometheus(text).find((f) => f.name === 'agent_tool_calls_total')!;
    // Kept: t0 (6), t1 (5), t2 (4); other = t3 (3 errors) + t4 (2) + t5 (1 ok).
    assert.deepEqual(
      tools.metrics.map((m) => [m.labels?.tool_name, m.labels?.status, m.value]),
      [['other', 'ok', '3'], ['other', 'error', '3'], ['t0', 'ok', '6'], ['t1', 'ok', '5'], ['t2', 'ok', '4']],
    );
  });

  it('writes OpenMetrics text when asked: family names without _total, units, # EOF', () => {
    const profile = sample();
    const text = exportPrometheus(profile, analyze(profile, { prices: PRICES }), { openMetrics: true, agent: 'research' });
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[lines.length - 1], '# EOF');
    assert.ok(lines.includes('# TYPE agent_tool_calls counter'));
    assert.ok(lines.includes('# TYPE agent_token_usage counter'));
    assert.ok(lines.includes('# UNIT agent_llm_latency_seconds seconds'));
    assert.ok(lines.includes('# UNIT agent_task_duration_seconds seconds'));
    assert.ok(lines.includes('agent_tasks_total{agent="research",status="error"} 1'));
    // Every family's samples follow its metadata, and sample names start with the family name.
    let family = '';
    for (const line of lines) {
      const meta = /^# (TYPE|HELP|UNIT) (\S+)/.exec(line);
      if (meta) family = meta[2];
      else if (line !== '# EOF') assert.ok(line.startsWith(family), `${line} outside its family ${family}`);
    }
  });
});
