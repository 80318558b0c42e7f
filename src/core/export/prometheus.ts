/**
 * A run's metrics in the Prometheus text exposition format (version 0.0.4), or OpenMetrics 1.0
 * text, under the names agent teams already scrape, so a profiled run can be pushed to a
 * Pushgateway or compared on an existing dashboard:
 *
 * - `agent_llm_latency_seconds{agent}`: histogram of the LLM calls' durations (buckets 0.1 … 30 s);
 * - `agent_tool_calls_total{agent,tool_name,status}`: tool calls by tool and outcome;
 * - `agent_token_usage_total{agent,token_type}`: tokens by type (input includes the cache reads
 *   and writes, output includes reasoning, as in the OpenTelemetry GenAI conventions);
 * - `agent_tasks_total{agent,status}`: this run, by how it ended;
 * - `agent_task_duration_seconds{agent}`: the run's wall time (a gauge).
 *
 * Labels stay bounded: never an id; `tool_name` values beyond the most frequent
 * {@link DEFAULT_MAX_TOOLS} are counted under `other`, and label values are cut to 120 characters.
 */
import type { Analysis } from '../analysis-types';
import { isOpen, kindOfName, Profile, Span } from '../model';

/** Upper bounds of the LLM latency histogram, seconds (the buckets teams use). */
export const LLM_LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Most distinct `tool_name` label values; the rest are summed under `other`. */
export const DEFAULT_MAX_TOOLS = 20;
const MAX_LABEL_CHARS = 120;

export interface PrometheusOptions {
  /** Value of the `agent` label (default: the run's name). */
  agent?: string;
  /** Write OpenMetrics 1.0 text (`# UNIT`, counter families without `_total`, `# EOF`) instead of 0.0.4. */
  openMetrics?: boolean;
  /** Most distinct `tool_name` values (default 20). */
  maxTools?: number;
}

/** Escapes a label value: backslash, double quote and line feed, as both formats require. */
export function escapeLabelValue(value: string): string {
  const cut = value.length > MAX_LABEL_CHARS ? value.slice(0, MAX_LABEL_CHARS - 1) + '…' : value;
  return cut.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes HELP text: backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value: integers as they are, others in the shortest round-trip form (Go's ParseFloat reads both). */
function value(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return Number.isFinite(v) ? String(v) : 'NaN';
}

function labels(pairs: Array<[string, string]>): string {
  return pairs.length ? `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
}

/** Whether a span is a tool call: its kind, or a name in the textbook's style (`step_3:tool_call`). */
function isToolCall(span: Span): boolean {
  return span.kind === 'tool' || (span.kind === 'other' && kindOfName(span.name) === 'tool');
}

/** The tool a call used: a tool-name attribute when recorded, else the detail part of the span name. */
function toolNameOf(span: Span): string {
  const attrs = span.attrs;
  for (const key of ['gen_ai.tool.name', 'tool.name', 'tool']) {
    const v = attrs?.[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  const colon = span.name.indexOf(':');
  const detail = colon < 0 ? span.name : span.name.slice(colon + 1);
  return detail.trim() || span.name;
}

interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  unit?: string;
  /** `[suffix, labels, value]` rows; the suffix goes after the family name. */
  samples: Array<[string, Array<[string, string]>, number]>;
}

function llmLatency(profile: Profile, agent: string): Family {
  const counts = new Array<number>(LLM_LATENCY_BUCKETS.length).fill(0);
  let sumNs = 0; // summed in integer ns and divided once, so 1.5 s + 4 s reads 5.5, not 5.499999…
  let count = 0;
  for (const span of profile.spans) {
    if (span.kind !== 'llm' || isOpen(span)) continue;
    const seconds = (span.end - span.start) / 1e9;
    sumNs += span.end - span.start;
    count++;
    for (let k = 0; k < LLM_LATENCY_BUCKETS.length; k++) if (seconds <= LLM_LATENCY_BUCKETS[k]) counts[k]++;
  }
  const samples: Family['samples'] = LLM_LATENCY_BUCKETS.map((le, k) => ['_bucket', [['agent', agent], ['le', String(le)]], counts[k]]);
  samples.push(['_bucket', [['agent', agent], ['le', '+Inf']], count], ['_sum', [['agent', agent]], sumNs / 1e9], ['_count', [['agent', agent]], count]);
  return { name: 'agent_llm_latency_seconds', type: 'histogram', unit: 'seconds', help: 'Duration of finished LLM calls, seconds.', samples };
}

function toolCalls(profile: Profile, agent: string, maxTools: number): Family {
  const calls = new Map<string, { ok: number; error: number; total: number }>();
  for (const span of profile.spans) {
    if (!isToolCall(span) || isOpen(span)) continue;
    const name = toolNameOf(span);
    const row = calls.get(name) ?? { ok: 0, error: 0, total: 0 };
    row[span.status === 'error' ? 'error' : 'ok']++;
    row.total++;
    calls.set(name, row);
  }
  // The most frequent tools keep their names (ties by name); the rest share `other`.
  const ranked = [...calls].sort((a, b) => b[1].total - a[1].total || (a[0] < b[0] ? -1 : 1));
  const kept = new Map<string, { ok: number; error: number }>();
  ranked.forEach(([name, row], k) => {
    const label = k < maxTools ? name : 'other';
    const into = kept.get(label) ?? { ok: 0, error: 0 };
    into.ok += row.ok;
    into.error += row.error;
    kept.set(label, into);
  });
  const samples: Family['samples'] = [];
  for (const [tool, row] of [...kept].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (row.ok) samples.push(['_total', [['agent', agent], ['tool_name', tool], ['status', 'ok']], row.ok]);
    if (row.error) samples.push(['_total', [['agent', agent], ['tool_name', tool], ['status', 'error']], row.error]);
  }
  return { name: 'agent_tool_calls', type: 'counter', help: 'Finished tool calls by tool and outcome.', samples };
}

function tokenUsage(analysis: Analysis, agent: string): Family {
  const t = analysis.tokens;
  const types: Array<[string, number]> = [
    ['input', t.input],
    ['output', t.output],
    ['cache_read', t.cacheRead],
    ['cache_write', t.cacheWrite],
    ['reasoning', t.reasoning],
  ];
  return {
    name: 'agent_token_usage',
    type: 'counter',
    help: 'Tokens used by type; input includes cache_read and cache_write, output includes reasoning.',
    samples: types.map(([type, n]) => ['_total', [['agent', agent], ['token_type', type]], n]),
  };
}

function tasks(analysis: Analysis, agent: string): Family[] {
  const run = analysis.run;
  const status = run.exitStatus ?? (run.ended ? 'ok' : 'unfinished');
  return [
    { name: 'agent_tasks', type: 'counter', help: 'Agent runs by how they ended.', samples: [['_total', [['agent', agent], ['status', status]], 1]] },
    {
      name: 'agent_task_duration_seconds',
      type: 'gauge',
      unit: 'seconds',
      help: 'Wall time of the run, seconds.',
      samples: [['', [['agent', agent]], run.wallMs / 1000]],
    },
  ];
}

/** The metrics text of a run. */
export function exportPrometheus(profile: Profile, analysis: Analysis, options: PrometheusOptions = {}): string {
  const agent = options.agent ?? profile.run.name;
  const maxTools = Math.max(1, Math.floor(options.maxTools ?? DEFAULT_MAX_TOOLS));
  const families = [llmLatency(profile, agent), toolCalls(profile, agent, maxTools), tokenUsage(analysis, agent), ...tasks(analysis, agent)];
  const out: string[] = [];
  for (const f of families) {
    // Prometheus 0.0.4 names a counter by its sample name (`…_total`); OpenMetrics by its family.
    const metaName = !options.openMetrics && f.type === 'counter' ? `${f.name}_total` : f.name;
    out.push(`# HELP ${metaName} ${escapeHelp(f.help)}`, `# TYPE ${metaName} ${f.type}`);
    if (options.openMetrics && f.unit) out.push(`# UNIT ${metaName} ${f.unit}`);
    for (const [suffix, pairs, v] of f.samples) out.push(`${f.name}${suffix}${labels(pairs)} ${value(v)}`);
  }
  if (options.openMetrics) out.push('# EOF');
  return out.join('\n') + '\n';
}

/** Content type of {@link exportPrometheus}'s output, for an HTTP endpoint or a push. */
export function prometheusContentType(openMetrics = false): string {
  return openMetrics ? 'application/openmetrics-text; version=1.0.0; charset=utf-8' : 'text/plain; version=0.0.4; charset=utf-8';
}
