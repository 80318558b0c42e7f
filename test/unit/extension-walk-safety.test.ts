/**
 * What the watcher may list (issue 18): regular files inside the workspace folder only. FIFOs,
 * sockets, links out of the folder and paths through link loops are refused with a reason, and
 * checking them never blocks (a FIFO is only lstat'ed, never opened).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { admitFile, RealPathSet, type WalkOptions } from '../../src/extension/walk-safety';

describe('watcher walk safety (issue 18)', function () {
  if (process.platform === 'win32') return; // FIFOs and POSIX links
  let base: string;
  let root: string;
  let server: net.Server;

  before(async () => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'walk-safety-')));
    root = path.join(base, 'ws');
    fs.mkdirSync(path.join(root, 'runs'), { recursive: true });
    fs.mkdirSync(path.join(base, 'outside'));
    fs.writeFileSync(path.join(root, 'runs', 'a.agentprof.jsonl'), '{}\n');
    fs.writeFileSync(path.join(base, 'outside', 'o.agentprof.jsonl'), '{}\n');
    execFileSync('mkfifo', [path.join(root, 'x.agentprof.jsonl')]);
    fs.symlinkSync('.', path.join(root, 'loop1'));
    fs.symlinkSync(path.join(base, 'outside'), path.join(root, 'out'));
    fs.symlinkSync(path.join('runs', 'a.agentprof.jsonl'), path.join(root, 'latest.agentprof.jsonl'));
    fs.symlinkSync(path.join(base, 'outside', 'o.agentprof.jsonl'), path.join(root, 'escape.agentprof.jsonl'));
    server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(root, 's.agentprof.jsonl'), resolve));
  });

  after(() => {
    server.close();
    fs.rmSync(base, { recursive: true, force: true });
  });

  const opts = (followSymlinks: boolean): WalkOptions => ({ root, realRoot: root, followSymlinks });
  const admit = (rel: string, follow = false) => admitFile(path.join(root, rel), opts(follow));

  it('admits a regular file inside the folder, with its real path', async () => {
    assert.deepEqual(await admit('runs/a.agentprof.jsonl'), { ok: true, real: path.join(root, 'runs', 'a.agentprof.jsonl') });
  });

  it('refuses a FIFO and a socket, saying what they are, without blocking', async () => {
    const t0 = Date.now();
    assert.deepEqual(await admit('x.agentprof.jsonl'), { ok: false, reason: 'a FIFO (named pipe), not a regular file' });
    assert.deepEqual(await admit('s.agentprof.jsonl'), { ok: false, reason: 'a socket, not a regular file' });
    assert.ok(Date.now() - t0 < 2000);
  });

  it('refuses paths through links when following is off: loops, links out, links to files', async () => {
    for (const rel of ['loop1/runs/a.agentprof.jsonl', 'loop1/loop1/loop1/runs/a.agentprof.jsonl', 'out/o.agentprof.jsonl', 'latest.agentprof.jsonl']) {
      const v = await admit(rel);
      assert.equal(v.ok, false, rel);
      assert.match((v as { reason: string }).reason, /symbolic link.*followSymlinks is off/, rel);
    }
  });

  it('with following on, admits links that stay inside and refuses links that leave', async () => {
    assert.deepEqual(await admit('latest.agentprof.jsonl', true), { ok: true, real: path.join(root, 'runs', 'a.agentprof.jsonl') });
    assert.deepEqual(await admit('escape.agentprof.jsonl', true), { ok: false, reason: `a symbolic link to ${path.join(base, 'outside', 'o.agentprof.jsonl')}, outside the workspace folder` });
    assert.equal((await admit('out/o.agentprof.jsonl', true)).ok, false);
  });

  it('refuses paths outside the folder and deeper than the limit', async () => {
    assert.deepEqual(await admitFile(path.join(base, 'outside', 'o.agentprof.jsonl'), opts(false)), { ok: false, reason: 'outside the workspace folder' });
    const deep = path.join(root, ...Array.from({ length: 40 }, () => 'd'), 'x.agentprof.jsonl');
    assert.deepEqual(await admitFile(deep, opts(false)), { ok: false, reason: 'deeper than 32 folders' });
  });

  it('lists one path per real file', () => {
    const set = new RealPathSet();
    assert.equal(set.claim('/w/runs/a', '/w/runs/a'), undefined);
    assert.equal(set.claim('/w/latest', '/w/runs/a'), '/w/runs/a');
    assert.equal(set.claim('/w/runs/a', '/w/runs/a'), undefined, 'the same path again is fine');
    set.release('/w/runs/a');
    assert.equal(set.claim('/w/latest', '/w/runs/a'), undefined, 'after the first goes, the link may stand for it');
  });
});
