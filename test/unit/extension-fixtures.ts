/**
 * Hand-built analyses for the extension's unit tests: every number is chosen by the test, so
 * expectations are computed by hand rather than by the analyzers under test elsewhere.
 */
import { placeBudgets } from '../../src/core/budget-places';
import type { Analysis, NameTiming, SiteTiming, TimingStats } from '../../src/core/analysis-types';
import type { RunResult, ViewData } from '../../src/extension/worker-protocol';

export function stats(over: Partial<TimingStats> = {}): TimingStats {
  return {
    count: 1,
    totalMs: 100,
    selfMs: 100,
    avgMs: 100,
    minMs: 100,
    maxMs: 100,
    p50Ms: 100,
    p95Ms: 100,
    p99Ms: 100,
    shareOfRun: 0.1,
    errors: 0,
    unfinished: 0,
    ...over,
  };
}

export function site(file: string, line: number, names: string[], over: Partial<SiteTiming> = {}): SiteTiming {
  return { ...stats(), file, line, names, kind: 'llm', costUsd: 0, tokens: 0, spans: [], ...over };
}

export function nameTiming(name: string, over: Partial<NameTiming> = {}): NameTiming {
  const colon = name.indexOf(':');
  return { ...stats(), name, category: colon < 0 ? name : name.slice(0, colon), kind: 'llm', ...over };
}

export function analysis(over: Partial<Analysis> = {}): Analysis {
  return {
    run: {
      name: 'agent',
      source: 'agentprof',
      spans: 0,
      wallMs: 1000,
      errors: 0,
      unfinished: 0,
      orphans: 0,
      tokens: 0,
      costUsd: 0,
      unpricedModels: [],
      ended: true,
      exitStatus: 'ok',
      exitError: undefined,
    },
    timing: { byCategory: [], byName: [], bySite: [] },
    criticalPath: [],
    tokens: {
      calls: 0,
      input: 0,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0,
      costUsd: 0,
      reportedCostUsd: undefined,
      unpricedCalls: 0,
      unpricedModels: [],
      byOperation: [],
      byModel: [],
      bySite: [],
      priceSource: 'test prices',
    },
    budgets: [],
    bottlenecks: [],
    suggestions: [],
    diagnostics: [],
    ...over,
  };
}

/** A run result around an analysis; view data defaults to empty lists parallel to the timing tables. */
export function runResult(a: Analysis, over: { file?: string; cwd?: string; views?: Partial<ViewData> } = {}): RunResult {
  return {
    file: over.file ?? '/ws/.agentprof/run.agentprof.jsonl',
    header: { name: a.run.name, cwd: over.cwd ?? '/ws', argv: [], startEpochNs: '1763900000000000000', recorder: undefined, source: 'agentprof' },
    analysis: a,
    views: {
      spans: [],
      sites: a.timing.bySite.map(() => ({ spanIds: [], models: [] })),
      nameSpanIds: a.timing.byName.map(() => []),
      ...over.views,
    },
    // The whole path was sent: its size is that of the list.
    criticalPathTotal: { segments: a.criticalPath.length, ms: a.criticalPath.reduce((sum, seg) => sum + seg.endMs - seg.startMs, 0) },
    bytesRead: 1000,
    truncatedByCap: false,
    workMs: 1,
    budgetPlaces: placeBudgets(a.budgets, a.timing.bySite),
  };
}
