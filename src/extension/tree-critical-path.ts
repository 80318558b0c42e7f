/**
 * The critical path's rows in the runs tree: one per segment, a parent's slivers folded, and the
 * count of the segments the worker did not send.
 */
import { formatCount, formatMs } from '../core/format';
import { capped, locationCommand, type TreeNode } from './tree-node';
import type { RunResult } from './worker-protocol';

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function criticalPathNodes(r: RunResult, id: string, max: number): TreeNode[] {
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
  const folded = foldSlivers(r, id, nodes);
  // The rows not shown: the whole path's segments less those the folded rows stand for.
  return capped(id, folded, max, r.criticalPathTotal.segments - (nodes.length - folded.length));
}

/**
 * Folds runs of critical-path segments under 0.5 % of the path (and 1 ms) each — a parent's own µs between
 * two children — into one expandable row, as the reports leave them out of their bars: a
 * 20-span run listed 36 rows, most of them 0.02 ms. Nothing is dropped; the row opens to them.
 */
function foldSlivers(r: RunResult, id: string, nodes: TreeNode[]): TreeNode[] {
  const path = r.analysis.criticalPath;
  // Under 0.5 % of the path and under 1 ms: a long sequential run of 10 ms calls keeps its rows.
  const limit = Math.min(r.criticalPathTotal.ms * 0.005, 1);
  const out: TreeNode[] = [];
  for (let i = 0; i < nodes.length; ) {
    const ms = (k: number) => path[k].endMs - path[k].startMs;
    if (!(ms(i) < limit)) {
      out.push(nodes[i++]);
      continue;
    }
    let j = i;
    let sum = 0;
    while (j < nodes.length && ms(j) < limit) sum += ms(j++);
    const folded = nodes.slice(i, j);
    out.push({
      id: `${id}/short-${i}`,
      label: plural(folded.length, 'short segment'),
      description: `${formatMs(sum)} in all`,
      tooltip: `Segments under ${formatMs(limit)} each (a parent's own time between two children), from ${formatMs(path[i].startMs)}`,
      icon: 'ellipsis',
      contextValue: 'segments',
      children: () => folded,
    });
    i = j;
  }
  return out;
}

/** `3 segments · 9.12 s`, or `first 1,000 of 1,523,004 segments · 9.12 s` when the worker cut the list. */
export function criticalPathDescription(r: RunResult): string {
  const total = r.criticalPathTotal;
  const sent = r.analysis.criticalPath.length;
  const segments = sent < total.segments ? `first ${formatCount(sent)} of ${plural(total.segments, 'segment')}` : plural(total.segments, 'segment');
  return `${segments} · ${formatMs(total.ms)}`;
}
