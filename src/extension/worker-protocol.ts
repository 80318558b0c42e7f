/**
 * The messages between the extension host and the analysis worker. The worker owns the parsed
 * profiles; the host receives an {@link Analysis} plus {@link ViewData}, the few per-span facts the
 * views need (names, call sites, span ids) — never the whole model, which can be hundreds of MB.
 */
import type { ModelUse } from '../core/site-models';
import type { Analysis, Thresholds } from '../core/analysis-types';
import type { BudgetPlace } from '../core/budget-places';
import type { Budget, Diagnostic, SpanId } from '../core/model';
import type { SpanDetails } from '../core/span-details';
import type { WaterfallColumns } from '../core/waterfall-columns';
import type { PriceOverrideSetting } from './config';
import type { FoldedPath } from '../core/critical-fold';
import type { CriticalPathTotal } from './critical-path-cut';

/** What every analysis of every file uses; sent once and again when settings change. */
export interface AnalysisSettings {
  maxFileBytes: number;
  thresholds: Thresholds;
  priceOverrides: PriceOverrideSetting[];
  /** Budgets from settings and the workspace budgets file; the profile's own come on top. */
  budgets: Budget[];
  /** Group names with numbers or ids into templates; a change means reading the files again. Absent: on. */
  groupNames?: boolean;
}

/** A span that a view shows by itself: a critical-path segment or a bottleneck's span. */
export interface SpanRef {
  index: number;
  id: SpanId;
  name: string;
  file: string | undefined;
  line: number | undefined;
  startMs: number;
  durationMs: number;
  open: boolean;
  error: string | undefined;
}

/** Token use of one model at one site, as priced by the worker's price book. */
export type { ModelUse };

/** Extra facts of one timing call site; parallel to `analysis.timing.bySite`. */
export interface SiteExtra {
  /** Ids of the site's spans, in start order (at most {@link MAX_IDS_PER_GROUP}). */
  spanIds: SpanId[];
  /** Token use of LLM calls made in the site's spans or recorded at the site, by model. */
  models: ModelUse[];
}

export interface ViewData {
  /** Spans referenced by the critical path and the bottlenecks, by span index. */
  spans: SpanRef[];
  /** Parallel to `analysis.timing.bySite`. */
  sites: SiteExtra[];
  /** Span ids per name; parallel to `analysis.timing.byName`. */
  nameSpanIds: SpanId[][];
}

/** The run header fields views need (to resolve call sites and label runs). */
export interface RunHeader {
  name: string;
  cwd: string | undefined;
  argv: string[];
  startEpochNs: string;
  recorder: string | undefined;
  source: string;
}

/** One trace of a file that holds several (every trace of an OpenTelemetry file is a run). */
export interface TraceRow {
  name: string;
  traceId: string | undefined;
  sessionId: string | undefined;
  spans: number;
  wallMs: number;
  errors: number;
  tokens: number;
  costUsd: number;
  llmCalls: number;
  /** LLM calls the cost covers (with usage on a priced model). */
  covered: number;
  /** True for the trace the other sections show. */
  shown: boolean;
}

/** One analysed state of one profile file. */
export interface RunResult {
  file: string;
  header: RunHeader;
  analysis: Analysis;
  views: ViewData;
  /** Size of the whole critical path; `analysis.criticalPath` holds only its first 1 000 segments. */
  criticalPathTotal: CriticalPathTotal;
  /**
   * The whole critical path folded (core/critical-fold.ts): long segments, and each stretch of
   * slivers as one entry; what the runs tree lists. Absent from older workers.
   */
  criticalPathFolded?: FoldedPath;
  /** Bytes of the file read so far. */
  bytesRead: number;
  /** True when the file is larger than `maxFileBytes` and the rest was not read. */
  truncatedByCap: boolean;
  /** How long parsing and analysing took in the worker, ms (shown in the output channel). */
  workMs: number;
  /**
   * Where each breached budget shows in Problems, parallel to `analysis.budgets` (budget-places.ts):
   * found in the worker so the host never matches budgets against sites.
   */
  budgetPlaces: BudgetPlace[];
  /** Every trace of the file, when it holds more than one; the shown one is analysed in full. */
  traces?: TraceRow[];
}

/** A workspace budgets file read and parsed by the worker (budgets-worker.ts). */
export type BudgetsFileReply = {
  type: 'budgetsFile';
  id: number;
  /** True when the file does not exist. */
  missing: boolean;
  budgets: Budget[];
  /** At most 101: the first 100 problems and one counting the rest. */
  diagnostics: Diagnostic[];
};

export const MAX_IDS_PER_GROUP = 500;
export const MAX_SPANS_PER_BOTTLENECK = 20;

/** What the waterfall panel asks the worker (answered in waterfall-worker.ts). */
export type WaterfallQuery =
  /** The columns of every span of `file`. */
  | { type: 'waterfall'; file: string }
  /** The details of span index `span` of `file`. */
  | { type: 'spanDetails'; file: string; span: number };

export type WaterfallRequest = WaterfallQuery & { id: number };

export type WaterfallReply =
  /** Its typed arrays arrive transferred. */
  | { type: 'waterfallData'; id: number; columns: WaterfallColumns }
  /** Undefined when the run has no such span. */
  | { type: 'spanDetails'; id: number; details: SpanDetails | undefined }
  | { type: 'waterfallFailed'; id: number; message: string };

/** The formats of Export…: the same as `agentprof export --format`. */
export type ExportFormat = 'markdown' | 'html' | 'chrome' | 'speedscope' | 'prometheus' | 'sarif';

/** Where Open after an export shows the file: reports rendered, data files as text. */
export function viewerOf(format: ExportFormat): 'markdownPreview' | 'browser' | 'editor' {
  return format === 'markdown' ? 'markdownPreview' : format === 'html' ? 'browser' : 'editor';
}

/** Renders the analysis or the spans of `file` for another tool (answered in export-worker.ts). */
export type ExportQuery = { type: 'export'; file: string; format: ExportFormat; displayName: string };
export type ExportRequest = ExportQuery & { id: number };
export type ExportReply = { type: 'exported'; id: number; text: string } | { type: 'exportFailed'; id: number; message: string };

export type ToWorker =
  | WaterfallRequest
  | ExportRequest
  | { type: 'configure'; settings: AnalysisSettings }
  /** Reads what was appended to `file` and analyses it when it changed (or `force`). */
  | { type: 'analyze'; id: number; file: string; force: boolean }
  /** Forgets the parsed state of `file`. */
  | { type: 'close'; file: string }
  /** Reads and parses the workspace budgets file `file` (size- and entry-capped). */
  | { type: 'budgetsFile'; id: number; file: string };

export type FromWorker =
  | WaterfallReply
  | ExportReply
  | BudgetsFileReply
  | { type: 'result'; id: number; result: RunResult }
  | { type: 'unchanged'; id: number }
  | { type: 'failed'; id: number; message: string; missing: boolean };
