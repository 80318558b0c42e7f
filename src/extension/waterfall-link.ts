/**
 * How lenses, hovers and notifications point at the waterfall panel (waterfall.ts registers
 * `agentProfiler.showWaterfall` during activation, before any lens or hover can be asked for).
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

/** Opens the waterfall; an error is shown, not thrown. */
export async function showWaterfall(args: WaterfallArgs = {}): Promise<void> {
  try {
    await vscode.commands.executeCommand(COMMANDS.showWaterfall, args);
  } catch (err) {
    void vscode.window.showErrorMessage(`Agent Profiler could not open the waterfall: ${(err as Error).message}`);
  }
}
