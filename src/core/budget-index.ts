/**
 * Which budgets a usage record or a span counts towards, found by look-ups instead of testing
 * every budget against every record: call-site targets by a map keyed by file and line, prefix
 * targets by the name's prefixes of the lengths that targets have (one map look-up each), with
 * the answer kept per distinct name. A workspace may hold a thousand budgets and a profile a
 * million records; budgets × records was 30 000 × 30 000 in the report that led to this.
 */
import type { CategoryTiming, SiteTiming } from './analysis-types';

/** The key of a call site: the file with forward slashes (files compare with either slash), and the line. */
export function siteKey(file: string, line: number): string {
  return `${file.replace(/\\/g, '/')}\n${line}`;
}

/**
 * A target of the form `file:line` whose file part looks like a path (holds `.`, `/` or `\`),
 * else undefined. Plain string scans, linear in the target: the regular expression this replaces
 * backtracked quadratically (92 s on a 300 KB target).
 */
export function parseSite(target: string): { file: string; line: number } | undefined {
  const colon = target.lastIndexOf(':');
  if (colon < 0 || colon === target.length - 1) return undefined;
  for (let i = colon + 1; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const file = target.slice(0, colon);
  if (!file.includes('.') && !file.includes('/') && !file.includes('\\')) return undefined;
  return { file, line: Number(target.slice(colon + 1)) };
}

/** Distinct names whose matches are remembered; beyond it the memo starts again (bounded memory). */
const MEMO_LIMIT = 200_000;

const NONE: readonly never[] = [];

export class BudgetIndex<T> {
  private readonly bySite = new Map<string, T[]>();
  private readonly byPrefix = new Map<string, T[]>();
  /** Distinct lengths of the prefix targets, ascending. */
  private lengths: number[] = [];
  private memo = new Map<string, readonly T[]>();

  /** Adds a budget target; `item` is what look-ups return for it. */
  add(target: string, item: T): void {
    const site = parseSite(target);
    if (site) {
      const key = siteKey(site.file, site.line);
      const list = this.bySite.get(key);
      if (list) list.push(item);
      else this.bySite.set(key, [item]);
      return;
    }
    const list = this.byPrefix.get(target);
    if (list) list.push(item);
    else {
      this.byPrefix.set(target, [item]);
      if (!this.lengths.includes(target.length)) this.lengths = [...this.lengths, target.length].sort((a, b) => a - b);
    }
    this.memo.clear();
  }

  /** The call-site budgets of `file:line`, in the order added. */
  atSite(file: string | undefined, line: number | undefined): readonly T[] {
    if (file === undefined || line === undefined || this.bySite.size === 0) return NONE;
    return this.bySite.get(siteKey(file, line)) ?? NONE;
  }

  /**
   * The prefix budgets that match a span by either of its names: the template and the name as
   * written (a budget on `step_3:` and one on `step_{n}:` both apply; model.ts `namedWith`).
   */
  forSpan(span: { name: string; instance?: string }): readonly T[] {
    const byName = this.withPrefixOf(span.name);
    if (span.instance === undefined || span.instance === span.name) return byName;
    const byInstance = this.withPrefixOf(span.instance);
    if (byInstance.length === 0) return byName;
    if (byName.length === 0) return byInstance;
    const both = [...byName];
    for (const b of byInstance) if (!both.includes(b)) both.push(b);
    return both;
  }

  /** The prefix budgets whose target `name` starts with, shortest target first. */
  withPrefixOf(name: string): readonly T[] {
    if (this.byPrefix.size === 0) return NONE;
    const known = this.memo.get(name);
    if (known) return known;
    let found: T[] | undefined;
    for (const length of this.lengths) {
      if (length > name.length) break;
      const list = this.byPrefix.get(length === name.length ? name : name.slice(0, length));
      if (list) (found ??= []).push(...list);
    }
    const answer = found ?? NONE;
    if (this.memo.size >= MEMO_LIMIT) this.memo = new Map();
    this.memo.set(name, answer);
    return answer;
  }
}

/** Timing totals by call site and by category, looked up by key instead of searched. */
export class TimingLookup {
  private readonly sites = new Map<string, number>();
  private readonly categories = new Map<string, number>();

  constructor(timing: { byCategory: readonly CategoryTiming[]; bySite: readonly SiteTiming[] }) {
    for (const s of timing.bySite) {
      const key = siteKey(s.file, s.line);
      this.sites.set(key, (this.sites.get(key) ?? 0) + s.totalMs);
    }
    // The first row of a category wins, as `find` did.
    for (const c of timing.byCategory) if (!this.categories.has(c.category)) this.categories.set(c.category, c.totalMs);
  }

  /** Total ms of the timing rows of a call site (files compared with either slash). */
  site(site: { file: string; line: number }): number {
    return this.sites.get(siteKey(site.file, site.line)) ?? 0;
  }

  /** Total ms of the category named `prefix`, when there is one. */
  category(prefix: string): number | undefined {
    return this.categories.get(prefix);
  }
}
