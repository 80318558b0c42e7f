/**
 * The analysis worker and its client, end to end in a real worker thread (the TypeScript source,
 * loaded through tsx): a profile is read, analysed and answered with view data; a profile that
 * grows is read incrementally; garbage and missing files come back as values, not crashes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../src/core/analysis-types';
import { WorkerBackend } from '../../src/extension/worker-client';

const script = path.join(__dirname, '..', '..', 'src', 'extension', 'analysis-worker.ts');

describe('extension analysis worker', function () {
  this.timeout(60_000);
  let dir: string;
  let backend: WorkerBackend;
  const logged: string[] = [];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-worker-'));
    backend = new WorkerBackend(script, (l) => logged.push(l), { execArgv: ['--require', 'tsx/cjs'] });
    backend.configure({ maxFileBytes: 10 * 1024 * 1024, thresholds: DEFAULT_THRESHOLDS, priceOverrides: [{ model: 'house-model', inputPerMTok: 1, outputPerMTok: 2 }], budgets: [] });
  });
  after(() => {
    backend.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('analyses an OTLP/JSON trace like a native profile, and re-reads it when it changes', async () => {
    const file = path.join(dir, 'trace.otlp.json');
    const span = (id: string, name: string, start: string, end: string, attrs: object[] = [], parent = '') => ({
      traceId: 'ab'.repeat(16),
      spanId: id,
      parentSpanId: parent,
      name,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      attributes: attrs,
    });
    const write = (spans: object[]) => fs.writeFileSync(file, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }));
    const llm = span('0000000000000002', 'chat house-model', '1000000000', '2000000000', [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'house-model' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '1000000' } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: 0 } },
      { key: 'code.file.path', value: { stringValue: 'agent.py' } },
      { key: 'code.line.number', value: { intValue: 7 } },
    ], '0000000000000001');
    write([llm, span('0000000000000001', 'invoke_agent demo', '1000000000', '4000000000')]);
    const first = await backend.analyze(file, false);
    assert.equal(first.kind, 'result');
    if (first.kind !== 'result') return;
    // Root 1–4 s: wall 3 000 ms; the chat call is an LLM span at agent.py:7 costing 1 M × $1/M = $1.
    assert.equal(first.result.analysis.run.source, 'otlp');
    assert.equal(first.result.analysis.run.spans, 2);
    assert.equal(first.result.analysis.run.wallMs, 3000);
    assert.deepEqual(first.result.analysis.timing.bySite.map((s) => [s.file, s.line]), [['agent.py', 7]]);
    assert.ok(Math.abs(first.result.analysis.tokens.costUsd - 1) < 1e-9);
    assert.deepEqual(await backend.analyze(file, false), { kind: 'unchanged' });

    write([llm, span('0000000000000001', 'invoke_agent demo', '1000000000', '6000000000')]);
    const second = await backend.analyze(file, false);
    assert.equal(second.kind, 'result');
    if (second.kind === 'result') assert.equal(second.result.analysis.run.wallMs, 5000);
  });

  it('groups names into templates, and reads the file again with them apart when the setting is off', async () => {
    const file = path.join(dir, 'steps.agentprof.jsonl');
    const lines = ['{"t":"run","v":1,"name":"steps","start":"1763900000000000000"}'];
    for (let i = 1; i <= 3; i++) {
      lines.push(`{"t":"s","id":${i},"n":"step_${i}:llm_call","at":${i * 1000}}`, `{"t":"e","id":${i},"at":${i * 1000 + 500}}`);
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const settings = { maxFileBytes: 10 * 1024 * 1024, thresholds: DEFAULT_THRESHOLDS, priceOverrides: [], budgets: [] };
    try {
      const grouped = await backend.analyze(file, false);
      assert.equal(grouped.kind, 'result');
      if (grouped.kind !== 'result') return;
      assert.deepEqual(grouped.result.analysis.timing.byName.map((n) => `${n.name} ${n.count}`), ['step_{n}:llm_call 3']);
      // The critical path names a span as written.
      assert.ok(grouped.result.analysis.criticalPath.some((s) => s.name === 'step_3:llm_call'));
      backend.configure({ ...settings, groupNames: false });
      const apart = await backend.analyze(file, false);
      assert.equal(apart.kind, 'result');
      if (apart.kind !== 'result') return;
      assert.deepEqual(apart.result.analysis.timing.byName.map((n) => n.name).sort(), ['step_1:llm_call', 'step_2:llm_call', 'step_3:llm_call']);
    } finally {
      backend.configure({ ...settings, priceOverrides: [{ model: 'house-model', inputPerMTok: 1, outputPerMTok: 2 }] });
    }
  });

  it('exports a run in the formats of the CLI, from the profile the worker holds', async () => {
    const file = path.join(dir, 'export.agentprof.jsonl');
    fs.writeFileSync(
      file,
      [
        '{"t":"run","v":1,"name":"exp","start":"1763900000000000000","cwd":"/ws"}',
        '{"t":"s","id":1,"n":"tool:<img src=x>","at":0,"f":"agent.py","l":3}',
        '{"t":"e","id":1,"at":2000000000}',
        '',
      ].join('\n'),
    );
    const chrome = await backend.exportQuery({ type: 'export', file, format: 'chrome', displayName: 'export.agentprof.jsonl' });
    assert.equal(chrome.type, 'exported');
    if (chrome.type !== 'exported') return;
    const events = JSON.parse(chrome.text).traceEvents.filter((e: { ph: string }) => e.ph === 'X');
    assert.deepEqual(events.map((e: { name: string; dur: number }) => [e.name, e.dur]), [['tool:<img src=x>', 2_000_000]]); // 2 s in µs
    const html = await backend.exportQuery({ type: 'export', file, format: 'html', displayName: 'export.agentprof.jsonl' });
    assert.ok(html.type === 'exported' && html.text.includes('tool:&#60;img src=x&#62;') && !html.text.includes('<img src=x>'));
    const missing = await backend.exportQuery({ type: 'export', file: path.join(dir, 'nope.agentprof.jsonl'), format: 'markdown', displayName: 'nope' });
    assert.equal(missing.type, 'exportFailed');
  });

  it('analyses a profile, then reads only what was appended', async () => {
    const file = path.join(dir, 'run.agentprof.jsonl');
    fs.writeFileSync(
      file,
      [
        '{"t":"run","v":1,"name":"demo","start":"1763900000000000000","cwd":"/ws"}',
        '{"t":"s","id":1,"n":"llm:plan","at":0,"f":"agent.py","l":3}',
        '{"t":"u","span":1,"op":"llm:plan","model":"house-model","in":1000000,"out":500000}',
        '{"t":"e","id":1,"at":1500000000}',
        '',
      ].join('\n'),
    );
    const first = await backend.analyze(file, false);
    assert.equal(first.kind, 'result');
    if (first.kind !== 'result') return;
    const r = first.result;
    assert.equal(r.header.name, 'demo');
    assert.equal(r.header.cwd, '/ws');
    assert.equal(r.analysis.run.spans, 1);
    assert.equal(r.analysis.run.wallMs, 1500);
    // The override prices house-model at $1 + $2 per million: 1 M in + 0.5 M out = $1 + $1 = $2.
    assert.equal(r.views.sites.length, 1);
    assert.deepEqual(r.views.sites[0].spanIds, [1]);
    assert.equal(r.views.sites[0].models[0].model, 'house-model');
    assert.ok(Math.abs(r.views.sites[0].models[0].costUsd - 2) < 1e-9, String(r.views.sites[0].models[0].costUsd));

    assert.deepEqual(await backend.analyze(file, false), { kind: 'unchanged' });

    fs.appendFileSync(file, '{"t":"s","id":2,"n":"tool:search","at":1500000000,"f":"agent.py","l":9}\n');
    const second = await backend.analyze(file, false);
    assert.equal(second.kind, 'result');
    if (second.kind === 'result') {
      assert.equal(second.result.analysis.run.spans, 2);
      assert.equal(second.result.analysis.run.unfinished, 1);
    }
  });

  it('answers garbage with diagnostics and a missing file with a value', async () => {
    const bad = path.join(dir, 'bad.agentprof.jsonl');
    fs.writeFileSync(bad, 'not json\n{"t":"s"}\n');
    const out = await backend.analyze(bad, false);
    assert.equal(out.kind, 'result');
    if (out.kind === 'result') {
      assert.equal(out.result.analysis.run.spans, 0);
      assert.ok(out.result.analysis.diagnostics.some((d) => d.line === 1 && d.severity === 'error'), JSON.stringify(out.result.analysis.diagnostics));
    }
    const missing = await backend.analyze(path.join(dir, 'nope.agentprof.jsonl'), false);
    assert.equal(missing.kind, 'failed');
    if (missing.kind === 'failed') assert.equal(missing.missing, true);
  });

  it('parses an unterminated last line once the file has gone quiet', async () => {
    const file = path.join(dir, 'cut.agentprof.jsonl');
    fs.writeFileSync(file, '{"t":"run","v":1,"name":"cut","start":"0"}\n{"t":"s","id":1,"n":"a","at":0}\n{"t":"e","id":1,"at":5}');
    // Backdate the file: it was last written a minute ago, so it is finished.
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const out = await backend.analyze(file, false);
    assert.equal(out.kind, 'result');
    if (out.kind === 'result') assert.equal(out.result.analysis.run.unfinished, 0, 'the last line closed the span');
  });

  it('reports an unterminated last line that is not JSON', async () => {
    const file = path.join(dir, 'torn.agentprof.jsonl');
    fs.writeFileSync(file, '{"t":"run","v":1,"name":"torn","start":"0"}\n{"t":"s","id":1,"n":"a","at":0}\n{"t":"e","id":1,"a');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const out = await backend.analyze(file, false);
    assert.equal(out.kind, 'result');
    if (out.kind === 'result') {
      assert.equal(out.result.analysis.run.unfinished, 1);
      assert.ok(out.result.analysis.diagnostics.some((d) => d.line === 3 && /incomplete/.test(d.message)), JSON.stringify(out.result.analysis.diagnostics));
    }
  });
});

describe('extension analysis worker memory limit', function () {
  this.timeout(120_000);
  let dir: string;
  // Keeps mocha's process alive while the (unref'd) worker works.
  let keepAlive: NodeJS.Timeout;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-worker-oom-'));
    keepAlive = setInterval(() => undefined, 1000);
  });
  after(() => {
    clearInterval(keepAlive);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails a profile that outgrows the heap limit with a clear error and restarts for the next request', async () => {
    // 200 000 spans ≈ 18.8 MB of JSON Lines; at ~7 bytes of heap per byte (worker-limits.ts) that
    // needs ~130 MB, twice the 64 MB allowed. A three-line profile fits easily.
    const big = path.join(dir, 'big.agentprof.jsonl');
    const lines = ['{"t":"run","v":1,"name":"big","start":"1763900000000000000"}'];
    // Names in letters (step_bcd…), which name templates keep apart, so each is a distinct string.
    const letters = (n: number): string => (n < 26 ? String.fromCharCode(97 + n) : letters(Math.floor(n / 26)) + String.fromCharCode(97 + (n % 26)));
    for (let i = 1; i <= 200_000; i++) lines.push(`{"t":"s","id":${i},"n":"tool:step_${letters(i)}","at":${i * 1000}}`, `{"t":"e","id":${i},"at":${i * 1000 + 500}}`);
    fs.writeFileSync(big, lines.join('\n') + '\n');
    const small = path.join(dir, 'small.agentprof.jsonl');
    fs.writeFileSync(small, '{"t":"run","v":1,"name":"s","start":"0"}\n{"t":"s","id":1,"n":"a","at":0}\n{"t":"e","id":1,"at":5}\n');

    const logged: string[] = [];
    const backend = new WorkerBackend(script, (l) => logged.push(l), { execArgv: ['--require', 'tsx/cjs'], resourceLimits: { maxOldGenerationSizeMb: 64 } });
    backend.configure({ maxFileBytes: 1024 * 1024 * 1024, thresholds: DEFAULT_THRESHOLDS, priceOverrides: [], budgets: [] });
    try {
      assert.equal(backend.heapLimitMb, 64);
      const failed = await backend.analyze(big, false);
      assert.deepEqual(failed, {
        kind: 'failed',
        message: 'big.agentprof.jsonl needs more memory than the analysis may use (64 MB); lower agentProfiler.maxFileSizeMB to read less of it',
        missing: false,
      });
      assert.deepEqual(logged, ['analysis worker ran out of memory (limit 64 MB of heap); it restarts on the next request']);
      // Asked again (the file changed, a poll): answered at once, no new worker dies for it.
      assert.deepEqual(await backend.analyze(big, false), failed);
      assert.equal(logged.length, 1);
      // The next request gets a new worker.
      const next = await backend.analyze(small, false);
      assert.equal(next.kind, 'result');
      if (next.kind === 'result') assert.equal(next.result.analysis.run.spans, 1);
    } finally {
      backend.dispose();
    }
  });
});
