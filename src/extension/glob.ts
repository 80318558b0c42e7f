/**
 * Glob patterns → regular expressions, for the watcher (chokidar 4 dropped glob support) and for
 * `files.watcherExclude`. Covers the syntax VS Code documents for its settings: `*`, `?`, `**`,
 * `{a,b}` and `[abc]`. Paths are matched relative to a workspace folder, with `/` separators.
 */

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** Translates one glob to the source of an anchored regular expression. */
function globSource(glob: string): string {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**` spans folders: `**/` is zero or more folders, a trailing `**` anything at all.
        i++;
        if (glob[i + 1] === '/') {
          i++;
          out += '(?:[^/]*/)*';
        } else {
          out += '.*';
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      braceDepth++;
      out += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (c === ',' && braceDepth > 0) {
      out += '|';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else {
      out += escapeChar(c);
    }
  }
  // An unclosed brace is taken literally rather than producing an invalid expression.
  while (braceDepth-- > 0) out += ')';
  return out;
}

/** A regular expression matching paths (relative, `/`-separated) that match `glob`. */
export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  if (g.startsWith('/')) g = g.slice(1);
  try {
    return new RegExp(`^${globSource(g)}$`);
  } catch {
    return /(?!)/; // never matches: a broken user pattern must not break the watcher
  }
}

/** Compiled set of globs; `matches` is true when any matches. */
export class GlobSet {
  private readonly res: RegExp[];

  constructor(globs: readonly string[]) {
    this.res = globs.filter((g) => g.trim() !== '').map(globToRegExp);
  }

  get empty(): boolean {
    return this.res.length === 0;
  }

  matches(relPath: string): boolean {
    const p = relPath.replace(/\\/g, '/');
    return this.res.some((re) => re.test(p));
  }

  /**
   * True when a folder may hold matches, for pruning: an exclude glob like `**\/node_modules/**`
   * matches `node_modules/<anything>`, so the folder `node_modules` is excluded. The probe name is a NUL,
   * which no real file has and no literal in a glob matches.
   */
  matchesFolder(relFolder: string): boolean {
    const p = relFolder.replace(/\\/g, '/').replace(/\/$/, '');
    return this.res.some((re) => re.test(p) || re.test(`${p}/`) || re.test(`${p}/\u0000`));
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
