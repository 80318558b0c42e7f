/**
 * "Traces in this file": a file with several traces (an OpenTelemetry file holds one run per
 * trace: a run and its failing retry, a warm-up and the measured run) lists each, with the
 * totals of each session (`session.id` / `gen_ai.conversation.id`) and of the file. The other
 * sections show the largest trace.
 */
import { formatCount, formatMs, formatUsd } from '../core/format';
import type { TreeNode } from './tree-node';
import type { RunResult, TraceRow } from './worker-protocol';

/** The section for `r`, or none when its file holds one trace. */
export function traceSection(r: RunResult, base: string): TreeNode[] {
  const rows = r.traces;
  if (!rows || rows.length < 2) return [];
  const id = `${base}/traces`;
  return [
    {
      id,
      label: `Traces in this file (${formatCount(rows.length)})`,
      description: totalText(rows),
      tooltip: 'Every trace of the file is a run. The sections below show the largest (marked "shown"); the CLI reports each (agentprof report FILE).',
      icon: 'list-tree',
      expanded: true,
      children: () => traceNodes(rows, id),
    },
  ];
}

function traceNodes(rows: TraceRow[], id: string): TreeNode[] {
  const nodes: TreeNode[] = rows.map((t, i) => ({
    id: `${id}/${i}`,
    label: t.name,
    description: `${t.shown ? 'shown · ' : ''}${rowText(t)}`,
    tooltip: `${t.traceId ? `trace ${t.traceId}\n` : ''}${t.sessionId ? `session ${t.sessionId}\n` : ''}cost covers ${t.covered} of ${t.llmCalls} LLM calls`,
    icon: t.errors ? 'error' : 'pass',
    color: t.errors ? 'problemsErrorIcon.foreground' : undefined,
  }));
  const sessions = new Map<string, TraceRow[]>();
  for (const t of rows) {
    if (t.sessionId === undefined) continue;
    const list = sessions.get(t.sessionId);
    if (list) list.push(t);
    else sessions.set(t.sessionId, [t]);
  }
  for (const [session, list] of sessions) {
    nodes.push({ id: `${id}/session/${session}`, label: `Session ${session}`, description: totalText(list), icon: 'symbol-namespace' });
  }
  nodes.push({ id: `${id}/total`, label: 'Total', description: totalText(rows), icon: 'symbol-operator' });
  return nodes;
}

function rowText(t: TraceRow): string {
  return `${formatCount(t.spans)} spans · ${formatMs(t.wallMs)} · ${formatCount(t.llmCalls)} LLM calls · ${formatCount(t.tokens)} tokens · ${formatUsd(t.costUsd)}${t.errors ? ` · ${formatCount(t.errors)} errors` : ''}`;
}

/** Sums of a group of traces: "2 runs · 22 spans · 4 LLM calls · 5,198 tokens · $0.0006". */
function totalText(rows: readonly TraceRow[]): string {
  let spans = 0;
  let calls = 0;
  let tokens = 0;
  let cost = 0;
  let errors = 0;
  for (const t of rows) {
    spans += t.spans;
    calls += t.llmCalls;
    tokens += t.tokens;
    cost += t.costUsd;
    errors += t.errors;
  }
  return `${rows.length} runs · ${formatCount(spans)} spans · ${formatCount(calls)} LLM calls · ${formatCount(tokens)} tokens · ${formatUsd(cost)}${errors ? ` · ${formatCount(errors)} errors` : ''}`;
}
