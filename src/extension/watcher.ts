/**
 * Finds profile files in the workspace and follows them: an initial scan with `findFiles`, then
 * chokidar on every workspace folder (so files written by any process — an agent in a terminal, a
 * CI download — show up), filtered by `agentProfiler.profileGlobs`, skipping tool folders and
 * `files.watcherExclude`. Events reach the store in debounced batches. Symbolic links are never
 * walked, and only regular files inside the folder are handed on (walk-safety.ts); the rest that
 * look like profiles are logged as skipped, with the reason.
 */
import { watch, type FSWatcher } from 'chokidar';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ChangeBatcher, type FileEvent } from './change-batcher';
import { enabledGlobs, GlobSet, inIgnoredFolder } from './glob';
import { PREFIX } from './ids';
import type { Services } from './services';
import { admitFile, MAX_WALK_DEPTH, RealPathSet, type WalkOptions } from './walk-safety';

class ProfileWatcher implements vscode.Disposable {
  private watchers: FSWatcher[] = [];
  private readonly batcher: ChangeBatcher;
  /** Files the last scan found, so a rescan with other settings can drop those no longer matched. */
  private scanned = new Set<string>();
  private generation = 0;
  /** Skipped paths already logged, so a busy FIFO or link is reported once. */
  private readonly reported = new Set<string>();

  constructor(private readonly services: Services) {
    this.batcher = new ChangeBatcher((batch) => void services.store.applyBatch(batch));
  }

  /** (Re)starts watching every folder with the current settings. */
  async restart(): Promise<void> {
    const generation = ++this.generation;
    await this.closeWatchers();
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const globs = this.services.config.current.profileGlobs;
    const include = new GlobSet(globs);
    const exclude = new GlobSet(enabledGlobs(vscode.workspace.getConfiguration('files').get('watcherExclude')));
    const followSymlinks = this.services.config.current.followSymlinks;
    const realPaths = new RealPathSet();
    const walks = new Map<string, WalkOptions>();
    for (const folder of folders) {
      const root = folder.uri.fsPath;
      const realRoot = await fs.promises.realpath(root).catch(() => root);
      walks.set(root, { root, realRoot, followSymlinks });
    }
    if (generation !== this.generation) return;
    /** True when `file` may be listed; logs why not otherwise. */
    const admit = async (file: string, walk: WalkOptions): Promise<boolean> => {
      const verdict = await admitFile(file, walk);
      let reason = verdict.ok ? undefined : verdict.reason;
      if (verdict.ok) {
        const holder = realPaths.claim(file, verdict.real);
        if (holder !== undefined) reason = `the same file as ${holder}`;
      }
      if (reason === undefined) return true;
      if (!this.reported.has(file)) {
        this.reported.add(file);
        this.services.log(`skipped ${file}: ${reason}`);
      }
      return false;
    };

    for (const folder of folders) {
      const root = folder.uri.fsPath;
      const walk = walks.get(root)!;
      const relOf = (p: string) => path.relative(root, p).split(path.sep).join('/');
      const wanted = (p: string) => {
        const rel = relOf(p);
        return rel !== '' && !rel.startsWith('..') && !inIgnoredFolder(rel) && !exclude.matches(rel) && include.matches(rel);
      };
      const watcher = watch(root, {
        ignoreInitial: true,
        // Links are never walked: a link to `.` loops, a link elsewhere leaves the workspace.
        followSymlinks: false,
        depth: MAX_WALK_DEPTH,
        ignored: (p, stats) => {
          const rel = relOf(p);
          if (rel === '' || rel.startsWith('..')) return false;
          if (inIgnoredFolder(rel)) return true;
          if (stats?.isDirectory()) return exclude.matchesFolder(rel);
          // Files (or not yet known): keep only profiles; chokidar asks again with stats.
          return stats?.isFile() === true && !wanted(p);
        },
      });
      const forward = (event: FileEvent) => (p: string) => {
        if (!wanted(p)) return;
        if (event === 'unlink') {
          realPaths.release(p);
          this.batcher.push(event, p);
          return;
        }
        void admit(p, walk).then((ok) => {
          if (ok && generation === this.generation) this.batcher.push(event, p);
        });
      };
      watcher.on('add', forward('add'));
      watcher.on('change', forward('change'));
      watcher.on('unlink', forward('unlink'));
      watcher.on('error', (err) => this.services.log(`watcher error in ${root}: ${String((err as Error).message ?? err)}`));
      this.watchers.push(watcher);
    }

    // The initial list comes from VS Code's file search, which is faster than a crawl.
    const found = new Set<string>();
    for (const folder of folders) {
      for (const glob of globs) {
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), '{**/node_modules/**,**/.git/**}');
        for (const uri of uris) {
          const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
          if (inIgnoredFolder(rel) || exclude.matches(rel) || found.has(uri.fsPath)) continue;
          // VS Code's file search follows links: its results are checked like the watcher's.
          if (await admit(uri.fsPath, walks.get(folder.uri.fsPath)!)) found.add(uri.fsPath);
        }
      }
    }
    if (generation !== this.generation) return; // settings changed again meanwhile
    const removed = [...this.scanned].filter((f) => !found.has(f));
    this.scanned = found;
    await this.services.store.applyBatch({ added: [...found], changed: [], removed });
    this.services.log(`watching ${folders.length} folder(s) for ${globs.join(', ')}; found ${found.size} profile(s)`);
  }

  private async closeWatchers(): Promise<void> {
    const old = this.watchers;
    this.watchers = [];
    await Promise.all(old.map((w) => w.close()));
  }

  dispose(): void {
    this.generation++;
    this.batcher.dispose();
    void this.closeWatchers();
  }
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const watcher = new ProfileWatcher(services);
  context.subscriptions.push(watcher);
  const restart = () =>
    watcher.restart().catch((err: Error) => services.reportError('Agent Profiler could not watch the workspace for profiles', err));
  context.subscriptions.push(
    vscode.workspace.onDidChangeWorkspaceFolders(restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${PREFIX}.profileGlobs`) || e.affectsConfiguration(`${PREFIX}.followSymlinks`) || e.affectsConfiguration('files.watcherExclude')) restart();
    }),
  );
  restart();
}
