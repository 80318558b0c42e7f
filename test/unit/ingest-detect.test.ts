import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { detectFormat, NOT_A_PROFILE, parseAny } from '../../src/ingest/detect';
import { loadProfile, loadProfiles, loadRuns } from '../../src/io/load-profile';

const FIXTURES = path.join(__dirname, '../fixtures');
const read = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');

describe('format detection', () => {
  it('tells each fixture\'s format from its content', () => {
    assert.equal(detectFormat(read('native/sample.agentprof.jsonl')), 'agentprof');
    assert.equal(detectFormat(read('interop/openinference.otlp.json')), 'otlp');
    assert.equal(detectFormat(read('interop/openllmetry.otlp.json')), 'otlp');
    assert.equal(detectFormat(read('interop/chrome-crashed.json')), 'chrome');
    assert.equal(detectFormat(read('interop/otel-console.txt')), 'otel-console');
  });

  it('tells the variants of each format apart from everything else', () => {
    const cases: Array<[string, string]> = [
      ['', 'agentprof'], // an agent has just created the file
      ['  \n', 'agentprof'],
      ['\uFEFF{"t":"run","v":1,"name":"x","start":"0"}\n', 'agentprof'],
      ['{"t":"s","id":1,"n":"llm:a","at":0}\n', 'agentprof'], // no header
      ['{"t":"run","v":1,"name":"a very long header cut by the head li', 'agentprof'],
      ['{"resourceSpans":[{"scopeSpans":[]}]}\n{"resourceSpans":[]}\n', 'otlp'], // Collector file exporter
      ['[]', 'chrome'],
      ['[\n{"name":"a","ph":"X","ts":0,"dur":1,"pid":1,"tid":1},', 'chrome'],
      ['{"displayTimeUnit":"ns","traceEvents":[', 'chrome'],
      ['{\n    "name": "a",\n    "context": {\n        "trace_id": "0x01",\n', 'otel-console'],
      ['{"a": 1}', 'unknown'],
      ['[1, 2, 3]', 'unknown'],
      ['time,span\n0,a\n', 'unknown'],
      ['hello world', 'unknown'],
    ];
    for (const [head, format] of cases) assert.equal(detectFormat(head), format, JSON.stringify(head));
  });

  it('keeps a native profile whose first line is damaged, reporting only that line', () => {
    const text = ['{"t":"run","v":1,"na\u0000garbage', '{"t":"s","id":1,"n":"a","at":0}', '{"t":"e","id":1,"at":5}', ''].join('\n');
    assert.equal(detectFormat(text), 'agentprof');
    const [run] = parseAny(text);
    assert.equal(run.spans.length, 1);
    assert.ok(run.diagnostics.some((d) => d.line === 1 && d.severity === 'error'));
    assert.equal(detectFormat('hello\nworld\n'), 'unknown');
  });

  it('parses any format into runs and says clearly when content is none of them', () => {
    assert.deepEqual(parseAny(read('native/sample.agentprof.jsonl')).map((r) => [r.run.source, r.spans.length]), [['agentprof', 11]]);
    assert.deepEqual(parseAny(read('interop/openinference.otlp.json')).map((r) => [r.run.source, r.spans.length]), [['otlp', 5]]);
    assert.deepEqual(parseAny(read('interop/chrome-crashed.json')).map((r) => [r.run.source, r.spans.length]), [['chrome', 6]]);
    assert.deepEqual(parseAny(read('interop/otel-console.txt')).map((r) => [r.run.source, r.spans.length]), [['otel-console', 5], ['otel-console', 1]]);
    const [unknown, ...rest] = parseAny('time,span\n0,a\n');
    assert.equal(rest.length, 0);
    assert.equal(unknown.spans.length, 0);
    assert.deepEqual(unknown.diagnostics, [{ line: 0, severity: 'error', message: NOT_A_PROFILE }]);
    assert.match(NOT_A_PROFILE, /Agent Profiler JSON Lines, OTLP\/JSON, Chrome trace or OpenTelemetry console output/);
  });

  it('maps OpenInference and OpenLLMetry fixtures like OTLP from any SDK', () => {
    const [oi] = parseAny(read('interop/openinference.otlp.json'));
    assert.deepEqual(
      oi.spans.map((s) => [s.name, s.kind, s.status]),
      [
        ['RetrievalQA', 'other', 'ok'],
        ['VectorStoreRetriever', 'retrieval', 'ok'],
        ['OpenAIEmbeddings', 'retrieval', 'ok'],
        ['chat gpt-4o-mini', 'llm', 'ok'],
        ['calculator', 'tool', 'error'],
      ],
    );
    assert.deepEqual(
      oi.usage.map((u) => [u.model, u.provider, u.input, u.output, u.cacheRead]),
      [['gpt-4o-mini', 'openai', 1500, 300, 1024]],
    );
    const [ol] = parseAny(read('interop/openllmetry.otlp.json'));
    assert.deepEqual(ol.spans.map((s) => [s.name, s.kind]), [['chat gpt-4o', 'llm'], ['tool search', 'tool'], ['agent research', 'agent']]);
    // gen_ai.response.model wins over the request model; prompt 2 000 already includes the 1 000 cached.
    assert.deepEqual(ol.usage.map((u) => [u.model, u.input, u.output, u.cacheRead]), [['gpt-4o-2024-08-06', 2000, 400, 1000]]);
    assert.equal(ol.spans[0].parent, 2, 'the child listed before its parent is linked to it');
  });
});

describe('loading profile files of any format', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-load-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('detects by content, not by name', async () => {
    const file = write('trace.log', read('interop/otel-console.txt'));
    const loaded = await loadRuns(file);
    assert.equal(loaded.format, 'otel-console');
    assert.equal(loaded.runs.length, 2);
    assert.equal((await loadProfile(file)).spans.length, 5, 'loadProfile gives the first, largest run');
    const native = write('native.json', read('native/sample.agentprof.jsonl'));
    assert.deepEqual((await loadProfiles(native)).map((r) => r.run.source), ['agentprof']);
  });

  it('refuses a non-native file over the byte cap with a clear message, and caps native files as before', async () => {
    const chrome = write('big.json', read('interop/chrome-crashed.json'));
    const size = fs.statSync(chrome).size;
    const [run] = await loadProfiles(chrome, { maxBytes: 100 });
    assert.equal(run.spans.length, 0);
    assert.equal(run.diagnostics.length, 1);
    assert.equal(
      run.diagnostics[0].message,
      `the file is ${size} bytes, over the read limit of 100 bytes; a Chrome trace file can only be read whole, so it was not read (raise the limit to read it)`,
    );
    const native = write('capped.agentprof.jsonl', read('native/sample.agentprof.jsonl'));
    const [capped] = await loadProfiles(native, { maxBytes: 300 });
    assert.ok(capped.diagnostics.some((d) => /only the first \d+ of \d+ bytes are loaded/.test(d.message)));
  });

  it('gives the error diagnostic for content of no known format, and throws only for unreadable paths', async () => {
    const [run] = await loadProfiles(write('notes.txt', 'just some notes\n'));
    assert.equal(run.diagnostics[0].message, NOT_A_PROFILE);
    await assert.rejects(loadProfiles(path.join(dir, 'missing.json')), /ENOENT/);
  });
});
