/**
 * A hostile workspace budgets file in a real extension host: 1 200 budgets that all breach. The
 * worker reads and parses it (capped at 1 000 entries and 100 problems); Problems gets at most
 * 100 budget breaches per file and one entry counting the rest.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentProfilerApi } from '../../../../src/extension/api';
import { COMMANDS } from '../../../../src/extension/ids';
import { PLANNING_LINE, writeFixture, type Fixture } from './fixture';
import { activateExtension, waitFor, workspaceFolder } from './helpers';

describe('Agent Profiler budgets file caps', () => {
  let api: AgentProfilerApi;
  let fixture: Fixture;
  let budgetsFile: string;

  before(async () => {
    api = (await activateExtension()).api;
    fixture = writeFixture(workspaceFolder());
    budgetsFile = path.join(workspaceFolder(), 'agentprof.budgets.json');
    // 1 200 entries, each breached (1 token allowed) and each with an unknown key.
    const entries = Array.from({ length: 1200 }, () => '{"target":"llm","tokens":1,"x":1}');
    fs.writeFileSync(budgetsFile, `{"budgets":[\n${entries.join(',\n')}\n]}\n`);
    await vscode.commands.executeCommand(COMMANDS.openProfile, vscode.Uri.file(fixture.profile));
    await waitFor('the fixture run to be analysed', () => {
      const a = api.store.active;
      return a?.file === fixture.profile && a.state === 'ready' && a.result;
    });
  });

  after(async () => {
    fs.rmSync(budgetsFile, { force: true });
    // The budgets file's problems go when it does.
    await waitFor('the budgets file problems to clear', () => vscode.languages.getDiagnostics(vscode.Uri.file(budgetsFile)).length === 0, 20_000).catch(() => undefined);
    fixture?.remove();
  });

  it('shows 100 problems of the budgets file and one counting the rest', async () => {
    const onFile = await waitFor('budgets file problems', () => {
      const d = vscode.languages.getDiagnostics(vscode.Uri.file(budgetsFile));
      return d.length ? d : undefined;
    }, 30_000);
    assert.equal(onFile.length, 101, onFile.slice(0, 3).map((d) => d.message).join(' | '));
    assert.equal(onFile[0].message, 'agentprof.budgets.json holds 1200 budgets; only the first 1000 are read');
    assert.equal(onFile[100].message, '… and 901 more problems');
  });

  it('shows 100 budget breaches on the agent file and one counting the rest', async () => {
    const budgets = await waitFor('1 001 breached budgets in the analysis', () => {
      const a = api.store.active?.result?.analysis;
      return a && a.budgets.filter((b) => b.breached).length === 1001 ? a : undefined;
    }, 30_000);
    assert.ok(budgets);
    const onAgent = await waitFor('capped budget entries on the agent file', () => {
      const d = vscode.languages.getDiagnostics(vscode.Uri.file(fixture.agent)).filter((x) => x.code === 'budget' || x.message.includes('more budget breach'));
      return d.length === 101 ? d : undefined;
    }, 30_000);
    // The profile's own budget and the file's 1 000: 1 001 breaches, 100 shown at the planning line.
    assert.equal(onAgent.filter((d) => d.code === 'budget').length, 100);
    assert.ok(onAgent.every((d) => d.range.start.line === PLANNING_LINE));
    assert.equal(onAgent.find((d) => d.code !== 'budget')?.message, '… and 901 more budget breaches');
  });
});
