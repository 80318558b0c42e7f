/**
 * The chat tools' names, descriptions and input schemas: one list read by the MCP server (its
 * tools/list answer), the extension (it registers one adapter per entry) and a unit test that
 * checks package.json's `languageModelTools` against it, so the manifest cannot drift.
 *
 * Names follow VS Code's rule for tool names (`^[\w-]+$`, no `copilot_` / `vscode_` prefix) and
 * MCP's (letters, digits, `_`, `-`, `.`), with the extension's one prefix.
 */

/** Largest `limit` each tool accepts; a larger one is clamped and the answer says so. */
export const LIMITS = {
  runs: { default: 10, max: 50 },
  bottlenecks: { default: 5, max: 25 },
  criticalPath: { default: 10, max: 30 },
  breakdown: { default: 10, max: 50 },
  compare: { default: 5, max: 25 },
} as const;

export const TOOL_NAMES = {
  listRuns: 'agentProfiler_listRuns',
  summary: 'agentProfiler_summary',
  bottlenecks: 'agentProfiler_bottlenecks',
  criticalPath: 'agentProfiler_criticalPath',
  breakdown: 'agentProfiler_breakdown',
  compare: 'agentProfiler_compare',
} as const;

export type ToolName = (typeof TOOL_NAMES)[keyof typeof TOOL_NAMES];

export const BREAKDOWN_BY = ['site', 'name', 'category', 'model'] as const;
export const BREAKDOWN_SORT = ['time', 'self', 'cost', 'tokens'] as const;

/** A JSON Schema object, as VS Code's manifest and MCP's tools/list carry it. */
export interface InputSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  additionalProperties: false;
}

export interface ToolDefinition {
  name: ToolName;
  /** Short title for people (VS Code's displayName, MCP's title). */
  displayName: string;
  /** `#` reference in VS Code chat. */
  toolReferenceName: string;
  /** What a person reads in the tools picker. */
  userDescription: string;
  /** What the model reads to decide when and how to call the tool. */
  modelDescription: string;
  /** What the chat shows while the tool runs, e.g. `Reading the bottlenecks` (the run is appended). */
  progress: string;
  inputSchema: InputSchema;
}

const RUN = {
  type: 'string',
  maxLength: 1000,
  description:
    'Which run: an id from agentProfiler_listRuns (the profile path relative to the workspace), a file name, or a run name. Omit for the active run (the newest unless the user picked one).',
};

function limit(l: { default: number; max: number }, what: string): Record<string, unknown> {
  return { type: 'integer', minimum: 1, maximum: l.max, default: l.default, description: `How many ${what} to list (1–${l.max}, default ${l.default}); the rest is summed up in the answer.` };
}

function schema(properties: Record<string, Record<string, unknown>>): InputSchema {
  return { type: 'object', properties, additionalProperties: false };
}

export const TOOL_DEFINITIONS: readonly ToolDefinition[] = [
  {
    name: TOOL_NAMES.listRuns,
    progress: 'Listing the profiled runs',
    displayName: 'List Profiled Runs',
    toolReferenceName: 'agentProfilerRuns',
    userDescription: 'Lists the profiled agent runs of the workspace, newest first.',
    modelDescription:
      'Lists the profiled AI-agent runs (profile files and OpenTelemetry traces) of the workspace, newest first, with their id, wall time, cost and which one is active or the baseline. Call it to pick the run the user means before calling the other agentProfiler tools with `run`.',
    inputSchema: schema({ limit: limit(LIMITS.runs, 'runs') }),
  },
  {
    name: TOOL_NAMES.summary,
    progress: 'Summarising the run',
    displayName: 'Run Summary',
    toolReferenceName: 'agentProfilerSummary',
    userDescription: 'Summarises a profiled agent run: wall time, tokens, cost, errors and the top bottlenecks.',
    modelDescription:
      'Summarises one profiled AI-agent run: wall time, spans, errors, tokens and cost, the categories that took the most time, the length of the critical path and the top three bottlenecks with their source location. Start here when the user asks why a run was slow or expensive.',
    inputSchema: schema({ run: RUN }),
  },
  {
    name: TOOL_NAMES.bottlenecks,
    progress: 'Ranking the bottlenecks',
    displayName: 'Run Bottlenecks',
    toolReferenceName: 'agentProfilerBottlenecks',
    userDescription: 'Ranks the bottlenecks of a profiled agent run with their location and estimated saving.',
    modelDescription:
      'Ranks the bottlenecks of a profiled AI-agent run, biggest first (fix the first one first). Each has its kind (slow_llm, slow_tool, many_calls, expensive_operation, sequential_siblings, repeated_calls, cheaper_model), the source location as workspace-relative path:line, the evidence (measured value against the threshold), the estimated saving in ms and USD, and a suggestion.',
    inputSchema: schema({ run: RUN, limit: limit(LIMITS.bottlenecks, 'bottlenecks') }),
  },
  {
    name: TOOL_NAMES.criticalPath,
    progress: 'Following the critical path',
    displayName: 'Run Critical Path',
    toolReferenceName: 'agentProfilerCriticalPath',
    userDescription: 'Shows the critical path of a profiled agent run: the chain of work that decided when it ended.',
    modelDescription:
      'Returns the critical path of a profiled AI-agent run: the chain of spans that decided when the run ended, in time order, with consecutive segments of the same span name folded into one step. Only the longest steps are listed (with their location); the others are summed up. Shortening a step on this path shortens the run; work off the path does not.',
    inputSchema: schema({ run: RUN, limit: limit(LIMITS.criticalPath, 'steps') }),
  },
  {
    name: TOOL_NAMES.breakdown,
    progress: 'Breaking down time and cost',
    displayName: 'Run Time and Cost Breakdown',
    toolReferenceName: 'agentProfilerBreakdown',
    userDescription: 'Time, tokens and cost of a profiled agent run by call site, span name, category or model.',
    modelDescription:
      'Breaks a profiled AI-agent run down by call site (workspace-relative path:line), by span name, by category (the part of the name before ":") or by model: calls, total, self and p95 time, share of the run, tokens and cost, sorted by total time, self time, cost or tokens. The rows not listed are summed up.',
    inputSchema: schema({
      run: RUN,
      by: { type: 'string', enum: [...BREAKDOWN_BY], default: 'site', description: 'Group by call site (default), span name, category or model.' },
      sort: { type: 'string', enum: [...BREAKDOWN_SORT], default: 'time', description: 'Biggest first by total time (default; a parent includes its children), self time (time not spent in child spans: where the time really goes), cost or tokens.' },
      limit: limit(LIMITS.breakdown, 'rows'),
    }),
  },
  {
    name: TOOL_NAMES.compare,
    progress: 'Comparing with the baseline',
    displayName: 'Compare Run with Baseline',
    toolReferenceName: 'agentProfilerCompare',
    userDescription: 'Compares a profiled agent run with the baseline run: regressions first.',
    modelDescription:
      'Compares a profiled AI-agent run with a baseline run: wall-time and cost change, then the regressions (call sites and categories whose p95 grew past the regression threshold), biggest first, then the largest other changes. Omit `baseline` to use the baseline the user set.',
    inputSchema: schema({
      run: RUN,
      baseline: { ...RUN, description: 'The baseline run, as for `run`. Omit for the baseline the user set.' },
      limit: limit(LIMITS.compare, 'rows of each list'),
    }),
  },
];

export function isToolName(name: string): name is ToolName {
  return TOOL_DEFINITIONS.some((t) => t.name === name);
}

/** The chat's progress message for a call: `Ranking the bottlenecks of traces/run.otlp.json`. */
export function progressMessage(def: ToolDefinition, input: unknown): string {
  const run = typeof input === 'object' && input !== null ? (input as { run?: unknown }).run : undefined;
  return typeof run === 'string' && run !== '' ? `${def.progress} of ${run.length > 80 ? `${run.slice(0, 79)}…` : run}` : def.progress;
}
