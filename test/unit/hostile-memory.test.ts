/**
 * Memory: readers stop before the heap limit by their own accounting (src/core/memory-account.ts),
 * with a message naming what was read, rather than reaching V8's limit (under Node 20 that aborted
 * the whole extension host, exit 134, and the CLI died with a V8 fatal error). The limit is set
 * small here so small files show it; one realistic case runs the real CLI on a 200 MB file under
 * Node 20 and (when installed) Node 24 with its real heap-derived limit.
 */
import { strict as assert } from 'assert';
import { once } from 'events';
import { execFileSync } from 'child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DISTINCT_STRING_BYTES, memoryLimitMessage, MemoryAccount, setModelMemoryLimit, SPAN_BYTES, wholeDocumentRefusal } from '../../src/core/memory-account';
import { loadRuns } from '../../src/io/load-profile';
import { ProfileTail } from '../../src/io/profile-file';
import { ProfileSource } from '../../src/io/profile-source';
import { BuiltCli, hasStackTrace } from '../fixtures/hostile/cli-harness';
import { DEFAULT_THRESHOLDS } from '../../src/core/analysis-types';
import { WorkerBackend } from '../../src/extension/worker-client';

const MB = 1024 * 1024;
const HEADER = '{"t":"run","v":1,"name":"big","start":"1763900000000000000","cwd":"/w","argv":["a"]}\n';

/** Streams `count` generated lines after the header into `file` (no string of the whole file). */
async function writeLines(file: string, count: number, line: (i: number) => string, tail: (i: number) => string = () => ''): Promise<void> {
  const out = createWriteStream(file);
  out.write(HEADER);
  let batch = '';
  const flush = async () => {
    if (!out.write(batch)) await once(out, 'drain');
    batch = '';
  };
  for (let i = 1; i <= count; i++) {
    batch += line(i);
    if (batch.length > 1 << 20) await flush();
  }
  for (let i = count; i >= 1; i--) {
    batch += tail(i);
    if (batch.length > 1 << 20) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
}

const deepLine = (i: number) => (i === 1 ? '{"t":"s","id":1,"n":"d:x","at":1}\n' : `{"t":"s","id":${i},"p":${i - 1},"n":"d:x","at":${i}}\n`);
const deepEnd = (n: number) => (i: number) => `{"t":"e","id":${i},"at":${2 * n - i + 1}}\n`;
const distinctLine = (i: number) => `{"t":"s","id":${i},"n":"tool:name-${i}","at":${i * 10},"f":"src/file-${i}.py","l":${i}}\n{"t":"e","id":${i},"at":${i * 10 + 5}}\n`;

describe('memory accounting', function () {
  this.timeout(120_000);
  let tmp: string;
  let previous: number;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'agentprof-memory-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));
  beforeEach(() => (previous = setModelMemoryLimit(Infinity)));
  afterEach(() => setModelMemoryLimit(previous));

  it('MemoryAccount: spans and distinct strings, each string counted once', () => {
    const account = new MemoryAccount(9225);
    assert.equal(account.span('abc', undefined), true); // 1024 + 2048 + 6 = 3078
    assert.equal(account.span('abc', undefined), true); // + 1024 (the name is known) = 4102
    assert.equal(account.estimate, 2 * SPAN_BYTES + DISTINCT_STRING_BYTES + 6);
    assert.equal(account.span('x', 'f'), false); // + 1024 + (2048 + 2) + (2048 + 2) = 9226: past 9225
    assert.deepEqual([account.exceeded, account.spans, account.stringBytes], [true, 3, 10]); // abc, x, f: 6 + 2 + 2
  });

  it('a deep chain stops at the limit with a message; the tail reads no further, now or later', async () => {
    const n = 20_000;
    const file = path.join(tmp, 'deep.agentprof.jsonl');
    await writeLines(file, n, deepLine, deepEnd(n));
    setModelMemoryLimit(5000 * SPAN_BYTES);
    const tail = new ProfileTail(file, { chunkBytes: 64 * 1024 });
    const polled = await tail.poll();
    assert.equal(polled.truncatedByCap, true);
    // After k spans of one name: 1024 k + 2048 + 6 bytes; over 5 120 000 from k = 4998 (line 4999).
    assert.equal(tail.profile.spans.length, 4998);
    assert.ok(tail.offset < statSync(file).size / 2, `read ${tail.offset} bytes`);
    const message = memoryLimitMessage(tail.profile);
    assert.match(message ?? '', /^the profile needs more memory than the analysis may use: reading stopped at line 4999 after 4998 spans/);
    assert.ok(tail.profile.diagnostics.some((d) => d.severity === 'error' && d.line === 4999 && d.message === message));
    const again = await tail.poll();
    assert.deepEqual([again.appendedBytes, again.truncatedByCap, tail.profile.spans.length], [0, true, 4998]);
  });

  it('a chain with a distinct name and call site per span stops by its string bytes', async () => {
    const file = path.join(tmp, 'distinct.agentprof.jsonl');
    await writeLines(file, 20_000, distinctLine);
    setModelMemoryLimit(4 * MB);
    const source = new ProfileSource(file);
    await source.poll();
    // Each span: 1 KB + two distinct strings of 2 KB + their characters: about 5 KB, so ~800 spans in 4 MB.
    const spans = source.profile.spans.length;
    assert.ok(spans > 750 && spans < 820, `${spans} spans`);
    assert.match(memoryLimitMessage(source.profile) ?? '', /after \d+ spans \(1 MB of distinct names and files; about 5 MB estimated, the limit is 4 MB\)/);
  });

  it('a Chrome trace over the limit is not parsed at all: refused by its size', async () => {
    const file = path.join(tmp, 'trace.json');
    const events = Array.from({ length: 20_000 }, (_, i) => `{"name":"tool:s","ph":"X","ts":${i * 10},"dur":5,"pid":1,"tid":1}`);
    writeFileSync(file, `[${events.join(',\n')}]`);
    const size = statSync(file).size;
    setModelMemoryLimit(size * 8 - 1);
    const { runs } = await loadRuns(file);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].spans.length, 0);
    assert.equal(memoryLimitMessage(runs[0]), wholeDocumentRefusal(size, 'Chrome trace', size * 8 - 1));
    assert.match(memoryLimitMessage(runs[0]) ?? '', /^a Chrome trace file can only be read whole, and this one \(\d+ MB\) needs about \d+ MB of memory to read; the analysis may use \d+ MB, so it was not read$/);
    setModelMemoryLimit(size * 8);
    assert.equal((await loadRuns(file)).runs[0].spans.length, 20_000);
  });

  it('the analysis worker stops by its own accounting before its heap limit: a result with the message, not a dead worker', async () => {
    // 300 000 spans with a distinct name each (~20 MB): a 256 MB worker heap died on it before.
    const file = path.join(tmp, 'worker-distinct.agentprof.jsonl');
    await writeLines(file, 300_000, (i) => `{"t":"s","id":${i},"n":"tool:step_${i}","at":${i * 1000}}\n{"t":"e","id":${i},"at":${i * 1000 + 500}}\n`);
    const logged: string[] = [];
    const script = path.join(__dirname, '..', '..', 'src', 'extension', 'analysis-worker.ts');
    const backend = new WorkerBackend(script, (l) => logged.push(l), { execArgv: ['--require', 'tsx/cjs'], resourceLimits: { maxOldGenerationSizeMb: 256 } });
    backend.configure({ maxFileBytes: 1024 * MB, thresholds: DEFAULT_THRESHOLDS, priceOverrides: [], budgets: [] });
    try {
      const outcome = await backend.analyze(file, false);
      assert.equal(outcome.kind, 'result', JSON.stringify(outcome).slice(0, 500));
      if (outcome.kind !== 'result') return;
      const spans = outcome.result.analysis.run.spans;
      assert.ok(spans > 10_000 && spans < 300_000, `${spans} spans`);
      assert.equal(outcome.result.truncatedByCap, true);
      const problem = outcome.result.analysis.diagnostics.find((d) => d.message.startsWith('the profile needs more memory than the analysis may use'));
      assert.ok(problem, JSON.stringify(outcome.result.analysis.diagnostics));
      assert.equal(problem.severity, 'error');
      assert.deepEqual(logged, []);
    } finally {
      backend.dispose();
    }
  });

  describe('the CLI', () => {
    let cli: BuiltCli;
    before(() => (cli = new BuiltCli()));
    after(() => cli.dispose());

    it('exits 2 with an agentprof: message under a lowered limit (AGENTPROF_MEMORY_LIMIT_MB)', async () => {
      const file = path.join(tmp, 'cli-deep.agentprof.jsonl');
      await writeLines(file, 20_000, deepLine, deepEnd(20_000));
      const r = await cli.run(['report', file], { env: { AGENTPROF_MEMORY_LIMIT_MB: '4' } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^agentprof: .*cli-deep\.agentprof\.jsonl: the profile needs more memory than the analysis may use: reading stopped at line 4095 after 4094 spans .*Not analysed/m);
      assert.ok(!hasStackTrace(r.stderr));
      const full = await cli.run(['report', file, '--json']);
      assert.equal(full.code, 0, 'without the lowered limit it fits');
    });

    /** Node binaries to run the realistic case with: this one (20 here) and the e2e suite's Node 24 when set up. */
    function nodes(): string[] {
      const list = [process.execPath];
      const current = path.join(os.homedir(), '.cache/agent-profiler-e2e/current.json');
      if (existsSync(current)) {
        const node = (JSON.parse(readFileSync(current, 'utf8')) as { node?: string }).node;
        if (node && existsSync(node)) list.push(node);
      }
      return list;
    }

    it('realistic: 200 MB with a distinct name and call site per span; the real heap limit; exit 2 quickly, no V8 abort', async function () {
      this.timeout(240_000);
      const file = path.join(tmp, 'distinct-200mb.agentprof.jsonl');
      const perSpan = distinctLine(1).length; // the shortest line: at least 200 MB
      await writeLines(file, Math.ceil((200 * MB) / perSpan), distinctLine);
      assert.ok(statSync(file).size >= 200 * MB);
      for (const node of nodes()) {
        const started = Date.now();
        // A 2 GB heap, as on a small machine: the accounting (1 GB) stops long before it.
        const r = await cli.run(['report', file], { node, maxOldSpaceMb: 2048 });
        const seconds = (Date.now() - started) / 1000;
        assert.equal(r.code, 2, `${node}: exit ${r.code}\n${r.stderr.slice(0, 2000)}`);
        assert.match(r.stderr, /^agentprof: .*distinct-200mb\.agentprof\.jsonl: the profile needs more memory than the analysis may use: reading stopped at line \d+ after \d+ spans/m, node);
        assert.ok(!/FATAL ERROR|heap out of memory/i.test(r.stderr), r.stderr);
        assert.ok(seconds < 60, `${node}: ${seconds} s`);
        const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
        console.log(`      node ${version}: exit 2 in ${seconds.toFixed(1)} s`);
      }
    });
  });
});
