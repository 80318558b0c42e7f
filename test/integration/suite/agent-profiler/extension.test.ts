/** The extension activates, registers every command it declares, and declares what ids.ts says. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, EXTERNALLY_REGISTERED_COMMANDS, VIEWS } from '../../../../src/extension/ids';
import { activateExtension } from './helpers';

describe('Agent Profiler extension host', () => {
  it('activates and returns its test API', async () => {
    const { extension, api } = await activateExtension();
    assert.equal(extension.isActive, true);
    assert.ok(Array.isArray(api.store.runs));
  });

  it('registers every command of package.json (except the waterfall panel’s own)', async () => {
    const { extension } = await activateExtension();
    const declared: string[] = extension.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual([...declared].sort(), Object.values(COMMANDS).sort(), 'package.json matches ids.ts');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c) && !EXTERNALLY_REGISTERED_COMMANDS.includes(c as never));
    assert.deepEqual(missing, []);
  });

  it('contributes the runs view', async () => {
    const { extension } = await activateExtension();
    const views = extension.packageJSON.contributes.views.agentProfiler.map((v: { id: string }) => v.id);
    assert.deepEqual(views, [VIEWS.runs]);
    // The view's focus command exists once the view is registered by the workbench.
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has(`${VIEWS.runs}.focus`), 'the runs view is known to the workbench');
  });
});
