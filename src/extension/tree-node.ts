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
  /** Stable id: keeps expansion state across refreshes; `run:<file>` for a run. */
  id: string;
  /**
   * The id VS Code sees, when it must differ from `id`: VS Code keeps the collapse state it knows
   * for an item id and ignores a new `collapsibleState` (microsoft/vscode#40179), so a run that
   * becomes active gets a fresh one to show expanded.
   */
  itemId?: string;
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

/**
 * Caps a child list; the cut-off is said, not hidden. `total` is the length of the whole list when
 * `nodes` is already a cut of it (the worker sends only the start of a long critical path).
 */
export function capped(id: string, nodes: TreeNode[], max: number, total = nodes.length): TreeNode[] {
  if (nodes.length <= max && total <= nodes.length) return nodes;
  const shown = Math.min(nodes.length, max);
  return [...nodes.slice(0, shown), { id: `${id}/more`, label: `… ${formatCount(total - shown)} more`, icon: 'ellipsis' }];
}

/** Longest label or description shown; span names, paths and messages come from untrusted profiles. */
export const MAX_LABEL_CHARS = 120;
/** Longest tooltip shown. */
export const MAX_TOOLTIP_CHARS = 1000;

/**
 * `text` cut to at most `max` characters (UTF-16 units), ending in `…` when cut, never splitting a
 * surrogate pair. With `oneLine`, each line break and tab becomes a space (a label is one line).
 */
export function clipText(text: string, max: number, oneLine = false): string {
  const cut = text.length > max;
  let shown = cut ? text.slice(0, max - 1) : text;
  const last = shown.charCodeAt(shown.length - 1);
  if (cut && last >= 0xd800 && last <= 0xdbff) shown = shown.slice(0, -1);
  if (oneLine) shown = shown.replace(/[\r\n\t]/g, ' ');
  return cut ? `${shown}…` : shown;
}

/** What a tree item shows of a node: label and description on one line, all three clipped. */
export function displayText(node: Pick<TreeNode, 'label' | 'description' | 'tooltip'>): { label: string; description: string | undefined; tooltip: string | undefined } {
  return {
    label: clipText(node.label, MAX_LABEL_CHARS, true),
    description: node.description === undefined ? undefined : clipText(node.description, MAX_LABEL_CHARS, true),
    tooltip: node.tooltip === undefined ? undefined : clipText(node.tooltip, MAX_TOOLTIP_CHARS),
  };
}
