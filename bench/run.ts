/**
 * `npm run bench`: the performance suite. Generates deterministic runs (bench/data), builds the
 * production bundles and a bundle of the cases, runs every case in a fresh child process, and
 * writes bench/results.json plus the generated tables of docs/benchmarks.md and README.md.
 *
 *   npm run bench                          full run: 10 000, 100 000 and 1 000 000 spans
 *   npm run bench -- --sizes 10000,100000  only these sizes (the stall case uses the largest)
 *   npm run bench -- --quick               fewer repetitions, sizes up to 100 000
 *   npm run bench -- --only ingest,lens    only these cases (ingest, incremental, lens,
 *                                          activation, recorders, stall, otlp, cli-names)
 *   npm run bench -- --only otlp           the OTLP receiver alone (its own blocks of the docs)
 *   npm run bench -- --no-build            measure the dist/ bundles as they are
 *   npm run bench -- --profile             only: CPU profile of ingest + analysis of the largest
 *                                          native run (node --cpu-prof), top 15 by self time
 *
 * Figures are medians over repetitions after warm-up, with min/max and quartiles, as wall time
 * and as CPU time of the process; on a shared machine CPU time is the steadier one.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildChild, DATA_DIR, ROOT } from './build-child';
import type { ActivationFigures } from './cases/activation';
import { runCliNamesCase } from './cases/cli-names';
import type { IncrementalFigures } from './cases/incremental';
import type { SideBySide } from './cases/ingest';
import type { LensFigures } from './cases/lens';
import { nodeRecorder, pythonRecorder } from './cases/recorders';
import type { StallFigures } from './cases/stall';
import type { CaseSpec } from './child';
import type { OtlpReceiverFigures } from './cases/otlp-receiver';
import { writeOtlpReports } from './otlp-report';
import { selfTimeTable, topSelfTime } from './cpu-top';
import { ensureData, INCREMENTAL_BASE_SPANS } from './data-files';
import { machineInfo, Results, writeReports } from './report';
import { summarize } from './stats';

const RESULT_MARK = 'BENCH_RESULT ';
const CASES = ['ingest', 'incremental', 'lens', 'activation', 'recorders', 'stall', 'otlp', 'cli-names'] as const;
type CaseName = (typeof CASES)[number];

interface Options {
  sizes: number[];
  quick: boolean;
  only: Set<CaseName>;
  build: boolean;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  const sizes = (value('--sizes') ?? (quick ? '10000,100000' : '10000,100000,1000000'))
    .split(',')
    .map((s) => Number(s.replace(/_/g, '')))
    .filter((n) => Number.isInteger(n) && n > 0);
  const only = new Set<CaseName>((value('--only')?.split(',') as CaseName[] | undefined) ?? CASES);
  for (const name of only) if (!CASES.includes(name)) throw new Error(`unknown case ${name}; cases: ${CASES.join(', ')}`);
  return { sizes, quick, only, build: !argv.includes('--no-build') };
}

function log(line: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** Runs one case in a fresh `node --expose-gc` process and returns its figures. */
function runChild<T>(child: string, spec: CaseSpec, nodeArgs: string[] = []): T {
  const r = spawnSync(process.execPath, ['--expose-gc', ...nodeArgs, child, JSON.stringify(spec)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (r.status !== 0 || !line) {
    throw new Error(`case ${spec.case} failed (exit ${r.status ?? r.signal}):\n${(r.stderr ?? '').slice(-2000)}`);
  }
  if (r.stderr?.trim()) process.stderr.write(r.stderr);
  return JSON.parse(line.slice(RESULT_MARK.length)) as T;
}

/** `node --cpu-prof` of one ingest + analysis of `file`; prints and saves the top 15 functions by self time. */
function profileLargest(child: string, file: string, warmFile: string): void {
  const dir = path.join(DATA_DIR, 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  const before = new Set(fs.readdirSync(dir));
  log(`profiling ingest + analysis of ${path.basename(file)}…`);
  runChild<SideBySide>(child, { case: 'ingest', format: 'native', file, warmFile, reps: 1, withFloor: false }, ['--cpu-prof', '--cpu-prof-dir', dir]);
  const made = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  if (made.length === 0) throw new Error('node wrote no .cpuprofile');
  const profileFile = path.join(dir, made[0]);
  const table = selfTimeTable(topSelfTime(JSON.parse(fs.readFileSync(profileFile, 'utf8')), 15));
  fs.writeFileSync(path.join(dir, 'top.md'), `${table}\n`);
  console.log(table);
  log(`profile: ${path.relative(ROOT, profileFile)} (open it in VS Code or Chrome DevTools); table: bench/data/profiles/top.md`);
}

/**
 * The results to fill: empty for a full run; the last results.json when only some cases or sizes
 * run, so that a partial run updates its figures and keeps the others.
 */
function previousResults(options: Options): Results {
  const empty: Results = { machine: machineInfo(), options: { sizes: options.sizes, quick: options.quick }, ingest: {} };
  const partial = options.only.size < CASES.length || process.argv.some((a) => a.startsWith('--sizes'));
  const file = path.join(ROOT, 'bench', 'results.json');
  if (!partial || !fs.existsSync(file)) return empty;
  try {
    const previous = JSON.parse(fs.readFileSync(file, 'utf8')) as Results;
    return { ...previous, ingest: previous.ingest ?? {} };
  } catch {
    return empty;
  }
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

function buildProduction(): void {
  log('building the production bundles (node esbuild.js --production)…');
  const built = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the production build failed:\n${built.stderr}`);
}

/** The OTLP receiver case: 100 000 spans per encoding; its figures go to their own blocks. */
function runOtlp(child: string): void {
  const otlp = runChild<OtlpReceiverFigures>(child, { case: 'otlp', spans: 100_352, workerScript: path.join(ROOT, 'dist', 'otlp-worker.js') });
  writeOtlpReports(ROOT, otlp);
  log(
    `OTLP receiver: protobuf ${otlp.protobuf.spansPerSecond.toFixed(0)} spans/s (stall ${fmt(otlp.protobuf.maxStallMs)} ms), ` +
      `JSON ${otlp.json.spansPerSecond.toFixed(0)} spans/s (stall ${fmt(otlp.json.maxStallMs)} ms) in the worker; in-thread protobuf ` +
      `${otlp.inline.protobuf.spansPerSecond.toFixed(0)} spans/s (stall ${fmt(otlp.inline.protobuf.maxStallMs)} ms), JSON ${otlp.inline.json.spansPerSecond.toFixed(0)} spans/s ` +
      `(stall ${fmt(otlp.inline.json.maxStallMs)} ms); idle control ${fmt(otlp.controlMaxMs)} ms`,
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.only.size === 1 && options.only.has('otlp')) {
    // Alone, it needs no generated data and leaves every other result and block untouched.
    if (options.build) buildProduction();
    runOtlp(await buildChild());
    return;
  }
  const started = Date.now();
  // Whole CLI processes on a seed-named run: its own results file and docs table (cases/cli-names.ts).
  if (options.only.has('cli-names')) {
    runCliNamesCase(ROOT, DATA_DIR, options.sizes, options.quick, options.build, log);
    if (options.only.size === 1) return;
  }
  const reps = (size: number) => (size >= 1_000_000 ? 3 : size >= 100_000 ? (options.quick ? 3 : 5) : options.quick ? 5 : 10);
  const incrementalReps = options.quick ? 7 : 12;
  const dataSizes = [...new Set([10_000, ...options.sizes])].sort((a, b) => a - b);
  const data = ensureData(DATA_DIR, dataSizes, incrementalReps, log);

  if (options.build && (options.only.has('activation') || options.only.has('stall') || options.only.has('otlp'))) buildProduction();
  const child = await buildChild();
  if (process.argv.includes('--profile')) {
    profileLargest(child, data.native(Math.max(...options.sizes)), data.native(10_000));
    return;
  }
  const results = previousResults(options);
  results.machine = machineInfo();
  results.options = { sizes: options.sizes, quick: options.quick };

  if (options.only.has('ingest')) {
    for (const format of ['native', 'otlp'] as const) {
      results.ingest[format] ??= {};
      for (const size of options.sizes) {
        const file = format === 'native' ? data.native(size) : data.otlp(size);
        // Warm-up: two runs of the same file; before a 1 M-span run, of the 10 000-span one
        // (a million spans warm the JIT up within the first repetition anyway).
        const warmFile = size <= 100_000 ? file : format === 'native' ? data.native(10_000) : data.otlp(10_000);
        const { ours, floor, ratioWall, ratioCpu } = runChild<SideBySide>(child, { case: 'ingest', format, file, warmFile, reps: reps(size) });
        const floorCpu = Math.min(floor.whole.cpu.median, floor.chunked.cpu.median);
        // Peak memory is per process, and the floor's own peak (a whole-file string and a million
        // parsed lines) lands in the side-by-side process: ours alone gets a process of its own.
        if (size >= 100_000) {
          const alone = runChild<SideBySide>(child, { case: 'ingest', format, file, warmFile, reps: 1, withFloor: false });
          ours.alonePeakRssMb = alone.ours.peakRssMb;
        }
        results.ingest[format]![size] = {
          bytes: fs.statSync(file).size,
          ours,
          floor,
          ratioWall: ratioWall.median,
          ratioCpu: ratioCpu.median,
          ratioSpread: { wall: ratioWall, cpu: ratioCpu },
        };
        log(
          `${format} ${size}: ingest+analysis ${fmt(ours.total.wall.median)} ms (cpu ${fmt(ours.total.cpu.median)}), ` +
            `floor ${fmt(floor.total.wall.median)} ms (cpu ${fmt(floorCpu)}), ratio ${results.ingest[format]![size].ratioWall.toFixed(2)}× wall / ` +
            `${results.ingest[format]![size].ratioCpu.toFixed(2)}× cpu, peak ${ours.peakRssMb.toFixed(0)} MB (alone ${ours.alonePeakRssMb?.toFixed(0) ?? '–'} MB)`,
        );
      }
    }
  }

  if (options.only.has('incremental')) {
    results.incremental = runChild<IncrementalFigures>(child, {
      case: 'incremental',
      file: data.incremental.file,
      marks: data.incremental.marks,
      baseSpans: INCREMENTAL_BASE_SPANS,
      reps: incrementalReps,
    });
    log(`incremental: +${results.incremental.appendedSpans[0]} spans on ${INCREMENTAL_BASE_SPANS}: ${fmt(results.incremental.total.wall.median)} ms (cpu ${fmt(results.incremental.total.cpu.median)})`);
  }

  if (options.only.has('lens')) {
    results.lens = runChild<LensFigures>(child, { case: 'lens', profile: data.native(10_000), source: data.agentSource, reps: options.quick ? 20 : 50 });
    log(`lenses + hover (${results.lens.sourceLines} lines, ${results.lens.timerCalls} timers): ${results.lens.total.wall.median.toFixed(2)} ms`);
  }

  if (options.only.has('activation')) {
    const runs: ActivationFigures[] = [];
    for (let r = 0; r < (options.quick ? 3 : 7); r++) {
      runs.push(runChild<ActivationFigures>(child, { case: 'activation', extension: path.join(ROOT, 'dist', 'extension.js'), sampleProfile: data.native(10_000) }));
    }
    const bundles: Record<string, number> = {};
    for (const f of fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js')).sort()) bundles[f] = fs.statSync(path.join(ROOT, 'dist', f)).size;
    const started = runs.map((r) => r.firstWorkerAfterMs).filter((ms): ms is number => ms !== undefined);
    results.activation = {
      runs: runs.length,
      requireMs: summarize(runs.map((r) => r.requireMs)),
      activateMs: summarize(runs.map((r) => r.activateMs)),
      totalMs: summarize(runs.map((r) => r.totalMs)),
      cpuMs: summarize(runs.map((r) => r.cpuMs)),
      workersStarted: Math.max(...runs.map((r) => r.workersStarted)),
      firstWorkerAfterMs: started.length ? summarize(started).median : undefined,
      commands: runs[0].commands,
      bundles,
      minified: !fs.readFileSync(path.join(ROOT, 'dist', 'extension.js'), 'utf8').includes('sourceMappingURL'),
    };
    const shown = runs.map((r) => r.workerAfterViewShownMs);
    log(
      `activation: ${fmt(results.activation.totalMs.median)} ms (require ${fmt(results.activation.requireMs.median)} + activate ${fmt(results.activation.activateMs.median)}), workers started: ${results.activation.workersStarted}; ` +
        `after the runs view is shown: ${shown.map((ms) => (ms === undefined ? 'no worker' : `worker at ${fmt(ms)} ms`)).join(', ')}`,
    );
  }

  if (options.only.has('recorders')) {
    results.recorders = { python: pythonRecorder(ROOT, 20_000), node: nodeRecorder(ROOT) };
    log(`recorders: Python ${results.recorders.python.cpuUs ?? '?'} µs CPU per timer, Node ${results.recorders.node.cpuUs ?? '?'} µs`);
  }

  if (options.only.has('stall')) {
    const size = Math.max(...options.sizes);
    results.stall = { size, ...runChild<StallFigures>(child, { case: 'stall', file: data.native(size), workerScript: path.join(ROOT, 'dist', 'analysis-worker.js') }) };
    log(`stall while loading ${size} spans in the worker: max ${fmt(results.stall.maxStallMs)} ms (idle control ${fmt(results.stall.controlMaxMs)} ms), result ${results.stall.resultMb.toFixed(1)} MB`);
  }

  if (options.only.has('otlp')) runOtlp(child);

  const waterfall = path.join(ROOT, 'bench', 'results-waterfall.json');
  if (fs.existsSync(waterfall)) results.waterfall = JSON.parse(fs.readFileSync(waterfall, 'utf8'));
  results.durationS = (Date.now() - started) / 1000;
  writeReports(ROOT, results);
  log(`done in ${results.durationS.toFixed(0)} s: bench/results.json, docs/benchmarks.md, README.md (Performance)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
