/**
 * agentprof for Node: record an agent's timers and token usage into an Agent Profiler profile
 * (`*.agentprof.jsonl`, docs/format.md). No dependencies beyond Node's built-ins.
 *
 * ```ts
 * import { profiler, tokens } from 'agentprof';
 * const plan = await profiler.timer('llm:planning', () => callModel(prompt), { model: 'gpt-4o-mini' });
 * tokens.record('llm:planning', 1200, 340, 'gpt-4o-mini', { provider: 'openai' });
 * ```
 *
 * Output: env `AGENTPROF_OUT`, else `.agentprof/<UTC time>-<script>.agentprof.jsonl` under the
 * working directory; `AGENTPROF_DISABLE=1` writes nothing.
 */
import { PerformanceProfiler } from './performance';
import { TokenProfiler } from './tokens';

export { PerformanceProfiler, type ProfilerOptions, type CategorySummary } from './performance';
export { ActiveSpan, type TimingRecord } from './span';
export {
  TokenProfiler,
  type TokenExtra,
  type UsageRecord,
  type TokenTotals,
  type TokenSummary,
} from './tokens';
export { ProfileWriter, writerFor, RECORDER, type ProfileWriterOptions } from './writer';
export type { CallSite } from './callsite';
export {
  enableOpenTelemetry,
  disableOpenTelemetry,
  type OpenTelemetryOptions,
  type OtelApiLike,
  type OtelTracerLike,
  type OtelSpanLike,
} from './otel';

/** The default profiler, writing to the process's default profile file. */
export const profiler: PerformanceProfiler = new PerformanceProfiler();
/** The default token profiler, writing to the same file as {@link profiler}. */
export const tokens: TokenProfiler = new TokenProfiler();
