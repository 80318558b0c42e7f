/**
 * Responsiveness of the extension host while a big profile loads: the main thread asks the
 * analysis worker (dist/analysis-worker.js, through the real `WorkerBackend` of
 * src/extension/worker-client.ts) to load and analyse the file, and `monitorEventLoopDelay` at
 * 1 ms resolution records how long the main thread's event loop was blocked. The worker parses
 * and analyses on its own thread; the main thread pays only for receiving the result (the
 * structured clone of the Analysis and view data).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import { DEFAULT_THRESHOLDS } from '../../src/core/analysis-types';
import { WorkerBackend } from '../../src/extension/worker-client';
import { peakRssMb, timed } from '../stats';

export interface StallFigures {
  /** Longest event-loop delay on the main thread during the load, ms. */
  maxStallMs: number;
  /** Longest gap between the ticks of a 1 ms interval timer during the load, ms. */
  maxTickGapMs: number;
  p99StallMs: number;
  meanStallMs: number;
  /** From the request to the result on the main thread. */
  loadMs: number;
  /** Parse + analysis time reported by the worker. */
  workerMs: number;
  /** Size of the result as serialized for the message, MB. */
  resultMb: number;
  /** Time to deserialize that message on one thread, ms (the main thread's share of the hand-over). */
  deserializeMs: number;
  spans: number;
  criticalSegments: number;
  peakRssMb: number;
}

export async function stallCase(file: string, workerScript: string): Promise<StallFigures> {
  const backend = new WorkerBackend(workerScript, (line) => console.error(`[worker] ${line}`));
  backend.configure({ maxFileBytes: 4 * 1024 * 1024 * 1024, thresholds: DEFAULT_THRESHOLDS, priceOverrides: [], budgets: [] });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  // Let the worker thread start before measuring, as it would be long started in a real session.
  await new Promise((resolve) => setTimeout(resolve, 200));
  // The client unrefs its worker (it must not keep an editor alive); this timer keeps the process
  // alive meanwhile, as an editor's event loop always is.
  // It also ticks every millisecond and records the longest gap between ticks, a second measure
  // of the same stall that does not depend on the histogram's timer.
  let lastTick = performance.now();
  let maxGap = 0;
  const keepAlive = setInterval(() => {
    const now = performance.now();
    if (now - lastTick > maxGap) maxGap = now - lastTick;
    lastTick = now;
  }, 1);
  histogram.enable();
  const load = await timed(() => backend.analyze(file, true));
  histogram.disable();
  clearInterval(keepAlive);
  const outcome = load.value;
  backend.dispose();
  if (outcome.kind !== 'result') throw new Error(`the worker did not answer with a result: ${JSON.stringify(outcome)}`);
  const serialized = v8.serialize(outcome.result);
  const deserialize = await timed(() => v8.deserialize(serialized));
  const ms = (ns: number) => ns / 1e6;
  return {
    maxStallMs: ms(histogram.max),
    maxTickGapMs: maxGap,
    p99StallMs: ms(histogram.percentile(99)),
    meanStallMs: ms(histogram.mean),
    loadMs: load.wallMs,
    workerMs: outcome.result.workMs,
    resultMb: serialized.length / 1e6,
    deserializeMs: deserialize.wallMs,
    spans: outcome.result.analysis.run.spans,
    criticalSegments: outcome.result.analysis.criticalPath.length,
    peakRssMb: peakRssMb(),
  };
}
