/**
 * The runs of folders and files on disk, for `agentprof mcp` and `agentprof tool`: profile files
 * and OTLP traces found under the given folders (bounded walk), each analysed when first asked
 * for and again only when the file changed.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../core/analyze';
import { parseBudgetsFile } from '../core/budgets';
import type { Budget } from '../core/model';
import { toolError, type CatalogRun, type RunCatalog, type ToolError, type ToolRun } from '../core/present/tools';
import { epochNsToIso } from '../core/present/tools/time';
import { loadRuns } from '../io/load-profile';
import { relativeToRoots, workspaceRelative } from '../io/workspace-path';

/** Names of the files the walk picks up (the extension's default globs). */
const PROFILE_SUFFIXES = ['.agentprof.jsonl', '.otlp.json', '.otlp.jsonl'];
/** Folders never walked into: dependencies and VCS data hold no profiles of the user's. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
const MAX_DEPTH = 8;
/** Directory entries looked at per listing, at most; a huge tree is listed partly, not forever. */
const MAX_ENTRIES = 20_000;
const MAX_RUNS = 2_000;

export interface FileCatalogOptions {
  /** Folders to search (the workspace); call-site paths are shown relative to them. */
  roots: string[];
  /** Profile files named one by one (inside or outside the roots). */
  files?: string[];
  /** The baseline run's file, when the user named one. */
  baseline?: string;
  regressionPct?: number;
  /** Bytes read per file at most. */
  maxBytes?: number;
}

interface Cached {
  mtimeMs: number;
  size: number;
  run: ToolRun;
  name: string;
  startedAt: string | undefined;
}

interface Found {
  file: string;
  mtimeMs: number;
}

export class FileCatalog implements RunCatalog {
  readonly regressionPct: number | undefined;
  readonly baselineHint = 'Start the server with --baseline FILE to set one.';
  private readonly roots: string[];
  private readonly files: string[];
  private readonly baseline: string | undefined;
  private readonly cache = new Map<string, Cached>();
  /** id → absolute file, as of the last listing. */
  private readonly byId = new Map<string, string>();

  constructor(private readonly options: FileCatalogOptions) {
    this.roots = options.roots.map((r) => path.resolve(r));
    this.files = (options.files ?? []).map((f) => path.resolve(f));
    this.baseline = options.baseline === undefined ? undefined : path.resolve(options.baseline);
    this.regressionPct = options.regressionPct;
  }

  /** The id of a file: its path relative to the roots (or the working folder), `/`-separated. */
  private idOf(file: string): string {
    return relativeToRoots(file, this.roots) ?? relativeToRoots(file, [process.cwd()]) ?? file;
  }

  async list(): Promise<CatalogRun[]> {
    const found = new Map<string, Found>();
    const add = async (file: string) => {
      if (found.has(file) || found.size >= MAX_RUNS) return;
      const st = await fs.stat(file).catch(() => undefined);
      if (st?.isFile()) found.set(file, { file, mtimeMs: st.mtimeMs });
    };
    for (const f of this.files) await add(f);
    if (this.baseline) await add(this.baseline);
    const budget = { entries: MAX_ENTRIES };
    for (const root of this.roots) await this.walk(root, 0, budget, add);
    const sorted = [...found.values()].sort((a, b) => b.mtimeMs - a.mtimeMs || (a.file < b.file ? -1 : 1));
    this.byId.clear();
    return sorted.map((f, i) => {
      const id = this.idOf(f.file);
      this.byId.set(id, f.file);
      const cached = this.cache.get(f.file);
      return {
        id,
        name: cached?.name,
        startedAt: cached?.startedAt ?? new Date(f.mtimeMs).toISOString(),
        active: i === 0,
        baseline: f.file === this.baseline,
        summary: cached?.run.analysis.run,
      };
    });
  }

  private async walk(dir: string, depth: number, budget: { entries: number }, add: (file: string) => Promise<void>): Promise<void> {
    if (depth > MAX_DEPTH || budget.entries <= 0) return;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (--budget.entries <= 0) return;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) await this.walk(full, depth + 1, budget, add);
      } else if (e.isFile() && PROFILE_SUFFIXES.some((s) => e.name.endsWith(s))) {
        await add(full);
      }
    }
  }

  async load(id: string): Promise<ToolRun | ToolError> {
    const file = this.byId.get(id);
    if (!file) return toolError('run_not_found', `No run "${id}"; list the runs again.`);
    const st = await fs.stat(file).catch(() => undefined);
    if (!st) return toolError('unreadable', `The profile ${id} is gone (deleted or moved).`);
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.run;
    let profile;
    try {
      profile = (await loadRuns(file, { maxBytes: this.options.maxBytes })).runs[0];
    } catch (err) {
      return toolError('unreadable', `Cannot read ${id}: ${(err as Error).message}`);
    }
    if (profile.spans.length === 0 && profile.usage.length === 0) {
      const first = profile.diagnostics[0];
      return toolError('unreadable', `${id} holds no spans or token records${first ? ` (line ${first.line}: ${first.message.slice(0, 200)})` : ''}.`);
    }
    const analysis = analyze(profile, { budgets: await this.budgetsFor(file), thresholds: { regressionPct: this.regressionPct } });
    const cwd = profile.run.cwd ?? path.dirname(file);
    const pathTiles = analysis.criticalPath;
    const run: ToolRun = {
      id,
      analysis,
      // The batch analysis keeps the whole path; its segments tile the run without gaps.
      criticalPathTotal: { segments: pathTiles.length, ms: pathTiles.length ? pathTiles[pathTiles.length - 1].endMs - pathTiles[0].startMs : 0 },
      spanSite: (index) => {
        const s = profile.spans[index];
        return s?.file ? { file: s.file, line: s.line } : undefined;
      },
      relativePath: (recorded) => workspaceRelative(recorded, cwd, this.roots.length ? this.roots : [path.dirname(file)]),
    };
    this.cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, run, name: profile.run.name, startedAt: epochNsToIso(profile.run.startEpochNs) });
    return run;
  }

  /** Budgets of `agentprof.budgets.json` in the root that holds `file`, as the extension reads them. */
  private async budgetsFor(file: string): Promise<Budget[]> {
    const root = this.roots.find((r) => relativeToRoots(file, [r]) !== undefined);
    if (!root) return [];
    const text = await fs.readFile(path.join(root, 'agentprof.budgets.json'), 'utf8').catch(() => undefined);
    return text === undefined ? [] : parseBudgetsFile(text, 'agentprof.budgets.json').budgets;
  }
}
