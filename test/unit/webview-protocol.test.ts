/**
 * What crosses between the host and the waterfall page is checked: messages from the page, the
 * command's argument, the stored view state; and the page itself carries a strict CSP.
 */
import * as assert from 'node:assert/strict';
import { parseWaterfallArgs } from '../../src/extension/waterfall-args';
import { makeNonce, waterfallCsp, waterfallHtml } from '../../src/extension/waterfall-html';
import { parseColor } from '../../src/webview/colors';
import { cleanSpanIds, MAX_FOCUS_IDS, parseFromWebview } from '../../src/webview/protocol';
import { freshState, parseViewState } from '../../src/webview/state';

describe('parseFromWebview', () => {
  it('accepts the known messages with span indices of the run', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }, 0), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'details', span: 2 }, 3), { type: 'details', span: 2 });
    assert.deepEqual(parseFromWebview({ type: 'openSource', span: 0, file: '/etc/passwd' }, 3), { type: 'openSource', span: 0 });
  });

  it('drops anything else', () => {
    for (const raw of [
      null,
      'ready',
      { type: 'details', span: 3 },
      { type: 'details', span: -1 },
      { type: 'details', span: 1.5 },
      { type: 'details', span: '1' },
      { type: 'openSource' },
      { type: 'openLocation', file: '/etc/passwd', line: 1 },
      { type: '__proto__' },
    ]) {
      assert.equal(parseFromWebview(raw, 3), undefined, JSON.stringify(raw));
    }
  });
});

describe('cleanSpanIds and parseWaterfallArgs', () => {
  it('keeps numbers and strings, at most the cap', () => {
    assert.deepEqual(cleanSpanIds([1, 'a', null, {}, NaN, Infinity, 'x'.repeat(201)]), [1, 'a']);
    assert.equal(cleanSpanIds(Array.from({ length: 600 }, (_, i) => i)).length, MAX_FOCUS_IDS);
    assert.deepEqual(cleanSpanIds('1,2'), []);
  });

  it('reads the palette, lens, tree and context-menu forms', () => {
    assert.deepEqual(parseWaterfallArgs(undefined), { file: undefined, spanIds: [], filter: false });
    assert.deepEqual(parseWaterfallArgs({ spanIds: [3, 4], file: '/w/run.agentprof.jsonl' }), { file: '/w/run.agentprof.jsonl', spanIds: [3, 4], filter: true });
    assert.deepEqual(parseWaterfallArgs({ spanId: 'abc' }), { file: undefined, spanIds: ['abc'], filter: false });
    // A tree item from a context menu: none of our fields.
    assert.deepEqual(parseWaterfallArgs({ id: 'run:/w/x', label: 'x' }), { file: undefined, spanIds: [], filter: false });
    assert.deepEqual(parseWaterfallArgs({ spanIds: [] }), { file: undefined, spanIds: [], filter: false });
  });
});

describe('parseViewState', () => {
  it('reads a stored state field by field', () => {
    const state = parseViewState({ run: '/w/a', t0: 10, t1: 20, scrollY: 44, selected: 3, hiddenCategories: ['llm', 7], collapsed: [1, -2, 2.5, 4], search: 'plan', focus: [5, 'x'] });
    assert.deepEqual(state, { run: '/w/a', t0: 10, t1: 20, scrollY: 44, selected: 3, hiddenCategories: ['llm'], collapsed: [1, 4], search: 'plan', focus: [5, 'x'] });
  });

  it('falls back to defaults for bad fields and rejects non-states', () => {
    assert.deepEqual(parseViewState({ run: 'r', t0: 5, t1: 5, scrollY: -3, selected: 'x' }), freshState('r'));
    assert.equal(parseViewState(null), undefined);
    assert.equal(parseViewState({ t0: 1 }), undefined);
  });
});

describe('waterfallHtml', () => {
  const nonce = makeNonce();
  const html = waterfallHtml({ cspSource: 'https://webview.test', nonce, scriptUri: 'https://webview.test/dist/webview.js', styleUri: 'https://webview.test/media/waterfall.css' });

  it('sets the strict CSP', () => {
    assert.equal(
      waterfallCsp('https://webview.test', nonce),
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src https://webview.test; img-src https://webview.test data:; font-src https://webview.test`,
    );
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${waterfallCsp('https://webview.test', nonce)}">`));
    assert.ok(!/unsafe-/.test(html));
  });

  it('loads one script by nonce and has no inline script, style or handler', () => {
    // 16 random bytes in base64: 24 characters.
    assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
    assert.notEqual(makeNonce(), nonce);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="https://webview.test/dist/webview.js">`]);
    assert.ok(!/<style/i.test(html));
    assert.ok(!/\sstyle=/i.test(html));
    assert.ok(!/\son[a-z]+=/i.test(html));
    assert.ok(!/https?:\/\/(?!webview\.test)/.test(html), 'no remote resources');
  });
});

describe('parseColor', () => {
  it('reads the colour forms VS Code uses', () => {
    assert.deepEqual(parseColor('#3794ff'), [55, 148, 255, 1]);
    assert.deepEqual(parseColor('#fff'), [255, 255, 255, 1]);
    assert.deepEqual(parseColor('#cccccc80'), [204, 204, 204, 128 / 255]);
    assert.deepEqual(parseColor('rgba(90, 93, 94, 0.31)'), [90, 93, 94, 0.31]);
    assert.deepEqual(parseColor('rgb(1 2 3 / 50%)'), [1, 2, 3, 0.5]);
    assert.equal(parseColor('red'), undefined);
  });
});
