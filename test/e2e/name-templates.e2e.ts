// A run named like the seed chapter (a distinct name per step: `step_<i>:execution`,
// `step_<i>:llm_call`, `step_<i>:tool_call`) in a real VS Code (code-server): the Runs view groups
// the step names into templates (`step_{n}` as one category, `step_{n}:llm_call` as one row), the
// bottleneck rules fire once per template, and the critical path of 6 004 segments is folded into
// a few rows. Switching `agentProfiler.groupNames` off reads the run again with every name apart.
// Screenshots land in test-results/e2e/name-templates/.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { writeSeedRun } from '../../bench/seed-run';
import { makeWorkspace, startVsCode, VsCodeSession } from './harness';
import { packagedExtension, waitUntil } from './lib/agent-profiler';
import { regionOfTree } from './lib/agent-profiler-views';
import { TreeViewPane } from './lib/tree-view';

const STEPS = 2000;
const SPANS = 3 * STEPS + 4;
const RUN_NAME = 'seed-agent: agent_run';

describe('Names with numbers grouped into templates in a real VS Code', function () {
  this.timeout(180_000);
  let session: VsCodeSession | undefined;
  let dir: string | undefined;
  let tree: TreeViewPane;
  const wb = () => session!.workbench;

  before(async function () {
    this.timeout(300_000);
    const vsix = packagedExtension();
    dir = makeWorkspace({});
    fs.mkdirSync(path.join(dir, 'traces'));
    assert.strictEqual(writeSeedRun(STEPS, path.join(dir, 'traces', 'seed.otlp.jsonl')), SPANS);
    session = await startVsCode({ name: 'name-templates', workspace: dir, extensions: [{ vsix }] });
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

  /** Closes a tree row when it is open (the tree renders only a screenful of rows). */
  async function collapse(label: string, level: number): Promise<void> {
    const row = tree.row({ label, level });
    if ((await row.count()) > 0 && (await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
  }

  it('1. shows one category and one row per template, and a rule once per template', async () => {
    await tree.focus();
    await tree.waitForRow({ label: RUN_NAME, level: 1 }, 120_000);
    await tree.expand({ label: 'Timing by category' });
    // agent_run, input_processing, llm, response_generation, step_{n} and tool (the tool calls carry
    // gen_ai.operation.name = execute_tool, which decides their category): 6 categories, not 2 004.
    const categories = await tree.childrenOf({ label: 'Timing by category' });
    assert.deepStrictEqual(categories.map((c) => c.label).sort(), ['agent_run', 'input_processing', 'llm', 'response_generation', 'step_{n}', 'tool']);
    // The step templates, each one row of 2 000 calls, under the categories their spans' attributes
    // give them (an LLM call under llm, a tool call under tool; execution has none: step_{n}).
    const stepRows: Array<{ label: string; description: string }> = [];
    for (const category of ['step_{n}', 'llm', 'tool']) {
      await tree.expand({ label: category, level: 3 });
      stepRows.push(...(await tree.childrenOf({ label: category, level: 3 })).filter((n) => n.label.startsWith('step_')));
      await collapse(category, 3);
    }
    assert.deepStrictEqual(stepRows.map((n) => n.label).sort(), ['step_{n}:execution', 'step_{n}:llm_call', 'step_{n}:tool_call']);
    for (const n of stepRows) assert.match(n.description, /^2,000 calls · /, `${n.label}: ${n.description}`);
    // many_calls: once for each of the three templates (2 000 calls each), not once per step.
    await tree.expand({ label: /^Bottlenecks \(/ });
    const bottlenecks = await tree.childrenOf({ label: /^Bottlenecks \(/ });
    const manyCalls = bottlenecks.filter((b) => b.description.includes('many_calls')).map((b) => b.label).sort();
    assert.deepStrictEqual(manyCalls, ['step_{n}:execution', 'step_{n}:llm_call', 'step_{n}:tool_call']);
    await wb().runCommand('Notifications: Clear All Notifications');
    await wb().resizeSideBar(640);
    await wb().screenshot('1-templates', await regionOfTree(wb(), tree, { label: 'step_{n}:tool_call' }));
  });

  it('2. folds the critical path of 6 004 segments into a few rows', async () => {
    const critical = await tree.waitForRow({ label: `Critical path (${SPANS.toLocaleString('en-US')})` });
    assert.match(critical.description, new RegExp(`^${SPANS.toLocaleString('en-US')} segments in \\d+ rows? · `), critical.description);
    await tree.expand({ label: /^Critical path \(/ });
    const rows = await tree.childrenOf({ label: /^Critical path \(/ });
    assert.ok(rows.length <= 5, `folded rows: ${rows.map((r) => r.label).join(' | ')}`);
    const folded = rows.find((r) => /shorter segments$/.test(r.label));
    assert.ok(folded, `a folded row in ${rows.map((r) => r.label).join(' | ')}`);
    assert.match(folded.description, /mostly step_\{n\}:llm_call/);
    await wb().screenshot('2-folded-path', await regionOfTree(wb(), tree, { label: folded.label }));
  });

  it('3. keeps every name apart when agentProfiler.groupNames is off', async () => {
    // As a user would: the workspace settings in the JSON editor, typed and saved. (Settings files
    // written behind code-server's back were not noticed.)
    await wb().runCommand('Preferences: Open Workspace Settings (JSON)');
    const editor = wb().page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.waitFor({ state: 'visible' });
    await editor.click();
    // Everything out first (the new file holds `{}`), then the text as is (insertText does not
    // trigger the editor's auto-closing of brackets and quotes).
    await wb().page.keyboard.press('Control+A');
    await wb().page.keyboard.press('Backspace');
    await wb().page.keyboard.insertText('{ "agentProfiler.groupNames": false }');
    await wb().page.keyboard.press('Control+S');
    const file = path.join(dir!, '.vscode', 'settings.json');
    await waitUntil('the settings file to be saved', async () => {
      try {
        return (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)['agentProfiler.groupNames'] === false;
      } catch {
        return false;
      }
    });
    // The settings editor opens as a modal over the workbench here: Escape closes it.
    await wb().page.keyboard.press('Escape');
    await tree.focus();
    // The worker reads the run again: one cheaper_model bottleneck per step's LLM call (2 000), and a
    // few more (the planning call's, sequential_siblings listing the steps, the tools') — the flood
    // grouping prevents.
    const count = (label: string) => Number(/^Bottlenecks \(([\d,]+)\)$/.exec(label)?.[1].replace(/,/g, '') ?? 0);
    const bottlenecks = await waitUntil('the bottlenecks to come apart', async () => {
      const row = await tree.waitForRow({ label: /^Bottlenecks \(/ }).catch(() => undefined);
      return row && count(row.label) >= 2000 ? row : undefined;
    }, 90_000);
    assert.ok(count(bottlenecks.label) >= 2000 && count(bottlenecks.label) <= 2010, bottlenecks.label);
    await wb().screenshot('3-bottlenecks-apart');
    // Collapsed, so the timing rows below are rendered: the categories are now the steps.
    const bottleneckRow = tree.row({ label: /^Bottlenecks \(/ });
    if ((await bottleneckRow.getAttribute('aria-expanded')) === 'true') await bottleneckRow.locator('.monaco-tl-twistie').click();
    await tree.expand({ label: 'Timing by category' });
    // The big semantic categories closed, so the step categories below them are rendered.
    for (const category of ['llm', 'tool']) await collapse(category, 3);
    const categories = await waitUntil('the step categories', async () => {
      const labels = (await tree.childrenOf({ label: 'Timing by category' })).map((c) => c.label);
      return labels.some((l) => /^step_\d+$/.test(l)) ? labels : undefined;
    });
    assert.ok(!categories.includes('step_{n}'), categories.join(' | '));
    // 2 004 categories (the tree lists 200, then "… N more"): a screenful of step rows is rendered.
    assert.ok(categories.filter((l) => /^step_\d+$/.test(l)).length >= 15, categories.join(' | '));
    await wb().screenshot('3-categories-apart');
  });
});
