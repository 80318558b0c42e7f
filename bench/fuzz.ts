/**
 * The full fuzz run: mutated real profiles (test/fixtures/hostile/fuzz-*.ts) against the native
 * reader, the OTLP importer and the loader's format detection, each followed by analyze() and the
 * reports, every case in a worker thread under a watchdog. Figures go to docs/reliability.md.
 *
 *   node --import tsx bench/fuzz.ts [--cases 100000] [--seed 1] [--workers 2] [--timeout-ms 10000]
 *                                   [--save DIR] [--json FILE]
 *
 * Exit code 1 when any case crashed, hung, broke an invariant or lost a span.
 *
 * The huge-file run writes a real, valid profile of MIB MiB (span lines written with large
 * repeated writes; a sparse file would not be valid JSON Lines) to the temporary folder, loads it
 * the way `agentprof report` does (default 512 MiB cap) in a child process, prints time, memory
 * and diagnostics, and deletes the file:
 *
 *   node --import tsx bench/fuzz.ts --huge 2048
 */
import { spawnSync } from 'child_process';
import { rmSync, statfsSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { runFuzz, type FuzzReport } from '../test/fixtures/hostile/fuzz-harness';
import { writeHugeProfile } from '../test/fixtures/hostile/generate';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string' },
    'timeout-ms': { type: 'string', default: '10000' },
    save: { type: 'string' },
    json: { type: 'string' },
    huge: { type: 'string' },
    'huge-child': { type: 'string' },
  },
});

/** In the child: load like the CLI, analyse, render; print figures as JSON. */
async function hugeChild(file: string): Promise<void> {
  const { loadProfile } = await import('../src/io/load-profile');
  const { analyze } = await import('../src/core/analyze');
  const { renderTextReport } = await import('../src/core/report/text');
  const started = performance.now();
  const profile = await loadProfile(file);
  const loadedMs = performance.now() - started;
  const analysis = analyze(profile);
  const analysedMs = performance.now() - started;
  const text = renderTextReport(profile, analysis);
  process.stdout.write(
    JSON.stringify({
      spans: profile.spans.length,
      loadMs: Math.round(loadedMs),
      analyzeMs: Math.round(analysedMs - loadedMs),
      totalMs: Math.round(performance.now() - started),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      reportChars: text.length,
      diagnostics: profile.diagnostics,
    }) + '\n',
  );
}

/** Writes a valid MIB-MiB profile, loads it in a child, prints the figures, deletes the file. */
function hugeRun(mib: number): number {
  const dir = os.tmpdir();
  const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
  if (free < mib * 2 ** 20 * 1.5) {
    process.stderr.write(`fuzz: not enough space in ${dir}: ${(free / 2 ** 30).toFixed(1)} GiB free\n`);
    return 2;
  }
  const file = path.join(dir, `agentprof-huge-${process.pid}.agentprof.jsonl`);
  try {
    const writeStart = Date.now();
    const spans = writeHugeProfile(file, mib * 2 ** 20);
    process.stdout.write(`wrote ${mib} MiB (${spans} spans) in ${((Date.now() - writeStart) / 1000).toFixed(1)} s\n`);
    const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--huge-child', file], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    process.stdout.write(child.stdout);
    if (child.status !== 0) process.stderr.write(child.stderr);
    return child.status ?? 1;
  } finally {
    rmSync(file, { force: true });
  }
}

function table(report: FuzzReport): string {
  const rows = [['target', 'cases', 'crashes', 'hangs', 'invariant violations', 'valid spans', 'spans lost', 'extra spans', 'MB in', 'max case ms', 'mean case ms']];
  for (const [target, s] of Object.entries(report.stats)) {
    rows.push([
      target,
      String(s.tried),
      String(s.crashes),
      String(s.hangs),
      String(s.violations),
      s.withOracle ? String(s.spansExpected) : 'n/a',
      s.withOracle ? `${s.spansLost} (${s.casesLosingSpans} cases)` : 'n/a',
      s.withOracle ? String(s.spansExtra) : 'n/a',
      (s.inputBytes / 1e6).toFixed(1),
      s.maxCaseMs.toFixed(0),
      (s.totalCaseMs / Math.max(1, s.tried)).toFixed(2),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |').join('\n');
}

async function main(): Promise<number> {
  if (values['huge-child']) {
    await hugeChild(values['huge-child']);
    return 0;
  }
  if (values.huge) return hugeRun(Number(values.huge));
  const cases = Number(values.cases);
  const started = Date.now();
  const report = await runFuzz({
    seed: Number(values.seed),
    cases,
    workers: values.workers ? Number(values.workers) : undefined,
    timeoutMs: Number(values['timeout-ms']),
    saveDir: values.save,
    progressEvery: Math.max(1000, Math.floor(cases / 20)),
    onProgress: (done) => process.stderr.write(`fuzz: ${done}/${cases} cases, ${((Date.now() - started) / 1000).toFixed(0)} s\n`),
  });
  process.stdout.write(`seed ${report.seed}, ${cases} cases in ${report.seconds.toFixed(0)} s\n\n${table(report)}\n`);
  for (const f of report.failures.slice(0, 20)) {
    process.stdout.write(`\n${f.kind} in ${f.target} case ${f.index} (${f.mutations.join(', ')}):\n  ${f.detail.split('\n').slice(0, 6).join('\n  ')}\n`);
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
  const bad = Object.values(report.stats).some((s) => s.crashes || s.hangs || s.violations || s.spansLost || s.spansExtra);
  return bad ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`fuzz: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  },
);
