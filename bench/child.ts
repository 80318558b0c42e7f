/**
 * One benchmark case in a fresh process, so its peak memory (maxRSS) is its own. The runner
 * bundles this file with esbuild (the shape of code users run: one bundle, like dist/) and starts
 * it with `node --expose-gc child.js '<json spec>'`; the figures come back as one stdout line
 * starting with {@link RESULT_MARK}.
 */
import { activationCase } from './cases/activation';
import { incrementalCase } from './cases/incremental';
import { ingestCase } from './cases/ingest';
import { lensCase } from './cases/lens';
import { otlpLoadCase, otlpReceiverCase } from './cases/otlp-receiver';
import { stallCase } from './cases/stall';

export const RESULT_MARK = 'BENCH_RESULT ';

/** What the runner asks a child to do. */
export type CaseSpec =
  | { case: 'ingest'; format: 'native' | 'otlp'; file: string; warmFile: string; reps: number; withFloor?: boolean }
  | { case: 'incremental'; file: string; marks: Array<{ spans: number; offset: number }>; baseSpans: number; reps: number }
  | { case: 'lens'; profile: string; source: string; reps: number }
  | { case: 'activation'; extension: string; sampleProfile: string }
  | { case: 'stall'; file: string; workerScript: string }
  | { case: 'otlp'; spans: number; workerScript: string }
  | { case: 'otlp-load'; port: number; encoding: 'protobuf' | 'json'; spans: number; batch: number; inFlight: number };

async function run(spec: CaseSpec): Promise<unknown> {
  switch (spec.case) {
    case 'ingest':
      return ingestCase(spec.format, spec.file, spec.warmFile, spec.reps, spec.withFloor ?? true);
    case 'incremental':
      return incrementalCase(spec.file, spec.marks, spec.baseSpans, spec.reps);
    case 'lens':
      return lensCase(spec.profile, spec.source, spec.reps);
    case 'activation':
      return activationCase(spec.extension, spec.sampleProfile);
    case 'stall':
      return stallCase(spec.file, spec.workerScript);
    case 'otlp':
      // The sender runs as a second process of this same bundle.
      return otlpReceiverCase(process.argv[1], spec.workerScript, spec.spans);
    case 'otlp-load':
      return otlpLoadCase(spec.port, spec.encoding, spec.spans, spec.batch, spec.inFlight);
    default: {
      const never: never = spec;
      throw new Error(`unknown case ${JSON.stringify(never)}`);
    }
  }
}

run(JSON.parse(process.argv[2]) as CaseSpec).then(
  (figures) => {
    process.stdout.write(`${RESULT_MARK}${JSON.stringify(figures)}\n`);
    // Workers and timers of a case must not keep the process alive.
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
