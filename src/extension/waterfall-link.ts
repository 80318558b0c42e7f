/**
 * The waterfall panel is a separate module that registers `agentProfiler.showWaterfall` itself.
 * Everything here that points at it (lenses, hovers, notifications) checks it is there first,
 * so a build without the panel degrades to plain text instead of "command not found".
 */
import * as vscode from 'vscode';
import { COMMANDS } from './ids';

/** Filter the waterfall opens with. */
export interface WaterfallArgs {
  /** Only these spans (and their ancestors) are shown; all when absent. */
  spanIds?: Array<string | number>;
  /** The profile; the active run when absent. */
  file?: string;
}

let known: { at: number; available: boolean } | undefined;

/** True when the waterfall command is registered (cached for a few seconds). */
export async function waterfallAvailable(): Promise<boolean> {
  const now = Date.now();
  if (known && now - known.at < 5000) return known.available;
  const all = await vscode.commands.getCommands(true);
  known = { at: now, available: all.includes(COMMANDS.showWaterfall) };
  return known.available;
}

/** Opens the waterfall; says so when it is not available instead of failing. */
export async function showWaterfall(args: WaterfallArgs = {}): Promise<void> {
  if (!(await waterfallAvailable())) {
    void vscode.window.showInformationMessage('The Agent Profiler waterfall is not available in this build.');
    return;
  }
  try {
    await vscode.commands.executeCommand(COMMANDS.showWaterfall, args);
  } catch (err) {
    void vscode.window.showErrorMessage(`Agent Profiler could not open the waterfall: ${(err as Error).message}`);
  }
}
