/**
 * Bottlenecks and breached budgets as SARIF 2.1.0, for CI code scanning (GitHub and others show
 * each result on the line of code it points at). One rule per bottleneck kind plus one for
 * budgets, each with short and full descriptions and help; results point at the call site of the
 * spans behind them, relative to the run's working directory (`uriBaseId` `%SRCROOT%`, which
 * `originalUriBaseIds` resolves to that directory), at the warning or note level.
 */
import type { Analysis, Bottleneck, BottleneckKind, BudgetStatus } from '../analysis-types';
import type { Profile } from '../model';
import { budgetValueText } from '../report/sections';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

interface Rule {
  id: string;
  name: string;
  short: string;
  full: string;
  help: string;
}

/** Rule of each bottleneck kind, in our words. */
const BOTTLENECK_RULES: Record<BottleneckKind, Rule> = {
  slow_llm: {
    id: 'AP001',
    name: 'SlowLlmCalls',
    short: 'LLM calls are slow on average',
    full: 'The LLM calls of this category take longer on average than the threshold (3 s by default).',
    help: 'Use a faster model for this step, stream the response so work can start on the first tokens, or shorten the prompt.',
  },
  slow_tool: {
    id: 'AP002',
    name: 'SlowToolCalls',
    short: 'Tool calls are slow on average',
    full: 'The tool calls of this category take longer on average than the threshold (1 s by default).',
    help: 'Cache the results of repeated calls, run independent calls in parallel, or set a timeout.',
  },
  many_calls: {
    id: 'AP003',
    name: 'ManyCalls',
    short: 'Many calls of one kind in one run',
    full: 'This category was called more often in one run than the threshold (20 by default).',
    help: 'Batch the calls, or cache and reuse results instead of calling again.',
  },
  expensive_operation: {
    id: 'AP004',
    name: 'ExpensiveOperation',
    short: 'An operation costs much per run',
    full: 'The token cost of this operation in one run is above the threshold ($0.05 by default).',
    help: 'Compress or cache the prompt, or use a cheaper model that can do this step.',
  },
  sequential_siblings: {
    id: 'AP005',
    name: 'SequentialSiblings',
    short: 'Independent steps run one after another',
    full: 'Three or more consecutive steps under the same parent ran one after another and could run in parallel.',
    help: 'Start the steps together (asyncio.gather, Promise.all) when they do not depend on each other.',
  },
  repeated_calls: {
    id: 'AP006',
    name: 'RepeatedCalls',
    short: 'The same call is repeated',
    full: 'Calls with the same prompt or arguments (the same hash) were made more than once in the run.',
    help: 'Cache the result of the first call, or use the provider\'s prompt cache.',
  },
  cheaper_model: {
    id: 'AP007',
    name: 'CheaperModel',
    short: 'A cheaper model would cost less',
    full: 'Another model in the price table would have cost less for the same tokens.',
    help: 'Check whether the cheaper model is good enough for this step; it saves the amount shown.',
  },
};

const BUDGET_RULE: Rule = {
  id: 'AP100',
  name: 'BudgetExceeded',
  short: 'A budget was exceeded',
  full: 'A token, cost or latency budget (from the profile, agentprof.budgets.json or the settings) was exceeded in this run.',
  help: 'Reduce the tokens, cost or time of the target, or raise the budget if it is too tight.',
};

const RULES: Rule[] = [...Object.values(BOTTLENECK_RULES), BUDGET_RULE];

export interface SarifOptions {
  /** Tool version written in the file. */
  toolVersion?: string;
  /**
   * Path of the profile, relative to the run's working directory: results without a call site
   * point at it (code scanning needs a location), and messages name it.
   */
  profileFile?: string;
}

/** FNV-1a, 32 bits, as 8 hex digits: a stable fingerprint, not a secret. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A directory as a file URI ending in `/`. */
function directoryUri(dir: string): string {
  let p = dir.replace(/\\/g, '/');
  if (/^[A-Za-z]:/.test(p)) p = `/${p}`;
  if (!p.endsWith('/')) p += '/';
  return `file://${encodeURI(p).replace(/[?#]/g, encodeURIComponent)}`;
}

/** The artifact location of a call-site file: relative to `%SRCROOT%`, or a file URI when absolute. */
function artifactLocation(file: string, cwd: string | undefined): Record<string, unknown> {
  const p = file.replace(/\\/g, '/');
  const absolute = p.startsWith('/') || /^[A-Za-z]:\//.test(p);
  if (absolute && cwd) {
    const root = cwd.replace(/\\/g, '/').replace(/\/?$/, '/');
    if (p.startsWith(root)) return { uri: encodeURI(p.slice(root.length)).replace(/[?#]/g, encodeURIComponent), uriBaseId: '%SRCROOT%' };
  }
  if (absolute) return { uri: directoryUri(p).replace(/\/$/, '') };
  return { uri: encodeURI(p.replace(/^\.\//, '')).replace(/[?#]/g, encodeURIComponent), uriBaseId: '%SRCROOT%' };
}

function location(file: string | undefined, line: number | undefined, cwd: string | undefined, fallback: string | undefined) {
  const target = file ?? fallback;
  if (!target) return undefined;
  const region = { startLine: file && line && line >= 1 ? line : 1 };
  return [{ physicalLocation: { artifactLocation: artifactLocation(target, cwd), region } }];
}

function bottleneckResult(b: Bottleneck, cwd: string | undefined, fallback: string | undefined) {
  const rule = BOTTLENECK_RULES[b.kind];
  // The suggestion already carries the measured numbers and the saving.
  return {
    ruleId: rule.id,
    ruleIndex: RULES.indexOf(rule),
    level: b.impact === 'low' ? 'note' : 'warning',
    message: { text: `${rule.short} (${b.component}, ${b.impact} impact). ${b.suggestion}` },
    locations: location(b.file, b.line, cwd, fallback),
    partialFingerprints: { 'agentprofFinding/v1': fnv1a(`${rule.id}|${b.component}|${b.file ?? ''}|${b.line ?? ''}`) },
    properties: { impact: b.impact, metric: b.metric, value: b.value, threshold: b.threshold, savingsMs: b.savingsMs, savingsUsd: b.savingsUsd },
  };
}

function budgetResult(b: BudgetStatus, cwd: string | undefined, fallback: string | undefined) {
  const used = budgetValueText(b.metric, b.used);
  const limit = budgetValueText(b.metric, b.limit);
  return {
    ruleId: BUDGET_RULE.id,
    ruleIndex: RULES.indexOf(BUDGET_RULE),
    level: 'warning',
    message: { text: `${BUDGET_RULE.short}: ${b.target} used ${used} of its ${limit} ${b.metric === 'ms' ? 'time' : b.metric} budget (${b.source}).` },
    locations: location(b.file, b.line, cwd, fallback),
    partialFingerprints: { 'agentprofFinding/v1': fnv1a(`${BUDGET_RULE.id}|${b.target}|${b.metric}`) },
    properties: { target: b.target, metric: b.metric, used: b.used, limit: b.limit, source: b.source },
  };
}

/** The SARIF 2.1.0 log of a run's bottlenecks and breached budgets. */
export function exportSarif(profile: Profile, analysis: Analysis, options: SarifOptions = {}): string {
  const cwd = profile.run.cwd;
  const fallback = options.profileFile;
  const results = [
    ...analysis.bottlenecks.map((b) => bottleneckResult(b, cwd, fallback)),
    ...analysis.budgets.filter((b) => b.breached).map((b) => budgetResult(b, cwd, fallback)),
  ];
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'Agent Profiler',
        semanticVersion: options.toolVersion,
        rules: RULES.map((r) => ({
          id: r.id,
          name: r.name,
          shortDescription: { text: r.short },
          fullDescription: { text: r.full },
          help: { text: r.help, markdown: r.help },
          defaultConfiguration: { level: 'warning' },
        })),
      },
    },
    results,
    properties: { runName: profile.run.name, source: profile.run.source },
  };
  if (cwd) run.originalUriBaseIds = { '%SRCROOT%': { uri: directoryUri(cwd) } };
  return JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, null, 2) + '\n';
}
