/**
 * The small pieces every tool answer is made of: errors, clipped strings, rounded numbers, the
 * run catalog the hosts implement, and locations as a model can open them (`path:line`).
 */
import type { Analysis, RunSummary } from '../../analysis-types';
import { roundMs, roundUsd } from '../../report/json';

export { roundMs, roundUsd };

/** Why a tool could not answer, with what the model can do about it. */
export type ToolError = {
  error: {
    code: 'invalid_input' | 'unknown_tool' | 'no_runs' | 'run_not_found' | 'unreadable' | 'no_baseline';
    message: string;
    /** Run ids the model may pick from (at most 10), when the problem is which run. */
    choices?: string[];
  };
};

export function toolError(code: ToolError['error']['code'], message: string, choices?: string[]): ToolError {
  return { error: choices ? { code, message, choices } : { code, message } };
}

export function isToolError(v: unknown): v is ToolError {
  return typeof v === 'object' && v !== null && 'error' in v;
}

/** Names and messages come from profiles: at most `max` characters of them reach an answer. */
export function clip(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One run a host knows, as listed. */
export interface CatalogRun {
  /** What a tool's `run` input names it by: the profile's workspace-relative path. */
  id: string;
  /** The run name from the profile, once read. */
  name: string | undefined;
  /** Start of the run (or the file's time), ISO 8601, when known. */
  startedAt: string | undefined;
  active: boolean;
  baseline: boolean;
  /** Summary of its last analysis; undefined when it was not analysed yet. */
  summary: RunSummary | undefined;
}

/** One analysed run, as the answers read it. */
export interface ToolRun {
  id: string;
  analysis: Analysis;
  /** Size of the whole critical path; `analysis.criticalPath` may hold only its first segments. */
  criticalPathTotal: { segments: number; ms: number };
  /** The recorded call site of span `index`, when known. */
  spanSite(index: number): { file: string; line: number | undefined } | undefined;
  /** A recorded call-site path as a path relative to the workspace (unchanged when outside it). */
  relativePath(file: string): string;
}

/** What the extension and the MCP server each provide: their runs, loaded on demand. */
export interface RunCatalog {
  /** Every run, newest first. */
  list(): Promise<CatalogRun[]>;
  /** Analyses run `id` (an id from {@link list}); an error when it cannot be read. */
  load(id: string): Promise<ToolRun | ToolError>;
  /** Regression threshold of comparisons, percent on p95 (the user's setting). */
  regressionPct: number | undefined;
  /** How a user of this host sets a baseline, for the answer when none is set. */
  baselineHint: string;
}

/** `path:line` relative to the workspace, or null when the thing has no recorded site. */
export function location(run: ToolRun, file: string | undefined, line: number | undefined): string | null {
  if (!file) return null;
  const path = clip(run.relativePath(file), 300);
  return line === undefined ? path : `${path}:${line}`;
}
