/**
 * The analysis's own memory accounting. A process that reaches V8's heap limit does not fail
 * cleanly: under Node 20 a worker's `resourceLimits` did not contain a 530 MB deep chain (the whole
 * extension host aborted, exit 134), and the CLI died with a V8 fatal error on a 200 MB profile
 * whose every span had its own name and call site. So the readers count what the model will cost
 * and stop before the limit, with a clear message, instead of relying on the limit.
 *
 * The estimate: every span costs {@link SPAN_BYTES} (the span, its slots in the analysis's
 * arrays and indices), and every distinct name or call-site file costs its characters twice
 * (UTF-16) plus {@link DISTINCT_STRING_BYTES} (its row in the timing tables by name and by site,
 * their percentiles and maps). Both are rounded up from measurements (docs/reliability.md). A
 * whole-document format (Chrome trace, OpenTelemetry console output, an OTLP document) is parsed
 * whole before any span exists, so it is judged by its size: {@link WHOLE_DOCUMENT_BYTES_PER_BYTE}.
 *
 * The limit is per process and set by who knows the heap: the analysis worker and the CLI call
 * {@link setModelMemoryLimit} with a share of V8's heap limit; tests set a small one.
 */
import type { Profile } from './model';

export const SPAN_BYTES = 1024;
export const DISTINCT_STRING_BYTES = 2048;
export const WHOLE_DOCUMENT_BYTES_PER_BYTE = 8;
/** The share of the heap limit that one profile's model and analysis may use. */
export const HEAP_SHARE = 0.5;

let limitBytes = Infinity;

/** Sets the estimated bytes one profile may use (Infinity: no accounting). Returns the previous limit. */
export function setModelMemoryLimit(bytes: number): number {
  const previous = limitBytes;
  limitBytes = bytes > 0 ? bytes : Infinity;
  return previous;
}

export function modelMemoryLimit(): number {
  return limitBytes;
}

/** The limit for a heap of `heapLimitBytes` (V8's `heap_size_limit`), optionally lowered to `capMb`. */
export function limitForHeap(heapLimitBytes: number, capMb?: number): number {
  const share = heapLimitBytes * HEAP_SHARE;
  return capMb !== undefined && capMb > 0 ? Math.min(share, capMb * 1024 * 1024) : share;
}

const MB = 1024 * 1024;

function mb(bytes: number): string {
  return `${Math.ceil(bytes / MB)} MB`;
}

/** Profiles whose reading stopped at the memory limit, with the message saying so. */
const overLimit = new WeakMap<Profile, string>();

/** The message when `profile` was cut at the memory limit, else undefined. */
export function memoryLimitMessage(profile: Profile): string | undefined {
  return overLimit.get(profile);
}

export function markOverMemoryLimit(profile: Profile, message: string): void {
  overLimit.set(profile, message);
}

/**
 * Why a whole-document file of `size` bytes is not read, or undefined when it fits: parsing it
 * whole takes about {@link WHOLE_DOCUMENT_BYTES_PER_BYTE} bytes per byte at once.
 */
export function wholeDocumentRefusal(size: number, formatName: string, limit = limitBytes): string | undefined {
  const needs = size * WHOLE_DOCUMENT_BYTES_PER_BYTE;
  if (needs <= limit) return undefined;
  return (
    `a ${formatName} file can only be read whole, and this one (${mb(size)}) needs about ${mb(needs)} of memory to read; ` +
    `the analysis may use ${mb(limit)}, so it was not read`
  );
}

/** Counts one profile's spans and distinct strings against the limit in force when it was made. */
export class MemoryAccount {
  spans = 0;
  stringBytes = 0;
  private used = 0;
  private readonly seen = new Set<string>();
  /** Set once the estimate passed the limit; readers stop adding from then on. */
  exceeded = false;

  constructor(readonly limit = limitBytes) {}

  /** Counts a span named `name` at `file`; false once the limit is passed. */
  span(name: string, file: string | undefined): boolean {
    this.spans++;
    this.used += SPAN_BYTES + this.distinct(name) + (file === undefined ? 0 : this.distinct(file));
    if (this.used > this.limit) this.exceeded = true;
    return !this.exceeded;
  }

  /** Estimated bytes so far. */
  get estimate(): number {
    return this.used;
  }

  /** The message for a profile cut at the limit, naming what was read. */
  message(where: string): string {
    return (
      `the profile needs more memory than the analysis may use: reading stopped ${where} after ${this.spans} spans ` +
      `(${mb(this.stringBytes)} of distinct names and files; about ${mb(this.used)} estimated, the limit is ${mb(this.limit)}); ` +
      'the rest of the file is not shown'
    );
  }

  private distinct(text: string): number {
    if (this.limit === Infinity || this.seen.has(text)) return 0;
    this.seen.add(text);
    this.stringBytes += 2 * text.length;
    return 2 * text.length + DISTINCT_STRING_BYTES;
  }
}
