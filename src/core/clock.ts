/**
 * How far apart two timestamps must be to be told apart. The OpenTelemetry JS SDK stamps span
 * starts in whole milliseconds and ends with sub-millisecond precision, so a span that started
 * right after its sibling ended can look as if it started up to 1 ms before that end. Overlaps of
 * siblings below this tolerance are clock noise, not concurrency: the critical path, the
 * sequential-siblings rule and the waterfall's lanes treat such siblings as one after the other.
 *
 * One value for every run: 1 ms, the coarsest timestamp granularity among the writers we read
 * (the JS SDK's starts; Python's and our recorders' clocks are finer). A real overlap of concurrent
 * work is far longer than that (a tool, a model call); shorter work is below what the JS clock can
 * show. See docs/conventions.md.
 */

/** The clock tolerance in nanoseconds (model time). */
export const CLOCK_TOLERANCE_NS = 1_000_000;

/** The clock tolerance in milliseconds (analysis results, the waterfall). */
export const CLOCK_TOLERANCE_MS = CLOCK_TOLERANCE_NS / 1e6;
