/**
 * What `activate` builds once and every feature's `register(context, services)` receives. Small on
 * purpose: features talk to each other through the store's events, not through each other.
 */
import type * as vscode from 'vscode';
import type { BaselineService } from './baseline-service';
import type { ExtensionConfig } from './config';
import type { SiteIndexService } from './site-index-service';
import type { ProfileStore } from './store';
import type { WorkerBackend } from './worker-client';

/** The current typed settings and their changes (only `agentProfiler.*` changes fire). */
export interface ConfigHolder {
  readonly current: ExtensionConfig;
  readonly onDidChange: vscode.Event<ExtensionConfig>;
}

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly output: vscode.OutputChannel;
  readonly config: ConfigHolder;
  readonly store: ProfileStore;
  /** Call-site index of the active run, shared by code lenses, hovers and Problems. */
  readonly sites: SiteIndexService;
  /** The baseline run, for the changes lenses and hovers show against it. */
  readonly baseline: BaselineService;
  /** The analysis worker, which owns the parsed profiles: waterfall columns and exports come from it. */
  readonly worker: WorkerBackend;
  /** A line in the output channel, time-stamped. */
  log(line: string): void;
  /** Shows an error to the user (with a button to the output channel) and logs its details. */
  reportError(message: string, err: unknown): void;
}
