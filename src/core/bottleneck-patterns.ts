/**
 * Bottleneck rules about the shape of the run rather than one group's latency, gathered in one
 * place for their callers (bottlenecks.ts, the incremental analysis):
 * - `sequential_siblings` (independent-looking calls run one after another) lives in
 *   `bottleneck-sequential.ts`;
 * - `repeated_calls` (the same input sent twice: a cache would serve the repeat) lives in
 *   `bottleneck-repeats.ts`.
 */
export { type SequentialRun, sequentialItems, sequentialRunsOf, sequentialSiblings } from './bottleneck-sequential';
export { ALREADY_CACHED_RATIO, repeatedCalls, repeatedCallsOf } from './bottleneck-repeats';
