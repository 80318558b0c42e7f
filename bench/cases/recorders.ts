/**
 * Recorder overhead per empty timer: the Python recorder's own benchmark
 * (recorders/python/bench_overhead.py) and the Node recorder's (recorders/node/bench-overhead.ts,
 * run through tsx on the built bundle recorders/node/dist/index.js). Their printed figures are
 * parsed; CPU time is the figure compared with the targets (wall time is shown too).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RecorderFigures {
  /** µs of CPU per empty timer (the recorder's own figure, best of its rounds). */
  cpuUs: number | undefined;
  wallUs: number | undefined;
  /** What the benchmark printed, for the record. */
  output: string;
  error: string | undefined;
}

function run(command: string, args: string[], cwd: string): { output: string; error: string | undefined } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  const output = `${r.stdout ?? ''}`.trim();
  if (r.error) return { output, error: r.error.message };
  if (r.status !== 0) return { output, error: `exit code ${r.status}: ${(r.stderr ?? '').trim().slice(-500)}` };
  return { output, error: undefined };
}

const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));

export function pythonRecorder(root: string, timers: number): RecorderFigures {
  const { output, error } = run(process.env.PYTHON ?? 'python3', [path.join('recorders', 'python', 'bench_overhead.py'), String(timers)], root);
  // "... overhead per timer: 9.81 µs wall, 9.62 µs CPU (..."
  const m = /overhead per timer: (-?[\d.]+) µs wall, (-?[\d.]+) µs CPU/.exec(output);
  return { wallUs: number(m?.[1]), cpuUs: number(m?.[2]), output, error: error ?? (m ? undefined : 'no figure in the output') };
}

export function nodeRecorder(root: string): RecorderFigures {
  const bundle = path.join(root, 'recorders', 'node', 'dist', 'index.js');
  if (!fs.existsSync(bundle)) {
    const built = run(process.execPath, [path.join('recorders', 'node', 'build.js')], root);
    if (built.error) return { cpuUs: undefined, wallUs: undefined, output: built.output, error: `building the Node recorder failed: ${built.error}` };
  }
  const { output, error } = run(process.execPath, ['--import', 'tsx', path.join('recorders', 'node', 'bench-overhead.ts')], root);
  // "timer (call site + file): 2.31 µs CPU per empty timer (wall 2.40 µs)"
  const m = /^timer \(call site \+ file\): (-?[\d.]+) µs CPU per empty timer \(wall (-?[\d.]+) µs\)/m.exec(output);
  return { cpuUs: number(m?.[1]), wallUs: number(m?.[2]), output, error: error ?? (m ? undefined : 'no figure in the output') };
}
