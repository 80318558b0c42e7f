/**
 * Notices a file rewritten in place between two polls of a tail: the last bytes read are kept,
 * and before reading on, the bytes just before the read offset must still be those, and so must
 * a few samples of earlier bytes (SampleProbe). A file
 * replaced by a longer one that shares its first line (a header written again) is caught here;
 * a changed inode or a shorter file the tails catch themselves.
 */
import type * as fs from 'node:fs/promises';

/** How many of the last bytes read are kept. */
const END_PROBE_BYTES = 64;
/** Samples of earlier bytes kept, and the bytes of each. */
const SAMPLES = 8;
const SAMPLE_BYTES = 32;

interface Sample {
  offset: number;
  bytes: Uint8Array;
}

/**
 * Besides the end, a few samples of earlier bytes at random places, so that a rewrite in place
 * that keeps the header and the last 64 bytes (same run header written again, same ending) is
 * noticed too. A weighted reservoir keeps each sample's place uniform over everything read, at
 * {@link SAMPLES} random numbers per chunk and {@link SAMPLES} reads of {@link SAMPLE_BYTES} per
 * poll. Why this is enough: an appending writer never changes earlier bytes, and a recorder that
 * writes its run again changes times and ids on every line, so any 32 bytes almost surely differ;
 * a writer that changes a few bytes on purpose only misleads its own user's view, and changing
 * samples at random places cannot be aimed at.
 */
class SampleProbe {
  private samples: Array<Sample | undefined> = new Array(SAMPLES).fill(undefined);
  private total = 0;

  keep(chunk: Uint8Array, position: number): void {
    if (chunk.length < SAMPLE_BYTES) {
      this.total += chunk.length;
      return;
    }
    const places = chunk.length - SAMPLE_BYTES + 1;
    this.total += places;
    for (let i = 0; i < SAMPLES; i++) {
      if (this.samples[i] !== undefined && Math.random() >= places / this.total) continue;
      const at = Math.floor(Math.random() * places);
      this.samples[i] = { offset: position + at, bytes: chunk.slice(at, at + SAMPLE_BYTES) };
    }
  }

  clear(): void {
    this.samples = new Array(SAMPLES).fill(undefined);
    this.total = 0;
  }

  async unchanged(handle: fs.FileHandle): Promise<boolean> {
    const now = new Uint8Array(SAMPLE_BYTES);
    for (const sample of this.samples) {
      if (!sample) continue;
      const { bytesRead } = await handle.read(now, 0, SAMPLE_BYTES, sample.offset);
      if (bytesRead !== SAMPLE_BYTES) return false;
      for (let i = 0; i < SAMPLE_BYTES; i++) if (now[i] !== sample.bytes[i]) return false;
    }
    return true;
  }
}

export class EndProbe {
  private kept = new Uint8Array(0);
  private readonly samples = new SampleProbe();

  /** Remembers the end of what was read so far (and samples of it), `chunk` being the latest bytes, read at `position`. */
  keep(chunk: Uint8Array, position: number): void {
    this.samples.keep(chunk, position);
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
    this.samples.clear();
  }

  /** True when the bytes just before `offset` are still the ones read (or nothing is kept). */
  async unchanged(handle: fs.FileHandle, offset: number): Promise<boolean> {
    const probe = this.kept;
    if (probe.length === 0) return true;
    if (!(await this.samples.unchanged(handle))) return false;
    const now = new Uint8Array(probe.length);
    const { bytesRead } = await handle.read(now, 0, now.length, offset - probe.length);
    if (bytesRead !== probe.length) return false;
    for (let i = 0; i < probe.length; i++) if (now[i] !== probe[i]) return false;
    return true;
  }
}
