/**
 * The waterfall's requests to the analysis worker, end to end in a real worker thread (the
 * TypeScript source through tsx): columns of a file, a span's details, a file that grows (and
 * the analysis that must not then answer "unchanged"), a missing file; and spanDetails itself.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../src/core/analysis-types';
import { MAX_DETAIL_ATTRS, MAX_DETAIL_VALUE_CHARS, spanDetails } from '../../src/core/span-details';
import { SPAN_FLAGS } from '../../src/core/waterfall-columns';
import { WorkerBackend } from '../../src/extension/worker-client';
import { makeProfile } from './helpers/profile-fixtures';

const script = path.join(__dirname, '..', '..', 'src', 'extension', 'analysis-worker.ts');

describe('waterfall requests to the analysis worker', function () {
  this.timeout(60_000);
  let dir: string;
  let backend: WorkerBackend;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-waterfall-'));
    backend = new WorkerBackend(script, () => undefined, { execArgv: ['--require', 'tsx/cjs'] });
    backend.configure({ maxFileBytes: 10 * 1024 * 1024, thresholds: DEFAULT_THRESHOLDS, priceOverrides: [{ model: 'house-model', inputPerMTok: 1, outputPerMTok: 2 }], budgets: [] });
  });
  after(() => {
    backend.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers columns and details, and follows a growing file', async () => {
    const file = path.join(dir, 'run.agentprof.jsonl');
    fs.writeFileSync(
      file,
      [
        '{"t":"run","v":1,"name":"demo","start":"1763900000000000000","cwd":"/ws"}',
        '{"t":"s","id":1,"n":"llm:plan","at":0,"f":"agent.py","l":3,"a":{"model":"house-model","note":"<b>hi</b>"}}',
        '{"t":"u","span":1,"op":"llm:plan","model":"house-model","in":1000000,"out":500000}',
        '{"t":"e","id":1,"at":1500000000}',
        '',
      ].join('\n'),
    );
    const data = await backend.waterfallQuery({ type: 'waterfall', file });
    assert.equal(data.type, 'waterfallData');
    if (data.type !== 'waterfallData') return;
    const c = data.columns;
    // Typed arrays survive the worker boundary (transferred, not turned into plain objects).
    assert.ok(c.start instanceof Float64Array);
    assert.deepEqual([...c.start], [0]);
    assert.deepEqual([...c.end], [1500]);
    // The only span is the whole critical path; it has a call site.
    assert.equal(c.flags[0], SPAN_FLAGS.critical | SPAN_FLAGS.site);
    // house-model at $1 + $2 per million: 1 M in + 0.5 M out = $1 + $1 = $2; 1.5 M tokens.
    assert.deepEqual([...c.usage.tokens], [1_500_000]);
    assert.ok(Math.abs(c.usage.costUsd[0] - 2) < 1e-9);

    const details = await backend.waterfallQuery({ type: 'spanDetails', file, span: 0 });
    assert.equal(details.type, 'spanDetails');
    if (details.type !== 'spanDetails' || !details.details) return;
    assert.equal(details.details.name, 'llm:plan');
    assert.equal(details.details.file, 'agent.py');
    assert.equal(details.details.line, 3);
    assert.deepEqual(details.details.attrs, [
      ['model', 'house-model'],
      ['note', '<b>hi</b>'],
    ]);
    assert.equal(details.details.calls.length, 1);
    assert.ok(Math.abs(details.details.calls[0].costUsd - 2) < 1e-9);

    const missingSpan = await backend.waterfallQuery({ type: 'spanDetails', file, span: 5 });
    assert.deepEqual(missingSpan, { type: 'spanDetails', id: missingSpan.id, details: undefined });

    // The analysis has read the file; then the waterfall reads what was appended…
    assert.equal((await backend.analyze(file, false)).kind, 'result');
    fs.appendFileSync(file, '{"t":"s","id":2,"n":"tool:search","at":1500000000,"f":"agent.py","l":9}\n');
    const grown = await backend.waterfallQuery({ type: 'waterfall', file });
    assert.equal(grown.type === 'waterfallData' && grown.columns.count, 2);
    // …so the next analysis must still see a change.
    const again = await backend.analyze(file, false);
    assert.equal(again.kind, 'result');
    assert.equal(again.kind === 'result' && again.result.analysis.run.spans, 2);
  });

  it('says a missing file is missing', async () => {
    const reply = await backend.waterfallQuery({ type: 'waterfall', file: path.join(dir, 'nope.agentprof.jsonl') });
    assert.equal(reply.type, 'waterfallFailed');
  });
});

describe('spanDetails', () => {
  const profile = makeProfile(
    [
      {
        id: 'a',
        name: 'tool:search',
        start: 0,
        end: 10,
        error: 'boom',
        thread: 'main',
        attrs: { big: 'x'.repeat(1000), obj: { k: [1, 2] }, ...Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`k${i}`, i])) },
      },
    ],
    { usage: [{ spanId: 'a', model: 'm', input: 10, output: 5 }] },
  );

  it('renders attributes as text, cut and capped', () => {
    const d = spanDetails(profile, 0, () => 0.5);
    assert.ok(d);
    if (!d) return;
    assert.equal(d.id, 'a');
    assert.equal(d.error, 'boom');
    assert.equal(d.thread, 'main');
    assert.equal(d.attrs.length, MAX_DETAIL_ATTRS);
    // 47 attributes, 40 kept.
    assert.equal(d.moreAttrs, 7);
    assert.equal(d.attrs[0][1].length, MAX_DETAIL_VALUE_CHARS);
    assert.ok(d.attrs[0][1].endsWith('…'));
    assert.deepEqual(d.attrs[1], ['obj', '{"k":[1,2]}']);
    assert.deepEqual(d.calls, [{ model: 'm', input: 10, output: 5, cacheRead: 0, costUsd: 0.5 }]);
  });

  it('has nothing for a span that does not exist', () => {
    assert.equal(spanDetails(profile, 1), undefined);
    assert.equal(spanDetails(profile, -1), undefined);
    assert.equal(spanDetails(profile, 0.5), undefined);
  });
});
