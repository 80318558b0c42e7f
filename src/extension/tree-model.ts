/**
 * The runs tree as plain data: runs newest first, and under the active run its summary,
 * bottlenecks, critical path, timing, tokens and cost, and budgets. Pure, so tests check labels,
 * numbers and order without VS Code; `tree.ts` only maps a {@link TreeNode} to a `TreeItem`.
 */
import { formatCount, formatCountOf, formatMs, formatUsd } from '../core/format';
import { COMMANDS } from './ids';
import type { RunEntry } from './store';
import { capped, type LocationArgs, type TreeNode } from './tree-node';
import { sectionNodes } from './tree-sections';

export interface TreeOptions {
  /** How a file is named to the user (relative to the workspace when inside it). */
  displayPath: (file: string) => string;
  /** Local date and time of an epoch-ms instant. */
  formatTime: (ms: number) => string;
  /** Most children listed under one node before a "… N more" node. */
  maxChildren?: number;
  /**
   * Bumped by the view each time a run becomes active: part of the active run's item id, so VS Code
   * shows it expanded instead of the collapse state it remembers for that file (see `itemId`).
   */
  activeEpoch?: number;
}

/** `foo.agentprof.jsonl` → `foo`. */
export function runFileStem(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  // Every profile suffix the watcher lists, so an export of `x.otlp.json` is `x.html`, not `x.otlp.json.html`.
  return base.replace(/\.(agentprof\.jsonl|otlp\.jsonl?|jsonl?)$/i, '');
}

function runDescription(e: RunEntry, o: TreeOptions): string {
  const parts = [o.formatTime(e.startMs ?? e.mtimeMs)];
  if (e.summary) parts.push(formatMs(e.summary.wallMs), formatUsd(e.summary.costUsd));
  return parts.join(' · ');
}

function runIcon(e: RunEntry, active: boolean): { icon: string; color?: string } {
  if (e.live) return { icon: 'sync~spin' };
  switch (e.state) {
    case 'waiting':
    case 'loading':
      return { icon: 'loading~spin' };
    case 'failed':
      return { icon: 'error', color: 'problemsErrorIcon.foreground' };
    default:
      if (e.summary?.exitStatus === 'error') return { icon: active ? 'debug-stackframe' : 'circle-outline', color: 'problemsErrorIcon.foreground' };
      return active ? { icon: 'debug-stackframe', color: 'charts.green' } : { icon: 'circle-outline' };
  }
}

function runTooltip(e: RunEntry, o: TreeOptions, active: boolean, baseline: boolean): string {
  const lines = [o.displayPath(e.file)];
  if (active) lines.push('Active run: the views, code lenses and hovers show it.');
  if (baseline) lines.push('Baseline for comparisons.');
  if (e.summary) {
    const s = e.summary;
    lines.push(`Wall time ${formatMs(s.wallMs)} · ${formatCountOf(s.spans, 'span')} · ${formatCountOf(s.errors, 'error')}`);
    lines.push(`${formatCount(s.tokens)} tokens · ${formatUsd(s.costUsd)}`);
  }
  if (e.error) lines.push(`Could not read: ${e.error}`);
  return lines.join('\n');
}

function problemNodes(e: RunEntry, max: number): TreeNode[] {
  const r = e.result;
  if (!r) return [];
  const diags = r.analysis.diagnostics;
  if (!diags.length && !r.truncatedByCap) return [];
  const children = (): TreeNode[] => {
    const nodes: TreeNode[] = diags.map((d, i) => ({
      id: `${e.file}/problems/${i}`,
      label: d.line > 0 ? `line ${d.line}` : 'file',
      description: d.message,
      tooltip: `${d.severity}: ${d.message}`,
      icon: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info',
      color: d.severity === 'error' ? 'problemsErrorIcon.foreground' : d.severity === 'warning' ? 'problemsWarningIcon.foreground' : undefined,
      command: {
        command: COMMANDS.openLocation,
        title: 'Open Profile Line',
        arguments: [{ file: e.file, line: d.line > 0 ? d.line : 1, cwd: undefined, profile: e.file } satisfies LocationArgs],
      },
    }));
    if (r.truncatedByCap) {
      nodes.unshift({
        id: `${e.file}/problems/cap`,
        label: `Only the first ${formatCount(r.bytesRead / 1024 / 1024)} MB were read`,
        tooltip: 'The file is larger than agentProfiler.maxFileSizeMB; raise the setting to read all of it.',
        icon: 'warning',
        color: 'problemsWarningIcon.foreground',
      });
    }
    return capped(`${e.file}/problems`, nodes, max);
  };
  const errors = diags.filter((d) => d.severity === 'error').length;
  return [
    {
      id: `${e.file}/problems`,
      label: `Problems reading the profile (${formatCount(diags.length + (r.truncatedByCap ? 1 : 0))})`,
      description: errors ? `${formatCount(errors)} error${errors === 1 ? '' : 's'}` : undefined,
      icon: errors ? 'error' : 'warning',
      color: errors ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground',
      contextValue: 'problems',
      expanded: r.analysis.run.spans === 0,
      children,
    },
  ];
}

/** Children of the active run: why it cannot be shown, or its sections. */
function activeRunChildren(e: RunEntry, o: TreeOptions, max: number): TreeNode[] {
  switch (e.state) {
    case 'waiting':
      return [{ id: `${e.file}/waiting`, label: 'Waiting for the agent to write its first record…', icon: 'watch' }];
    case 'failed':
      return [{ id: `${e.file}/failed`, label: 'Could not read this profile', description: e.error, tooltip: e.error, icon: 'error', color: 'problemsErrorIcon.foreground' }];
    case 'idle':
    case 'loading':
      if (!e.result) return [{ id: `${e.file}/loading`, label: 'Reading the profile…', icon: 'loading~spin' }];
  }
  const r = e.result!;
  const problems = problemNodes(e, max);
  if (r.analysis.run.spans === 0 && r.analysis.tokens.calls === 0) {
    const what = r.bytesRead === 0 ? 'The profile is empty' : 'No spans or token records could be read';
    return [{ id: `${e.file}/empty`, label: what, tooltip: `${o.displayPath(e.file)}: ${what.toLowerCase()}.`, icon: 'circle-slash' }, ...problems];
  }
  return [...sectionNodes(r, max), ...problems];
}

/** The root nodes: one per run, newest first; the active one expanded with its sections. */
export function buildRunNodes(runs: RunEntry[], activeFile: string | undefined, baselineFile: string | undefined, o: TreeOptions): TreeNode[] {
  const max = o.maxChildren ?? 200;
  return runs.map((e) => {
    const active = e.file === activeFile;
    const baseline = e.file === baselineFile;
    const { icon, color } = runIcon(e, active);
    const name = e.result?.header.name ?? e.summary?.name ?? runFileStem(e.file);
    return {
      id: `run:${e.file}`,
      itemId: active ? `run:${e.file}#active${o.activeEpoch ?? 0}` : undefined,
      label: name,
      description: (baseline ? 'baseline · ' : '') + runDescription(e, o),
      tooltip: runTooltip(e, o, active, baseline),
      icon,
      color,
      contextValue: active ? 'run.active' : 'run',
      expanded: active ? true : undefined,
      command: active ? undefined : { command: COMMANDS.selectRun, title: 'Show This Run', arguments: [e.file] },
      children: active ? () => activeRunChildren(e, o, max) : undefined,
    };
  });
}

/**
 * `fresh` nodes, each written into the object of `previous` with the same id when there is one:
 * the view finds an element by object identity (`TreeView.reveal`), so a node handed out before a
 * refresh must still be an element after it. `byId` is the `previous` of the next call.
 */
export function reuseNodes(previous: ReadonlyMap<string, TreeNode>, fresh: TreeNode[]): { nodes: TreeNode[]; byId: Map<string, TreeNode> } {
  const byId = new Map<string, TreeNode>();
  const nodes = fresh.map((node) => {
    const kept = previous.get(node.id);
    if (kept) {
      for (const key of Object.keys(kept) as Array<keyof TreeNode>) delete kept[key];
      Object.assign(kept, node);
    }
    byId.set(node.id, kept ?? node);
    return kept ?? node;
  });
  return { nodes, byId };
}
