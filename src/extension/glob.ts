/**
 * Glob sets for the watcher (chokidar 4 dropped glob support) and for `files.watcherExclude`.
 * Matching is done by {@link GlobMatcher} (glob-nfa.ts), never by a regular expression built from
 * the glob: both the globs and the names come from the workspace. Paths are matched relative to a
 * workspace folder, with `/` separators.
 */
import { GlobMatcher } from './glob-nfa';

/** A matcher for one glob, after the normalisations settings allow (backslash separators, a leading `./` or `/`). */
export function compileGlob(glob: string): GlobMatcher {
  let g = glob.trim().split('\\').join('/');
  if (g.startsWith('./')) g = g.slice(2);
  if (g.startsWith('/')) g = g.slice(1);
  return new GlobMatcher(g);
}

/** Compiled set of globs; `matches` is true when any matches. */
export class GlobSet {
  private readonly matchers: GlobMatcher[];

  constructor(globs: readonly string[]) {
    this.matchers = globs.filter((g) => g.trim() !== '').map(compileGlob);
  }

  get empty(): boolean {
    return this.matchers.length === 0;
  }

  matches(relPath: string): boolean {
    const p = relPath.split('\\').join('/');
    return this.matchers.some((m) => m.test(p));
  }

  /**
   * True when a folder may hold matches, for pruning: an exclude glob like `**\/node_modules/**`
   * matches `node_modules/<anything>`, so the folder `node_modules` is excluded.
   */
  matchesFolder(relFolder: string): boolean {
    let p = relFolder.split('\\').join('/');
    if (p.endsWith('/')) p = p.slice(0, -1);
    return this.matchers.some((m) => m.testFolder(p));
  }
}

/** Folder names never watched: tool caches with huge trees and no profiles. */
export const ALWAYS_IGNORED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', '.tox', '.mypy_cache', '.pytest_cache']);

/** True when a relative path runs through a folder that is never watched. */
export function inIgnoredFolder(relPath: string): boolean {
  return relPath
    .replace(/\\/g, '/')
    .split('/')
    .some((segment) => ALWAYS_IGNORED_FOLDERS.has(segment));
}

/** The globs of `files.watcherExclude` that are switched on. */
export function enabledGlobs(setting: unknown): string[] {
  if (typeof setting !== 'object' || setting === null) return [];
  return Object.entries(setting as Record<string, unknown>)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}
