/**
 * Overhead of one empty timer: 200 000 `profiler.timer(name, () => {})` calls writing to a temp
 * file, minus an empty loop calling the same function. Run from the repo root:
 *
 *   node recorders/node/build.js && node --import tsx recorders/node/bench-overhead.ts
 *
 * It measures the built bundle (dist/index.js), which is what agents load; with `--source` it
 * measures the TypeScript modules through tsx instead (slower: tsx's module interop adds a getter
 * call per imported name). Prints µs per timer, as CPU time of this process (steadier than wall
 * time on a shared machine; both are shown), for the default path (call site + span lines) and,
 * for comparison, the manual form, the `timed` wrapper (call site taken once) and a disabled
 * writer (no call site, no file).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type Recorder = typeof import('./index');
const bundle = path.join(__dirname, 'dist', 'index.js');
const fromSource = process.argv.includes('--source');
if (!fromSource && !fs.existsSync(bundle)) {
  console.error('build first: node recorders/node/build.js (or pass --source)');
  process.exit(1);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PerformanceProfiler, ProfileWriter }: Recorder = require(fromSource ? './index' : bundle);

const COUNT = 200_000;
const ROUNDS = 5;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-bench-'));

function empty(): number {
  return 0;
}

interface Cost {
  cpuNs: number;
  wallNs: number;
}

/** Best of ROUNDS of `COUNT` calls of `body`, ns per call. */
function bestNsPerCall(body: () => void, afterRound: () => void): Cost {
  const best: Cost = { cpuNs: Infinity, wallNs: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    const wallBegin = process.hrtime.bigint();
    const cpuBegin = process.cpuUsage();
    for (let i = 0; i < COUNT; i++) body();
    const cpu = process.cpuUsage(cpuBegin);
    best.wallNs = Math.min(best.wallNs, Number(process.hrtime.bigint() - wallBegin) / COUNT);
    best.cpuNs = Math.min(best.cpuNs, ((cpu.user + cpu.system) * 1000) / COUNT);
    afterRound();
  }
  return best;
}

const us = (ns: number): string => (ns / 1000).toFixed(2);

const written = new PerformanceProfiler({ writer: new ProfileWriter({ path: path.join(dir, 'timer.agentprof.jsonl') }) });
const off = new PerformanceProfiler({ writer: new ProfileWriter({ disabled: true }) });
const wrapped = written.timed('bench:timed', empty);

// Records grow by COUNT per round (the textbook keeps them all); drop them between rounds so
// every round starts from the same heap.
const dropRecords = (): void => {
  written.records.length = 0;
  off.records.length = 0;
};
const baseline = bestNsPerCall(() => empty(), dropRecords);
const rows: [string, () => void][] = [
  ['timer (call site + file)', () => written.timer('bench:empty', empty)],
  ['start/end (call site + file)', () => written.start('bench:manual').end()],
  ['timed wrapper (site once)', () => wrapped()],
  ['timer, writing disabled', () => off.timer('bench:off', empty)],
];
console.log(`${fromSource ? 'source (tsx)' : 'dist/index.js'}: ${COUNT} calls, best of ${ROUNDS} rounds`);
console.log(`empty loop: ${us(baseline.cpuNs)} µs per call`);
for (const [label, body] of rows) {
  const cost = bestNsPerCall(body, dropRecords);
  console.log(
    `${label}: ${us(cost.cpuNs - baseline.cpuNs)} µs CPU per empty timer (wall ${us(cost.wallNs - baseline.wallNs)} µs)`,
  );
}
written.writer.flush(); // lines of the last burst may still be buffered
const lines = fs.readFileSync(path.join(dir, 'timer.agentprof.jsonl'), 'utf8').split('\n').length - 1;
console.log(`file: ${lines} lines (expected ${1 + rows.filter(([label]) => !label.includes('disabled')).length * ROUNDS * COUNT * 2})`);
fs.rmSync(dir, { recursive: true, force: true });
