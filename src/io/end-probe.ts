/**
 * Notices a file rewritten in place between two polls of a tail: the last bytes read are kept,
 * and before reading on, the bytes just before the read offset must still be those. A file
 * replaced by a longer one that shares its first line (a header written again) is caught here;
 * a changed inode or a shorter file the tails catch themselves.
 */
import type * as fs from 'node:fs/promises';

/** How many of the last bytes read are kept. */
const END_PROBE_BYTES = 64;

export class EndProbe {
  private kept = new Uint8Array(0);

  /** Remembers the end of what was read so far, `chunk` being the latest bytes. */
  keep(chunk: Uint8Array): void {
    if (chunk.length >= END_PROBE_BYTES) {
      this.kept = chunk.slice(chunk.length - END_PROBE_BYTES);
      return;
    }
    const joined = new Uint8Array(this.kept.length + chunk.length);
    joined.set(this.kept);
    joined.set(chunk, this.kept.length);
    this.kept = joined.slice(Math.max(0, joined.length - END_PROBE_BYTES));
  }

  /** Forgets what was read (the tail starts over). */
  clear(): void {
    this.kept = new Uint8Array(0);
  }

  /** True when the bytes just before `offset` are still the ones read (or nothing is kept). */
  async unchanged(handle: fs.FileHandle, offset: number): Promise<boolean> {
    const probe = this.kept;
    if (probe.length === 0) return true;
    const now = new Uint8Array(probe.length);
    const { bytesRead } = await handle.read(now, 0, now.length, offset - probe.length);
    if (bytesRead !== probe.length) return false;
    for (let i = 0; i < probe.length; i++) if (now[i] !== probe[i]) return false;
    return true;
  }
}
