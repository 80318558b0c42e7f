/**
 * Opening an input file without ever blocking. `open(2)` of a FIFO waits for a writer, forever if
 * none comes, and it waits on one of libuv's four shared I/O threads: a few FIFOs named like
 * profiles stalled every extension's file access in the extension host. So inputs are opened with
 * `O_NONBLOCK` (which returns at once for a FIFO and changes nothing for a regular file), checked
 * with `fstat` on the open handle (no race with a rename between a stat and the open), and
 * anything but a regular file is refused with an error naming what it is.
 */
import * as fs from 'node:fs';
import { basename } from 'node:path';

/** What a non-regular file is, in words for a message. */
function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  if (stat.isDirectory()) return 'folder';
  if (stat.isSymbolicLink()) return 'symbolic link';
  return 'special file';
}

/** The error for a path that is not a regular file; `code` is `EFTYPE` so callers can tell it apart. */
export function notRegularFile(path: string, stat: fs.Stats): NodeJS.ErrnoException {
  return Object.assign(new Error(`${basename(path)} is not a regular file (${kindOf(stat)}); only regular files are read`), { code: 'EFTYPE', path });
}

/** Read-only, non-blocking open flags (O_NONBLOCK is 0 where the platform has none: Windows). */
const READ_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Opens `path` for reading if, and only if, it is a regular file. Throws the usual errors of
 * `open` (ENOENT, EACCES) and {@link notRegularFile} for a FIFO, socket, device or folder.
 */
export async function openRegularFile(path: string): Promise<{ handle: fs.promises.FileHandle; stat: fs.Stats }> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, READ_FLAGS);
  } catch (err) {
    // A Unix socket cannot be opened at all (ENXIO); say what it is rather than "no such device".
    if ((err as NodeJS.ErrnoException).code === 'ENXIO') {
      const stat = await fs.promises.stat(path).catch(() => undefined);
      if (stat && !stat.isFile()) throw notRegularFile(path, stat);
    }
    throw err;
  }
  let stat: fs.Stats;
  try {
    stat = await handle.stat();
  } catch (err) {
    await handle.close();
    throw err;
  }
  if (!stat.isFile()) {
    await handle.close();
    throw notRegularFile(path, stat);
  }
  return { handle, stat };
}

/** The synchronous twin of {@link openRegularFile}, for the CLI's small reads (the budgets file). */
export function openRegularFileSync(path: string): { fd: number; stat: fs.Stats } {
  let fd: number;
  try {
    fd = fs.openSync(path, READ_FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENXIO') {
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(path);
      } catch {
        stat = undefined;
      }
      if (stat && !stat.isFile()) throw notRegularFile(path, stat);
    }
    throw err;
  }
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) {
    fs.closeSync(fd);
    throw notRegularFile(path, stat);
  }
  return { fd, stat };
}

/**
 * Reads a small regular file whole, refusing one over `maxBytes` (said in the error) before
 * reading it: a settings-like file (the budgets file) is never worth megabytes.
 */
export function readSmallFileSync(path: string, maxBytes: number): string {
  const { fd, stat } = openRegularFileSync(path);
  try {
    if (stat.size > maxBytes) throw Object.assign(new Error(`${path} is ${stat.size} bytes, over the limit of ${maxBytes} bytes; not read`), { code: 'EFBIG', path });
    const buffer = Buffer.alloc(stat.size);
    let at = 0;
    while (at < buffer.length) {
      const n = fs.readSync(fd, buffer, at, buffer.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return buffer.toString('utf8', 0, at);
  } finally {
    fs.closeSync(fd);
  }
}

/** The asynchronous twin of {@link readSmallFileSync} (the analysis worker reads budgets files with it). */
export async function readSmallFile(path: string, maxBytes: number): Promise<string> {
  const { handle, stat } = await openRegularFile(path);
  try {
    if (stat.size > maxBytes) throw Object.assign(new Error(`${path} is ${stat.size} bytes, over the limit of ${maxBytes} bytes; not read`), { code: 'EFBIG', path });
    const buffer = Buffer.alloc(stat.size);
    let at = 0;
    while (at < buffer.length) {
      const { bytesRead } = await handle.read(buffer, at, buffer.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return buffer.toString('utf8', 0, at);
  } finally {
    await handle.close();
  }
}
