/**
 * Result types of the analyzers. One place for the shapes that the CLI's `--json`, the tree view,
 * the code lenses, the hovers and the benchmarks all read. Times in results are milliseconds
 * (floating point); the model keeps nanoseconds.
 */
import type { Budget, Diagnostic, SpanKind } from './model';

/** Timing statistics of a group of spans (a category, a name, or a call site). */
export interface TimingStats {
  count: number;
  /** Sum of durations. Concurrent spans each count in full. */
  totalMs: number;
  /** Sum of self times: duration minus the union of the children's intervals (clipped to the span). */
  selfMs: number;
  avgMs: number;
  minMs: number;
  maxMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Union of the group's intervals divided by the run's wall time (0…1); concurrency is not double counted. */
  shareOfRun: number;
  errors: number;
  /** Spans still open (their duration runs to the run's last time). */
  unfinished: number;
}

export interface CategoryTiming extends TimingStats {
  category: string;
}

export interface NameTiming extends TimingStats {
  name: string;
  category: string;
  kind: SpanKind;
}

export interface SiteTiming extends TimingStats {
  file: string;
  line: number;
  /** The span names recorded at this site (an f-string site records several). */
  names: string[];
  kind: SpanKind;
  /** Cost of the token usage recorded in spans of this site (or at the site), USD. */
  costUsd: number;
  tokens: number;
  /** Span indices of this site, in start order. */
  spans: number[];
}

/** One piece of the critical path: `span` was the work that determined the run's end in [start, end). */
export interface CriticalSegment {
  /** Span index, or -1 for time not covered by any top-level span (the run itself). */
  span: number;
  spanId: string | number | undefined;
  name: string;
  startMs: number;
  endMs: number;
}

/** A row of the waterfall: spans in start order with their depth. */
export interface WaterfallRow {
  span: number;
  depth: number;
  /** ms since the run's first start. */
  startMs: number;
  durationMs: number;
  critical: boolean;
  open: boolean;
  error: boolean;
}

/** Token counts and cost of a group of usage records. */
export interface TokenStats {
  calls: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
  /** Cost computed from prices, USD; excludes unpriced calls. */
  costUsd: number;
  /** Sum of provider-reported costs, USD, when any were reported; else undefined. */
  reportedCostUsd: number | undefined;
  /** Calls whose model has no price. */
  unpricedCalls: number;
}

export interface TokenSummary extends TokenStats {
  unpricedModels: string[];
  byOperation: Array<TokenStats & { operation: string }>;
  byModel: Array<TokenStats & { model: string; provider: string | undefined; priced: boolean }>;
  bySite: Array<TokenStats & { file: string; line: number }>;
  /** Where prices came from, e.g. `@pydantic/genai-prices 0.1.8 (data of 2026-10-26)`. */
  priceSource: string;
}

export interface BudgetStatus {
  target: string;
  source: Budget['source'];
  /** Which limit: tokens, cost (USD) or latency (ms). One row per limit set. */
  metric: 'tokens' | 'cost' | 'ms';
  limit: number;
  used: number;
  remaining: number;
  breached: boolean;
  /** Call site when the target is a site. */
  file: string | undefined;
  line: number | undefined;
}

export type Impact = 'high' | 'medium' | 'low';

export type BottleneckKind =
  | 'slow_llm'
  | 'slow_tool'
  | 'many_calls'
  | 'expensive_operation'
  | 'sequential_siblings'
  | 'repeated_calls'
  | 'cheaper_model';

export interface Bottleneck {
  kind: BottleneckKind;
  /** What it is about: a category, span name, operation or model. */
  component: string;
  impact: Impact;
  /** Name of the measured quantity (`avg_ms`, `count`, `cost_usd`, …). */
  metric: string;
  value: number;
  threshold: number;
  savingsMs: number;
  savingsUsd: number;
  suggestion: string;
  file: string | undefined;
  line: number | undefined;
  /** Ids of the spans behind it (at most 100). */
  spanIds: Array<string | number>;
  /** Span indices behind it (at most 100), for the views. */
  spans: number[];
  /**
   * Set when an earlier bottleneck in the order is about some of the same calls (a slow tool
   * whose calls also run one after another): fixing one takes away much of the other's saving,
   * so the two savings must not be added up. `rank` is the earlier one's 1-based position.
   */
  overlaps?: { rank: number; kind: BottleneckKind; component: string };
}

export interface Suggestion {
  kind: 'expensive_operation' | 'prompt_heavy';
  operation: string;
  /** The numbers that triggered it. */
  costUsd: number;
  inputShare: number;
  suggestion: string;
}

/** Thresholds of the bottleneck and suggestion rules; defaults are the textbook's. */
export interface Thresholds {
  slowLlmAvgMs: number;
  slowToolAvgMs: number;
  manyCalls: number;
  expensiveOperationUsd: number;
  sequentialSiblings: number;
  suggestionExpensiveUsd: number;
  promptHeavyShare: number;
  /** Regression threshold of `compare`, percent on p95. */
  regressionPct: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  slowLlmAvgMs: 3000,
  slowToolAvgMs: 1000,
  manyCalls: 20,
  expensiveOperationUsd: 0.05,
  sequentialSiblings: 3,
  suggestionExpensiveUsd: 0.1,
  promptHeavyShare: 0.8,
  regressionPct: 10,
};

/** What a run's cost covers (see llm-calls.ts). */
export interface CostCoverage {
  /** LLM calls: usage records, plus innermost `llm` spans without usage. */
  calls: number;
  /** Calls with usage on a priced model: the ones the cost adds up. */
  covered: number;
  /** Calls without usage (failed, or recorded without counts). */
  noUsage: number;
  /** Of those, the ones that failed. */
  noUsageFailed: number;
  /** Span ids of the calls without usage (at most 100). */
  noUsageSpanIds: Array<string | number>;
  /** Calls with usage whose model has no price. */
  unpricedCalls: number;
  unpricedModels: string[];
}

export interface RunSummary {
  name: string;
  source: string;
  spans: number;
  wallMs: number;
  errors: number;
  unfinished: number;
  orphans: number;
  tokens: number;
  costUsd: number;
  unpricedModels: string[];
  /**
   * What the cost covers: LLM calls with usage on a priced model, of all LLM calls. Always set by
   * the analyzers; optional so hand-made summaries (tests, older callers) need not carry it.
   */
  costCoverage?: CostCoverage;
  /** Whether the recorder wrote its end record, and how the run ended. */
  ended: boolean;
  exitStatus: 'ok' | 'error' | undefined;
  exitError: string | undefined;
}

/** Everything the analyzers produce for one run. */
export interface Analysis {
  run: RunSummary;
  timing: {
    byCategory: CategoryTiming[];
    byName: NameTiming[];
    bySite: SiteTiming[];
  };
  criticalPath: CriticalSegment[];
  tokens: TokenSummary;
  budgets: BudgetStatus[];
  bottlenecks: Bottleneck[];
  suggestions: Suggestion[];
  diagnostics: Diagnostic[];
}
