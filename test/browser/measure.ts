/**
 * Measures the waterfall page on a large run in headless Chromium: first paint (from the data
 * message to the first frame drawn, in the page) and the draw time of zoom and pan frames driven
 * with real wheel and mouse events. Used by the browser test and `npm run bench:waterfall`.
 */
import type { Browser } from 'playwright-core';
import * as os from 'node:os';
import { criticalPath } from '../../src/core/critical-path';
import { buildWaterfallColumns, columnBuffers } from '../../src/core/waterfall-columns';
import { largeRun } from './fixtures/large-run';
import { openPage, type PageServer, postData } from './harness';

/** Median, 95th percentile and maximum of a list of frame times, ms. */
export interface FrameStats {
  frames: number;
  /** Frames over 17 ms (for intervals: frames that missed a 60 Hz refresh). */
  over17Ms: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export interface WaterfallFigures {
  spans: number;
  /** Building the profile's columns in Node (what the worker does), ms. */
  columnsBuildMs: number;
  /** Size of the columns' buffers, MB. */
  columnsMB: number;
  /** Data message received → first frame drawn, in the page, ms. */
  firstPaintMs: number;
  /** Draw time (JavaScript) of each frame while zooming and while panning. */
  zoom: FrameStats;
  pan: FrameStats;
  /**
   * Time between consecutive animation frames while zooming and panning: everything a frame
   * costs (drawing, rasterising, compositing). 16.7 ms at 60 Hz when no frame is dropped.
   */
  zoomIntervals: FrameStats;
  panIntervals: FrameStats;
  /** The machine, so figures from different runs can be compared. */
  environment: { cpus: number; loadAverage: number; browser: string; viewport: string };
}

function stats(frames: number[]): FrameStats {
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { frames: frames.length, over17Ms: frames.filter((f) => f > 17).length, medianMs: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
}

/** Draw times the page recorded since the last call (see BenchStats in app.ts). */
async function takeFrames(page: import('playwright-core').Page): Promise<number[]> {
  return page.evaluate(() => {
    const bench = (window as unknown as { __agentprofBench: { frames?: number[] } }).__agentprofBench;
    const frames = bench.frames ?? [];
    bench.frames = [];
    return frames;
  });
}

/**
 * Drives `count` frames in the page: in each animation frame one wheel step (zoom in for the
 * first half, out for the second) or one drag move of 25 px, dispatched at the timeline's centre
 * left. Returns the intervals between the frames, ms.
 */
async function driveFrames(page: import('playwright-core').Page, kind: 'zoom' | 'pan', count: number): Promise<number[]> {
  return page.evaluate(
    ({ kind, count }) =>
      new Promise<number[]>((resolve) => {
        const canvas = document.getElementById('timeline') as HTMLCanvasElement;
        const box = canvas.getBoundingClientRect();
        const x = box.left + box.width * 0.37;
        const y = box.top + 80;
        const stamps: number[] = [];
        const pointer = (type: string, dx: number) =>
          canvas.dispatchEvent(new PointerEvent(type, { clientX: x - dx, clientY: y, button: 0, pointerId: 1, bubbles: true }));
        if (kind === 'pan') pointer('pointerdown', 0);
        let k = 0;
        const step = (now: number) => {
          stamps.push(now);
          if (k === count) {
            if (kind === 'pan') pointer('pointerup', 25 * k);
            resolve(stamps.slice(1).map((t, i) => t - stamps[i]));
            return;
          }
          if (kind === 'zoom') canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: k < count / 2 ? -300 : 300, clientX: x, clientY: y, bubbles: true, cancelable: true }));
          else pointer('pointermove', 25 * (k + 1));
          k++;
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    { kind, count },
  );
}

export async function measureWaterfall(browser: Browser, server: PageServer, spanCount = 1_000_000, frameCount = 30): Promise<WaterfallFigures> {
  const profile = largeRun(spanCount);
  const built = performance.now();
  const columns = buildWaterfallColumns(profile, criticalPath(profile));
  const columnsBuildMs = performance.now() - built;
  const columnsMB = columnBuffers(columns).reduce((sum, b) => sum + b.byteLength, 0) / 1e6;
  const width = 1600;
  const height = 900;
  const page = await openPage(browser, server, { bench: true, width, height });
  try {
    await postData(page, { key: 'bench', name: profile.run.name, fileName: 'bench.agentprof.jsonl', live: false }, columns);
    await page.waitForFunction(() => (window as unknown as { __agentprofBench: { firstPaintMs?: number } }).__agentprofBench.firstPaintMs !== undefined, undefined, { timeout: 120_000 });
    const firstPaintMs = await page.evaluate(() => (window as unknown as { __agentprofBench: { firstPaintMs: number } }).__agentprofBench.firstPaintMs);
    await takeFrames(page);

    // Zoom in from the whole run (a million spans in view) down to a few ms and back out, so
    // every level of detail is crossed; then, zoomed to about 1 % of the run (thousands of
    // spans on screen), drag to pan. One input event per animation frame.
    const zoomIntervals = await driveFrames(page, 'zoom', frameCount);
    const zoomFrames = await takeFrames(page);
    await driveFrames(page, 'zoom', 8);
    await takeFrames(page);
    const panIntervals = await driveFrames(page, 'pan', frameCount);
    const panFrames = await takeFrames(page);
    return {
      spans: columns.count,
      columnsBuildMs: Math.round(columnsBuildMs),
      columnsMB: Math.round(columnsMB * 10) / 10,
      firstPaintMs: Math.round(firstPaintMs * 10) / 10,
      zoom: stats(zoomFrames),
      pan: stats(panFrames),
      zoomIntervals: stats(zoomIntervals),
      panIntervals: stats(panIntervals),
      environment: { cpus: os.cpus().length, loadAverage: Math.round(os.loadavg()[0] * 10) / 10, browser: browser.version(), viewport: `${width}x${height}` },
    };
  } finally {
    await page.close();
  }
}
