/**
 * Budgets: limits on tokens, cost and latency, from the profile (`b` records) and from the
 * workspace file `agentprof.budgets.json` (format in docs/budgets.md).
 *
 * The textbook's `check_budget(category)` sums the total tokens (input + output) of the usage
 * whose operation name starts with the category. Here a target may also be a call site
 * `file:line`, and a budget may limit cost (USD) and latency (ms) as well.
 */
import type { BudgetStatus, CategoryTiming, SiteTiming } from './analysis-types';
import { BudgetIndex, parseSite, TimingLookup } from './budget-index';
import { formatCount } from './format';
import { Budget, Diagnostic, Profile, spanEnd } from './model';

/**
 * Caps on a budgets file, which an untrusted workspace may write: a real one holds tens of
 * entries in a few KB. Beyond these the rest is ignored and one diagnostic says how much.
 */
export const BUDGETS_FILE_MAX_BYTES = 1024 * 1024;
/** Budgets read from one file, or from the `agentProfiler.budgets` setting. */
export const MAX_BUDGET_ENTRIES = 1000;
/** Problems reported per budgets file; the rest are counted in one last diagnostic. */
export const MAX_BUDGET_DIAGNOSTICS = 100;

/**
 * Keeps the first {@link MAX_BUDGET_DIAGNOSTICS} problems and replaces the rest with one that
 * counts them, on the line of the first one left out.
 */
export function capDiagnostics(diagnostics: Diagnostic[], what: string, max = MAX_BUDGET_DIAGNOSTICS): Diagnostic[] {
  if (diagnostics.length <= max) return diagnostics;
  const rest = diagnostics.length - max;
  const first = diagnostics[max];
  return [
    ...diagnostics.slice(0, max),
    { line: first.line, severity: first.severity, message: `… and ${formatCount(rest).replace(/,/g, ' ')} more ${what}${rest === 1 ? '' : 's'}` },
  ];
}

export { parseSite, TimingLookup };

/** Keys of an entry of the budgets file, and the Budget field each fills. */
const LIMIT_KEYS = { tokens: 'maxTokens', cost: 'maxCostUsd', ms: 'maxMs' } as const;
type LimitKey = keyof typeof LIMIT_KEYS;

/**
 * Reads `agentprof.budgets.json`: `{"budgets":[{"target":"llm","tokens":50000,"cost":0.5,"ms":30000}]}`.
 * A bad entry is skipped with a diagnostic on its line; a bad limit is dropped from its entry
 * (the entry's other limits still count). Never throws.
 */
export function parseBudgetsFile(text: string, fileName: string): { budgets: Budget[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const budgets: Budget[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch (err) {
    diagnostics.push({ line: jsonErrorLine(body, (err as Error).message), severity: 'error', message: `not valid JSON: ${(err as Error).message}` });
    return { budgets, diagnostics };
  }
  if (!isRecord(root) || !Array.isArray(root.budgets)) {
    diagnostics.push({ line: 1, severity: 'error', message: `${fileName} must be an object with a "budgets" array: {"budgets": [{"target": "llm", "tokens": 50000}]}` });
    return { budgets, diagnostics };
  }
  const lines = budgetEntryLines(body);
  const entries: unknown[] = root.budgets;
  if (entries.length > MAX_BUDGET_ENTRIES) {
    diagnostics.push({
      line: lines[MAX_BUDGET_ENTRIES] ?? 1,
      severity: 'warning',
      message: `${fileName} holds ${entries.length} budgets; only the first ${MAX_BUDGET_ENTRIES} are read`,
    });
  }
  entries.slice(0, MAX_BUDGET_ENTRIES).forEach((entry: unknown, i: number) => {
    const line = lines[i] ?? 1;
    const where = `budgets[${i}]`;
    if (!isRecord(entry)) {
      diagnostics.push({ line, severity: 'error', message: `${where}: expected an object like {"target": "llm", "tokens": 50000}; skipped` });
      return;
    }
    if (typeof entry.target !== 'string' || entry.target.trim() === '') {
      diagnostics.push({ line, severity: 'error', message: `${where}: "target" must be a non-empty string (a category, an operation prefix or file:line); skipped` });
      return;
    }
    const budget: Budget = { target: entry.target.trim(), maxTokens: undefined, maxCostUsd: undefined, maxMs: undefined, source: 'workspace' };
    let limits = 0;
    for (const key of Object.keys(entry)) {
      if (key === 'target') continue;
      // Own keys only: `toString` or `constructor` is `in` every object, and is no limit.
      if (!Object.hasOwn(LIMIT_KEYS, key)) {
        diagnostics.push({ line, severity: 'warning', message: `${where}: unknown key "${key}" ignored (expected tokens, cost, ms)` });
        continue;
      }
      const value = entry[key];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        diagnostics.push({ line, severity: 'error', message: `${where}: "${key}" must be a number >= 0, got ${JSON.stringify(value)}; ignored` });
        continue;
      }
      budget[LIMIT_KEYS[key as LimitKey]] = value;
      limits++;
    }
    if (limits === 0) {
      diagnostics.push({ line, severity: 'error', message: `${where}: no valid limit for "${budget.target}" (set tokens, cost or ms); skipped` });
      return;
    }
    budgets.push(budget);
  });
  return { budgets, diagnostics: capDiagnostics(diagnostics, 'problem') };
}

/**
 * One status per limit set in each budget, in the order given (callers pass the profile's
 * budgets followed by the workspace and settings ones). Used against:
 * - tokens: input + output tokens of the usage matched; cost: sum of `usageCost` of that usage;
 * - ms: for a category present in `timing.byCategory`, its total; otherwise the summed duration
 *   of the spans whose name starts with the target; for a site, the site's total.
 * A target `file:line` (a file part containing `.`, `/` or `\`) is a call site and matches usage
 * recorded at it; any other target is an operation-name prefix (a category is one).
 */
export function evaluateBudgets(
  profile: Profile,
  budgets: Budget[],
  usageCost: Float64Array,
  timing: { byCategory: CategoryTiming[]; bySite: SiteTiming[] },
): BudgetStatus[] {
  // One pass over the usage and (when a prefix limits latency) the spans, each record finding its
  // budgets by look-up (budget-index.ts), not budgets × records.
  const states = budgets.map((budget) => ({ budget, site: parseSite(budget.target), tokens: 0, costUsd: 0, prefixNs: 0 }));
  const index = new BudgetIndex<(typeof states)[number]>();
  for (const s of states) index.add(s.budget.target, s);
  for (const u of profile.usage) {
    const cost = usageCost[u.index] ?? 0;
    for (const s of index.atSite(u.file, u.line)) {
      s.tokens += u.input + u.output;
      s.costUsd += cost;
    }
    for (const s of index.withPrefixOf(u.operation)) {
      s.tokens += u.input + u.output;
      s.costUsd += cost;
    }
  }
  const lookup = new TimingLookup(timing);
  if (states.some((s) => !s.site && s.budget.maxMs !== undefined && lookup.category(s.budget.target) === undefined)) {
    for (const span of profile.spans) {
      const matched = index.forSpan(span);
      if (matched.length === 0) continue;
      const ns = Math.max(0, spanEnd(profile, span) - span.start);
      for (const s of matched) s.prefixNs += ns;
    }
  }
  const statuses: BudgetStatus[] = [];
  for (const s of states) {
    const site = s.site;
    const ms = site ? () => lookup.site(site) : () => lookup.category(s.budget.target) ?? s.prefixNs / 1e6;
    for (const status of budgetStatuses(s.budget, site, { tokens: s.tokens, costUsd: s.costUsd, ms })) statuses.push(status);
  }
  return statuses;
}

/** One status per limit set in `budget`, from what was used (shared with the incremental analysis). */
export function budgetStatuses(budget: Budget, site: { file: string; line: number } | undefined, used: Used): BudgetStatus[] {
  const statuses: BudgetStatus[] = [];
  const limits: Array<[BudgetStatus['metric'], number | undefined, () => number]> = [
    ['tokens', budget.maxTokens, () => used.tokens],
    ['cost', budget.maxCostUsd, () => used.costUsd],
    ['ms', budget.maxMs, used.ms],
  ];
  for (const [metric, limit, value] of limits) {
    if (limit === undefined) continue;
    const v = value();
    statuses.push({
      target: budget.target,
      source: budget.source,
      metric,
      limit,
      used: v,
      remaining: limit - v,
      breached: v > limit,
      file: site?.file,
      line: site?.line,
    });
  }
  return statuses;
}

/** What the usage and spans matched by a budget used. */
export interface Used {
  tokens: number;
  costUsd: number;
  /** Computed only when a budget limits latency. */
  ms: () => number;
}

export function sameFile(a: string, b: string): boolean {
  return a === b || a.replace(/\\/g, '/') === b.replace(/\\/g, '/');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * 1-based line of a JSON.parse error. V8 names a `position N` (or `line N`), or for an unexpected
 * token quotes the text around it: `..."<10 characters><token><10 characters>"...`; the end of
 * input is the last line. Anything else falls back to line 1.
 */
function jsonErrorLine(text: string, message: string): number {
  const line = /\bline (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const position = /position (\d+)/.exec(message);
  if (position) return lineAt(text, Number(position[1]));
  if (/end of JSON input/.test(message)) return lineAt(text, text.length);
  const context = /^Unexpected token .*?, (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  if (context) {
    const at = text.indexOf(context[2]);
    if (at >= 0) return lineAt(text, context[1] ? at + 10 : at);
  }
  return 1;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * 1-based line of each element of the top-level `"budgets"` array of valid JSON text: a small
 * scanner that tracks nesting and skips strings. The last `"budgets"` key wins, as in JSON.parse.
 */
function budgetEntryLines(text: string): number[] {
  let lines: number[] = [];
  let line = 1;
  let depth = 0;
  let lastString = '';
  let keyPending = false; // a string at depth 1 was read and may be a key
  let arrayDepth = -1; // depth inside the budgets array, while in it
  let current: number[] = [];
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') continue;
    if (expectElement && ch !== ']') {
      current.push(line);
      expectElement = false;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      lastString = text.slice(i + 1, j);
      keyPending = depth === 1;
      i = j;
      continue;
    }
    if (ch === ':') {
      if (keyPending && lastString === 'budgets') arrayDepth = -2; // the next `[` opens it
      keyPending = false;
      continue;
    }
    keyPending = false;
    if (ch === '{' || ch === '[') {
      depth++;
      if (ch === '[' && arrayDepth === -2 && depth === 2) {
        arrayDepth = depth;
        current = [];
        expectElement = true;
      } else if (arrayDepth === -2) arrayDepth = -1;
    } else if (ch === '}' || ch === ']') {
      if (ch === ']' && depth === arrayDepth) {
        lines = current;
        arrayDepth = -1;
      }
      depth--;
    } else if (ch === ',') {
      if (depth === arrayDepth) expectElement = true;
    } else if (arrayDepth === -2) arrayDepth = -1; // "budgets" holds a scalar
  }
  return lines;
}
