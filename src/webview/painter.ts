/// <reference lib="dom" />
/**
 * The two canvases (timeline and minimap): their size in CSS and device pixels, and one frame of
 * both. Records draw times when a benchmark asks for them (`globalThis.__agentprofBench`).
 */
import { AXIS_H, ROW_H } from './geometry';
import { Minimap } from './minimap';
import { type Frame, Renderer } from './renderer';
import { fitView } from './viewport';

/** Figures a benchmark reads when it sets `globalThis.__agentprofBench` to an object. */
export interface BenchStats {
  /** Data message received → first frame drawn, ms. */
  firstPaintMs?: number;
  /** Draw time (the JavaScript of a frame) of each later frame, ms. */
  frames?: number[];
}

export interface CanvasSize {
  width: number;
  height: number;
  mapWidth: number;
  mapHeight: number;
  dpr: number;
}

export class Painter {
  size: CanvasSize = { width: 300, height: 150, mapWidth: 300, mapHeight: 40, dpr: 1 };
  private readonly renderer: Renderer;
  private readonly minimap: Minimap;
  /** When the data of the next first paint arrived. */
  private dataAt: number | undefined;

  constructor(
    private readonly timeline: HTMLCanvasElement,
    private readonly map: HTMLCanvasElement,
  ) {
    this.renderer = new Renderer(context(timeline));
    this.minimap = new Minimap(context(map));
  }

  /** Marks the arrival of new data: the next frame is its first paint. */
  dataArrived(): void {
    this.dataAt = performance.now();
  }

  resize(width: number, height: number, mapWidth: number, mapHeight: number): void {
    const dpr = window.devicePixelRatio || 1;
    this.size = { width: Math.max(1, width), height: Math.max(1, height), mapWidth: Math.max(1, mapWidth), mapHeight: Math.max(1, mapHeight), dpr };
    this.timeline.width = Math.max(1, Math.round(this.size.width * dpr));
    this.timeline.height = Math.max(1, Math.round(this.size.height * dpr));
    this.map.width = Math.max(1, Math.round(this.size.mapWidth * dpr));
    this.map.height = Math.max(1, Math.round(this.size.mapHeight * dpr));
  }

  /** Time (ms) at x on the minimap. */
  minimapTime(x: number, wallMs: number): number {
    const fit = fitView(wallMs);
    return fit.t0 + (x / this.size.mapWidth) * (fit.t1 - fit.t0);
  }

  paint(frame: Omit<Frame, 'width' | 'height'>): void {
    const started = performance.now();
    const { width, height, mapWidth, mapHeight, dpr } = this.size;
    context(this.timeline).setTransform(dpr, 0, 0, dpr, 0, 0);
    this.renderer.draw({ ...frame, width, height });
    context(this.map).setTransform(dpr, 0, 0, dpr, 0, 0);
    const firstRow = Math.floor(frame.scrollY / ROW_H);
    const lastRow = Math.floor((frame.scrollY + height - AXIS_H) / ROW_H);
    this.minimap.draw(frame.model, frame.theme, frame.view, mapWidth, mapHeight, dpr, [firstRow, lastRow]);
    const bench = (globalThis as { __agentprofBench?: BenchStats }).__agentprofBench;
    if (bench) {
      const now = performance.now();
      if (this.dataAt !== undefined) bench.firstPaintMs = now - this.dataAt;
      else (bench.frames ??= []).push(now - started);
    }
    this.dataAt = undefined;
  }
}

function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) throw new Error('no 2D canvas');
  return ctx;
}

