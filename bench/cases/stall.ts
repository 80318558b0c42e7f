/**
 * Responsiveness of the extension host while a big profile loads: the main thread asks the
 * analysis worker (dist/analysis-worker.js, through the real `WorkerBackend` of
 * src/extension/worker-client.ts) to load and analyse the file, and `monitorEventLoopDelay` at
 * 1 ms resolution records how long the main thread's event loop was blocked. The worker parses
 * and analyses on its own thread; the main thread pays only for receiving the result (the
 * structured clone of the Analysis and view data).
 *
 * On a shared machine a thread also waits for a core now and then, which shows as a delay too.
 * So each of three loads also reports the delay at the moment the result arrives (the gap of a
 * 1 ms ticker that spans the delivery: deserializing the message and resolving the request),
 * apart from the largest delay while the worker was still busy; and the case watches an idle
 * main thread for as long as a load takes, as a control.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import { DEFAULT_THRESHOLDS } from '../../src/core/analysis-types';
import { type AnalyzeOutcome, WorkerBackend } from '../../src/extension/worker-client';
import { peakRssMb, summarize, Summary, timed } from '../stats';

export interface StallFigures {
  /** Largest event-loop delay on the main thread during a load, ms (median of the loads). */
  maxStallMs: number;
  /** The largest delay of each load, ms. */
  maxStallPerLoadMs: number[];
  /** Largest delay of the same main thread while idle for as long as a load (machine noise), ms. */
  controlMaxMs: number;
  /** Per load: the main thread's delay when the result arrived (deserialize + resolve), ms. */
  deliveryStallPerLoadMs: number[];
  /** Per load: the largest delay while the worker was still busy (nothing of ours ran), ms. */
  beforeStallPerLoadMs: number[];
  /** Longest gap between the ticks of a 1 ms interval timer during the loads, ms (a second measure). */
  maxTickGapMs: number;
  p99StallMs: number;
  /** From the request to the result on the main thread. */
  loadMs: Summary;
  /** Parse + analysis time reported by the worker. */
  workerMs: Summary;
  /** Size of the result as serialized for the message, MB. */
  resultMb: number;
  /** `v8.deserialize` of that message, ms: an upper bound of the main thread's share of the hand-over. */
  deserializeMs: number;
  spans: number;
  criticalSegments: number;
  peakRssMb: number;
}

const LOADS = 3;

interface Watched<T> {
  value: T;
  /** Largest delay of the event-loop histogram, ms. */
  maxMs: number;
  p99Ms: number;
  /** Largest gap between ticks of a 1 ms timer, ms. */
  maxGapMs: number;
  /** The ticker's gap that spans the moment `during` resolved, ms. */
  deliveryGapMs: number;
  /** Largest ticker gap that ended before `during` resolved, ms. */
  beforeGapMs: number;
}

/** Watches the event loop while `during` runs: histogram at 1 ms plus a 1 ms ticker's largest gap. */
async function watched<T>(during: () => Promise<T>): Promise<Watched<T>> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  // The client unrefs its worker (it must not keep an editor alive); this ticker keeps the
  // process alive meanwhile, as an editor's event loop always is.
  let lastTick = performance.now();
  let resolvedAt = Infinity;
  let maxGap = 0;
  let beforeGap = 0;
  let deliveryGap = -1;
  const ticker = setInterval(() => {
    const now = performance.now();
    const gap = now - lastTick;
    lastTick = now;
    if (gap > maxGap) maxGap = gap;
    if (now < resolvedAt) beforeGap = Math.max(beforeGap, gap);
    else if (deliveryGap < 0) deliveryGap = gap; // the first tick after the delivery
  }, 1);
  histogram.enable();
  const value = await during();
  resolvedAt = performance.now();
  // Let the ticker fire once more, to close the gap that spans the delivery.
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  clearInterval(ticker);
  return { value, maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, maxGapMs: maxGap, deliveryGapMs: deliveryGap, beforeGapMs: beforeGap };
}

export async function stallCase(file: string, workerScript: string): Promise<StallFigures> {
  const backend = new WorkerBackend(workerScript, (line) => console.error(`[worker] ${line}`));
  backend.configure({ maxFileBytes: 4 * 1024 * 1024 * 1024, thresholds: DEFAULT_THRESHOLDS, priceOverrides: [], budgets: [] });
  const loads: Array<Watched<AnalyzeOutcome> & { wallMs: number }> = [];
  for (let k = 0; k < LOADS; k++) {
    const t0 = performance.now();
    const w = await watched(() => backend.analyze(file, true));
    loads.push({ ...w, wallMs: performance.now() - t0 });
    backend.close(file);
  }
  const idleMs = summarize(loads.map((l) => l.wallMs)).median;
  const control = await watched(() => new Promise((resolve) => setTimeout(resolve, idleMs)));
  backend.dispose();
  const outcome = loads[loads.length - 1].value;
  if (outcome.kind !== 'result') throw new Error(`the worker did not answer with a result: ${JSON.stringify(outcome)}`);
  const serialized = v8.serialize(outcome.result);
  const deserialize = await timed(() => v8.deserialize(serialized));
  const perLoad = loads.map((l) => l.maxMs);
  return {
    maxStallMs: summarize(perLoad).median,
    maxStallPerLoadMs: perLoad,
    controlMaxMs: control.maxMs,
    deliveryStallPerLoadMs: loads.map((l) => l.deliveryGapMs),
    beforeStallPerLoadMs: loads.map((l) => l.beforeGapMs),
    maxTickGapMs: Math.max(...loads.map((l) => l.maxGapMs)),
    p99StallMs: Math.max(...loads.map((l) => l.p99Ms)),
    loadMs: summarize(loads.map((l) => l.wallMs)),
    workerMs: summarize(loads.map((l) => (l.value.kind === 'result' ? l.value.result.workMs : NaN))),
    resultMb: serialized.length / 1e6,
    deserializeMs: deserialize.wallMs,
    spans: outcome.result.analysis.run.spans,
    criticalSegments: outcome.result.analysis.criticalPath.length,
    peakRssMb: peakRssMb(),
  };
}
