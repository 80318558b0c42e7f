// A hostile workspace budgets file in a real VS Code, in Restricted Mode: 1 200 budgets that all
// breach, each with an unknown key. The analysis worker reads and parses the file (capped at
// 1 000 entries and 100 problems); Problems shows at most 100 budget breaches per file and one
// entry counting the rest, and the host stays responsive. Screenshot: budgets-caps/problems.png.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeWorkspace, stageProductExtension, startVsCode, VsCodeSession } from './harness';
import { problemsPanel } from './lib/problems';
import { TreeViewPane } from './lib/tree-view';

const AGENT = ['from agentprof import PerformanceProfiler', 'profiler = PerformanceProfiler()', '', 'def plan():', '    with profiler.timer("llm:planning"):', '        pass', ''].join('\n');

function profile(cwd: string): string {
  return (
    [
      { t: 'run', v: 1, name: 'caps-run', start: '1763900000000000000', cwd },
      { t: 's', id: 1, n: 'llm:planning', at: 0, f: 'agent.py', l: 5 },
      { t: 'u', span: 1, op: 'llm:planning', model: 'gpt-4o', prov: 'openai', in: 1000, out: 200 },
      { t: 'e', id: 1, at: 1_000_000_000 },
      { t: 'end', at: 1_000_000_000, status: 'ok' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n'
  );
}

describe('budgets file caps in a real VS Code (Restricted Mode)', function () {
  this.timeout(240_000);
  let session: VsCodeSession | undefined;
  let workspace: string;
  let staging: string;

  before(async () => {
    staging = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-budgets-caps-'));
    workspace = makeWorkspace({ 'agent.py': AGENT });
    fs.writeFileSync(path.join(workspace, 'run.agentprof.jsonl'), profile(workspace));
    const entries = Array.from({ length: 1200 }, () => '{"target":"llm","tokens":1,"x":1}');
    fs.writeFileSync(path.join(workspace, 'agentprof.budgets.json'), `{"budgets":[\n${entries.join(',\n')}\n]}\n`);
    session = await startVsCode({ name: 'budgets-caps', workspace, extensions: [{ folder: stageProductExtension(path.join(staging, 'product')) }], trust: false });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) console.log(`    artifacts: ${await session.saveFailureArtifacts(this.currentTest.fullTitle())}`);
  });

  after(async () => {
    await session?.dispose();
    for (const dir of [workspace, staging]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Problems: 100 budget breaches on agent.py plus "… and 900 more", 101 problems on the budgets file', async () => {
    const wb = session!.workbench;
    await wb.runCommand(/Agent Profiler: Focus on Runs View$/);
    await new TreeViewPane(wb, 'Runs').waitForRow({ label: 'caps-run', level: 1 }, 60_000);
    const rows = await problemsPanel(wb, /and 900 more budget breaches/, 60_000);
    const shot = await wb.screenshot('problems');
    console.log(`    screenshot: ${shot}`);
    const labels = rows.map((r) => r.label);
    assert.ok(labels.some((l) => /^101 problems in file agentprof\.budgets\.json/.test(l)), labels.join('\n'));
    // 1 000 breaches at agent.py line 5: 100 made (VS Code shows identical entries once), 900 counted.
    assert.ok(labels.some((l) => l.includes('… and 900 more budget breaches')), labels.join('\n'));
  });
});
