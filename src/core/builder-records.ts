/**
 * What importers hand the {@link ProfileBuilder} ({@link SpanStart}, {@link UsageInput}) and how
 * each becomes a model record: repeated strings shared, defaults filled, category and kind taken
 * from the name when not given. Linking spans into a tree is the builder's (and span-forest.ts's).
 */
import type { ProfileBuilder } from './builder';
import type { Span, SpanId, SpanKind, TokenUsage } from './model';
import type { SharedStrings } from './shared-strings';

/** Fields of a span when it opens. Everything but id, name and start is optional. */
export interface SpanStart {
  id: SpanId;
  parentId?: SpanId;
  name: string;
  start: number;
  category?: string;
  kind?: SpanKind;
  file?: string;
  line?: number;
  thread?: string;
  task?: string;
  key?: string;
  attrs?: Record<string, unknown>;
}

/** Fields of a token-usage record. */
export interface UsageInput {
  spanId?: SpanId;
  operation?: string;
  model?: string;
  provider?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
  reportedCostUsd?: number;
  time?: number;
  file?: string;
  line?: number;
  key?: string;
  attrs?: Record<string, unknown>;
}

/**
 * A new open span (no parent linked yet, end NaN) at `index`. Fields come one by one rather than
 * as a {@link SpanStart}: see {@link ProfileBuilder.openSpanWith}.
 */
export function newSpan(
  shared: SharedStrings,
  index: number,
  id: SpanId,
  parentId: SpanId | undefined,
  name: string,
  start: number,
  category: string | undefined,
  kind: SpanKind | undefined,
  file: string | undefined,
  line: number | undefined,
  thread: string | undefined,
  task: string | undefined,
  key: string | undefined,
  attrs: Record<string, unknown> | undefined,
  sourceLine: number,
): Span {
  const facts = shared.nameFacts(name);
  const sharedCategory = category === undefined ? facts.category : (shared.intern(category) as string);
  return {
    index,
    id,
    parentId,
    parent: -1,
    children: undefined,
    name: facts.name,
    instance: facts.instance,
    category: sharedCategory,
    kind: kind ?? (category === undefined ? facts.kind : shared.kindOf(sharedCategory)),
    start,
    end: NaN,
    status: 'ok',
    error: undefined,
    file: file === undefined ? undefined : shared.intern(file),
    line,
    thread: thread === undefined ? undefined : shared.intern(thread),
    task: task === undefined ? undefined : shared.intern(task),
    key,
    attrs,
    sourceLine,
    orphan: false,
  };
}

/**
 * The usage record at `index` for `u`; `span` is the index of the span it names (-1 when none is
 * known), which lends the record its operation, file and line when `u` has none.
 */
export function newUsage(
  shared: SharedStrings,
  index: number,
  u: UsageInput,
  span: number,
  spanObj: Span | undefined,
  sourceLine: number,
): TokenUsage {
  return {
    index,
    span,
    spanId: u.spanId,
    operation: u.operation === undefined ? spanObj?.name ?? 'unknown' : shared.nameFacts(u.operation).name,
    model: shared.intern(u.model) ?? 'unknown',
    provider: shared.intern(u.provider),
    input: u.input ?? 0,
    output: u.output ?? 0,
    cacheRead: u.cacheRead ?? 0,
    cacheWrite: u.cacheWrite ?? 0,
    reasoning: u.reasoning ?? 0,
    reportedCostUsd: u.reportedCostUsd,
    time: u.time,
    file: u.file === undefined ? spanObj?.file : shared.intern(u.file),
    line: u.line ?? spanObj?.line,
    key: u.key,
    attrs: u.attrs,
    sourceLine,
  };
}
