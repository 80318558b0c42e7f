/// <reference lib="dom" />
/**
 * Pointer, wheel and keyboard input of the timeline and the minimap, turned into the app's
 * actions. Wheel (and pinch, which arrives as ctrl+wheel) zooms around the pointer; drag pans;
 * the keyboard does everything the pointer does (see the hint in the details pane).
 */
import type { WaterfallApp } from './app';
import { AXIS_H, LABEL_PAD, MIN_TOGGLE_PX, ROW_H, rowAtY, TOGGLE_W } from './geometry';
import { spanAt } from './layout';
import { MIN_BAR_PX } from './lod';
import { byId } from './toolbar';

/** Pixels a press may move and still count as a click. */
const CLICK_SLOP = 4;

/** The span under a point of the timeline, and whether the point is on its collapse toggle. */
export function hitTest(app: WaterfallApp, x: number, y: number): { span: number; onToggle: boolean } {
  const m = app.model;
  if (!m || y < AXIS_H) return { span: -1, onToggle: false };
  const pxPerMs = app.width / (app.view.t1 - app.view.t0);
  const t = app.view.t0 + x / pxPerMs;
  const span = spanAt(m.layout, rowAtY(y, app.state.scrollY), t, 3 / pxPerMs, MIN_BAR_PX / pxPerMs);
  if (span < 0) return { span, onToggle: false };
  const x0 = Math.max(0, (m.c.start[span] - app.view.t0) * pxPerMs);
  const x1 = Math.min(app.width, (m.c.end[span] - app.view.t0) * pxPerMs);
  const onToggle = m.childCount[span] > 0 && x1 - x0 >= MIN_TOGGLE_PX && x < x0 + LABEL_PAD + TOGGLE_W;
  return { span, onToggle };
}

const pan = (app: WaterfallApp, dx: number, dy: number) => app.navigate((m, nav) => nav.panPixels(m, dx, dy));
const zoom = (app: WaterfallApp, factor: number, x: number) => app.navigate((m, nav) => nav.zoomAround(m, factor, x));

/** Wheel delta in pixels, whatever unit the device reports. */
function wheelPixels(e: WheelEvent, page: number): [number, number] {
  const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? page : 1;
  return [e.deltaX * unit, e.deltaY * unit];
}

/** Keeps a drag going outside the element; a synthetic pointer has nothing to capture. */
function capture(element: Element, pointerId: number): void {
  try {
    element.setPointerCapture(pointerId);
  } catch {
    // Not an active pointer (e.g. an event dispatched by a script): dragging still works inside.
  }
}

export function wireInput(app: WaterfallApp): void {
  const canvas = app.timeline;
  let press: { x: number; y: number; lastX: number; lastY: number; moved: boolean } | undefined;
  const local = (e: MouseEvent) => {
    const box = canvas.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  };

  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const p = local(e);
    press = { x: p.x, y: p.y, lastX: p.x, lastY: p.y, moved: false };
    capture(canvas, e.pointerId);
    canvas.focus();
  });
  canvas.addEventListener('pointermove', (e) => {
    const p = local(e);
    if (press) {
      if (Math.abs(p.x - press.x) + Math.abs(p.y - press.y) > CLICK_SLOP) press.moved = true;
      if (press.moved) {
        canvas.classList.add('dragging');
        app.hover(-1, undefined, e.clientX, e.clientY);
        pan(app, press.lastX - p.x, press.lastY - p.y);
      }
      press.lastX = p.x;
      press.lastY = p.y;
      return;
    }
    app.hover(hitTest(app, p.x, p.y).span, p.y >= AXIS_H ? p.x : undefined, e.clientX, e.clientY);
  });
  canvas.addEventListener('pointerup', (e) => {
    const p = local(e);
    const wasClick = press && !press.moved;
    press = undefined;
    canvas.classList.remove('dragging');
    if (!wasClick) return;
    const hit = hitTest(app, p.x, p.y);
    if (hit.onToggle) app.toggleCollapse(hit.span);
    else app.select(hit.span, false);
  });
  canvas.addEventListener('pointercancel', () => {
    press = undefined;
    canvas.classList.remove('dragging');
  });
  canvas.addEventListener('pointerleave', (e) => {
    if (!press) app.hover(-1, undefined, e.clientX, e.clientY);
  });
  canvas.addEventListener('dblclick', (e) => {
    const p = local(e);
    const hit = hitTest(app, p.x, p.y);
    if (hit.span >= 0 && !hit.onToggle) app.openSource(hit.span);
  });
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const [dx, dy] = wheelPixels(e, canvas.clientHeight);
      if (e.shiftKey) pan(app, 0, dy || dx);
      else if (Math.abs(dx) > Math.abs(dy)) pan(app, dx, 0);
      else zoom(app, Math.exp(dy * (e.ctrlKey ? 0.01 : 0.002)), local(e).x);
    },
    { passive: false },
  );
  canvas.addEventListener('keydown', (e) => onKey(app, e));

  const map = byId<HTMLCanvasElement>('minimap');
  let mapDrag = false;
  const mapMove = (e: PointerEvent) => app.navigate((m, nav) => nav.centreOn(m, app.painter.minimapTime(e.clientX - map.getBoundingClientRect().left, m.c.wallMs)));
  map.addEventListener('pointerdown', (e) => {
    mapDrag = true;
    capture(map, e.pointerId);
    mapMove(e);
  });
  map.addEventListener('pointermove', (e) => mapDrag && mapMove(e));
  map.addEventListener('pointerup', () => (mapDrag = false));
  map.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      zoom(app, Math.exp(wheelPixels(e, 100)[1] * 0.002), app.width / 2);
    },
    { passive: false },
  );
}

function onKey(app: WaterfallApp, e: KeyboardEvent): void {
  const selected = app.state.selected;
  const page = app.width * 0.15;
  let handled = true;
  switch (e.key) {
    case 'ArrowLeft':
    case 'ArrowRight': {
      const dir = e.key === 'ArrowLeft' ? -1 : 1;
      if (e.shiftKey) app.stepSpan(dir);
      else pan(app, dir * page, 0);
      break;
    }
    case 'ArrowUp':
      if (e.altKey && selected >= 0) app.select(app.model?.c.parent[selected] ?? -1, true);
      else pan(app, 0, -ROW_H * 2);
      break;
    case 'ArrowDown':
      pan(app, 0, ROW_H * 2);
      break;
    case '+':
    case '=':
      zoom(app, 0.7, app.width / 2);
      break;
    case '-':
    case '_':
      zoom(app, 1 / 0.7, app.width / 2);
      break;
    case 'Home':
    case '0':
      app.navigate((m, nav) => nav.fit(m));
      break;
    case 'Enter':
      if (e.ctrlKey || e.metaKey) app.openSource(selected);
      else if (selected >= 0) app.zoomTo(selected);
      else app.stepSpan(1);
      break;
    case 'Tab':
      // Tab steps through spans while one is selected; with none (Escape), it leaves the canvas.
      if (selected < 0) handled = false;
      else app.stepSpan(e.shiftKey ? -1 : 1);
      break;
    case ' ':
    case 'c':
      if (selected >= 0) app.toggleCollapse(selected);
      break;
    case 'n':
    case 'N':
      app.stepMatch(e.shiftKey ? -1 : 1);
      break;
    case 'Escape':
      app.select(-1, false);
      break;
    case '/':
      app.toolbar.searchBox.focus();
      break;
    default:
      handled = false;
  }
  if (handled) e.preventDefault();
}
