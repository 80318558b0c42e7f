import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { analyze } from '../../src/core/analyze';
import { exportChromeTrace, nsToMicrosText } from '../../src/core/export/chrome';
import type { Profile } from '../../src/core/model';
import { PriceBook } from '../../src/core/prices';
import { analysisToJson } from '../../src/core/report/json';
import { parseChrome } from '../../src/ingest/chrome';
import { parseJsonl } from '../../src/ingest/jsonl';
import { parseOtelConsole } from '../../src/ingest/otel-console';
import { randomProfile } from './helpers/random-profile';

const FIXTURES = path.join(__dirname, '../fixtures');
const PRICES = new PriceBook({ at: new Date('2026-11-23T00:00:00Z') });

/** Everything a span is, in model order, with its parent by id. */
function spanFacts(p: Profile) {
  return p.spans.map((s) => ({
      id: s.id,
      parentId: s.parentId,
      parent: s.parent >= 0 ? p.spans[s.parent].id : null,
      orphan: s.orphan,
      name: s.name,
      category: s.category,
      kind: s.kind,
      start: s.start,
      end: s.end,
      status: s.status,
      error: s.error,
      file: s.file,
      line: s.line,
      thread: s.thread,
      task: s.task,
      key: s.key,
      attrs: JSON.stringify(s.attrs),
    }));
}

function usageFacts(p: Profile) {
  return p.usage.map((u) => ({ ...u, index: undefined, span: u.span >= 0 ? p.spans[u.span].id : null, sourceLine: undefined, attrs: JSON.stringify(u.attrs) }));
}

/** The analysis as the CLI prints it, less what names the source format. */
function analysisFacts(p: Profile) {
  const json = analysisToJson(analyze(p, { prices: PRICES }));
  return { ...json, run: { ...json.run, source: undefined }, diagnostics: undefined, totals: { ...json.totals, diagnostics: undefined } };
}

interface XEvent {
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  name: string;
}

/** Checks that on every tid the slices nest: each one inside the one open below it, as the viewers require. */
function assertWellNested(trace: string): void {
  const events = (JSON.parse(trace).traceEvents as XEvent[]).filter((e) => e.ph === 'X' || e.ph === 'B');
  const byTid = new Map<number, XEvent[]>();
  for (const e of events) byTid.set(e.tid, [...(byTid.get(e.tid) ?? []), e]);
  for (const [tid, list] of byTid) {
    const stack: Array<{ end: number }> = [];
    for (const e of list.sort((a, b) => a.ts - b.ts || (b.dur ?? Infinity) - (a.dur ?? Infinity))) {
      const end = e.ph === 'B' ? Infinity : e.ts + (e.dur as number);
      while (stack.length && stack[stack.length - 1].end <= e.ts && !(stack[stack.length - 1].end === e.ts && end === e.ts)) stack.pop();
      const outer = stack[stack.length - 1];
      assert.ok(!outer || end <= outer.end + 1e-6, `tid ${tid}: ${e.name} at ${e.ts} overlaps the slice below it`);
      stack.push({ end });
    }
  }
}

describe('Chrome trace export', () => {
  it('writes exact decimal microseconds', () => {
    assert.deepEqual(
      [0, 1000, 1_523_000_001, 1_500_000, 999, -2001, 1.4].map(nsToMicrosText),
      ['0', '1', '1523000.001', '1500', '0.999', '-2.001', '0.001'],
    );
  });

  it('round-trips the native fixture: same spans, usage, run, budgets and analysis', () => {
    const original = parseJsonl(fs.readFileSync(path.join(FIXTURES, 'native/sample.agentprof.jsonl')));
    const trace = exportChromeTrace(original);
    const back = parseChrome(trace);
    assert.deepEqual(back.diagnostics, []);
    assert.deepEqual(spanFacts(back), spanFacts(original));
    assert.deepEqual(usageFacts(back), usageFacts(original));
    assert.deepEqual({ ...back.run, source: 'agentprof' }, original.run);
    assert.deepEqual(back.budgets, original.budgets);
    assert.equal(back.maxTime, original.maxTime);
    assert.deepEqual(analysisFacts(back), analysisFacts(original));
    assertWellNested(trace);
  });

  it('puts concurrent spans on separate lanes named after their thread', () => {
    const original = parseJsonl(fs.readFileSync(path.join(FIXTURES, 'native/sample.agentprof.jsonl')));
    const events = JSON.parse(exportChromeTrace(original)).traceEvents as Array<Record<string, any>>;
    const threadNames = events.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args.name]);
    // step_1 (1.510–2.523 s) and step_2 (1.512–2.600 s) overlap under agent:research: the second
    // and its child go to a second MainThread lane; tool:calculator ran on worker-1.
    assert.deepEqual(threadNames, [[1, 'MainThread'], [2, 'MainThread (2)'], [3, 'worker-1']]);
    const tidOf = (name: string) => events.filter((e) => e.name === name && e.ph === 'X').map((e) => e.tid);
    assert.deepEqual(tidOf('step_1:tool_call'), [1]);
    assert.deepEqual(tidOf('step_2:tool_call'), [2]);
    assert.deepEqual(tidOf('retrieval:http_get'), [2]);
    assert.deepEqual(tidOf('tool:calculator'), [3]);
    const step1 = events.find((e) => e.name === 'step_1:tool_call');
    // 1 510 000 000 ns = 1 510 000 µs; 1 013 000 000 ns = 1 013 000 µs.
    assert.deepEqual([step1?.ts, step1?.dur, step1?.args.tool, step1?.args.agentprof.id, step1?.args.agentprof.p], [1510000, 1013000, 'web_search', 3, 1]);
    const process = events.find((e) => e.name === 'process_name');
    assert.deepEqual([process?.pid, process?.args.name], [4242, 'research_agent']);
  });

  it('keeps an unfinished span unfinished (a B event without E)', () => {
    const text = '{"t":"run","v":1,"name":"live","start":"1000"}\n{"t":"s","id":1,"n":"agent:run","at":0}\n{"t":"s","id":2,"p":1,"n":"llm:a","at":5}\n{"t":"e","id":2,"at":9}\n';
    const original = parseJsonl(text);
    const trace = exportChromeTrace(original);
    assert.match(trace, /"name":"agent:run","cat":"agent","ph":"B","ts":0,/);
    const back = parseChrome(trace);
    assert.ok(Number.isNaN(back.spans[0].end));
    assert.deepEqual(spanFacts(back), spanFacts(original));
    assert.ok(back.diagnostics.some((d) => /never ended/.test(d.message)));
  });

  it('keeps imported categories that are not the name\'s prefix (OTLP-style spans)', () => {
    const [original] = parseOtelConsole(fs.readFileSync(path.join(FIXTURES, 'interop/otel-console.txt'), 'utf8'));
    const back = parseChrome(exportChromeTrace(original));
    assert.deepEqual(spanFacts(back), spanFacts(original));
    assert.deepEqual(usageFacts(back), usageFacts(original));
    assert.deepEqual(back.spans.map((s) => s.category).sort(), ['agent', 'llm', 'llm', 'tool', 'tool']);
    assert.deepEqual(analysisFacts(back), analysisFacts(original));
  });

  it('round-trips random trees exactly (property)', () => {
    fc.assert(
      fc.property(randomProfile, (original) => {
        const trace = exportChromeTrace(original);
        const back = parseChrome(trace);
        assert.deepEqual(spanFacts(back), spanFacts(original));
        assert.deepEqual(usageFacts(back), usageFacts(original));
        assert.equal(back.maxTime, original.maxTime);
        assert.equal(back.minTime, original.minTime);
        assertWellNested(trace);
      }),
      { numRuns: 150 },
    );
  });
});
