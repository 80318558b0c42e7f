// An OpenTelemetry trace (OTLP/JSON) in a real VS Code (code-server), shown like a native profile:
// the Runs view with its summary, the waterfall, code lenses on the timer calls its spans point at
// (`code.file.path`, `code.line.number`) and hovers with tokens and cost. The trace is made before
// the session starts by running the Node example agent through the Node recorder's OpenTelemetry
// bridge into the real OpenTelemetry JS SDK, whose own OTLP/JSON serializer writes the file
// (test/fixtures/interop/node-agent-otlp.ts). Screenshots land in test-results/e2e/otlp-trace/.
//
// The run, from examples/node-agent/agent.ts (figures the agent hard-codes, so fixed per run):
//   agent:run
//     llm:planning      gpt-4o-mini (openai): 1 450 input (1 024 cache reads) + 180 output
//     agent:tools       Promise.all of three tools, in parallel:
//       tool:web_search   memory:lookup (miss), memory:store
//       tool:weather      fails (ToolTimeoutError)
//       tool:calculator
//       agent:retry       tool:weather (succeeds)
//     tool:web_search   memory:lookup (hit)
//     llm:synthesis     claude-sonnet-4-5 (anthropic): 3 200 input (2 048 cache writes) + 420 output (120 reasoning)
// = 13 spans, 1 error, 2 LLM calls, 1 450 + 180 + 3 200 + 420 = 5 250 tokens.
//
// Lenses and hovers stand on timer calls the editor finds in the source (`timer('…')`,
// `timed('…')`; extension/timer-scan.ts) whose line is a span's call site and whose name matches
// the span's. A span of code traced with OpenTelemetry alone (`tracer.startActiveSpan`) has no
// such call at its code.line.number: its lens stands on that recorded line itself (step 6).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startVsCode, VsCodeSession } from './harness';
import { LensFigures, packagedExtension, parseDuration, parseLens, publishDocImage, waitUntil } from './lib/agent-profiler';
import { growHoverTo, hoverWordNearBottom, regionOfHover, regionOfLines, regionOfTree, showWaterfallFromPalette, waterfallPaint } from './lib/agent-profiler-views';
import { NODE_AGENT, OTLP_TRACE, otlpWorkspace, shiftedTrace, timerCallTs, type OtlpWorkspace } from './lib/otlp-workspace';
import { TreeViewPane } from './lib/tree-view';

/** The run's name: the resource's `service.name` and the root span's name. */
const RUN_NAME = 'node-agent: agent:run';
/** The second trace of step 5. */
const COPY_NAME = 'copy-agent: agent:run';

// Prices per million tokens (genai-prices): gpt-4o-mini $0.15 input, $0.075 cache read, $0.60
// output; claude-sonnet-4-5 $3 input, $3.75 cache write, $15 output (reasoning is part of output).
// planning:  (1 450 − 1 024) × 0.15 + 1 024 × 0.075 + 180 × 0.60 = 63.9 + 76.8 + 108 = 248.7 µ$ → $0.0002
// synthesis: (3 200 − 2 048) × 3 + 2 048 × 3.75 + 420 × 15 = 3 456 + 7 680 + 6 300 = 17 436 µ$ → $0.0174
// run:       248.7 + 17 436 = 17 684.7 µ$ → $0.0177
const PLANNING_COST = '$0.0002';
const SYNTHESIS_COST = '$0.0174';
const RUN_COST = '$0.0177';

describe('An OTLP/JSON trace in a real VS Code: tree, waterfall, code lenses and hovers', function () {
  this.timeout(120_000);
  let session: VsCodeSession | undefined;
  let workspace: OtlpWorkspace | undefined;
  let tree: TreeViewPane;
  /** The tool:web_search lens of step 1, compared with the tree in step 3. */
  let searchLens: LensFigures | undefined;

  const wb = () => session!.workbench;
  const site = (name: string) => timerCallTs(workspace!.agentSource, name);

  before(async function () {
    this.timeout(240_000);
    const vsix = packagedExtension();
    workspace = otlpWorkspace();
    session = await startVsCode({ name: 'otlp-trace', workspace: workspace.dir, extensions: [{ vsix }] });
    tree = new TreeViewPane(session.workbench, 'Runs');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      console.log(`    artifacts: ${await session.saveFailureArtifacts(this.currentTest.fullTitle())}`);
    }
  });

  after(async function () {
    await session?.dispose();
    workspace?.dispose();
  });

  it('1. activates for a folder holding only the trace, and puts lenses with its figures on the timer calls', async () => {
    // No view of ours is shown yet: the extension starts because the folder holds *.otlp.json
    // (activationEvents), and the agent's timer calls ask for the analysis.
    await wb().openFile(NODE_AGENT);
    const lensAt = async (name: string) => {
      const at = site(name);
      await wb().goToLine(at.line, at.column);
      const lens = await waitUntil(
        `a code lens above line ${at.line} (${name})`,
        async () => (await wb().codeLensesByLine(0)).find((l) => l.line === at.line),
        60_000,
      );
      return parseLens(lens.text);
    };
    const search = await lensAt('tool:web_search');
    assert.strictEqual(search.calls, 2, 'one search inside Promise.all, one answered from memory');
    assert.ok(search.p50Ms <= search.p95Ms);
    assert.strictEqual(search.cost, undefined, 'a search makes no LLM call, so no cost');
    searchLens = search;
    const weather = await lensAt('tool:weather');
    assert.strictEqual(weather.calls, 2, 'the call that timed out and its retry');
    // Each weather call sleeps 25 ms.
    assert.ok(weather.p50Ms >= 24, `weather p50 ${weather.p50Ms} ms`);
    const planning = await lensAt('llm:planning');
    assert.strictEqual(planning.calls, 1);
    assert.strictEqual(planning.cost, PLANNING_COST);
    const synthesis = await lensAt('llm:synthesis');
    assert.strictEqual(synthesis.calls, 1);
    assert.strictEqual(synthesis.p50Ms, synthesis.p95Ms, 'one call: p50 = p95');
    assert.strictEqual(synthesis.cost, SYNTHESIS_COST);
    const at = site('llm:synthesis');
    await wb().goToLine(at.line + 4, 1);
    await wb().screenshot('1-code-lens', await regionOfLines(wb(), at.line - 6, at.line + 6, 1000));
  });

  it('2. hovers the llm:synthesis timer: tokens and cost per call, model, cost per 1 000 runs', async () => {
    const at = site('llm:synthesis');
    const text = await hoverWordNearBottom(wb(), at.line, 'timer');
    const flat = text.replace(/\s+/g, ' ');
    const editorTop = (await wb().page.locator('.editor-group-container.active .monaco-editor').first().boundingBox())?.y ?? 0;
    await growHoverTo(wb(), editorTop + 8);
    await wb().screenshot('2-hover', await regionOfHover(wb(), at.line));
    assert.ok(flat.includes('Agent Profiler · llm:synthesis'), flat);
    assert.match(flat, /1 call · p50 (\S+ m?s) · p95 \1 · avg \1 · total \1 · [\d.]+ % of the run's time/);
    // One call of 3 200 input + 420 output = 3 620 tokens, $0.017436.
    assert.ok(flat.includes(`Tokens and cost per LLM call this run tokens 3,620 3,620 cost ${SYNTHESIS_COST} ${SYNTHESIS_COST}`), flat);
    assert.ok(flat.includes('claude-sonnet-4-5 (anthropic): 1 call, 3,620 tokens, $0.0174'), flat);
    assert.ok(flat.includes('$17.44 per 1 000 runs'), `1 000 × $0.017436 = $17.44: ${flat}`);
    // $0.017436 of the run's $0.0176847 = 98.6 %.
    assert.ok(flat.includes("99 % of the run's cost"), flat);
    await wb().page.mouse.move(0, 0);
  });

  it('3. lists the trace in the Runs view with its spans, LLM calls, tokens and cost', async () => {
    await tree.focus();
    const runRow = await tree.waitForRow({ label: RUN_NAME, level: 1 });
    assert.strictEqual(runRow.expanded, true, 'the only run is the active run, expanded');
    const summary = new Map((await tree.childrenOf({ label: 'Summary' })).map((r) => [r.label, r.description]));
    const wall = summary.get('Wall time');
    assert.ok(wall, `a wall time in ${JSON.stringify([...summary])}`);
    // Sleeps on the longest chain: planning 20 + 180/10 = 38 ms, the first search 60 ms,
    // synthesis 20 + 420/10 = 62 ms: at least 160 ms (less 5 ms for timer rounding).
    assert.ok(parseDuration(wall) >= 155, `wall time ${wall}`);
    assert.ok(runRow.description.endsWith(`· ${wall} · ${RUN_COST}`), `run row: ${runRow.description}`);
    assert.strictEqual(summary.get('Spans'), '13');
    assert.strictEqual(summary.get('Errors'), '1', 'the first tool:weather call timed out');
    assert.strictEqual(summary.get('Tokens'), '5,250 in 2 LLM calls');
    assert.strictEqual(summary.get('Cost'), RUN_COST);

    await wb().runCommand('Notifications: Clear All Notifications');
    await wb().resizeSideBar(700);
    const shot = await wb().screenshot('3-tree', await regionOfTree(wb(), tree, { label: /^Timing by category/ }));
    publishDocImage(shot, 'otlp-tree.png');
    await wb().resizeSideBar(420);

    // The call site of the two searches, from the spans' code.file.path and code.line.number: the
    // bridge writes absolute paths (a native profile holds them relative to the run's cwd).
    await tree.expand({ label: 'Timing by category' });
    await tree.expand({ label: 'tool', level: 3 });
    await tree.expand({ label: 'tool:web_search', level: 4 });
    const sites = await tree.childrenOf({ label: 'tool:web_search', level: 4 });
    assert.deepStrictEqual(sites.map((s) => s.label), [`${workspace!.agentPath}:${site('tool:web_search').line}`]);
    const row = /^2 calls · total (\S+ m?s) · p95 (\S+ m?s) · ([\d.]+ %)$/.exec(sites[0].description);
    assert.ok(row, `site row: ${sites[0].description}`);
    assert.ok(searchLens, 'step 1 read the lens');
    assert.strictEqual(searchLens.p95Text, row[2], 'the lens and the tree agree on p95');
    assert.strictEqual(searchLens.shareText, row[3], 'the lens and the tree agree on the share');
    await wb().screenshot('3-tree-timing');
  });

  it('4. draws the trace in the waterfall: categories with their span counts, painted bars', async function () {
    const frame = await showWaterfallFromPalette(wb());
    if (!frame) this.skip(); // this build has no waterfall panel
    const info = frame.locator('#run-info');
    await info.filter({ hasText: 'spans' }).waitFor({ timeout: 20_000 });
    assert.ok((await info.innerText()).startsWith(`${RUN_NAME} · ${path.basename(OTLP_TRACE)} · 13 spans · `), await info.innerText());
    // tool = 2 searches + 2 weather calls + the calculator; agent = run, tools, retry;
    // memory = 2 look-ups and a store; llm = planning and synthesis.
    const chips = await frame.locator('#categories label.chip').evaluateAll((labels) => labels.map((l) => l.getAttribute('title')));
    for (const chip of ['tool: 5 spans', 'agent: 3 spans', 'memory: 3 spans', 'llm: 2 spans']) assert.ok(chips.includes(chip), `${chip} in ${chips.join(' | ')}`);
    const paint = await waterfallPaint(frame);
    assert.ok(paint.colours >= 4 && paint.paintedShare > 0.02, `the timeline canvas is painted: ${JSON.stringify(paint)}`);
    // Searching finds the five tool spans; Enter selects the first and its details show beside the chart.
    await frame.locator('#search').fill('tool:');
    await frame.locator('#search').press('Enter');
    assert.match(await frame.locator('#match-count').innerText(), /^1 of 5$/);
    await frame.locator('#details .d-name', { hasText: /^tool:/ }).waitFor({ state: 'visible' });
    const group = await wb().page.locator('.editor-group-container.active').boundingBox();
    await wb().screenshot('4-waterfall', group ? { ...group, width: Math.min(group.width, 1200), height: 500 } : undefined);
    await wb().runCommand('View: Close Editor');
  });

  it('5. makes a trace the active run from its editor title, as a native profile', async () => {
    // A second trace: the same run from another service an hour later. Being the newer run, it
    // becomes the active one (the user has not picked one yet).
    const copy = path.join(workspace!.dir, 'traces', 'copy.otlp.json');
    fs.writeFileSync(copy, shiftedTrace(fs.readFileSync(workspace!.tracePath, 'utf8'), 'copy-agent', 3_600_000_000_000n));
    await tree.focus();
    await waitUntil('the newer trace to be the active run', async () => (await tree.waitForRow({ label: COPY_NAME, level: 1 })).expanded === true);
    // Back to the first trace: open it (Quick Open knew it from the start) and use "Open Profile…"
    // in its editor title (menus.editor/title matches *.otlp.json as well as *.agentprof.jsonl).
    await wb().openFile(OTLP_TRACE);
    await wb().page.locator('.tabs-container .tab.active[data-resource-name="node-agent.otlp.json"]').waitFor();
    await wb().page.locator('.editor-group-container.active .editor-actions a.action-label[aria-label*="Open Profile"]').click();
    await waitUntil('the first trace to be the active run again', async () => (await tree.waitForRow({ label: RUN_NAME, level: 1 })).expanded === true);
    assert.notStrictEqual((await tree.waitForRow({ label: COPY_NAME, level: 1 })).expanded, true, 'one active run');
    await wb().screenshot('5-open-profile');
  });

  it('6. puts a lens on code traced with OpenTelemetry alone, at its span\'s code.line.number', async () => {
    // No timer call here: the span's location comes from code.file.path / code.line.number only.
    const source = ['import { trace } from "@opentelemetry/api";', '', 'export async function search(q: string) {', '  return trace.getTracer("app").startActiveSpan("retrieval:vector_search", async (span) => {', '    span.end();', '  });', '}', ''].join('\n');
    const sourcePath = path.join(workspace!.dir, 'otel_only.ts');
    fs.writeFileSync(sourcePath, source);
    const tracePath = path.join(workspace!.dir, 'traces', 'otel-only.otlp.json');
    fs.writeFileSync(tracePath, JSON.stringify(otelOnlyTrace(sourcePath, 4), null, 2) + '\n');
    await wb().openFile('traces/otel-only.otlp.json');
    await wb().page.locator('.tabs-container .tab.active[data-resource-name="otel-only.otlp.json"]').waitFor();
    await wb().page.locator('.editor-group-container.active .editor-actions a.action-label[aria-label*="Open Profile"]').click();
    await waitUntil('the OTel-only trace to be the active run', async () => (await tree.waitForRow({ label: 'search-app: retrieval:vector_search', level: 1 })).expanded === true);
    await wb().openFile('otel_only.ts');
    await wb().goToLine(4, 3);
    const lens = await waitUntil('a code lens above line 4 (the startActiveSpan call)', async () => (await wb().codeLensesByLine(0)).find((l) => l.line === 4), 60_000);
    const figures = parseLens(lens.text);
    // One span of 1.5 s (start 1 s, end 2.5 s after the epoch below).
    assert.strictEqual(figures.calls, 1, lens.text);
    assert.strictEqual(figures.p50Ms, 1500, lens.text);
    assert.strictEqual(figures.sharePct, 100, 'the only span of its run');
    await wb().screenshot('6-otel-only-lens', await regionOfLines(wb(), 1, 8, 1000));
  });
});

/** A one-span OTLP/JSON export request whose span points at `file`:`line` (code.* attributes). */
function otelOnlyTrace(file: string, line: number): object {
  const base = 1_763_900_000_000_000_000n;
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return {
    resourceSpans: [{
      resource: { attributes: [str('service.name', 'search-app')] },
      scopeSpans: [{
        scope: { name: 'app' },
        spans: [{
          traceId: '0af7651916cd43dd8448eb211c80319c',
          spanId: 'b7ad6b7169203331',
          name: 'retrieval:vector_search',
          kind: 1,
          startTimeUnixNano: (base + 1_000_000_000n).toString(),
          endTimeUnixNano: (base + 2_500_000_000n).toString(),
          attributes: [str('code.file.path', file), { key: 'code.line.number', value: { intValue: String(line) } }],
          status: { code: 1 },
        }],
      }],
    }],
  };
}
