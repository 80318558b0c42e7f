/**
 * A FIFO, socket or device named like a profile must never block: `open(2)` of a FIFO without a
 * writer waits forever on one of libuv's shared I/O threads. Every reader opens non-blocking and
 * refuses what is not a regular file, naming the file and what it is (src/io/safe-open.ts).
 * Each case is bounded by a short timeout: before the fix these hung.
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { loadRuns } from '../../src/io/load-profile';
import { ProfileTail, readProfileFile } from '../../src/io/profile-file';
import { ProfileSource } from '../../src/io/profile-source';
import { readSmallFileSync } from '../../src/io/safe-open';
import { BuiltCli } from '../fixtures/hostile/cli-harness';
import { close, header, open } from '../fixtures/hostile/generate';

/** Rejects when `promise` has not settled within `ms` (a blocked open never settles). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms).unref())]);
}

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(within(promise, 3000), pattern);
}

describe('special files named like profiles', function () {
  this.timeout(20_000);
  let tmp: string;
  let fifo: string;
  let cli: BuiltCli;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'agentprof-fifo-'));
    fifo = path.join(tmp, 'fifo.agentprof.jsonl');
    execFileSync('mkfifo', [fifo]);
    cli = new BuiltCli();
  });
  after(() => {
    cli.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a FIFO is refused at once by every reader, naming the file and "FIFO"', async () => {
    const message = /fifo\.agentprof\.jsonl is not a regular file \(FIFO\)/;
    await rejectsWith(loadRuns(fifo), message);
    await rejectsWith(readProfileFile(fifo), message);
    await rejectsWith(new ProfileTail(fifo).poll(), message);
    await rejectsWith(new ProfileSource(fifo).poll(), message);
    assert.throws(() => readSmallFileSync(fifo, 1024), message);
  });

  it('a character device (/dev/zero, endless) is refused, not read', async () => {
    await rejectsWith(loadRuns('/dev/zero'), /zero is not a regular file \(character device\)/);
    await rejectsWith(new ProfileSource('/dev/zero').poll(), /character device/);
  });

  it('a Unix socket is refused with its kind', async () => {
    const sock = path.join(tmp, 'sock.agentprof.jsonl');
    const server = net.createServer().listen(sock);
    await new Promise((r) => server.once('listening', r));
    try {
      await rejectsWith(loadRuns(sock), /sock\.agentprof\.jsonl is not a regular file \(socket\)/);
    } finally {
      server.close();
    }
  });

  it('a regular file still reads', async () => {
    const file = path.join(tmp, 'ok.agentprof.jsonl');
    writeFileSync(file, header('ok'));
    const { runs } = await within(loadRuns(file), 3000);
    assert.equal(runs[0].run.name, 'ok');
  });

  it('agentprof report on a FIFO exits 2 at once with a message naming it', async () => {
    const started = Date.now();
    const r = await within(cli.run(['report', fifo]), 8000);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^agentprof: cannot read .*fifo\.agentprof\.jsonl: fifo\.agentprof\.jsonl is not a regular file \(FIFO\)/m);
    assert.ok(Date.now() - started < 8000);
  });

  it('agentprof report --budgets on a FIFO exits 2 with a message', async () => {
    const file = path.join(tmp, 'ok2.agentprof.jsonl');
    writeFileSync(file, header("ok") + open(1, 1, "a") + close(1, 2));
    const budgets = path.join(tmp, 'budgets-fifo.json');
    execFileSync('mkfifo', [budgets]);
    const r = await within(cli.run(['report', file, '--budgets', budgets]), 8000);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /budgets-fifo\.json is not a regular file \(FIFO\)/);
  });
});
