/**
 * The critical path's rows in the runs tree. The worker folds the whole path (critical-fold.ts,
 * the same fold as the reports): long segments as themselves, each stretch of slivers (a parent's
 * own µs between two children) as one row, with the count of the segments it stands for.
 */
import type { FoldedPath } from '../core/critical-fold';
import { formatCount, formatMs } from '../core/format';
import { capped, locationCommand, type TreeNode } from './tree-node';
import type { RunResult } from './worker-protocol';

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** The folded path (critical-fold.ts): long segments as themselves, each stretch of slivers as one node. */
function foldedPathNodes(r: RunResult, folded: FoldedPath, id: string, max: number): TreeNode[] {
  const refs = new Map(r.views.spans.map((s) => [s.index, s]));
  const nodes = folded.segments.map((seg, i): TreeNode => {
    const ms = seg.endMs - seg.startMs;
    if (seg.folded > 0) {
      const names = seg.names.map((n) => `${n.name} ×${formatCount(n.segments)}: ${formatMs(n.ms)}`);
      return {
        id: `${id}/${i}`,
        label: `${formatCount(seg.folded)} shorter segments`,
        description: `${formatMs(ms)} · at ${formatMs(seg.startMs)}${seg.names.length ? ` · mostly ${seg.names[0].name}` : ''}`,
        tooltip: `${formatCount(seg.folded)} segments, each under 0.5 % of the path, ${formatMs(seg.startMs)} → ${formatMs(seg.endMs)} (${formatMs(ms)})\n${names.join('\n')}`,
        icon: 'fold',
        contextValue: 'foldedSegments',
      };
    }
    const ref = seg.span >= 0 ? refs.get(seg.span) : undefined;
    return {
      id: `${id}/${i}`,
      label: seg.span < 0 ? '(not in any span)' : seg.name,
      description: `${formatMs(ms)} · at ${formatMs(seg.startMs)}`,
      tooltip: `${seg.name}\n${formatMs(seg.startMs)} → ${formatMs(seg.endMs)} (${formatMs(ms)})${ref?.file ? `\n${ref.file}:${ref.line ?? ''}` : ''}${ref?.error ? `\nerror: ${ref.error}` : ''}`,
      icon: ref?.error ? 'error' : 'arrow-small-right',
      color: ref?.error ? 'problemsErrorIcon.foreground' : undefined,
      contextValue: 'segment',
      command: ref ? locationCommand(r, ref.file, ref.line) : undefined,
    };
  });
  return capped(id, nodes, max, folded.segments.length + folded.more);
}

export function criticalPathNodes(r: RunResult, id: string, max: number): TreeNode[] {
  if (r.criticalPathFolded) return foldedPathNodes(r, r.criticalPathFolded, id, max);
  const refs = new Map(r.views.spans.map((s) => [s.index, s]));
  const nodes = r.analysis.criticalPath.map((seg, i): TreeNode => {
    const ref = seg.span >= 0 ? refs.get(seg.span) : undefined;
    const ms = seg.endMs - seg.startMs;
    return {
      id: `${id}/${i}`,
      label: seg.span < 0 ? '(not in any span)' : seg.name,
      description: `${formatMs(ms)} · at ${formatMs(seg.startMs)}`,
      tooltip: `${seg.name}\n${formatMs(seg.startMs)} → ${formatMs(seg.endMs)} (${formatMs(ms)})${ref?.file ? `\n${ref.file}:${ref.line ?? ''}` : ''}${ref?.error ? `\nerror: ${ref.error}` : ''}`,
      icon: ref?.error ? 'error' : 'arrow-small-right',
      color: ref?.error ? 'problemsErrorIcon.foreground' : undefined,
      contextValue: 'segment',
      command: ref ? locationCommand(r, ref.file, ref.line) : undefined,
    };
  });
  return capped(id, nodes, max, r.criticalPathTotal.segments);
}

/** `3 segments · 9.12 s`, or `first 1,000 of 1,523,004 segments · 9.12 s` when the worker cut the list. */
export function criticalPathDescription(r: RunResult): string {
  const total = r.criticalPathTotal;
  const folded = r.criticalPathFolded;
  if (folded && folded.segments.some((s) => s.folded > 0)) {
    return `${plural(total.segments, 'segment')} in ${plural(folded.segments.length + folded.more, 'row')} · ${formatMs(total.ms)}`;
  }
  const sent = r.analysis.criticalPath.length;
  const segments = sent < total.segments ? `first ${formatCount(sent)} of ${plural(total.segments, 'segment')}` : plural(total.segments, 'segment');
  return `${segments} · ${formatMs(total.ms)}`;
}
