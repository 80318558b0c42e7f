/// <reference lib="dom" />
/**
 * The two runs' waterfalls, one above the other on one time axis (the longer run's wall time), so
 * a span that got slower is seen to push everything after it right. Spans are absolutely placed
 * boxes (positions set through the CSSOM, which the page's CSP allows), coloured by kind from the
 * theme's chart colours, with the name and duration as their tooltip.
 */
import type { LaneRun } from './protocol';

const ROW_PX = 14;
/** Deeper spans are drawn on the last row; a run's shape is in its first levels. */
const MAX_DEPTH = 8;
const KINDS = ['llm', 'tool', 'memory', 'retrieval', 'agent', 'other'];

function fmtMs(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Tick step (ms) giving about `count` ticks over `spanMs`: 1, 2 or 5 × a power of ten. */
function tickStep(spanMs: number, count: number): number {
  const raw = spanMs / Math.max(1, count);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function drawLanes(into: HTMLElement, runs: LaneRun[]): void {
  const axisMs = Math.max(1e-9, ...runs.map((r) => r.wallMs));
  const axis = document.createElement('div');
  axis.className = 'axis';
  const step = tickStep(axisMs, 8);
  for (let t = 0; t <= axisMs + 1e-9; t += step) {
    const tick = document.createElement('span');
    tick.className = 'tick';
    tick.style.left = `${(t / axisMs) * 100}%`;
    tick.textContent = fmtMs(t);
    // The last label is right-aligned to its tick so it is never cut at the edge.
    if (t + step > axisMs + 1e-9 && t > 0) tick.classList.add('last');
    axis.append(tick);
  }
  for (const run of runs) {
    const block = document.createElement('div');
    block.className = 'lane-block';
    const label = document.createElement('div');
    label.className = 'lane-label';
    label.textContent = `${run.label} · ${fmtMs(run.wallMs)}${run.hidden ? ` · ${run.hidden} shorter spans not drawn` : ''}`;
    const lane = document.createElement('div');
    lane.className = 'lane';
    let depth = 0;
    for (let i = 0; i < run.start.length; i++) {
      const d = Math.min(run.depth[i], MAX_DEPTH);
      depth = Math.max(depth, d);
      const span = document.createElement('div');
      span.className = `span kind-${KINDS[run.kind[i]] ?? 'other'}${run.error[i] ? ' error' : ''}`;
      span.style.left = `${(run.start[i] / axisMs) * 100}%`;
      span.style.width = `max(1px, ${((run.end[i] - run.start[i]) / axisMs) * 100}%)`;
      span.style.top = `${d * ROW_PX}px`;
      const name = run.names[run.name[i]] ?? '';
      span.title = `${name} · ${fmtMs(run.end[i] - run.start[i])}`;
      if ((run.end[i] - run.start[i]) / axisMs > 0.08) span.textContent = name;
      lane.append(span);
    }
    lane.style.height = `${(depth + 1) * ROW_PX}px`;
    block.append(label, lane);
    into.append(block);
  }
  into.append(axis);
}
