/**
 * Which files the watcher may hand to the store (issue 18). A workspace is untrusted input: a
 * symbolic link may point at a folder outside it or back at its own root (chokidar following
 * `loop1 -> .` and `loop2 -> .` walked an exponential number of paths), and a FIFO named
 * `x.agentprof.jsonl` blocks `open(2)` forever on Node's shared I/O pool. Everything here uses
 * `lstat` and `realpath`, which never open the file, so checking a hostile entry cannot block.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from './path-safety';

/** Folders deeper than this below a workspace folder are not walked. */
export const MAX_WALK_DEPTH = 32;

export type Admission =
  /** A regular file inside the workspace folder; `real` is its real path, for de-duplication. */
  | { ok: true; real: string }
  | { ok: false; reason: string };

/** What a non-regular entry is, in words for the log; undefined for a regular file. */
export function kindOf(stats: Pick<fs.Stats, 'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export interface WalkOptions {
  /** The workspace folder as opened. */
  root: string;
  /** Its real path (`realpath(root)`), computed once per walk. */
  realRoot: string;
  /** `agentProfiler.followSymlinks`: links whose target is a regular file inside the folder count. */
  followSymlinks: boolean;
}

/**
 * Decides whether `file` (an absolute path below `root`) may be read as a profile: it must be a
 * regular file, reached without leaving the workspace folder. Without `followSymlinks`, neither
 * the file nor any folder on its way may be a link; with it, the real path must lie inside the
 * folder (links to folders are still not walked: the folder's own place in the workspace is).
 */
export async function admitFile(file: string, opts: WalkOptions): Promise<Admission> {
  const rel = path.relative(opts.root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { ok: false, reason: 'outside the workspace folder' };
  if (rel.split(path.sep).length > MAX_WALK_DEPTH + 1) return { ok: false, reason: `deeper than ${MAX_WALK_DEPTH} folders` };
  let stats: fs.Stats;
  try {
    stats = await fs.promises.lstat(file);
  } catch (err) {
    return { ok: false, reason: `cannot be examined (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let real: string;
  try {
    real = await fs.promises.realpath(file);
  } catch (err) {
    return { ok: false, reason: `a link that cannot be resolved (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  // Case-folding file systems may spell the same path differently; the comparison folds there.
  const fold = (p: string) => (process.platform === 'win32' || process.platform === 'darwin' ? p.toLowerCase() : p);
  if (stats.isSymbolicLink() || fold(real) !== fold(path.join(opts.realRoot, rel))) {
    if (!opts.followSymlinks) {
      return { ok: false, reason: `reached through a symbolic link (to ${real}); agentProfiler.followSymlinks is off` };
    }
    if (!isInside(opts.realRoot, real)) return { ok: false, reason: `a symbolic link to ${real}, outside the workspace folder` };
    try {
      stats = await fs.promises.lstat(real);
    } catch (err) {
      return { ok: false, reason: `a link whose target cannot be examined (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  const kind = kindOf(stats);
  if (kind) return { ok: false, reason: `${kind}, not a regular file` };
  return { ok: true, real };
}

/**
 * Remembers which real file each listed path stands for, so two paths to one file (a link and
 * its target) are listed once.
 */
export class RealPathSet {
  private readonly byReal = new Map<string, string>();
  private readonly byPath = new Map<string, string>();

  /** The path already listed for `real`, when it is not `file`; else records `file` and returns undefined. */
  claim(file: string, real: string): string | undefined {
    const holder = this.byReal.get(real);
    if (holder !== undefined && holder !== file) return holder;
    this.byReal.set(real, file);
    this.byPath.set(file, real);
    return undefined;
  }

  release(file: string): void {
    const real = this.byPath.get(file);
    if (real === undefined) return;
    this.byPath.delete(file);
    if (this.byReal.get(real) === file) this.byReal.delete(real);
  }
}
