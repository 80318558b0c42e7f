// Traces written by real instrumentation libraries (the corpus of test/realworld/traces, made
// against a mock LLM whose usage is known) in a real VS Code (code-server): a Vercel AI SDK trace
// (`ai` 6, experimental_telemetry) and an OpenLLMetry + Anthropic SDK trace, where two LLM spans
// carry each call's usage. The Runs view, the waterfall and its hovers must show the right tokens,
// cost (with what it covers), tool names and critical path. Screenshots land in
// test-results/e2e/realworld/.
//
// Figures (test/realworld/traces/*.truth.json; the unit test realworld-corpus.test.ts checks them all):
//   ai-sdk: 5 calls served, 1 failed (HTTP 500, no usage): 7 313 input (5 888 cache read) + 607
//     output = 7 920 tokens in 4 calls; gpt-4o-mini and o4-mini at genai-prices → $0.003244.
//   traceloop-anthropic: 4 calls, 1 failed: Anthropic input 312 + 405 + 517 (cache excluded) plus
//     9 216 cache read and 1 792 cache write = 12 242 input + 233 output = 12 475 tokens in 3 calls;
//     claude-sonnet-4-5 → $0.016682. Each call counted once (OpenLLMetry's chat span is a wrapper).
//   Both: search_flights (slow, 300 ms) and get_weather (fast, 50 ms) run concurrently, then
//     book_hotel: search_flights and book_hotel on the critical path, get_weather off it.
//   mastra: two traces in one file (the agent run, 18 spans, and a reviewer run that failed, 4
//     spans): both listed under the file's run, with the file's total.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { makeWorkspace, startVsCode, VsCodeSession } from './harness';
import { packagedExtension, waitUntil } from './lib/agent-profiler';
import { regionOfTree, showWaterfallFromPalette } from './lib/agent-profiler-views';
import { REPO_ROOT } from './lib/tools';
import { TreeViewPane } from './lib/tree-view';

const CORPUS = path.join(REPO_ROOT, 'test', 'realworld', 'traces');
const TRACES = ['ai-sdk', 'traceloop-anthropic', 'mastra'];

interface Expected {
  file: string;
  run: string;
  tokens: string;
  cost: string;
  /** Categories of the waterfall with their span counts. */
  chips: string[];
  tools: { slow: string; fast: string; sequential: string };
  /** An LLM span and what its hover shows. */
  llm: string;
  /** The slow tool's name in the file, and how many spans the search finds by it. */
  original: string;
  originalMatches: number;
}

const AI_SDK: Expected = {
  file: 'traces/ai-sdk.otlp.json',
  run: 'ai-sdk-trip-agent: trip-agent',
  tokens: '7,920 in 4 LLM calls',
  cost: '$0.0032 · covers 4 of 5 LLM calls',
  chips: ['llm: 5 spans', 'tool: 3 spans', 'chain: 3 spans'],
  tools: { slow: 'tool search_flights', fast: 'tool get_weather', sequential: 'tool book_hotel' },
  llm: 'chat gpt-4o-mini',
  original: 'ai.toolCall',
  originalMatches: 3,
};
const TRACELOOP_ANTHROPIC: Expected = {
  file: 'traces/traceloop-anthropic.otlp.json',
  run: 'traceloop-anthropic-trip-agent: trip_planner.workflow',
  tokens: '12,475 in 3 LLM calls',
  cost: '$0.0167 · covers 3 of 4 LLM calls',
  chips: ['llm: 8 spans', 'tool: 3 spans', 'agent: 1 spans'],
  tools: { slow: 'tool search_flights', fast: 'tool get_weather', sequential: 'tool book_hotel' },
  llm: 'chat claude-sonnet-4-5',
  original: 'search_flights.tool',
  originalMatches: 1,
};

describe('Traces of real libraries in a real VS Code: tokens, cost, tool names, critical path', function () {
  this.timeout(180_000);
  let session: VsCodeSession | undefined;
  let dir: string | undefined;
  let tree: TreeViewPane;
  const wb = () => session!.workbench;

  before(async function () {
    this.timeout(240_000);
    const files: Record<string, string> = {};
    for (const name of TRACES) files[`traces/${name}.otlp.json`] = fs.readFileSync(path.join(CORPUS, `${name}.otlp.json`), 'utf8');
    dir = makeWorkspace(files);
    session = await startVsCode({ name: 'realworld', workspace: dir, extensions: [{ vsix: packagedExtension() }] });
    tree = new TreeViewPane(session.workbench, 'Runs');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      console.log(`    artifacts: ${await session.saveFailureArtifacts(this.currentTest.fullTitle())}`);
    }
  });

  after(async function () {
    await session?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Makes the trace the active run with "Open Profile" in its editor title. */
  async function open(e: Expected): Promise<void> {
    await wb().openFile(e.file);
    await wb().page.locator(`.tabs-container .tab.active[data-resource-name="${path.basename(e.file)}"]`).waitFor();
    await wb().page.locator('.editor-group-container.active .editor-actions a.action-label[aria-label*="Open Profile"]').click();
    await tree.focus();
    await waitUntil(`${e.run} to be the active run`, async () => (await tree.waitForRow({ label: e.run, level: 1 })).expanded === true, 60_000);
  }

  async function checkTree(e: Expected, shot: string): Promise<void> {
    await open(e);
    const summary = new Map((await tree.childrenOf({ label: 'Summary' })).map((r) => [r.label, r.description]));
    assert.strictEqual(summary.get('Tokens'), e.tokens, JSON.stringify([...summary]));
    assert.strictEqual(summary.get('Cost'), e.cost, JSON.stringify([...summary]));
    await wb().runCommand('Notifications: Clear All Notifications');
    await wb().resizeSideBar(640);
    await wb().screenshot(shot, await regionOfTree(wb(), tree, { label: /^Timing by category/ }));
    await wb().resizeSideBar(420);
  }

  /** Searches the waterfall for `name` and returns the badges of the first match's details. */
  async function select(frame: Frame, name: string): Promise<string> {
    await frame.locator('#search').fill(name);
    await frame.locator('#search').press('Enter');
    await frame.locator('#details .d-name', { hasText: name }).first().waitFor({ state: 'visible' });
    // The facts show at once; the attributes when the host has sent them.
    return waitUntil(`the details of ${name}`, async () => {
      const text = (await frame.locator('#details').innerText()).replace(/\s+/g, ' ');
      return text.includes('Loading details') ? undefined : text;
    });
  }

  /**
   * Moves the pointer over the timeline until the tooltip of a span called `name` that carries
   * usage shows (a wrapper span of the same name has none); returns the tooltip's text.
   */
  async function hover(frame: Frame, name: string): Promise<string> {
    const canvas = await frame.locator('#timeline').boundingBox();
    assert.ok(canvas);
    const tooltip = frame.locator('#tooltip');
    for (let row = 0; row < 12; row++) {
      for (let k = 1; k < 40; k++) {
        await wb().page.mouse.move(canvas.x + (canvas.width * k) / 40, canvas.y + 26 + 11 + 22 * row);
        if (!(await tooltip.isVisible())) continue;
        const text = (await tooltip.innerText()).replace(/\s+/g, ' ');
        if (text.startsWith(name) && text.includes('Tokens')) return text;
      }
    }
    throw new Error(`no bar of ${name} under the pointer`);
  }

  async function checkWaterfall(e: Expected, shot: string): Promise<void> {
    const frame = await showWaterfallFromPalette(wb());
    assert.ok(frame, 'the waterfall panel opens');
    const info = frame.locator('#run-info');
    await info.filter({ hasText: 'spans' }).waitFor({ timeout: 20_000 });
    assert.ok((await info.innerText()).startsWith(`${e.run} · ${path.basename(e.file)} · `), await info.innerText());
    const chips = await frame.locator('#categories label.chip').evaluateAll((labels) => labels.map((l) => l.getAttribute('title')));
    for (const chip of e.chips) assert.ok(chips.includes(chip), `${chip} in ${chips.join(' | ')}`);
    // Tool names from the attributes; the slow and the sequential tool on the critical path, the
    // fast one that ran beside the slow one off it.
    const slow = await select(frame, e.tools.slow);
    assert.ok(slow.includes('critical path'), `${e.tools.slow}: ${slow}`);
    const sequential = await select(frame, e.tools.sequential);
    assert.ok(sequential.includes('critical path'), `${e.tools.sequential}: ${sequential}`);
    const fast = await select(frame, e.tools.fast);
    assert.ok(!fast.includes('critical path'), `${e.tools.fast} is off the critical path: ${fast}`);
    // The name from the file stays in the details, and the search finds the span by it.
    assert.ok(slow.includes(`agentprof.original_name ${e.original}`), slow);
    await frame.locator('#search').fill(e.original);
    await frame.locator('#search').press('Enter');
    assert.match(await frame.locator('#match-count').innerText(), new RegExp(`^[1-9]\\d* of ${e.originalMatches}$`));
    await frame.locator('#details .d-name', { hasText: /^tool / }).first().waitFor({ state: 'visible' });
    await frame.locator('#search').fill('');
    await frame.locator('#search').press('Escape');
    // The hover of an LLM call: its tokens and cost.
    const tip = await hover(frame, e.llm);
    assert.match(tip, /Tokens [\d,]+/, tip);
    assert.match(tip, /Cost \$[\d.]+/, tip);
    const group = await wb().page.locator('.editor-group-container.active').boundingBox();
    await wb().screenshot(shot, group ? { ...group, width: Math.min(group.width, 1200), height: 520 } : undefined);
    await wb().page.mouse.move(0, 0);
    await wb().runCommand('View: Close Editor');
  }

  it('1. Vercel AI SDK: the Runs view and the status bar count 4 of 5 LLM calls in the cost, each once', async () => {
    await checkTree(AI_SDK, '1-ai-sdk-tree');
    // The status bar item of the active run: its tooltip says what the cost covers.
    const item = wb().page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: '$0.0032' }).first();
    await item.waitFor({ state: 'visible', timeout: 20_000 });
    await item.hover();
    const hover = wb().page.locator('.workbench-hover, .monaco-hover', { hasText: 'cost covers 4 of 5 LLM calls' }).first();
    await hover.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match((await hover.innerText()).replace(/\s+/g, ' '), /cost covers 4 of 5 LLM calls; 1 has no usage \(span [0-9a-f]{16}\), 1 failed; 0 unpriced models/);
    const box = await wb().page.locator('#workbench\\.parts\\.statusbar').boundingBox();
    const hoverBox = await hover.boundingBox();
    if (box && hoverBox) await wb().screenshot('1-ai-sdk-status-bar', { x: 0, y: Math.max(0, hoverBox.y - 8), width: Math.min(box.width, 1200), height: box.y + box.height - hoverBox.y + 8 });
    await wb().page.mouse.move(0, 0);
  });

  it('2. Vercel AI SDK: the waterfall names the tools, puts the slow tool on the path and shows tokens in the hover', async () => {
    await checkWaterfall(AI_SDK, '2-ai-sdk-waterfall');
  });

  it('3. OpenLLMetry + Anthropic SDK: Anthropic input plus cache, each call once, in the Runs view', async () => {
    await checkTree(TRACELOOP_ANTHROPIC, '3-traceloop-anthropic-tree');
  });

  it('4. OpenLLMetry + Anthropic SDK: tool names, critical path and hovers in the waterfall', async () => {
    await checkWaterfall(TRACELOOP_ANTHROPIC, '4-traceloop-anthropic-waterfall');
  });

  it('5. a file with two traces (Mastra): both listed, with the total, none dropped', async () => {
    const mastra = { ...AI_SDK, file: 'traces/mastra.otlp.json', run: 'mastra-trip-agent: invoke_agent trip-agent' };
    await open(mastra);
    const section = await tree.waitForRow({ label: 'Traces in this file (2)' });
    assert.match(section.description, /^2 runs · 22 spans · 4 LLM calls · 5,198 tokens · \$[\d.]+ · 1 errors$/, section.description);
    const rows = await tree.childrenOf({ label: 'Traces in this file (2)' });
    assert.deepStrictEqual(rows.map((r) => r.label), ['mastra-trip-agent: invoke_agent trip-agent', 'mastra-trip-agent: invoke_agent reviewer', 'Total']);
    assert.match(rows[0].description, /^shown · 18 spans · /, rows[0].description);
    assert.match(rows[1].description, /^4 spans · .* · 1 LLM calls · 0 tokens · \$0 · 1 errors$/, rows[1].description);
    await wb().runCommand('Notifications: Clear All Notifications');
    await wb().resizeSideBar(640);
    await wb().screenshot('5-mastra-traces', await regionOfTree(wb(), tree, { label: 'Total' }));
    await wb().resizeSideBar(420);
  });
});
