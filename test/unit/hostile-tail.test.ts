/**
 * File-system faults while a writer process is active and a ProfileTail polls the path: the file
 * deleted, renamed, truncated (the writer appends on), rewritten in place with the same header,
 * and replaced by a new run. The tail must never throw, never show a span twice, and end in the
 * state a fresh read of what is at the path gives (or keep its last model when nothing is there).
 */
import { strict as assert } from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Profile } from '../../src/core/model';
import { parseJsonl } from '../../src/ingest/jsonl';
import { ProfileTail } from '../../src/io/profile-file';
import { startWriter, type LiveWriter } from '../fixtures/hostile/live-writer';

const SPANS = 2000;

/** Polls the tail every millisecond until `done` resolves; collects the results; any throw fails. */
function pollUntil(tail: ProfileTail, done: Promise<unknown>): Promise<{ resets: number; missing: number }> {
  let running = true;
  void done.then(() => (running = false));
  return (async () => {
    const seen = { resets: 0, missing: 0 };
    while (running) {
      const r = await tail.poll();
      if (r.reset) seen.resets++;
      if (r.missing) seen.missing++;
      // Every intermediate model is consistent too: no id twice.
      assertUniqueIds(tail.profile);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return seen;
  })();
}

function assertUniqueIds(p: Profile): void {
  const ids = new Set(p.spans.map((s) => s.id));
  assert.equal(ids.size, p.spans.length, 'a span id appears twice');
}

/** The tail's final model must equal a fresh parse of the file now at the path. */
async function assertMatchesFile(tail: ProfileTail, file: string): Promise<Profile> {
  await tail.poll();
  const batch = parseJsonl(await fs.readFile(file));
  const live = tail.profile;
  assert.deepStrictEqual(live.spans, batch.spans);
  // Same diagnostics; a live model lists an orphan's warning from the poll that first saw it, so
  // the order may differ from a batch read, which flags orphans at the end.
  const byLine = (p: Profile) => [...p.diagnostics].sort((a, b) => a.line - b.line || a.message.localeCompare(b.message));
  assert.deepStrictEqual(byLine(live), byLine(batch));
  assert.equal(live.run.name, batch.run.name);
  assertUniqueIds(live);
  return live;
}

describe('ProfileTail: file-system faults while a writer is active', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  let writers: LiveWriter[];
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'agentprof-faults-'));
    file = path.join(dir, 'run.agentprof.jsonl');
    writers = [];
  });
  afterEach(async () => {
    for (const w of writers) if (w.child.exitCode === null) w.child.kill();
    await fs.rm(dir, { recursive: true, force: true });
  });
  const start = (target: string, options: Parameters<typeof startWriter>[1]) => {
    const w = startWriter(target, options);
    writers.push(w);
    return w;
  };

  it('deleted: the tail says missing and keeps its last model; no throw', async () => {
    const w = start(file, { spans: SPANS, pauses: [SPANS / 2] });
    const polling = pollUntil(new ProfileTail(file), w.exited);
    await w.paused(SPANS / 2);
    const tail = new ProfileTail(file, { chunkBytes: 4096 });
    await tail.poll();
    const before = tail.profile.spans.length;
    assert.equal(before, SPANS / 2);
    await fs.unlink(file);
    w.resume(); // the writer goes on writing into the unlinked file
    const during = pollUntil(tail, w.exited);
    assert.equal(await w.exited, 0);
    const seen = await during;
    await polling;
    assert.ok(seen.missing > 0);
    assert.equal((await tail.poll()).missing, true);
    assert.equal(tail.profile.spans.length, before);
    assertUniqueIds(tail.profile);
  });

  it('renamed: the old path goes missing; a tail on the new name reads the whole run', async () => {
    const w = start(file, { spans: SPANS, pauses: [SPANS / 2] });
    const tail = new ProfileTail(file, { chunkBytes: 4096 });
    const polling = pollUntil(tail, w.exited);
    await w.paused(SPANS / 2);
    await tail.poll(); // everything up to the pause (its lines are complete) is read
    assert.equal(tail.profile.spans.length, SPANS / 2);
    const moved = path.join(dir, 'moved.agentprof.jsonl');
    await fs.rename(file, moved);
    w.resume();
    assert.equal(await w.exited, 0);
    await polling;
    // (Whether a poll fell between the rename and the writer's exit depends on timing; this one does.)
    assert.equal((await tail.poll()).missing, true);
    // A poll that opened the file just before the rename reads on through its handle, so the
    // kept model holds at least what was read at the pause, at most the whole run, each span once.
    const kept = tail.profile.spans.length;
    assert.ok(kept >= SPANS / 2 && kept <= SPANS, `the last model is kept (${kept} spans)`);
    assertUniqueIds(tail.profile);
    const fresh = new ProfileTail(moved);
    const live = await assertMatchesFile(fresh, moved);
    assert.equal(live.spans.length, SPANS);
  });

  it('truncated while the writer appends on: the tail starts over and ends equal to the file', async () => {
    const w = start(file, { spans: SPANS, pauses: [SPANS / 4, SPANS / 2] });
    const tail = new ProfileTail(file, { chunkBytes: 4096 });
    const polling = pollUntil(tail, w.exited);
    await w.paused(SPANS / 4);
    w.resume();
    await w.paused(SPANS / 2);
    await fs.truncate(file, 0); // e.g. `: > run.agentprof.jsonl`; O_APPEND writes go on from 0
    w.resume();
    assert.equal(await w.exited, 0);
    const seen = await polling;
    const last = await tail.poll();
    assert.ok(seen.resets + (last.reset ? 1 : 0) >= 1);
    const live = await assertMatchesFile(tail, file);
    // Only what was written after the truncation: no header, ends of spans started before it.
    assert.equal(live.diagnostics[0].message, 'the file does not start with a "run" header; the run start is taken as 0');
    assert.ok(live.spans.length > 0 && live.spans.length <= SPANS / 2);
  });

  it('rewritten in place with the same header and other spans: noticed, no span from before kept', async () => {
    const w = start(file, { spans: SPANS, pauses: [SPANS / 2] });
    await w.paused(SPANS / 2);
    const tail = new ProfileTail(file, { chunkBytes: 4096 });
    await tail.poll();
    const original = await fs.readFile(file, 'utf8');
    const headerLine = original.slice(0, original.indexOf('\n') + 1);
    // Same header, then other spans, longer than what the tail has read: only the content differs.
    let rewritten = headerLine;
    for (let id = 900_001; rewritten.length < original.length + 1000; id++) rewritten += `{"t":"s","id":${id},"n":"other","at":${id}}\n{"t":"e","id":${id},"at":${id + 1}}\n`;
    await fs.writeFile(file, rewritten, { flag: 'r+' });
    w.resume();
    assert.equal(await w.exited, 0);
    const r = await tail.poll();
    assert.equal(r.reset, true);
    const live = await assertMatchesFile(tail, file);
    assert.ok(live.spans.every((s) => (s.id as number) >= 900_001 || (s.id as number) > SPANS / 2));
  });

  it('replaced by a new run (renamed over the path) while both writers run: the tail follows the new file', async () => {
    const first = start(file, { spans: SPANS, pauses: [SPANS / 2] });
    const tail = new ProfileTail(file, { chunkBytes: 4096 });
    let writersDone!: () => void;
    const polling = pollUntil(tail, new Promise<void>((resolve) => (writersDone = resolve)));
    await first.paused(SPANS / 2);
    const next = path.join(dir, 'next.agentprof.jsonl');
    const second = start(next, { spans: SPANS, firstId: 100_001, name: 'second', seed: 777, pauses: [SPANS / 4] });
    await second.paused(SPANS / 4);
    await fs.rename(next, file); // the second run now owns the path; the first writes to an unlinked file
    first.resume();
    second.resume();
    assert.deepEqual(await Promise.all([first.exited, second.exited]), [0, 0]);
    writersDone();
    const seen = await polling;
    const last = await tail.poll();
    assert.ok(seen.resets + (last.reset ? 1 : 0) >= 1);
    const live = await assertMatchesFile(tail, file);
    assert.equal(live.run.name, 'second');
    assert.equal(live.spans.length, SPANS);
    assert.ok(live.spans.every((s) => (s.id as number) > 100_000));
  });
});
