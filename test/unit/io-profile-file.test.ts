/**
 * Reading profile files from disk: ProfileTail (incremental, detects rewrites) and
 * readProfileFile (whole file, byte cap). Works on files in a fresh temporary folder.
 */
import { strict as assert } from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ProfileTail, readProfileFile } from '../../src/io/profile-file';

const header = (name: string, start = '1000'): string =>
  `{"t":"run","v":1,"name":"${name}","start":"${start}","pid":1,"argv":[],"cwd":"/w","recorder":"test/0"}\n`;
const open = (id: number, at: number): string => `{"t":"s","id":${id},"n":"tool:t${id}","at":${at},"f":"a.py","l":1}\n`;
const close = (id: number, at: number): string => `{"t":"e","id":${id},"at":${at}}\n`;

describe('ProfileTail and readProfileFile', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'agentprof-io-'));
    file = path.join(dir, 'run.agentprof.jsonl');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads only what was appended since the last poll', async () => {
    const first = header('a') + open(1, 10);
    await fs.writeFile(file, first);
    const tail = new ProfileTail(file, { chunkBytes: 16 }); // tiny reads: many chunks per poll
    const r1 = await tail.poll();
    assert.deepEqual(r1, { appendedBytes: first.length, reset: false, truncatedByCap: false, missing: false });
    assert.equal(tail.offset, first.length);
    assert.deepEqual(tail.profile.spans.map((s) => [s.id, s.end]), [[1, NaN]]);

    // Half a line, then its rest: the span appears only when the line is complete.
    const line = close(1, 30);
    await fs.appendFile(file, line.slice(0, 9));
    const r2 = await tail.poll();
    assert.equal(r2.appendedBytes, 9);
    assert.ok(Number.isNaN(tail.profile.spans[0].end));
    await fs.appendFile(file, line.slice(9) + open(2, 40));
    const r3 = await tail.poll();
    assert.equal(r3.appendedBytes, line.length - 9 + open(2, 40).length);
    assert.equal(r3.reset, false);
    assert.deepEqual(tail.profile.spans.map((s) => [s.id, s.end]), [[1, 30], [2, NaN]]);

    const r4 = await tail.poll();
    assert.deepEqual(r4, { appendedBytes: 0, reset: false, truncatedByCap: false, missing: false });
    assert.deepEqual(tail.profile.diagnostics, []);
  });

  it('starts over when the file is truncated', async () => {
    await fs.writeFile(file, header('a') + open(1, 10) + open(2, 20));
    const tail = new ProfileTail(file);
    await tail.poll();
    assert.equal(tail.profile.spans.length, 2);
    const shorter = header('a') + open(7, 5);
    await fs.truncate(file, 0);
    await fs.appendFile(file, shorter);
    const r = await tail.poll();
    assert.deepEqual(r, { appendedBytes: shorter.length, reset: true, truncatedByCap: false, missing: false });
    assert.deepEqual(tail.profile.spans.map((s) => s.id), [7]);
  });

  it('starts over when the file is replaced by a new run (new inode)', async () => {
    await fs.writeFile(file, header('old') + open(1, 10));
    const tail = new ProfileTail(file);
    await tail.poll();
    // A longer file written next to it and renamed over it: same path, bigger, new inode.
    const replacement = header('new', '2000') + open(1, 1) + open(2, 2) + open(3, 3);
    await fs.writeFile(file + '.tmp', replacement);
    await fs.rename(file + '.tmp', file);
    const r = await tail.poll();
    assert.equal(r.reset, true);
    assert.equal(r.appendedBytes, replacement.length);
    assert.equal(tail.profile.run.name, 'new');
    assert.deepEqual(tail.profile.spans.map((s) => s.id), [1, 2, 3]);
  });

  it('starts over when the file is rewritten in place with a different header', async () => {
    await fs.writeFile(file, header('old') + open(1, 10));
    const tail = new ProfileTail(file);
    await tail.poll();
    const handle = await fs.open(file, 'r+'); // same inode, grown past the old offset
    const rewritten = header('new', '2000') + open(5, 1) + open(6, 2) + open(7, 3);
    await handle.write(rewritten, 0);
    await handle.close();
    const r = await tail.poll();
    assert.equal(r.reset, true);
    assert.equal(tail.profile.run.name, 'new');
    assert.deepEqual(tail.profile.spans.map((s) => s.id), [5, 6, 7]);
  });

  it('starts over at a new run appended to the same file', async () => {
    const firstRun = header('first') + open(1, 10) + close(1, 20);
    await fs.writeFile(file, firstRun);
    const tail = new ProfileTail(file);
    await tail.poll();
    await fs.appendFile(file, header('second', '5000') + open(1, 3));
    const r = await tail.poll();
    assert.equal(r.reset, true);
    assert.equal(tail.profile.run.name, 'second');
    // The new run's span starts on line 5 (header on 4); its model holds nothing of the first run.
    assert.deepEqual(tail.profile.spans.map((s) => [s.id, s.start, s.sourceLine]), [[1, 3, 5]]);
    assert.deepEqual(tail.profile.diagnostics.map((d) => [d.line, d.severity]), [[4, 'info']]);
    // Later appends continue the second run.
    await fs.appendFile(file, close(1, 9));
    const r2 = await tail.poll();
    assert.equal(r2.reset, false);
    assert.equal(tail.profile.spans[0].end, 9);
  });

  it('reports a missing file without throwing, and recovers when it appears', async () => {
    const tail = new ProfileTail(file);
    assert.deepEqual(await tail.poll(), { appendedBytes: 0, reset: false, truncatedByCap: false, missing: true });
    await fs.writeFile(file, header('a') + open(1, 1));
    const r = await tail.poll();
    assert.equal(r.missing, false);
    assert.equal(tail.profile.spans.length, 1);
    await fs.unlink(file);
    const gone = await tail.poll();
    assert.equal(gone.missing, true);
    assert.equal(tail.profile.spans.length, 1, 'the last model is kept');
    await fs.writeFile(file, header('b') + open(2, 1));
    const back = await tail.poll();
    assert.equal(back.reset, true);
    assert.equal(tail.profile.run.name, 'b');
  });

  it('loads at most maxBytes and says how much of the file that was', async () => {
    const text = header('big') + open(1, 1) + open(2, 2) + open(3, 3);
    await fs.writeFile(file, text);
    const cap = header('big').length + open(1, 1).length + 10; // two lines and 10 bytes of the third
    const tail = new ProfileTail(file, { maxBytes: cap });
    const r = await tail.poll();
    assert.deepEqual(r, { appendedBytes: cap, reset: false, truncatedByCap: true, missing: false });
    assert.deepEqual(tail.profile.spans.map((s) => s.id), [1]);
    assert.deepEqual(tail.profile.diagnostics, [
      { line: 0, severity: 'warning', message: `only the first ${cap} of ${text.length} bytes are loaded (the limit is ${cap} bytes); the rest of the file is not shown` },
    ]);
    // The file grows: nothing more is read, the one warning now names the new size.
    await fs.appendFile(file, open(4, 4));
    const r2 = await tail.poll();
    assert.equal(r2.appendedBytes, 0);
    assert.equal(tail.profile.diagnostics.length, 1);
    assert.match(tail.profile.diagnostics[0].message, new RegExp(`of ${text.length + open(4, 4).length} bytes`));

    // readProfileFile: the cut fragment of line 3 is not reported as a broken line.
    const whole = await readProfileFile(file, { maxBytes: cap });
    assert.deepEqual(whole.spans.map((s) => s.id), [1]);
    assert.deepEqual(whole.diagnostics.map((d) => d.line), [0]);
  });

  it('readProfileFile: parses a last line without newline, reports a broken one', async () => {
    await fs.writeFile(file, header('a') + open(1, 1) + '{"t":"e","id":1,"at":5}');
    const p = await readProfileFile(file);
    assert.equal(p.spans[0].end, 5);
    assert.deepEqual(p.diagnostics, []);

    await fs.writeFile(file, header('a') + open(1, 1) + '{"t":"e","id":1,"a');
    const broken = await readProfileFile(file);
    assert.ok(Number.isNaN(broken.spans[0].end));
    assert.deepEqual(broken.diagnostics.map((d) => [d.line, d.severity]), [[3, 'warning']]);
  });

  it('readProfileFile: throws ENOENT for a missing file', async () => {
    await assert.rejects(readProfileFile(path.join(dir, 'nope.jsonl')), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
  });

  it('serialises overlapping polls', async () => {
    await fs.writeFile(file, header('a') + open(1, 1));
    const tail = new ProfileTail(file);
    const [a, b] = await Promise.all([tail.poll(), tail.poll()]);
    // The first poll read everything, the second found nothing new (no double read).
    assert.equal(a.appendedBytes, header('a').length + open(1, 1).length);
    assert.equal(b.appendedBytes, 0);
    assert.equal(tail.profile.spans.length, 1);
  });
});
