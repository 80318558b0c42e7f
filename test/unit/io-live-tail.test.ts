/**
 * LIVE: a child Node process appends a profile (N span starts and ends, random nesting) in
 * random-sized writes that cut lines anywhere, while the test polls a ProfileTail concurrently.
 * Ten times the writer stops right after half a line and waits until the test has polled, so
 * reading a half-written line is exercised on every run, not only when the timing happens to
 * allow it. At the end the live model must equal a batch parse of the finished file: every span
 * exactly once, all closed, no diagnostics.
 */
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseJsonl } from '../../src/ingest/jsonl';
import { ProfileTail } from '../../src/io/profile-file';

const SPANS = 5000;
/** Every HANDSHAKE_EVERY-th span start is left half-written until the test has polled. */
const HANDSHAKE_EVERY = 500;

/** The writer (plain JS, run with `node -e`). Deterministic for a given seed. */
const WRITER = String.raw`
const fs = require('fs');
const [file, nArg, everyArg, seedArg] = process.argv.slice(1);
const N = Number(nArg), EVERY = Number(everyArg);
let seed = Number(seedArg);
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const fd = fs.openSync(file, 'a');
let out = '{"t":"run","v":1,"name":"live","start":"1000","pid":' + process.pid + ',"argv":[],"cwd":"/w","recorder":"live-test/0"}\n';
let at = 0;
const open = [];
function writeSome(all) {
  while (out.length > (all ? 0 : 2000)) {
    const n = Math.min(out.length, 1 + Math.floor(rand() * 700));
    fs.writeSync(fd, out.slice(0, n));
    out = out.slice(n);
    if (rand() < 0.1) Atomics.wait(sleeper, 0, 0, 1);
  }
}
function waitForTest() {
  const byte = Buffer.alloc(1);
  for (;;) {
    try { if (fs.readSync(0, byte, 0, 1, null) === 1) return; }
    catch (e) { if (e.code !== 'EAGAIN') throw e; }
    Atomics.wait(sleeper, 0, 0, 1);
  }
}
for (let id = 1; id <= N; id++) {
  at += 1 + Math.floor(rand() * 1000);
  const p = open.length > 0 && rand() < 0.8 ? open[Math.floor(rand() * open.length)] : undefined;
  const line = JSON.stringify({ t: 's', id, p, n: 'tool:step', at, f: 'w.js', l: 1 + (id % 100) }) + '\n';
  if (id % EVERY === 0) {
    fs.writeSync(fd, out + line.slice(0, 10));
    out = line.slice(10);
    process.stdout.write('mid ' + id + '\n');
    waitForTest();
  } else out += line;
  open.push(id);
  while (open.length > 0 && rand() < 0.5) {
    const [done] = open.splice(Math.floor(rand() * open.length), 1);
    at += 1 + Math.floor(rand() * 100);
    out += JSON.stringify({ t: 'e', id: done, at }) + '\n';
  }
  writeSome(false);
}
for (const done of open.reverse()) { at += 1; out += JSON.stringify({ t: 'e', id: done, at }) + '\n'; }
writeSome(true);
fs.closeSync(fd);
`;

describe('ProfileTail: live file written by another process', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'agentprof-live-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it(`sees all ${SPANS} spans exactly once, closed, while lines arrive cut anywhere`, async () => {
    const file = path.join(dir, 'live.agentprof.jsonl');
    const tail = new ProfileTail(file, { chunkBytes: 4096 });
    const child = spawn(process.execPath, ['-e', WRITER, file, String(SPANS), String(HANDSHAKE_EVERY), '12345'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let running = true;
    void exited.then(() => (running = false));

    // Each handshake: the writer has just written the first 10 bytes of span `id`'s start line.
    const halfSeen: number[] = [];
    let handshakes = Promise.resolve();
    let stdout = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (data: string) => {
      stdout += data;
      let nl: number;
      while ((nl = stdout.indexOf('\n')) >= 0) {
        const id = Number(stdout.slice(4, nl));
        stdout = stdout.slice(nl + 1);
        handshakes = handshakes.then(async () => {
          await tail.poll();
          // The half line is held, not parsed: span `id` is not in the model yet.
          if (!tail.profile.spans.some((s) => s.id === id)) halfSeen.push(id);
          child.stdin!.write('c');
        });
      }
    });

    let resets = 0;
    while (running) {
      const r = await tail.poll();
      if (r.reset) resets++;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    assert.equal(await exited, 0);
    await handshakes;
    await tail.poll();

    const bytes = await fs.readFile(file);
    const batch = parseJsonl(bytes);
    const live = tail.profile;
    assert.equal(tail.offset, bytes.length);
    assert.deepEqual(halfSeen, [500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
    assert.equal(resets, 0);

    assert.deepEqual(live.diagnostics, []);
    assert.equal(live.spans.length, SPANS);
    const ids = live.spans.map((s) => s.id as number).sort((a, b) => a - b);
    assert.deepEqual(ids, Array.from({ length: SPANS }, (_, i) => i + 1));
    assert.ok(live.spans.every((s) => s.end === s.end && s.end >= s.start));
    // Same spans (ids, parents, times, lines) as reading the finished file in one go.
    assert.deepStrictEqual(live.spans, batch.spans);
    assert.equal(live.maxTime, batch.maxTime);
  });
});
