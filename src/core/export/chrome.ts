/**
 * A run as a Chrome Trace Event file (JSON Object Format), for Perfetto and chrome://tracing.
 *
 * Each span is an `X` (complete) event on a lane (see lanes.ts: the viewers nest slices of one
 * thread by time, so concurrent spans need separate lanes), an unfinished span a `B` event that
 * never ends (Perfetto shows it as "did not end"). Lanes are threads, named by `M` events after
 * the recorded thread. Times are microseconds since the run's start, written as exact decimals of
 * the nanoseconds (no float rounding: `1523000.001` is 1 523 000 001 ns).
 *
 * What the format has no place for travels along so that src/ingest/chrome.ts reads the file
 * back into the same model: each span's id, parent id, call site, thread, task, key, kind,
 * category and error under `args.agentprof` (native record keys: `id`, `p`, `f`, `l`, `th`,
 * `task`, `k`, `kind`, `cat`, `err`), its attributes as the other `args`; token usage as instant
 * events whose `args.agentprof` is the native `u` record; the run header, end and budgets in
 * `otherData.agentprof`.
 */
import { categoryOf, Profile, Span, spanLabel, TokenUsage } from '../model';
import { assignLanes } from './lanes';

/** Integer nanoseconds as exact decimal microseconds (`1523000001` → `1523000.001`). */
export function nsToMicrosText(ns: number): string {
  const rounded = Math.round(ns);
  const sign = rounded < 0 ? '-' : '';
  const abs = Math.abs(rounded);
  const whole = Math.floor(abs / 1000);
  const fraction = abs - whole * 1000;
  return fraction === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** The span fields the format has no place for, in native record keys; undefined ones are left out by JSON. */
function spanFields(span: Span): Record<string, unknown> {
  return {
    id: span.id,
    p: span.parentId,
    f: span.file,
    l: span.line,
    th: span.thread,
    task: span.task,
    k: span.key,
    kind: span.kind,
    cat: span.category === categoryOf(span.name) ? undefined : span.category,
    err: span.status === 'error' ? span.error ?? 'error' : undefined,
    // Attributes travel as the other args; an empty attribute object would not show there.
    a: span.attrs && isEmpty(span.attrs) ? {} : undefined,
  };
}

/** A token-usage record as the native `u` record (without `t`). */
function usageRecord(u: TokenUsage): Record<string, unknown> {
  return {
    span: u.spanId,
    op: u.operation,
    model: u.model,
    prov: u.provider,
    in: u.input,
    out: u.output,
    cr: u.cacheRead || undefined,
    cw: u.cacheWrite || undefined,
    rs: u.reasoning || undefined,
    cost: u.reportedCostUsd,
    at: u.time,
    f: u.file,
    l: u.line,
    k: u.key,
    a: u.attrs,
  };
}

/** `otherData.agentprof`: the run header, its end and the recorded budgets, as native records. */
function runRecords(profile: Profile): Record<string, unknown> {
  const run = profile.run;
  return {
    run: {
      v: run.formatVersion,
      name: run.name,
      start: run.startEpochNs,
      pid: run.pid,
      argv: run.argv,
      cwd: run.cwd,
      recorder: run.recorder,
    },
    end: run.endedAt === undefined ? undefined : { at: run.endedAt, status: run.exitStatus, err: run.exitError },
    budgets: profile.budgets
      .filter((b) => b.source === 'profile')
      .map((b) => ({ target: b.target, tokens: b.maxTokens, cost: b.maxCostUsd, ms: b.maxMs })),
  };
}

/** The Chrome Trace Event JSON of a run (one event per line). */
export function exportChromeTrace(profile: Profile): string {
  const layout = assignLanes(profile, { openUnbounded: true });
  const pid = profile.run.pid ?? 1;
  const lines: string[] = [];
  const event = (fields: string) => lines.push(`{${fields}}`);
  event(`"name":"process_name","ph":"M","pid":${pid},"tid":0,"args":${JSON.stringify({ name: profile.run.name })}`);
  layout.lanes.forEach((lane, k) => {
    event(`"name":"thread_name","ph":"M","pid":${pid},"tid":${k + 1},"args":${JSON.stringify({ name: lane.name })}`);
    event(`"name":"thread_sort_index","ph":"M","pid":${pid},"tid":${k + 1},"args":{"sort_index":${k}}`);
  });
  // Spans in the model's order (the viewers sort by time), so a reader rebuilds the same order.
  for (const span of profile.spans) {
    const args = JSON.stringify({ ...span.attrs, agentprof: spanFields(span) });
    const head = `"name":${JSON.stringify(spanLabel(span))},"cat":${JSON.stringify(span.category)},`;
    const where = `"pid":${pid},"tid":${layout.laneOf[span.index] + 1}`;
    const ts = nsToMicrosText(span.start);
    if (span.end === span.end) {
      event(`${head}"ph":"X","ts":${ts},"dur":${nsToMicrosText(span.end - span.start)},${where},"args":${args}`);
    } else {
      event(`${head}"ph":"B","ts":${ts},${where},"args":${args}`);
    }
  }
  for (const u of profile.usage) {
    const span = u.span >= 0 ? profile.spans[u.span] : undefined;
    const time = u.time ?? (span ? (span.end === span.end ? span.end : span.start) : profile.minTime);
    const tid = span ? layout.laneOf[span.index] + 1 : 1;
    const args = JSON.stringify({ agentprof: usageRecord(u) });
    event(`"name":${JSON.stringify(`tokens ${u.operation}`)},"cat":"tokens","ph":"i","s":"t","ts":${nsToMicrosText(time)},"pid":${pid},"tid":${tid},"args":${args}`);
  }
  const otherData = JSON.stringify({ agentprof: runRecords(profile) });
  return `{"traceEvents":[\n${lines.join(',\n')}\n],\n"displayTimeUnit":"ms",\n"otherData":${otherData}}\n`;
}
