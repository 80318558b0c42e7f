/**
 * The waterfall webview in headless Chromium, served with its real HTML and CSP:
 * (a) a generated run of 1 000 000 spans paints within a second and zoom/pan frames draw within
 *     a 60 Hz frame;
 * (b) hostile span names and attributes show as literal text and run nothing;
 * (c) view state survives the page being thrown away (a hidden panel), a live run grows without
 *     losing zoom or selection, and collapsing, filtering and double-click work.
 * `npm run test:browser` (needs /usr/bin/chromium).
 */
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { spanDetails } from '../../src/core/span-details';
import { buildWaterfallColumns } from '../../src/core/waterfall-columns';
import type { FromWebview } from '../../src/webview/protocol';
import { makeProfile, type SpanSpec } from '../unit/helpers/profile-fixtures';
import { buildWebview, launchChromium, nextFrame, openPage, type PageServer, postData, postMessage, startServer } from './harness';
import { measureWaterfall } from './measure';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '</script><script>alert(2)</script>';

/** Geometry of the page (geometry.ts): rows under a 26 px axis, 22 px each, bars 2 px down. */
const rowCentreY = (row: number) => 26 + row * 22 + 2 + 9;

describe('waterfall webview in Chromium', function () {
  this.timeout(300_000);
  let server: PageServer;
  let browser: Browser;

  before(async () => {
    await buildWebview();
    server = await startServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('(a) paints 1 000 000 spans in under a second and draws frames in under 16 ms', async () => {
    const figures = await measureWaterfall(browser, server, 1_000_000);
    const { zoom, pan, zoomIntervals, panIntervals } = figures;
    console.log(`      first paint ${figures.firstPaintMs} ms`);
    console.log(`      draw time: zoom ${JSON.stringify(zoom)}, pan ${JSON.stringify(pan)}`);
    console.log(`      frame intervals: zoom ${JSON.stringify(zoomIntervals)}, pan ${JSON.stringify(panIntervals)}`);
    assert.ok(figures.spans >= 1_000_000);
    assert.ok(zoom.frames >= 30 && pan.frames >= 30, 'every wheel step and drag move drew a frame');
    assert.ok(figures.firstPaintMs < 1000, `first paint ${figures.firstPaintMs} ms`);
    assert.ok(zoom.p95Ms < 16 && pan.p95Ms < 16, 'drawing a frame takes under 16 ms (95th percentile)');
    // Frames keep a 60 Hz pace: the typical interval is one refresh (16.7 ms), not two.
    assert.ok(zoomIntervals.medianMs < 17 && panIntervals.medianMs < 17, 'median frame interval within one 60 Hz refresh');
  });

  describe('with a small run', () => {
    let page: Page;
    const sent: FromWebview[] = [];
    const spans: SpanSpec[] = [
      { id: 1, name: 'agent:run', start: 0, end: 100, file: 'agent.py', line: 1 },
      {
        id: 2,
        parent: 1,
        name: IMG,
        start: 0,
        end: 40,
        file: 'agent.py',
        line: 7,
        error: '<img src=y onerror=alert(4)>',
        attrs: { html: '<script>alert(3)</script>', 'on<b>click': '"><svg onload=alert(5)>' },
      },
      { id: 3, parent: 1, name: SCRIPT, start: 40, end: 100 },
      { id: 4, parent: 2, name: 'tool:search', start: 5, end: 30 },
    ];
    const profile = makeProfile(spans);
    const columns = () => buildWaterfallColumns(profile, []);
    const run = { key: '/w/run.agentprof.jsonl', name: 'run', fileName: 'run.agentprof.jsonl', live: false };
    const dialogs: string[] = [];

    const open = async (p?: Page) => {
      const onMessage = (msg: FromWebview, target: Page) => {
        sent.push(msg);
        if (msg.type === 'details') {
          const details = spanDetails(profile, msg.span);
          if (details) void postMessage(target, { type: 'details', details });
        }
      };
      if (p) {
        await p.reload();
        await p.waitForFunction(() => (window as unknown as { __agentprofSent: Array<{ type: string }> }).__agentprofSent.some((m) => m.type === 'ready'));
        return p;
      }
      const fresh = await openPage(browser, server, { width: 1000, height: 600, onMessage });
      fresh.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      return fresh;
    };
    const state = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null'));
    const timelineBox = async () => {
      const box = await page.locator('#timeline').boundingBox();
      if (!box) throw new Error('no timeline');
      return box;
    };
    /** Screen x of time t (ms) on the fitted view of this 100 ms run: −1 … 101 ms. */
    const xAt = (t: number, width: number) => ((t + 1) / 102) * width;

    before(async () => {
      page = await open();
      await postData(page, run, columns());
      await nextFrame(page);
    });
    after(async () => page?.close());

    it('(b) shows hostile names and attributes as text and runs nothing', async () => {
      await postMessage(page, { type: 'focus', spanIds: [2], filter: false });
      await page.waitForSelector('.details dl.attrs');
      assert.equal(await page.locator('.d-name').textContent(), IMG);
      assert.equal(await page.locator('.d-error').textContent(), '<img src=y onerror=alert(4)>');
      const attrs = await page.locator('.details dl.attrs').textContent();
      assert.ok(attrs?.includes('<script>alert(3)</script>'), attrs ?? '');
      assert.ok(attrs?.includes('on<b>click"><svg onload=alert(5)>'), attrs ?? '');

      // The tooltip of the other span, by hovering its bar (row 1, 40…100 ms) in the fitted view.
      await page.locator('#fit').click();
      const box = await timelineBox();
      await page.mouse.move(box.x + xAt(70, box.width), box.y + rowCentreY(1));
      await page.waitForSelector('#tooltip:not([hidden])');
      assert.equal(await page.locator('#tooltip .t-name').textContent(), SCRIPT);
      // Its category (the whole name's template: it has no colon, and the digit in alert(1) is a
      // number to name templates, core/name-templates.ts) is a filter chip, as text too.
      const chips = await page.locator('.chip-name').allTextContents();
      const asTemplate = (name: string) => name.replace('alert(1)', 'alert({n})').replace('alert(2)', 'alert({n})');
      assert.ok(chips.includes(asTemplate(SCRIPT)) && chips.includes(asTemplate(IMG)), chips.join(' | '));

      const dom = await page.evaluate(() => ({
        images: document.querySelectorAll('img, svg').length,
        scripts: document.scripts.length,
      }));
      assert.deepEqual(dom, { images: 0, scripts: 1 });
      assert.deepEqual(dialogs, []);
    });

    it('(c) keeps zoom, selection and search when the page is thrown away and rebuilt', async () => {
      await page.locator('#search').fill('tool');
      await page.locator('#timeline').focus();
      await page.keyboard.press('+');
      await nextFrame(page);
      await page.waitForTimeout(300);
      const before = await state();
      assert.equal(before.selected, 1);
      assert.equal(before.search, 'tool');
      assert.ok(before.t0 !== undefined && before.t1 - before.t0 < 102, 'zoomed in');

      page = await open(page);
      await postData(page, run, columns());
      await page.waitForSelector('.details .d-name');
      assert.equal(await page.locator('.d-name').textContent(), IMG);
      assert.equal(await page.locator('#search').inputValue(), 'tool');
      assert.equal(await page.locator('#match-count').textContent(), '– of 1');
      await page.waitForTimeout(300);
      const after = await state();
      assert.deepEqual([after.t0, after.t1, after.selected], [before.t0, before.t1, before.selected]);
    });

    it('(c) lets a live run grow without losing zoom or selection', async () => {
      const before = await state();
      const grown = makeProfile([...spans, { id: 5, parent: 1, name: 'llm:late', start: 100, end: 130 }]);
      await postData(page, { ...run, live: true }, buildWaterfallColumns(grown, []));
      await nextFrame(page);
      await page.waitForTimeout(300);
      const after = await state();
      assert.deepEqual([after.t0, after.t1, after.selected], [before.t0, before.t1, before.selected]);
      assert.match((await page.locator('#run-info').textContent()) ?? '', /5 spans/);
      assert.equal(await page.locator('.d-name').textContent(), IMG);
    });

    it('(c) keeps the toolbar on one line, and the chart still, when the search count appears', async () => {
      const plain = buildWaterfallColumns(
        makeProfile([
          { id: 1, name: 'agent:run', start: 0, end: 100 },
          { id: 2, parent: 1, name: 'tool:search', start: 0, end: 50 },
        ]),
        [],
      );
      await postData(page, { ...run, key: '/w/plain.agentprof.jsonl' }, plain);
      await page.locator('#search').fill('');
      await nextFrame(page);
      // Narrow the page to what the toolbar needs on one line, plus less than the count's width.
      const needed = await page.evaluate(() => {
        const bar = document.querySelector('.toolbar') as HTMLElement;
        const items = [...bar.children].filter((e) => (e as HTMLElement).offsetWidth > 0 && !e.classList.contains('spacer')) as HTMLElement[];
        return items.reduce((sum, e) => sum + e.offsetWidth, 0) + 8 * items.length + 20 + 2; // the spacer's gap too
      });
      await page.setViewportSize({ width: Math.ceil(needed) + 20, height: 600 });
      await nextFrame(page);
      const before = await page.locator('#timeline').boundingBox();
      await page.locator('#search').fill('tool');
      await page.waitForFunction(() => (document.querySelector('#match-count')?.textContent ?? '') !== '');
      await nextFrame(page);
      const after = await page.locator('#timeline').boundingBox();
      await page.locator('#search').fill('');
      await page.setViewportSize({ width: 1000, height: 600 });
      // Defect from the new-user walk: the count appeared, the toolbar wrapped, the chart jumped.
      assert.deepEqual(after, before);
    });

    it('(c) drops the details of a span the category filter hides', async () => {
      await postData(page, run, columns());
      await page.locator('#search').fill('tool:search');
      await page.locator('#search').press('Enter');
      await page.waitForFunction(() => (document.querySelector('#details')?.textContent ?? '').includes('tool:search'));
      await page.locator('.chip', { hasText: 'tool' }).locator('input').uncheck();
      await nextFrame(page);
      const details = (await page.locator('#details').textContent()) ?? '';
      await page.locator('.chip', { hasText: 'tool' }).locator('input').check();
      await page.locator('#search').fill('');
      // Defect from the new-user walk: the panel kept describing the hidden span.
      assert.ok(!details.includes('tool:search'), details);
      assert.match(details, /Select a span to see its details\./);
    });

    it('(c) collapses a subtree, filters a category, and opens code on double-click', async () => {
      // Back to the 4-span run, fitted, nothing searched.
      await postData(page, run, columns());
      await page.locator('#search').fill('');
      await page.locator('#fit').click();
      await page.locator('#timeline').focus();
      // Select the root (Escape, then Enter selects the first span) and collapse it with Space.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Space');
      assert.match((await page.locator('#run-info').textContent()) ?? '', /1 shown/);
      await page.keyboard.press('Space');
      // Uncheck the category `tool`: 3 of 4 shown.
      await page.locator('.chip', { hasText: 'tool' }).locator('input').uncheck();
      assert.match((await page.locator('#run-info').textContent()) ?? '', /3 shown/);
      await page.locator('.chip', { hasText: 'tool' }).locator('input').check();

      await page.locator('#fit').click();
      const box = await timelineBox();
      sent.length = 0;
      await page.mouse.dblclick(box.x + xAt(20, box.width), box.y + rowCentreY(1));
      await page.waitForTimeout(200);
      assert.ok(
        sent.some((m) => m.type === 'openSource' && m.span === 1),
        JSON.stringify(sent),
      );
    });

    it('(c) shows and selects each of 3 focused spans when one lasts 0.02 ms', async () => {
      // A lens's three calls back to back under one parent, the middle one 0.02 ms long.
      const calls = buildWaterfallColumns(
        makeProfile([
          { id: 1, name: 'step_2:read', start: 0, end: 3000 },
          { id: 2, parent: 1, name: 'tool:scrape_a', start: 0, end: 1500 },
          { id: 3, parent: 1, name: 'tool:scrape_b', start: 1500, end: 1500.02 },
          { id: 4, parent: 1, name: 'tool:scrape_c', start: 1500.02, end: 3000 },
        ]),
        [],
      );
      await postData(page, { ...run, key: '/w/calls.agentprof.jsonl' }, calls);
      await postMessage(page, { type: 'focus', spanIds: [2, 3, 4], filter: true });
      await page.waitForFunction(() => document.querySelector('#focus-text')?.textContent === '3 spans from the editor');
      await page.locator('#fit').click();
      // The focus selected the first call; its outline would cover the thin one's edges.
      await page.locator('#timeline').focus();
      await page.keyboard.press('Escape');
      await nextFrame(page);
      const box = await timelineBox();
      // Fitted: −30 … 3030 ms (1 % margin), so 1500 ms is at the middle; the thin call is 0.01 px wide.
      const xThin = Math.floor((1530 / 3060) * box.width);
      const y = rowCentreY(1);
      const colours = await page.evaluate(
        ({ xs, y }) => {
          const canvas = document.querySelector('#timeline') as HTMLCanvasElement;
          const scale = canvas.width / canvas.getBoundingClientRect().width;
          const ctx = canvas.getContext('2d')!;
          return xs.map((x) => Array.from(ctx.getImageData(Math.floor((x + 0.5) * scale), Math.floor(y * scale), 1, 1).data).join(','));
        },
        { xs: [Math.floor(box.width / 4), xThin - 1, xThin, xThin + 2], y },
      );
      const [bar, before, mark, after] = colours;
      // Defect from the new-user walk: "3 spans from the editor" showed 2 bars, the thin one lost
      // in the edge of its neighbour. Its mark has the bar's colour, with a sliver of background each side.
      assert.equal(mark, bar, colours.join(' | '));
      assert.notEqual(before, bar, colours.join(' | '));
      assert.notEqual(after, bar, colours.join(' | '));
      // And a click on the mark selects it, not the long call it touches.
      await page.mouse.click(box.x + xThin + 1, box.y + y);
      await page.waitForFunction(() => document.querySelector('.d-name')?.textContent === 'tool:scrape_b');
      await page.locator('#clear-focus').click();
    });
  });
});
