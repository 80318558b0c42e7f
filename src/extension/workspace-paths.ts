/**
 * One rule for where a recorded call site is, used by code lenses, Go to code and Problems alike:
 * a relative path is first resolved against the run's cwd; when that lands outside the workspace
 * (the run was recorded in another checkout, another machine, a CI runner) but the same relative
 * path exists in a workspace folder, the workspace's file is meant. This is what the lenses have
 * always done (they match a document by the recorded relative path); Go to code used to open the
 * other checkout's file and Problems showed nothing. Pure: the file test is a parameter.
 */
import * as nodePath from 'node:path';
import { classifyPath, isInside, type PathVerdict } from './path-safety';

type PathApi = Pick<typeof nodePath, 'resolve' | 'normalize' | 'isAbsolute' | 'relative' | 'sep'>;

export function locateRecordedPath(
  recorded: string,
  baseDir: string | undefined,
  folders: readonly string[],
  exists: (absolute: string) => boolean,
  options: { path?: PathApi; caseInsensitive?: boolean } = {},
): PathVerdict {
  const verdict = classifyPath(recorded, baseDir, folders, options);
  const p = options.path ?? nodePath;
  if (verdict.kind !== 'outside' || p.isAbsolute(recorded)) return verdict;
  for (const folder of folders) {
    const candidate = p.resolve(folder, recorded);
    // `../x` stays relative to the cwd's parent: never let it climb out of a folder.
    if (isInside(p.normalize(folder), candidate, p, options.caseInsensitive) && exists(candidate)) return { kind: 'inside', absolute: candidate };
  }
  return verdict;
}
