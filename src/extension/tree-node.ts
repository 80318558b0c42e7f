/**
 * A node of the runs tree as plain data, and helpers every section uses.
 */
import { formatCount } from '../core/format';
import { COMMANDS } from './ids';
import type { RunResult } from './worker-protocol';

/** Arguments of `agentProfiler.openLocation`. */
export interface LocationArgs {
  /** Path as recorded (relative to `cwd`) or absolute. */
  file: string;
  /** 1-based line. */
  line: number | undefined;
  /** Directory relative paths start from (the run's cwd). */
  cwd: string | undefined;
  /** The profile the location came from. */
  profile: string;
}

export interface TreeNode {
  /** Stable id: keeps expansion state across refreshes. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id, e.g. `flame`. */
  icon?: string;
  /** Theme colour id for the icon, e.g. `charts.red`. */
  color?: string;
  contextValue?: string;
  /** Initial state when the node has children. */
  expanded?: boolean;
  command?: { command: string; title: string; arguments: unknown[] };
  children?: () => TreeNode[];
}

/** Node of a call site that opens it on click. */
export function locationCommand(result: RunResult, file: string | undefined, line: number | undefined): TreeNode['command'] {
  if (!file) return undefined;
  const args: LocationArgs = { file, line, cwd: result.header.cwd, profile: result.file };
  return { command: COMMANDS.openLocation, title: 'Open Call Site', arguments: [args] };
}

/** Caps a child list; the cut-off is said, not hidden. */
export function capped(id: string, nodes: TreeNode[], max: number): TreeNode[] {
  if (nodes.length <= max) return nodes;
  return [...nodes.slice(0, max), { id: `${id}/more`, label: `… ${formatCount(nodes.length - max)} more`, icon: 'ellipsis' }];
}
