/**
 * Large hostile inputs, generated into a temporary folder (test/fixtures/hostile/generate.ts):
 * a 50 MB line, a 2 GiB file under a small byte cap, 100 000-deep nesting, a 1 000 000-wide
 * fan-out and a 1 MB name. Each must give its diagnostic, keep the valid records and stay within
 * loose memory bounds. No timing assertions: speed is measured in bench/.
 */
import { strict as assert } from 'assert';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseJsonl } from '../../src/ingest/jsonl';
import { ProfileTail, readProfileFile } from '../../src/io/profile-file';
import { close, deepChain, header, longName, open, wideFanOut, writeLongLine } from '../fixtures/hostile/generate';
import { runPipeline } from '../fixtures/hostile/pipeline';

const MB = 1024 * 1024;

/** Heap plus array buffers: what reading a file can grow. */
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Runs `work`, sampling memory every few ms; returns its result and the peak growth in bytes. */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const base = used();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, used())), 2);
  try {
    const result = await work();
    peak = Math.max(peak, used());
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

describe('hostile large inputs', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'agentprof-large-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a 50 MB line is skipped unread: its line number reported, memory far below the line’s size', async () => {
    const file = path.join(dir, 'long-line.agentprof.jsonl');
    writeLongLine(file, 50 * MB);
    const { result: p, growth } = await peakGrowth(() => readProfileFile(file, { maxLineBytes: 1 * MB }));
    assert.deepEqual(p.spans.map((s) => [s.id, s.end]), [[1, 4], [3, 3]]);
    assert.deepEqual(p.diagnostics, [{ line: 3, severity: 'error', message: 'line longer than the limit of 1048576 bytes; skipped unread' }]);
    // Reading is chunked (4 MiB) and an over-long line is not held: far below the 50 MB line.
    assert.ok(growth < 32 * MB, `grew by ${(growth / MB).toFixed(1)} MB`);
    rmSync(file);
  });

  it('a 2 GiB file under a 1 MiB cap: reads 1 MiB and says how much of how much', async () => {
    const file = path.join(dir, 'huge.agentprof.jsonl');
    const start = header('huge') + open(1, 0) + close(1, 10);
    writeFileSync(file, start);
    truncateSync(file, 2 * 1024 * MB); // sparse: no disk used, reads as NUL bytes
    const tail = new ProfileTail(file, { maxBytes: MB, maxLineBytes: 64 * 1024 });
    const { result: polled, growth } = await peakGrowth(() => tail.poll());
    assert.deepEqual(polled, { appendedBytes: MB, reset: false, truncatedByCap: true, missing: false });
    assert.equal(tail.offset, MB);
    assert.deepEqual(tail.profile.spans.map((s) => s.id), [1]);
    // 1 MiB = 1 048 576 bytes of 2 GiB = 2 147 483 648; the NUL run after line 3 is line 4.
    assert.deepEqual(tail.profile.diagnostics, [
      { line: 4, severity: 'error', message: 'line longer than the limit of 65536 bytes; skipped unread' },
      { line: 0, severity: 'warning', message: 'only the first 1048576 of 2147483648 bytes are loaded (the limit is 1048576 bytes); the rest of the file is not shown' },
    ]);
    assert.ok(growth < 16 * MB, `grew by ${(growth / MB).toFixed(1)} MB`);
    // A second poll reads nothing more; readProfileFile gives the same model.
    assert.equal((await tail.poll()).appendedBytes, 0);
    const whole = await readProfileFile(file, { maxBytes: MB, maxLineBytes: 64 * 1024 });
    assert.deepEqual(whole.diagnostics, tail.profile.diagnostics);
    rmSync(file);
  });

  it('100 000-deep nesting through analyze, the text report and the waterfall rows', () => {
    const p = parseJsonl(deepChain(100_000));
    const { analysis, text, problems } = runPipeline(p);
    assert.deepEqual(problems, []);
    assert.equal(analysis.run.spans, 100_000);
    // Span 1 [1, 200 000] holds everything: wall 199 999 ns.
    assert.equal(analysis.run.wallMs, 0.199999);
    assert.match(text, /… 99,?955 more rows/);
  });

  it('a 1 000 000-wide fan-out: every child kept under the root, the analysis completes', () => {
    const width = 1_000_000;
    const p = parseJsonl(wideFanOut(width));
    assert.equal(p.spans.length, width + 1);
    assert.equal(p.spans[0].children!.length, width);
    assert.deepEqual(p.diagnostics, []);
    const { analysis, problems } = runPipeline(p);
    assert.deepEqual(problems, []);
    // Root [0, 1 000 010]: wall 1 000 010 ns; 1 000 000 tool:c children.
    assert.equal(analysis.run.wallMs, 1.00001);
    assert.equal(analysis.timing.byCategory.find((c) => c.category === 'tool')!.count, width);
  });

  it('a 1 MB name: kept whole in the model, cut in the text report', () => {
    const p = parseJsonl(longName(MB));
    assert.equal(p.spans[1].name.length, MB);
    const { text, problems } = runPipeline(p);
    assert.deepEqual(problems, []);
    assert.ok(text.length < 20_000, `text report is ${text.length} characters`);
  });
});
