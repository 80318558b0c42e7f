// The chat tools as a user of VS Code (code-server 1.139) sees them: the extension's page lists
// the six language-model tools and the MCP server definition provider under Features, so VS Code
// accepted both contributions. The calls themselves, and the MCP server started from the offered
// definition, are checked inside the extension host (test/integration/suite/agent-profiler/lm-tools.test.ts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TOOL_DEFINITIONS } from '../../src/core/present/tools';
import { makeWorkspace, stageProductExtension, startVsCode, VsCodeSession } from './harness';

describe('chat tools in the VS Code UI', function () {
  this.timeout(240_000);
  let session: VsCodeSession | undefined;
  let workspace: string;
  let staging: string;

  before(async function () {
    staging = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-chat-tools-'));
    const product = stageProductExtension(path.join(staging, 'product'));
    workspace = makeWorkspace({ 'README.txt': 'chat tools\n' });
    session = await startVsCode({ name: 'chat-tools', workspace, extensions: [{ folder: product }] });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      const dir = await session.saveFailureArtifacts(this.currentTest.fullTitle());
      console.log(`    artifacts: ${dir}`);
    }
  });

  after(async function () {
    await session?.dispose();
    for (const dir of [workspace, staging]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the six language-model tools on the extension’s Features page', async () => {
    const wb = session!.workbench;
    const page = session!.page;
    await wb.runCommand('Extensions: Show Installed Extensions');
    await page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Agent Profiler' }).first().click();
    const editor = page.locator('.extension-editor');
    await editor.waitFor({ state: 'visible' });
    await editor.locator('.navbar .action-label', { hasText: 'Features' }).click();
    await editor.locator('.extension-feature-list-item, .monaco-list-row', { hasText: 'Language Model Tools' }).first().click();
    const body = editor.locator('.extension-feature-content, .subcontent').first();
    await body.waitFor({ state: 'visible' });
    const text = await editor.innerText();
    for (const t of TOOL_DEFINITIONS) assert.ok(text.includes(t.displayName) || text.includes(t.name), `${t.name} on the page:\n${text.slice(0, 2000)}`);
    await wb.screenshot('chat-tools-features');
  });

  it('lists the MCP server definition provider on the same page', async () => {
    const wb = session!.workbench;
    const editor = session!.page.locator('.extension-editor');
    await editor.locator('.extension-feature-list-item, .monaco-list-row', { hasText: 'MCP Servers' }).first().click();
    await editor.getByText('agentProfiler.mcpServer').first().waitFor({ state: 'visible' });
    await wb.screenshot('chat-tools-mcp-provider');
  });
});
