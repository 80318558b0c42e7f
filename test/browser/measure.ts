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
import { nextFrame, openPage, type PageServer, postData } from './harness';

/** Median, 95th percentile and maximum of a list of frame times, ms. */
export interface FrameStats {
  frames: number;
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
  zoom: FrameStats;
  pan: FrameStats;
  /** The machine, so figures from different runs can be compared. */
  environment: { cpus: number; loadAverage: number; browser: string; viewport: string };
}

function stats(frames: number[]): FrameStats {
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { frames: frames.length, medianMs: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
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

    // The timeline sits below the toolbar and the minimap; aim at its middle.
    const box = await page.locator('#timeline').boundingBox();
    if (!box) throw new Error('no timeline on the page');
    const x = box.x + box.width * 0.37;
    const y = box.y + 80;
    await page.mouse.move(x, y);
    // Zoom in from the whole run (a million spans in view) down to a few ms, then back out:
    // every level of detail is crossed. Each wheel step is one frame.
    for (let k = 0; k < frameCount; k++) {
      await page.mouse.wheel(0, k < frameCount / 2 ? -300 : 300);
      await nextFrame(page);
    }
    const zoomFrames = await takeFrames(page);
    // Zoomed to about 1 % of the run (tens of thousands of spans on screen), drag to pan.
    for (let k = 0; k < 8; k++) {
      await page.mouse.wheel(0, -300);
      await nextFrame(page);
    }
    await takeFrames(page);
    await page.mouse.down();
    for (let k = 0; k < frameCount; k++) {
      await page.mouse.move(x - (k + 1) * 25, y + (k % 2), { steps: 1 });
      await nextFrame(page);
    }
    await page.mouse.up();
    const panFrames = await takeFrames(page);
    return {
      spans: columns.count,
      columnsBuildMs: Math.round(columnsBuildMs),
      columnsMB: Math.round(columnsMB * 10) / 10,
      firstPaintMs: Math.round(firstPaintMs * 10) / 10,
      zoom: stats(zoomFrames),
      pan: stats(panFrames),
      environment: { cpus: os.cpus().length, loadAverage: Math.round(os.loadavg()[0] * 10) / 10, browser: browser.version(), viewport: `${width}x${height}` },
    };
  } finally {
    await page.close();
  }
}
