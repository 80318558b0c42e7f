// Sample extension-host tests: they prove the suite runs inside a real VS Code extension host
// (real `vscode` module, built-in commands, documents), whichever runner started it.
import * as assert from 'assert';
import * as vscode from 'vscode';

describe('extension host', () => {
  it('is a real VS Code with a version number', () => {
    assert.strictEqual(typeof vscode.version, 'string');
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('has the built-in commands registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('workbench.action.files.newUntitledFile'), 'newUntitledFile missing');
    assert.ok(commands.includes('editor.action.showHover'), 'showHover missing');
  });

  it('opens a document and counts its lines', async () => {
    // "alpha\nbeta\ngamma" has two line breaks, so three lines; line 1 (0-based) is "beta".
    const doc = await vscode.workspace.openTextDocument({ content: 'alpha\nbeta\ngamma', language: 'plaintext' });
    assert.strictEqual(doc.lineCount, 3);
    assert.strictEqual(doc.lineAt(1).text, 'beta');
  });

  it('runs with one workspace folder open', () => {
    assert.strictEqual(vscode.workspace.workspaceFolders?.length, 1);
  });
});
