// Hostile folders in Restricted Mode, with a host-stall watchdog (issue 18). Each case opens a
// folder someone else wrote, without trusting it, in a real VS Code (code-server) where a probe
// extension (test/stall-probe/) shares the extension host with Agent Profiler and records a
// heartbeat every 50 ms. A case fails when the host's thread stalled for more than 200 ms, when
// the heartbeat stopped, when Node's I/O pool stopped answering, or when the host's memory grew
// past the bound; and it checks that the folder's real profile is still listed. The red-team
// findings these replay froze the host for minutes (glob and lens ReDoS), walked symlink loops
// to 2.6 GB, and blocked the I/O pool with FIFOs.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeWorkspace, stageProductExtension, startVsCode, VsCodeSession } from './harness';
import { waitUntil } from './lib/agent-profiler';
import { describeProbe, readProbe, stageStallProbe, type ProbeRecord } from './lib/stall-probe';
import { TreeViewPane } from './lib/tree-view';

/**
 * Longest the host may be busy at once. A late heartbeat is a stall when the process used more
 * than this much CPU time during the gap: then it was working, not waiting for a core (these
 * tests share two cores with other test runs, and a descheduled process is late without any
 * fault of its own). Counting the whole process's CPU, worker threads included, errs on the side
 * of failing. A gap without CPU is still bounded by MAX_GAP_MS.
 */
const MAX_STALL_MS = 200;
/** Longest heartbeat gap of any kind: nothing but a blocked host explains seconds. */
const MAX_GAP_MS = 2_000;
/** Most the extension host's resident memory may grow while a folder is open. */
const MAX_RSS_GROWTH_MB = 400;
/** How long a folder is watched after its steps, for late work (watcher events, analysis). */
const SETTLE_MS = 6_000;

const ADVERSARIAL_GLOB = '*a*a*a*a*a*a*a*a*a*a*ab';

/** A small valid native profile: one run, spans in sequence (each 10 ms), ended. */
function profile(name: string, cwd: string, spans: Array<{ n: string; f?: string; l?: number }>): string {
  const lines: string[] = [JSON.stringify({ t: 'run', v: 1, name, start: `${Date.now()}000000`, cwd, recorder: 'e2e-hostile' })];
  spans.forEach((s, i) => {
    lines.push(JSON.stringify({ t: 's', id: i + 1, n: s.n, at: i * 10_000_000, ...(s.f ? { f: s.f, l: s.l } : {}) }));
    lines.push(JSON.stringify({ t: 'e', id: i + 1, at: i * 10_000_000 + 9_000_000 }));
  });
  lines.push(JSON.stringify({ t: 'end', at: spans.length * 10_000_000, status: 'ok' }));
  return lines.join('\n') + '\n';
}

describe('hostile folders in Restricted Mode: the extension host never stalls', function () {
  this.timeout(240_000);
  let product: string;
  let probe: string;
  const scratch: string[] = [];

  before(async function () {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-hostile-ext-'));
    scratch.push(base);
    product = stageProductExtension(path.join(base, 'product'));
    probe = await stageStallProbe(path.join(base, 'probe'));
  });

  after(() => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Opens `dir` untrusted with the probe, runs `steps`, waits SETTLE_MS, checks the probe, then
   * runs `verify` (checks that need the settled state). Returns the probe's record.
   */
  async function openUntrusted(
    name: string,
    dir: string,
    steps: (s: VsCodeSession) => Promise<void>,
    verify: (s: VsCodeSession) => Promise<void> = async () => undefined,
  ): Promise<ProbeRecord> {
    const probeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-probe-')), 'probe.json');
    scratch.push(path.dirname(probeFile), dir);
    const session = await startVsCode({
      name: `hostile-${name}`,
      workspace: dir,
      trust: false,
      extensions: [{ folder: product }, { folder: probe }],
      env: { AGENTPROF_STALL_PROBE_FILE: probeFile },
    });
    try {
      await waitUntil('the stall probe to start', async () => readProbe(probeFile), 60_000);
      await session.workbench.page.getByText('Restricted Mode').first().waitFor({ timeout: 20_000 });
      await steps(session);
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      await session.workbench.screenshot(`${name}-end`);
      const record = readProbe(probeFile)!;
      console.log(`      probe: ${describeProbe(record)}`);
      // A frozen host writes nothing: the record must be fresh, not only free of long gaps.
      assert.ok(Date.now() - record.lastBeat < 2_000, `the heartbeat stopped ${Date.now() - record.lastBeat} ms ago: ${describeProbe(record)}`);
      const stalls = record.gaps.filter((g) => g.ms > MAX_STALL_MS && g.cpuMs > MAX_STALL_MS);
      assert.deepStrictEqual(stalls, [], `the host stalled, busy, for more than ${MAX_STALL_MS} ms: ${describeProbe(record)}`);
      assert.ok(record.maxGapMs <= MAX_GAP_MS, `the heartbeat missed ${record.maxGapMs} ms: ${describeProbe(record)}`);
      assert.ok(record.pendingStatMs < 1_000 && record.maxStatMs < 1_000, `Node's I/O pool stopped answering: ${describeProbe(record)}`);
      assert.ok((record.rssMax - record.rssFirst) / 1048576 < MAX_RSS_GROWTH_MB, `memory grew past ${MAX_RSS_GROWTH_MB} MB: ${describeProbe(record)}`);
      await verify(session);
      return record;
    } catch (err) {
      console.log(`      artifacts: ${await session.saveFailureArtifacts(name)}`);
      throw err;
    } finally {
      await session.dispose();
    }
  }

  /** Waits until the Runs view lists a run named `name` (top level). */
  async function listed(session: VsCodeSession, name: string): Promise<void> {
    const tree = new TreeViewPane(session.workbench, 'Runs');
    await tree.focus(30_000);
    await tree.waitForRow({ label: name, level: 1 }, 60_000);
  }

  /** The text of Agent Profiler's output channel, from VS Code's log folder. */
  function outputLog(session: VsCodeSession): string {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else if (/Agent Profiler\.log$/i.test(e.name) || (full.includes('agentprofiler.agent-profiler') && e.name.endsWith('.log'))) files.push(full);
      }
    };
    if (fs.existsSync(session.server.logsDir)) walk(session.server.logsDir);
    return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  }

  it('glob ReDoS: profileGlobs and files.watcherExclude of the shape *a*a…ab, a file named a×45', async () => {
    const dir = makeWorkspace({
      '.vscode/settings.json': JSON.stringify({
        'agentProfiler.profileGlobs': [ADVERSARIAL_GLOB],
        'files.watcherExclude': { [ADVERSARIAL_GLOB]: true, [`**/${ADVERSARIAL_GLOB}/**`]: true },
      }),
      ['a'.repeat(45)]: '',
      [`${'a'.repeat(44)}/${'a'.repeat(45)}`]: '',
    });
    fs.writeFileSync(path.join(dir, 'run.agentprof.jsonl'), profile('glob-run', dir, [{ n: 'llm:plan' }]));
    await openUntrusted('glob', dir, async (s) => {
      // In Restricted Mode the workspace's profileGlobs are ignored: the default globs list the run.
      await listed(s, 'glob-run');
      // Files created while the folder is open go through the watcher's glob checks.
      fs.writeFileSync(path.join(dir, `${'a'.repeat(45)}b`), '');
      fs.writeFileSync(path.join(dir, 'a'.repeat(46)), '');
    });
  });

  it('lens ReDoS: timer(f"{a0}x…{a11}xy") in source and a span named x×42 in the profile', async () => {
    const holes = Array.from({ length: 12 }, (_, i) => `{a${i}}`).join('x');
    const source = [`with timer(f"${holes}xy"):`, '    pass', 'with timer("llm:ok"):', '    pass', ''].join('\n');
    const dir = makeWorkspace({ 'agent.py': source });
    const spans = [{ n: 'x'.repeat(42), f: 'agent.py', l: 9 }, { n: 'x'.repeat(38), f: 'other.py', l: 1 }, { n: 'llm:ok', f: 'agent.py', l: 3 }];
    fs.writeFileSync(path.join(dir, 'run.agentprof.jsonl'), profile('lens-run', dir, spans));
    await openUntrusted('lens', dir, async (s) => {
      await listed(s, 'lens-run');
      await s.workbench.openFile('agent.py');
      // The lens of llm:ok proves lenses were computed for the file, the hostile call included.
      const lenses = await s.workbench.codeLensesByLine(1, 30_000);
      assert.ok(lenses.some((l) => l.line === 3 && /1 call/.test(l.text)), JSON.stringify(lenses));
    });
  });

  it('symlink loops: loop1 -> ., loop2 -> ., and a link to a folder outside the workspace', async () => {
    const dir = makeWorkspace({ 'runs/keep.txt': '' });
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-outside-'));
    scratch.push(outside);
    fs.writeFileSync(path.join(outside, 'outside.agentprof.jsonl'), profile('outside-run', outside, [{ n: 'llm:secret' }]));
    fs.writeFileSync(path.join(dir, 'runs', 'run.agentprof.jsonl'), profile('loop-run', dir, [{ n: 'llm:plan' }]));
    fs.symlinkSync('.', path.join(dir, 'loop1'));
    fs.symlinkSync('.', path.join(dir, 'loop2'));
    fs.symlinkSync(outside, path.join(dir, 'elsewhere'));
    await openUntrusted('symlinks', dir, async (s) => {
      await listed(s, 'loop-run');
      // A profile written outside while the folder is open must not be listed either.
      fs.writeFileSync(path.join(outside, 'later.agentprof.jsonl'), profile('outside-later', outside, [{ n: 'llm:secret' }]));
      await new Promise((r) => setTimeout(r, 3_000));
      const rows = await new TreeViewPane(s.workbench, 'Runs').rows();
      const top = rows.filter((r) => r.level === 1).map((r) => r.label);
      assert.deepStrictEqual(top, ['loop-run'], `only the workspace's own run is listed: ${JSON.stringify(top)}`);
    });
  });

  it('FIFOs named *.agentprof.jsonl: skipped with a reason, the I/O pool keeps answering', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = makeWorkspace({});
    fs.writeFileSync(path.join(dir, 'run.agentprof.jsonl'), profile('fifo-run', dir, [{ n: 'llm:plan' }]));
    execFileSync('mkfifo', [path.join(dir, 'x.agentprof.jsonl')]);
    await openUntrusted(
      'fifo',
      dir,
      async (s) => {
        await listed(s, 'fifo-run');
        // Four more while the folder is open (the watcher's path): four blocked opens filled Node's pool.
        for (const n of ['p1', 'p2', 'p3', 'p4']) execFileSync('mkfifo', [path.join(dir, `${n}.agentprof.jsonl`)]);
      },
      async (s) => {
        const log = outputLog(s);
        for (const n of ['p1', 'p2', 'p3', 'p4']) assert.match(log, new RegExp(`skipped .*${n}\\.agentprof\\.jsonl: a FIFO \\(named pipe\\), not a regular file`));
      },
    );
  });

  it('a big budgets file: 20 000 budgets that all break, on a run of 300 call sites', async () => {
    const dir = makeWorkspace({});
    const budgets = { budgets: Array.from({ length: 20_000 }, (_, i) => ({ target: i % 2 ? 'llm' : `agent.py:${(i % 300) + 1}`, ms: 1 })) };
    fs.writeFileSync(path.join(dir, 'agentprof.budgets.json'), JSON.stringify(budgets, null, 1));
    fs.writeFileSync(path.join(dir, 'agent.py'), Array.from({ length: 300 }, (_, i) => `timer("llm:c${i}")`).join('\n') + '\n');
    const spans = Array.from({ length: 300 }, (_, i) => ({ n: `llm:c${i}`, f: 'agent.py', l: i + 1 }));
    fs.writeFileSync(path.join(dir, 'run.agentprof.jsonl'), profile('budget-run', dir, spans));
    await openUntrusted('budgets', dir, async (s) => {
      await listed(s, 'budget-run');
    });
  });
});
