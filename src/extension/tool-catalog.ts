/**
 * The extension's runs as the chat tools see them: the store's runs, each analysed (in the worker)
 * when a tool asks for it. Free of `vscode`: the workspace folders and settings come in as
 * functions, so unit tests drive it with a fake store.
 */
import * as path from 'node:path';
import { toolError, type CatalogRun, type RunCatalog, type ToolError, type ToolRun } from '../core/present/tools';
import { relativeToRoots, workspaceRelative } from '../io/workspace-path';
import type { ProfileStore, RunEntry } from './store';

export interface StoreCatalogOptions {
  store: Pick<ProfileStore, 'runs' | 'active' | 'baseline' | 'analyzeNow'>;
  /** Paths of the workspace folders on disk. */
  folders: () => string[];
  regressionPct: () => number | undefined;
}

export class StoreCatalog implements RunCatalog {
  readonly baselineHint = 'The user sets one with the command "Agent Profiler: Set as Baseline".';

  constructor(private readonly o: StoreCatalogOptions) {}

  get regressionPct(): number | undefined {
    return this.o.regressionPct();
  }

  private idOf(file: string): string {
    return relativeToRoots(file, this.o.folders()) ?? file;
  }

  async list(): Promise<CatalogRun[]> {
    const active = this.o.store.active?.file;
    const baseline = this.o.store.baseline;
    return this.o.store.runs.map((e) => ({
      id: this.idOf(e.file),
      name: e.result?.header.name ?? e.summary?.name,
      startedAt: new Date(e.startMs ?? e.mtimeMs).toISOString(),
      active: e.file === active,
      baseline: e.file === baseline,
      summary: e.summary,
    }));
  }

  async load(id: string): Promise<ToolRun | ToolError> {
    const entry = this.o.store.runs.find((e) => this.idOf(e.file) === id);
    if (!entry) return toolError('run_not_found', `No run "${id}"; list the runs again.`);
    const e = await this.o.store.analyzeNow(entry.file);
    if (!e || e.state === 'failed' || !e.result) {
      return toolError('unreadable', `Cannot read ${id}: ${(e?.error ?? 'the file is gone or holds no spans').slice(0, 300)}`);
    }
    return toolRun(id, e, this.o.folders());
  }
}

function toolRun(id: string, e: RunEntry, folders: string[]): ToolRun {
  const r = e.result!;
  let sites: Map<number, { file: string; line: number | undefined }> | undefined;
  const cwd = r.header.cwd ?? path.dirname(e.file);
  return {
    id,
    analysis: r.analysis,
    criticalPathTotal: r.criticalPathTotal,
    spanSite(index) {
      // The worker sends the spans of the critical path and the bottlenecks; indexed once per call.
      if (!sites) {
        sites = new Map();
        for (const s of r.views.spans) if (s.file) sites.set(s.index, { file: s.file, line: s.line });
      }
      return sites.get(index);
    },
    relativePath: (recorded) => workspaceRelative(recorded, cwd, folders.length ? folders : [path.dirname(e.file)]),
  };
}
