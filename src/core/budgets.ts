/**
 * Budgets: limits on tokens, cost and latency, from the profile (`b` records) and from the
 * workspace file `agentprof.budgets.json` (format in docs/budgets.md).
 *
 * The textbook's `check_budget(category)` sums the total tokens (input + output) of the usage
 * whose operation name starts with the category. Here a target may also be a call site
 * `file:line`, and a budget may limit cost (USD) and latency (ms) as well.
 */
import type { BudgetStatus, CategoryTiming, SiteTiming } from './analysis-types';
import { Budget, Diagnostic, namedWith, Profile, spanEnd } from './model';

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
  root.budgets.forEach((entry: unknown, i: number) => {
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
      if (!(key in LIMIT_KEYS)) {
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
  return { budgets, diagnostics };
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
  const statuses: BudgetStatus[] = [];
  for (const budget of budgets) {
    const site = parseSite(budget.target);
    const used = site ? usedAtSite(profile, usageCost, timing.bySite, site) : usedByPrefix(profile, usageCost, timing.byCategory, budget.target);
    for (const status of budgetStatuses(budget, site, used)) statuses.push(status);
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

/** Total ms of the timing rows of a call site (files compared with either slash). */
export function msAtSite(sites: readonly SiteTiming[], site: { file: string; line: number }): number {
  let total = 0;
  for (const s of sites) if (s.line === site.line && sameFile(s.file, site.file)) total += s.totalMs;
  return total;
}

/** Total ms of the category named `prefix`, when there is one. */
export function categoryMs(categories: readonly CategoryTiming[], prefix: string): number | undefined {
  return categories.find((c) => c.category === prefix)?.totalMs;
}

/** What the usage and spans matched by a budget used. */
export interface Used {
  tokens: number;
  costUsd: number;
  /** Computed only when a budget limits latency. */
  ms: () => number;
}

/** A target of the form `file:line` whose file part looks like a path, else undefined. */
export function parseSite(target: string): { file: string; line: number } | undefined {
  const m = /^(.*[./\\].*):(\d+)$/.exec(target);
  return m ? { file: m[1], line: Number(m[2]) } : undefined;
}

export function sameFile(a: string, b: string): boolean {
  return a === b || a.replace(/\\/g, '/') === b.replace(/\\/g, '/');
}

function usedAtSite(profile: Profile, usageCost: Float64Array, sites: SiteTiming[], site: { file: string; line: number }): Used {
  let tokens = 0;
  let costUsd = 0;
  const usage = profile.usage;
  for (let i = 0; i < usage.length; i++) {
    const u = usage[i];
    if (u.line !== site.line || u.file === undefined || !sameFile(u.file, site.file)) continue;
    tokens += u.input + u.output;
    costUsd += usageCost[u.index] ?? 0;
  }
  const ms = () => msAtSite(sites, site);
  return { tokens, costUsd, ms };
}

function usedByPrefix(profile: Profile, usageCost: Float64Array, categories: CategoryTiming[], prefix: string): Used {
  let tokens = 0;
  let costUsd = 0;
  const usage = profile.usage;
  for (let i = 0; i < usage.length; i++) {
    const u = usage[i];
    if (!u.operation.startsWith(prefix)) continue;
    tokens += u.input + u.output;
    costUsd += usageCost[u.index] ?? 0;
  }
  const ms = () => {
    const category = categoryMs(categories, prefix);
    if (category !== undefined) return category;
    let ns = 0;
    for (const span of profile.spans) if (namedWith(span, prefix)) ns += Math.max(0, spanEnd(profile, span) - span.start);
    return ns / 1e6;
  };
  return { tokens, costUsd, ms };
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
