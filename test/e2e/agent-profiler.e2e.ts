// Agent Profiler end to end, as a user meets it: the packaged .vsix installed into a real VS Code
// (code-server), a workspace with the example research agent, and every step done through the UI
// (command palette, modal dialog, tree view, code lenses, hovers, webview, Problems) in headless
// Chromium. The steps run in order on one session: each builds on the run that step 1 records.
// Screenshots of every step land in test-results/e2e/agent-profiler/; with
// AGENTPROF_E2E_DOC_IMAGES=1 the clipped ones are also copied to docs/images/ for the README.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startVsCode, VsCodeSession } from './harness';
import {
  EXAMPLE_AGENT,
  exampleWorkspace,
  malformedProfile,
  packagedExtension,
  parseDuration,
  parseLens,
  publishDocImage,
  timerCall,
  waitUntil,
} from './lib/agent-profiler';
import { answerModalDialog, waitForModalDialog } from './lib/dialog';
import {
  clickLensToWaterfall,
  growHoverTo,
  hoverWordNearBottom,
  regionOfHover,
  regionOfLines,
  regionOfTree,
  showWaterfallFromPalette,
  waitForEditorAt,
  waterfallPaint,
} from './lib/agent-profiler-views';
import { problemsPanel } from './lib/problems';
import { TreeViewPane } from './lib/tree-view';

/** What step 1 saw; later steps compare the other views with it. */
interface RecordedRun {
  profileFile: string;
  wall: string;
  cost: string;
  saves: string;
}

describe('Agent Profiler in a real VS Code, installed from the packaged .vsix', function () {
  this.timeout(120_000);
  let session: VsCodeSession | undefined;
  let workspace: ReturnType<typeof exampleWorkspace>;
  let recorded: RecordedRun | undefined;
  let tree: TreeViewPane;
  /** Figures of the tool:web_scrape call site row in "Timing by category" (step 2). */
  let scrapeSite: { total: string; p95: string; share: string } | undefined;

  const wb = () => session!.workbench;
  const run = (): RecordedRun => {
    if (!recorded) throw new Error('step 1 (the profiled run) did not complete');
    return recorded;
  };
  const scrape = () => timerCall(workspace.agentSource, 'tool:web_scrape');
  const planning = () => timerCall(workspace.agentSource, 'llm:planning');

  before(async function () {
    this.timeout(240_000);
    const vsix = packagedExtension();
    workspace = exampleWorkspace();
    session = await startVsCode({ name: 'agent-profiler', workspace: workspace.dir, extensions: [{ vsix }] });
    tree = new TreeViewPane(session.workbench, 'Runs');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      console.log(`    artifacts: ${await session.saveFailureArtifacts(this.currentTest.fullTitle())}`);
    }
  });

  after(async function () {
    await session?.dispose();
    if (workspace) fs.rmSync(workspace.dir, { recursive: true, force: true });
  });

  it('1. profiles the example agent from the command palette, after confirming what will run', async () => {
    await wb().openFile(EXAMPLE_AGENT);
    await wb().runCommand('Agent Profiler: Profile Agent Run');
    const dialog = await waitForModalDialog(wb().page);
    await wb().screenshot('1-confirmation');
    assert.strictEqual(dialog.message, 'Agent Profiler will run this command:');
    // The active file, relative to the workspace folder it runs in, so call sites come out relative.
    assert.match(dialog.detail, /^Command: python3 examples\/research_agent\/agent\.py$/m);
    assert.ok(dialog.detail.includes(`Working folder: ${workspace.dir}\n`), dialog.detail);
    const out = /^\s*AGENTPROF_OUT=(.+)$/m.exec(dialog.detail);
    assert.ok(out, `the dialog names the profile file:\n${dialog.detail}`);
    const profileFile = out[1].trim();
    assert.strictEqual(path.dirname(profileFile), path.join(workspace.dir, '.agentprof'));
    assert.deepStrictEqual([...dialog.buttons].sort(), ['Cancel', 'Run']);
    await answerModalDialog(wb().page, 'Run');

    const message = await wb().waitForNotification(/^agent finished: /, 90_000);
    await wb().screenshot('1-finished');
    // 20 spans: agent:research, memory:lookup, llm:planning, step_1:search, tool:web_search ×3,
    // llm:rank_results, step_2:read, tool:web_scrape ×3, tool:fetch_pdf, step_3:summarize,
    // llm:summarize ×3, step_4:answer, llm:synthesis, memory:save. 1 error: the PDF time-out.
    // Bottlenecks are ordered by what fixing them saves: running the four calls of step_2:read
    // concurrently saves more than making the scraper alone fast.
    const m = /^agent finished: (\S+ m?s) wall · (\$[\d.]+) · 20 spans · 1 error\. Top bottleneck: step_\{n\}:read: tool:web_scrape ×3, tool:fetch_pdf \(sequential_siblings, saves ~(\S+ m?s)\)\.$/.exec(message);
    assert.ok(m, `summary notification: "${message}"`);
    recorded = { profileFile, wall: m[1], cost: m[2], saves: m[3] };
    assert.ok(fs.statSync(profileFile).size > 0, 'the profile was written where the dialog said');
    // Three scrapes of at least 1.44 s each run one after another.
    assert.ok(parseDuration(recorded.wall) > 3 * 1440, `wall time ${recorded.wall}`);
  });

  it('2. shows the run in the Agent Profiler view: summary, and step_2:read (calls one after another) as the top bottleneck', async () => {
    const { wall, cost, saves } = run();
    await tree.focus();
    const runRow = await tree.waitForRow({ label: 'agent', level: 1 });
    assert.ok(runRow.description.endsWith(`· ${wall} · ${cost}`), `run row: ${runRow.description}`);
    assert.strictEqual(runRow.expanded, true, 'the active run is expanded');

    const summary = new Map((await tree.childrenOf({ label: 'Summary' })).map((r) => [r.label, r.description]));
    assert.strictEqual(summary.get('Wall time'), wall);
    assert.strictEqual(summary.get('Spans'), '20');
    assert.strictEqual(summary.get('Errors'), '1');
    // 5 LLM calls: planning, rank_results, two summaries (the third is a cache hit), synthesis.
    assert.match(summary.get('Tokens') ?? '', /^[\d,]+ in 5 LLM calls$/);
    assert.strictEqual(summary.get('Cost'), cost);

    const header = await tree.waitForRow({ label: /^Bottlenecks \(\d+\)$/ });
    assert.strictEqual(header.expanded, true);
    const bottlenecks = await tree.childrenOf({ label: header.label });
    // step_2:read is shown by its name template (core/name-templates.ts), step_{n}:read.
    assert.strictEqual(bottlenecks[0].label, 'step_{n}:read: tool:web_scrape ×3, tool:fetch_pdf');
    assert.strictEqual(bottlenecks[0].description, `medium · sequential_siblings · saves ~${saves}`);
    // The slow scraper is about the same calls: its saving is said not to add to the first one's.
    assert.strictEqual(bottlenecks[1].label, 'tool:web_scrape');
    assert.match(bottlenecks[1].description, /^high · slow_tool · saves ~\S+ m?s \(same calls as #1: not in addition\)$/);
    // The saving is real time: more than nothing, less than the four calls (≤ 3 × 1.76 s + 0.33 s).
    assert.ok(parseDuration(saves) > 0 && parseDuration(saves) < 3 * 1760 + 330, `saves ${saves}`);

    await wb().runCommand('Notifications: Clear All Notifications');
    await wb().runCommand('View: Hide Panel');
    await wb().resizeSideBar(700);
    const treeShot = await wb().screenshot('2-tree', await regionOfTree(wb(), tree, { label: /^Budgets/ }));
    publishDocImage(treeShot, 'tree.png');
    await wb().resizeSideBar(420);

    // Down to the call site, by clicking twisties: Timing by category → tool → tool:web_scrape.
    await tree.expand({ label: 'Timing by category' });
    await tree.expand({ label: 'tool', level: 3 });
    await tree.expand({ label: 'tool:web_scrape', level: 4 });
    const sites = await tree.childrenOf({ label: 'tool:web_scrape', level: 4 });
    assert.deepStrictEqual(sites.map((s) => s.label), [`${EXAMPLE_AGENT}:${scrape().line}`]);
    const site = /^3 calls · total (\S+ m?s) · p95 (\S+ m?s) · ([\d.]+ %)$/.exec(sites[0].description);
    assert.ok(site, `site row: ${sites[0].description}`);
    scrapeSite = { total: site[1], p95: site[2], share: site[3] };
    await wb().screenshot('2-tree-timing');
  });

  it('3. puts code lenses with the run’s figures on the timer calls of agent.py', async () => {
    const { wall } = run();
    assert.ok(scrapeSite, 'step 2 read the call site row');
    await wb().openFile(EXAMPLE_AGENT);
    const at = scrape();
    await wb().goToLine(at.line, at.column);
    const lens = await waitUntil(`a code lens above line ${at.line} (the tool:web_scrape timer)`, async () =>
      (await wb().codeLensesByLine(0)).find((l) => l.line === at.line),
    );
    const figures = parseLens(lens.text);
    // Three pages are scraped (four search hits, one duplicate, one PDF fetched instead).
    assert.strictEqual(figures.calls, 3, lens.text);
    // Each scrape sleeps 1.6 s ± 10 %: 1.44 s … 1.76 s, plus a little scheduling.
    assert.ok(figures.p50Ms >= 1440 && figures.p50Ms <= figures.p95Ms && figures.p95Ms <= 1800, lens.text);
    assert.strictEqual(figures.p95Text, scrapeSite.p95, 'the lens and the tree agree on p95');
    assert.strictEqual(figures.shareText, scrapeSite.share, 'the lens and the tree agree on the share');
    const expectedPct = (100 * parseDuration(scrapeSite.total)) / parseDuration(wall);
    assert.ok(Math.abs(figures.sharePct - expectedPct) <= 1, `share ${figures.sharePct} % vs total/wall ${expectedPct.toFixed(1)} %`);
    assert.strictEqual(figures.cost, undefined, 'a scrape makes no LLM call, so no cost');
    await wb().goToLine(at.line + 3, 1); // the caret out of the picture (the lines stay in view)
    const lensShot = await wb().screenshot('3-code-lens', await regionOfLines(wb(), at.line - 3, at.line + 9, 1000));
    publishDocImage(lensShot, 'codelens.png');

    const plan = planning();
    await wb().goToLine(plan.line, plan.column);
    const planLens = await waitUntil('a code lens on the llm:planning timer', async () =>
      (await wb().codeLensesByLine(0)).find((l) => l.line === plan.line),
    );
    const planFigures = parseLens(planLens.text);
    assert.strictEqual(planFigures.calls, 1);
    assert.strictEqual(planFigures.p50Ms, planFigures.p95Ms, 'one call: p50 = p95');
    // claude-3-5-sonnet: 518 uncached input × $3/M + 1,792 cache reads × $0.30/M + 402 output × $15/M = $0.0081216.
    assert.strictEqual(planFigures.cost, '$0.0081');
  });

  it('3b. opens the waterfall on the spans of a code lens that is clicked', async () => {
    run();
    // Still in agent.py as step 3 left it: after a tab switch VS Code first shows cached lenses,
    // whose commands are gone (microsoft/vscode#84153).
    const at = scrape();
    await wb().goToLine(at.line, 1);
    await clickLensToWaterfall(wb(), /^\s*3 calls/);
    const focused = await wb().webviewFrame(); // not by its tab: the lens must have brought it up
    await focused.locator('#focus-text', { hasText: '3 spans from the editor' }).waitFor({ state: 'visible', timeout: 20_000 });
    // Shown: the 3 scrapes and their 2 ancestors, step_2:read and agent:research.
    assert.match(await focused.locator('#run-info').innerText(), / · 20 spans · 5 shown · /);
    await wb().screenshot('3b-lens-opened-waterfall');
    await wb().runCommand('View: Close Editor'); // step 6 opens the waterfall afresh, from the palette
  });

  it('4. hovers the llm:planning timer and shows tokens and cost per call, per run and per 1 000 runs', async () => {
    const { cost } = run();
    const plan = planning();
    await wb().openFile(EXAMPLE_AGENT);
    const text = await hoverWordNearBottom(wb(), plan.line, 'timer');
    const flat = text.replace(/\s+/g, ' ');
    const editorTop = (await wb().page.locator('.editor-group-container.active .monaco-editor').first().boundingBox())?.y ?? 0;
    await growHoverTo(wb(), editorTop + 8);
    const hoverShot = await wb().screenshot('4-hover', await regionOfHover(wb(), plan.line));
    publishDocImage(hoverShot, 'hover.png');
    assert.ok(flat.includes('Agent Profiler · llm:planning'), flat);
    assert.match(flat, /1 call · p50 (\S+ m?s) · p95 \1 · avg \1 · total \1 · [\d.]+ % of the run's time/);
    // One call of 2,310 input + 402 output tokens = 2,712; its cost $0.0081216 (step 3).
    assert.ok(flat.includes('Tokens and cost per LLM call this run tokens 2,712 2,712 cost $0.0081 $0.0081'), flat);
    assert.ok(flat.includes('$8.12 per 1 000 runs'), `1 000 × $0.0081216 = $8.12: ${flat}`);
    const share = Math.round((100 * 0.0081216) / Number(cost.slice(1)));
    assert.ok(flat.includes(`${share} % of the run's cost`), `$0.0081216 of ${cost} is ${share} %: ${flat}`);
    assert.ok(flat.includes('claude-3-5-sonnet-20241022 (anthropic): 1 call, 2,712 tokens, $0.0081'), flat);
    assert.match(flat, /✓ within llm: [\d,]+ tokens of 25,000 tokens/, 'the budget of set_budget("llm", 25_000)');
    await wb().page.mouse.move(0, 0);
  });

  it('5. opens the code of a bottleneck when it is clicked in the tree', async () => {
    run();
    await wb().runCommand('View: Close All Editors');
    await tree.focus();
    await tree.click({ label: 'tool:web_scrape', description: /slow_tool/ });
    const opened = await waitForEditorAt(wb(), workspace.agentPath, scrape().line);
    assert.deepStrictEqual(opened, { file: workspace.agentPath, line: scrape().line, column: 1 });
    await wb().screenshot('5-bottleneck-opened');
  });

  it('6. shows the run in the waterfall webview: painted, searchable, with span details', async function () {
    const { profileFile } = run();
    const frame = await showWaterfallFromPalette(wb());
    if (!frame) this.skip(); // this build has no waterfall panel
    const info = frame.locator('#run-info');
    await info.filter({ hasText: 'spans' }).waitFor({ timeout: 20_000 });
    assert.ok((await info.innerText()).startsWith(`agent · ${path.basename(profileFile)} · 20 spans · `), await info.innerText());
    assert.strictEqual(await frame.locator('#status').isVisible(), false, 'no status message over the chart');
    // Categories with their span counts: tool = 3 searches + 3 scrapes + 1 PDF; llm = planning,
    // ranking, 3 summaries, synthesis; memory = lookup and save.
    const chips = await frame.locator('#categories label.chip').evaluateAll((labels) => labels.map((l) => l.getAttribute('title')));
    for (const chip of ['tool: 7 spans', 'llm: 6 spans', 'memory: 2 spans', 'agent: 1 spans']) assert.ok(chips.includes(chip), `${chip} in ${chips.join(' | ')}`);
    const paint = await waterfallPaint(frame);
    assert.ok(paint.colours >= 4 && paint.paintedShare > 0.02, `the timeline canvas is painted: ${JSON.stringify(paint)}`);
    // The first row is the root span, across the whole run: its tooltip names it.
    const canvas = await frame.locator('#timeline').boundingBox();
    assert.ok(canvas);
    await wb().page.mouse.move(canvas.x + canvas.width / 2, canvas.y + 26 + 11);
    await frame.locator('#tooltip', { hasText: 'agent:research' }).waitFor({ state: 'visible' });
    await wb().page.mouse.move(0, 0);
    // Searching finds the three scrapes; Enter selects the first and its details show beside the chart.
    await frame.locator('#search').fill('tool:web_scrape');
    await frame.locator('#search').press('Enter');
    assert.match(await frame.locator('#match-count').innerText(), /^1 of 3$/);
    await frame.locator('#details .d-name', { hasText: /^tool:web_scrape$/ }).waitFor({ state: 'visible' });
    await wb().resizeSideBar(170); // the chart gets the width (170 px is the side bar's least)
    await waitUntil('the waterfall to widen', async () => ((await frame.locator('#timeline').boundingBox())?.width ?? 0) > canvas.width);
    const group = await wb().page.locator('.editor-group-container.active').boundingBox();
    // The tab, toolbar, minimap, the run's rows and the details; not the empty chart below them.
    const waterfallShot = await wb().screenshot('6-waterfall', group ? { ...group, width: Math.min(group.width, 1200), height: 500 } : undefined);
    publishDocImage(waterfallShot, 'waterfall-vscode.png');
    await wb().resizeSideBar(420);
  });

  it('7. explains a malformed profile in the view and in Problems, line by line', async () => {
    run();
    const bad = malformedProfile(workspace.dir);
    fs.writeFileSync(path.join(workspace.dir, 'bad.agentprof.jsonl'), bad.text);
    // Quick Open's file list is cached for the session, so the new file is opened from the Explorer.
    await wb().runCommand('View: Show Explorer');
    await new TreeViewPane(wb(), path.basename(workspace.dir)).click({ label: 'bad.agentprof.jsonl' });
    await wb().page.locator('.tabs-container .tab.active[data-resource-name="bad.agentprof.jsonl"]').waitFor();
    // The editor title of a profile offers "Open Profile…" (menus.editor/title in package.json).
    await wb().page.locator('.editor-group-container.active .editor-actions a.action-label[aria-label*="Open Profile"]').click();
    // The run's name comes from the header, which is read once the profile is the active run.
    await tree.waitForRow({ label: 'bad-run', level: 1 });
    await tree.expand({ label: 'bad-run', level: 1 });
    const problemsHeader = await tree.waitForRow({ label: /^Problems reading the profile \(\d+\)$/ });
    assert.strictEqual(problemsHeader.label, `Problems reading the profile (${bad.brokenLines.length})`);
    assert.strictEqual(problemsHeader.description, `${bad.brokenLines.length} errors`);
    await tree.expand({ label: problemsHeader.label });
    const problems = await tree.childrenOf({ label: problemsHeader.label });
    assert.deepStrictEqual(problems.map((p) => p.label), bad.brokenLines.map((line) => `line ${line}`));
    assert.match(problems[0].description, /^not valid JSON; line skipped/);
    assert.match(problems[1].description, /^not valid JSON; line skipped/);
    assert.strictEqual(problems[2].description, '"s" record skipped: "n" must be a string, got nothing');
    await wb().screenshot('7-malformed-tree');
    // A problem row opens the profile at its line.
    await tree.click({ label: `line ${bad.brokenLines[0]}` });
    await waitForEditorAt(wb(), path.join(workspace.dir, 'bad.agentprof.jsonl'), bad.brokenLines[0]);

    const rows = await problemsPanel(wb(), /at line 4 and character 1\. generated by Agent Profiler$/);
    await wb().screenshot('7-malformed-problems');
    assert.ok(rows.some((r) => r.level === 1 && /^3 problems in file bad\.agentprof\.jsonl/.test(r.label)), rows.map((r) => r.label).join('\n'));
    for (const line of bad.brokenLines) {
      assert.ok(
        rows.some((r) => r.level === 2 && r.label.startsWith('Error: ') && r.label.endsWith(`at line ${line} and character 1. generated by Agent Profiler`)),
        `an error at line ${line} in Problems:\n${rows.map((r) => r.label).join('\n')}`,
      );
    }
  });
});
