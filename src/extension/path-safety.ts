/**
 * Decides whether a path from a profile may be opened without asking. A profile is data from
 * anywhere: its cwd and call-site paths could point at `../../etc/passwd`, an absolute path
 * elsewhere, or a UNC share (opening which can leak credentials on Windows). Only a path that
 * resolves inside a workspace folder opens silently. Pure: the path API is a parameter.
 */
import * as nodePath from 'node:path';

type PathApi = Pick<typeof nodePath, 'resolve' | 'normalize' | 'isAbsolute' | 'relative' | 'sep'>;

export type PathVerdict =
  | { kind: 'inside'; absolute: string }
  | { kind: 'outside'; absolute: string }
  | { kind: 'unc'; absolute: string }
  | { kind: 'invalid'; reason: string };

/** `\\server\share`, `//server/share`, and the `\\?\` / `\\.\` device forms. */
export function isUncPath(p: string): boolean {
  return /^[\\/]{2}[^\\/]/.test(p);
}

/** True when `child` is `folder` or lies inside it. */
export function isInside(folder: string, child: string, p: PathApi = nodePath, caseInsensitive = process.platform === 'win32'): boolean {
  const f = caseInsensitive ? folder.toLowerCase() : folder;
  const c = caseInsensitive ? child.toLowerCase() : child;
  const rel = p.relative(f, c);
  const up = rel === '..' || rel.startsWith(`..${p.sep}`) || rel.startsWith('../');
  return rel === '' || (!up && !p.isAbsolute(rel));
}

/**
 * Resolves a recorded path against `baseDir` (the run's cwd) and classifies it against the
 * workspace folders.
 */
export function classifyPath(
  recorded: string,
  baseDir: string | undefined,
  folders: readonly string[],
  options: { path?: PathApi; caseInsensitive?: boolean } = {},
): PathVerdict {
  const p = options.path ?? nodePath;
  const fold = options.caseInsensitive ?? process.platform === 'win32';
  if (recorded.trim() === '') return { kind: 'invalid', reason: 'the path is empty' };
  if (recorded.includes('\0')) return { kind: 'invalid', reason: 'the path contains a NUL character' };
  if (isUncPath(recorded) || (baseDir !== undefined && !p.isAbsolute(recorded) && isUncPath(baseDir))) {
    return { kind: 'unc', absolute: p.isAbsolute(recorded) || !baseDir ? recorded : p.resolve(baseDir, recorded) };
  }
  const start = baseDir && p.isAbsolute(baseDir) ? baseDir : folders[0];
  if (!p.isAbsolute(recorded) && !start) return { kind: 'invalid', reason: 'a relative path with no folder to resolve it against' };
  const absolute = p.isAbsolute(recorded) ? p.normalize(recorded) : p.resolve(start!, recorded);
  const inside = folders.some((f) => isInside(p.normalize(f), absolute, p, fold));
  return { kind: inside ? 'inside' : 'outside', absolute };
}

/**
 * The detail of the "outside the workspace" question. It names the file that would really be
 * opened: for a symbolic link, its target (`real`), with the link as the profile named it (issue 18:
 * the dialog used to show only the link, which can sit inside the workspace and point anywhere).
 */
export function outsideFileDetail(named: string, real: string, unc: boolean): string {
  const head = real === named ? real : `${real}\n\n(the profile names ${named}, a symbolic link to it)`;
  return unc
    ? `${head}\n\nThis is a network path. Opening it contacts that server.`
    : `${head}\n\nThe profile's paths are not necessarily trustworthy: open it only if you expect this file.`;
}
