/**
 * Paths as the chat tools show them: relative to the workspace folder that holds them, with `/`
 * separators, so a model (or a person) can open `src/agent.py:42` as is. One rule for the
 * extension and the MCP server. Pure path arithmetic, no file system.
 */
import * as nodePath from 'node:path';

type PathApi = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/** `target` relative to the first of `roots` that holds it, `/`-separated; undefined when none does. */
export function relativeToRoots(target: string, roots: readonly string[], p: PathApi = nodePath): string | undefined {
  for (const root of roots) {
    const rel = p.relative(root, target);
    if (rel === '') return '.';
    if (rel === '..' || rel.startsWith(`..${p.sep}`) || p.isAbsolute(rel)) continue;
    return rel.split(p.sep).join('/');
  }
  return undefined;
}

/**
 * A call-site path recorded in a profile (relative to the run's `cwd`, or absolute) as a
 * workspace-relative path; a path outside every root comes back as recorded.
 */
export function workspaceRelative(recorded: string, cwd: string | undefined, roots: readonly string[], p: PathApi = nodePath): string {
  const base = cwd && p.isAbsolute(cwd) ? cwd : roots[0];
  if (!p.isAbsolute(recorded) && !base) return recorded;
  const absolute = p.isAbsolute(recorded) ? recorded : p.resolve(base!, recorded);
  return relativeToRoots(absolute, roots, p) ?? recorded;
}
