/**
 * The generated inputs of the benchmarks in bench/data (git-ignored): native and OTLP runs of each
 * size, the longer run the incremental case appends from, and agent.py. A manifest records what
 * was generated with which generator version, so files are made once and reused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentSource, generateRun, GENERATOR_VERSION, GeneratedRun, SEED } from './generate';

export interface DataFiles {
  native(size: number): string;
  otlp(size: number): string;
  /** The run the incremental case appends from, with a byte offset every 1 000 spans. */
  incremental: { file: string; marks: GeneratedRun['marks'] };
  agentSource: string;
  /** Facts of each generated run, by file name. */
  runs: Record<string, GeneratedRun>;
}

interface Manifest {
  version: number;
  seed: number;
  runs: Record<string, GeneratedRun>;
}

/** Spans of the run the incremental case starts from. */
export const INCREMENTAL_BASE_SPANS = 100_000;
/** Spans each incremental repetition appends. */
export const INCREMENTAL_CHUNK_SPANS = 1_000;

export function ensureData(dataDir: string, sizes: number[], incrementalReps: number, log: (line: string) => void): DataFiles {
  fs.mkdirSync(dataDir, { recursive: true });
  const manifestPath = path.join(dataDir, 'manifest.json');
  let manifest: Manifest = { version: GENERATOR_VERSION, seed: SEED, runs: {} };
  try {
    const old = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
    if (old.version === GENERATOR_VERSION && old.seed === SEED) manifest = old;
  } catch {
    /* none yet */
  }
  const native = (size: number) => path.join(dataDir, `native-${size}.agentprof.jsonl`);
  const otlp = (size: number) => path.join(dataDir, `otlp-${size}.jsonl`);
  const fresh = (name: string, ...files: string[]) => manifest.runs[name] !== undefined && files.every((f) => fs.existsSync(f));
  const save = () => fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

  for (const size of sizes) {
    const name = `run-${size}`;
    if (fresh(name, native(size), otlp(size))) continue;
    log(`generating a run of ${size} spans (native + OTLP)…`);
    manifest.runs[name] = generateRun(size, native(size), otlp(size));
    save();
  }
  const incrementalSpans = INCREMENTAL_BASE_SPANS + (incrementalReps + 2) * INCREMENTAL_CHUNK_SPANS;
  const incrementalFile = path.join(dataDir, `incremental-${incrementalSpans}.agentprof.jsonl`);
  const incrementalName = `incremental-${incrementalSpans}`;
  if (!fresh(incrementalName, incrementalFile)) {
    log(`generating the incremental run (${incrementalSpans} spans)…`);
    manifest.runs[incrementalName] = generateRun(incrementalSpans, incrementalFile, undefined, INCREMENTAL_CHUNK_SPANS);
    save();
  }
  const agentPath = path.join(dataDir, 'agent.py');
  const source = agentSource();
  if (!fs.existsSync(agentPath) || fs.readFileSync(agentPath, 'utf8') !== source) fs.writeFileSync(agentPath, source);
  return {
    native,
    otlp,
    incremental: { file: incrementalFile, marks: manifest.runs[incrementalName].marks },
    agentSource: agentPath,
    runs: manifest.runs,
  };
}
