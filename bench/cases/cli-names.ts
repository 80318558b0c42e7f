/**
 * `agentprof report --json` as a whole process, from a file on disk to the JSON written, on a
 * high-cardinality run named like the seed chapter (bench/seed-run.ts: a distinct name per step),
 * next to the JSON.parse floor measured the same way: a process that reads the same file, cuts it
 * into lines and parses each. Both are timed by `/usr/bin/time` (wall, user + system CPU, peak
 * RSS), back to back per repetition. Also the same report with `--no-group-names` (names apart,
 * output still bounded), to show what grouping saves.
 *
 * Runs in the runner's process (it starts the processes it times), not in a bench child.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { replaceBlock } from '../report';
import { writeSeedRun } from '../seed-run';
import { summarize, type Summary } from '../stats';

/** One timed process. */
export interface ProcessSample {
  wallS: number;
  cpuS: number;
  peakMb: number;
}

export interface CliNamesRow {
  spans: number;
  fileBytes: number;
  reps: number;
  ours: { wallS: Summary; cpuS: Summary; peakMb: number; outputBytes: number };
  floor: { wallS: Summary; cpuS: Summary; peakMb: number };
  /** `--no-group-names`, once: every name its own row (the output still bounded). */
  apart?: ProcessSample & { outputBytes: number };
  /** Ours ÷ floor per repetition, medians. */
  ratioWall: number;
  ratioCpu: number;
}

export interface CliNamesFigures {
  machineNote: string;
  rows: CliNamesRow[];
}

/** The floor process: read the file whole, split it into lines, JSON.parse each line. */
const FLOOR_SCRIPT =
  "const t=require('fs').readFileSync(process.argv[1],'utf8');let n=0;for(const l of t.split('\\n')){if(l)JSON.parse(l),n++}process.stdout.write(n+'\\n')";

/** Runs `node args…` under /usr/bin/time; stdout goes to `out` (or is dropped). */
function timedNode(args: string[], out: string | undefined): ProcessSample & { status: number | null } {
  const timeFile = `${out ?? '/tmp/agentprof-bench-floor'}.time`;
  const fd = out ? fs.openSync(out, 'w') : 'ignore';
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, ...args], {
    stdio: ['ignore', fd, 'pipe'],
    encoding: 'utf8',
    timeout: 900_000,
  });
  if (typeof fd === 'number') fs.closeSync(fd);
  const line = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
  fs.rmSync(timeFile, { force: true });
  const [wall, user, sys, maxKb] = line.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').slice(-1000)}`);
  return { wallS: wall, cpuS: user + sys, peakMb: maxKb / 1024, status: r.status };
}

/** The seed-named OTLP file of about `spans` spans (3 × steps + 4), made once in `dataDir`. */
export function seedNamesFile(dataDir: string, spans: number): string {
  const steps = Math.max(1, Math.round((spans - 4) / 3));
  const file = path.join(dataDir, `seed-names-${3 * steps + 4}.otlp.jsonl`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    writeSeedRun(steps, `${file}.tmp`);
    fs.renameSync(`${file}.tmp`, file);
  }
  return file;
}

/** The case at each size: `reps` repetitions of floor then ours, and one `--no-group-names` run. */
export function cliNamesCase(cli: string, dataDir: string, sizes: number[], reps: (size: number) => number, log: (line: string) => void): CliNamesFigures {
  if (!fs.existsSync('/usr/bin/time')) throw new Error('the cli-names case needs /usr/bin/time (Debian package "time")');
  const rows: CliNamesRow[] = [];
  for (const size of sizes) {
    const file = seedNamesFile(dataDir, size);
    const spans = 3 * Math.max(1, Math.round((size - 4) / 3)) + 4;
    const out = path.join(dataDir, `cli-names-${spans}.json`);
    const n = reps(size);
    const ours: ProcessSample[] = [];
    const floor: ProcessSample[] = [];
    const ratioWall: number[] = [];
    const ratioCpu: number[] = [];
    let outputBytes = 0;
    for (let r = 0; r < n; r++) {
      const f = timedNode(['-e', FLOOR_SCRIPT, file], undefined);
      const o = timedNode([cli, 'report', '--json', file], out);
      outputBytes = fs.statSync(out).size;
      floor.push(f);
      ours.push(o);
      ratioWall.push(o.wallS / f.wallS);
      ratioCpu.push(o.cpuS / f.cpuS);
    }
    const apartOut = `${out}.apart`;
    const apart = timedNode([cli, 'report', '--json', '--no-group-names', file], apartOut);
    const row: CliNamesRow = {
      spans,
      fileBytes: fs.statSync(file).size,
      reps: n,
      ours: { wallS: summarize(ours.map((s) => s.wallS)), cpuS: summarize(ours.map((s) => s.cpuS)), peakMb: Math.max(...ours.map((s) => s.peakMb)), outputBytes },
      floor: { wallS: summarize(floor.map((s) => s.wallS)), cpuS: summarize(floor.map((s) => s.cpuS)), peakMb: Math.max(...floor.map((s) => s.peakMb)) },
      apart: { wallS: apart.wallS, cpuS: apart.cpuS, peakMb: apart.peakMb, outputBytes: fs.statSync(apartOut).size },
      ratioWall: summarize(ratioWall).median,
      ratioCpu: summarize(ratioCpu).median,
    };
    fs.rmSync(out, { force: true });
    fs.rmSync(apartOut, { force: true });
    rows.push(row);
    log(
      `cli-names ${spans}: report --json ${row.ours.wallS.median.toFixed(2)} s wall (cpu ${row.ours.cpuS.median.toFixed(2)} s, peak ${row.ours.peakMb.toFixed(0)} MB, ` +
        `${(outputBytes / 1024).toFixed(0)} KB out); floor ${row.floor.wallS.median.toFixed(2)} s (cpu ${row.floor.cpuS.median.toFixed(2)} s); ` +
        `ratio ${row.ratioWall.toFixed(2)}× wall / ${row.ratioCpu.toFixed(2)}× cpu; --no-group-names ${apart.wallS.toFixed(2)} s (cpu ${apart.cpuS.toFixed(2)} s)`,
    );
  }
  return { machineNote: 'processes timed by /usr/bin/time; CPU = user + system', rows };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 2 : 0);
const s = (x: number) => x.toFixed(2);

/** The table of docs/benchmarks.md between the `bench:cli-names` markers. */
export function cliNamesMarkdown(figures: CliNamesFigures, when: string): string {
  const lines = [
    `Measured ${when}; ${figures.machineNote}. Medians over the repetitions; peak = max RSS of the process.`,
    '',
    '| Spans (file) | Reps | `report --json` wall / CPU | Peak | Output | JSON.parse floor wall / CPU | Ratio wall / CPU | `--no-group-names` wall / CPU, output |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of figures.rows) {
    lines.push(
      `| ${r.spans.toLocaleString('en-US')} (${mb(r.fileBytes)} MB) | ${r.reps} | ${s(r.ours.wallS.median)} s / ${s(r.ours.cpuS.median)} s | ${r.ours.peakMb.toFixed(0)} MB | ` +
        `${(r.ours.outputBytes / 1024).toFixed(0)} KB | ${s(r.floor.wallS.median)} s / ${s(r.floor.cpuS.median)} s | ${r.ratioWall.toFixed(2)}× / ${r.ratioCpu.toFixed(2)}× | ` +
        (r.apart ? `${s(r.apart.wallS)} s / ${s(r.apart.cpuS)} s, ${(r.apart.outputBytes / 1024).toFixed(0)} KB |` : '– |'),
    );
  }
  return lines.join('\n');
}

/**
 * The case as `npm run bench` runs it: builds the production CLI (unless `build` is false), runs
 * sizes of 100 000 spans and more (3 repetitions at 100 000, 1 at a million; a shared machine),
 * writes bench/results-cli-names.json and its table in docs/benchmarks.md. Its own results file
 * and docs block, so running it alone leaves the other cases' figures as they are.
 */
export function runCliNamesCase(root: string, dataDir: string, sizes: number[], quick: boolean, build: boolean, log: (line: string) => void): void {
  if (build) {
    log('building the production bundles for the cli-names case…');
    const built = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: root, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`the production build failed:\n${built.stderr}`);
  }
  const wanted = sizes.filter((n) => n >= 100_000);
  const figures = cliNamesCase(path.join(root, 'dist', 'cli.js'), dataDir, wanted.length ? wanted : [100_000], (size) => (size >= 1_000_000 || quick ? 1 : 3), log);
  fs.writeFileSync(path.join(root, 'bench', 'results-cli-names.json'), `${JSON.stringify(figures, null, 2)}\n`);
  const docs = path.join(root, 'docs', 'benchmarks.md');
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  fs.writeFileSync(docs, replaceBlock(fs.readFileSync(docs, 'utf8'), 'bench:cli-names', cliNamesMarkdown(figures, when)));
}
