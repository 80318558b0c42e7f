/**
 * The views on a real profile in a real extension host: the runs tree, code lenses and hovers on
 * the instrumented file, Problems entries, and Compare with Baseline.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentProfilerApi } from '../../../../src/extension/api';
import { COMMANDS } from '../../../../src/extension/ids';
import type { TreeNode } from '../../../../src/extension/tree-node';
import { GARBAGE_LINE, PLANNING_LINE, STEP_LINE, writeFixture, type Fixture } from './fixture';
import { activateExtension, waitFor, workspaceFolder } from './helpers';

describe('Agent Profiler views', () => {
  let api: AgentProfilerApi;
  let fixture: Fixture;

  before(async () => {
    api = (await activateExtension()).api;
    fixture = writeFixture(workspaceFolder());
    await vscode.commands.executeCommand(COMMANDS.openProfile, vscode.Uri.file(fixture.profile));
    await waitFor('the fixture run to be analysed', () => {
      const a = api.store.active;
      return a?.file === fixture.profile && a.state === 'ready' && a.result;
    });
  });

  after(async () => {
    // Never let a save prompt hold the suite: give closing the editors a few seconds at most.
    await Promise.race([vscode.commands.executeCommand('workbench.action.closeAllEditors'), new Promise((r) => setTimeout(r, 5000))]);
    fixture?.remove();
  });

  it('shows the run in the tree with its sections and the read problem', async () => {
    // The tree follows the store's active run on its next refresh, not in the same tick.
    const run = await waitFor('the tree to show the fixture run as the active one', () =>
      api.treeChildren().find((n) => n.label === 'it-fixture' && n.contextValue === 'run.active'),
    );
    const sections = api.treeChildren(run).map((n: TreeNode) => n.label);
    for (const label of ['Summary', 'Critical path', 'Timing by category', 'Tokens & cost', 'Budgets (1)', 'Problems reading the profile (1)']) {
      assert.ok(sections.some((s) => s.startsWith(label)), `${label} in ${sections.join(' | ')}`);
    }
    const summary = api.treeChildren(api.treeChildren(run).find((n) => n.label === 'Summary'));
    // Wall time: the run's last time is 9000 ms.
    assert.equal(summary.find((n) => n.label === 'Wall time')?.description, '9.00 s');
  });

  it('puts code lenses on the timer calls, following the f-string template', async () => {
    const doc = await vscode.workspace.openTextDocument(fixture.agent);
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor('code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      const ours = (found ?? []).filter((l) => l.command?.title.startsWith('$(watch)'));
      return ours.length === 2 ? ours : undefined;
    });
    const byLine = new Map(lenses.map((l) => [l.range.start.line, l.command!.title]));
    assert.match(byLine.get(PLANNING_LINE) ?? '', /^\$\(watch\) 2 calls · p50 4\.00 s · p95 4\.00 s/);
    assert.match(byLine.get(STEP_LINE) ?? '', /^\$\(watch\) 2 calls · p50 500 ms/);
  });

  it('hovers a timer call with tokens, cost and models', async () => {
    const doc = await vscode.workspace.openTextDocument(fixture.agent);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(PLANNING_LINE, 20));
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
      .join('\n');
    assert.ok(text.includes('**Agent Profiler**'), text);
    assert.ok(text.includes('Tokens and cost'), text);
    // 2 calls of 1,200 tokens: 1,200 per call, 2,400 for the run.
    assert.ok(text.includes('| tokens | 1,200 | 2,400 |'), text);
    assert.ok(text.includes('gpt\\-4o'), text);
    assert.ok(text.includes('over llm'), 'the breached budget is shown');
  });

  it('lists read problems and breached budgets in Problems', async () => {
    const onProfile = await waitFor('profile diagnostics', () => {
      const d = vscode.languages.getDiagnostics(vscode.Uri.file(fixture.profile));
      return d.length ? d : undefined;
    });
    const garbage = onProfile.find((d) => d.range.start.line === GARBAGE_LINE);
    assert.ok(garbage, JSON.stringify(onProfile.map((d) => [d.range.start.line, d.message])));
    assert.equal(garbage.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(garbage.source, 'Agent Profiler');

    const onAgent = vscode.languages.getDiagnostics(vscode.Uri.file(fixture.agent));
    const budget = onAgent.find((d) => d.code === 'budget');
    assert.ok(budget, JSON.stringify(onAgent.map((d) => [d.range.start.line, d.message])));
    assert.equal(budget.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(budget.range.start.line, PLANNING_LINE);
  });

  it('jumps from a recorded call site to the code', async () => {
    await vscode.commands.executeCommand(COMMANDS.openLocation, { file: 'it_agent.py', line: PLANNING_LINE + 1, cwd: fixture.dir, profile: fixture.profile });
    const editor = await waitFor('the agent file to open', () => vscode.window.activeTextEditor?.document.uri.fsPath === fixture.agent && vscode.window.activeTextEditor);
    assert.equal(editor.selection.active.line, PLANNING_LINE);
  });

  it('opens the workspace file of a run recorded in another checkout, as its lenses match it', async () => {
    // The call site as a run elsewhere recorded it: relative to a cwd that is not this workspace.
    const relative = path.relative(vscode.workspace.workspaceFolders![0].uri.fsPath, fixture.agent);
    void vscode.commands.executeCommand(COMMANDS.openLocation, { file: relative, line: STEP_LINE + 1, cwd: '/nonexistent/other-checkout', profile: fixture.profile });
    // The previous test left the file open at another line: wait for the jump itself.
    const editor = await waitFor('the workspace copy of the agent to open at the step, without asking', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.fsPath === fixture.agent && e.selection.active.line === STEP_LINE ? e : undefined;
    });
    assert.equal(editor.document.uri.fsPath, fixture.agent);
  });

  it('re-reads the active run on Refresh', async () => {
    const before = api.store.active!.generation;
    await vscode.commands.executeCommand(COMMANDS.refresh);
    await waitFor('a new analysis', () => api.store.active!.generation > before);
    assert.equal(api.store.active!.result!.analysis.run.spans, 4);
  });

  it('compares a run with the baseline in the compare view, not an unsaved document', async () => {
    await vscode.commands.executeCommand(COMMANDS.setBaseline, vscode.Uri.file(fixture.profile));
    assert.equal(api.store.baseline, fixture.profile);
    await vscode.commands.executeCommand(COMMANDS.openProfile, vscode.Uri.file(fixture.slowerProfile));
    await waitFor('the slower run to be active', () => api.store.active?.file === fixture.slowerProfile && api.store.active.result);
    await vscode.commands.executeCommand(COMMANDS.compareWithBaseline);
    const tab = await waitFor('the compare view', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('agentProfiler.compare')),
    );
    // Both runs are it-fixture*: the tab names the run, short enough not to be cut.
    assert.match(tab.label, /^Compare: it-fixture(-slower)? (vs baseline|→ it-fixture-slower)$/);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.isUntitled).length, 0, 'no Untitled document, so no save prompt');
    await vscode.window.tabGroups.close(tab);
  });
});
