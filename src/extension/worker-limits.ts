/**
 * How much heap the analysis worker may use. Without a limit a giant profile grows the worker to
 * V8's default ceiling inside the extension host's process; with one, the worker alone dies
 * (`ERR_WORKER_OUT_OF_MEMORY`), the file gets a clear error and the next request starts a new one.
 */

/**
 * The largest profile the limit is sized for: the CLI's byte cap (docs/cli.md), above the editor's
 * default `agentProfiler.maxFileSizeMB` of 200, so every default-sized read fits.
 */
export const SIZED_FOR_PROFILE_MB = 512;

/**
 * Heap per byte of profile read, rounded up from docs/reliability.md: 512 MiB of native profile
 * (6.2 million spans) loaded and analysed with 3.3 GB of heap, 6.4 bytes per byte.
 */
export const HEAP_BYTES_PER_PROFILE_BYTE = 7;

/** Heap besides the profile: code, the price book, analysis results, view data being built. */
export const BASE_HEAP_MB = 256;

/** Below this a worker cannot analyse even a small profile with its price book. */
export const MIN_HEAP_MB = 512;

/**
 * `maxOldGenerationSizeMb` of the analysis worker: a {@link SIZED_FOR_PROFILE_MB} profile and the
 * model built from it (256 + 512 × 7 = 3 840 MB), but at most half the machine's memory (the editor
 * needs the rest) and at least {@link MIN_HEAP_MB}. Fixed rather than derived from the byte-cap
 * setting, so lowering the setting is a way out when a profile does not fit.
 */
export function workerHeapLimitMb(totalMemoryBytes: number): number {
  const wanted = BASE_HEAP_MB + SIZED_FOR_PROFILE_MB * HEAP_BYTES_PER_PROFILE_BYTE;
  const halfMemoryMb = Math.floor(totalMemoryBytes / 2 / (1024 * 1024));
  return Math.max(MIN_HEAP_MB, Math.min(wanted, halfMemoryMb));
}
