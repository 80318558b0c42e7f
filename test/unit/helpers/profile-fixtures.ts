/**
 * Small builders of profiles for unit tests. Times are given in ms (readable in tests) and
 * converted to the model's integer ns. Everything goes through ProfileBuilder, like an importer.
 */
import { ProfileBuilder, SpanStart, UsageInput } from '../../../src/core/builder';
import type { Profile, SpanId, SpanKind } from '../../../src/core/model';

/** ms → integer ns. */
export const ns = (ms: number): number => Math.round(ms * 1e6);

/** A span of a test profile. Omit `end` for a span that never closed. */
export interface SpanSpec {
  id: SpanId;
  /** Parent id. */
  parent?: SpanId;
  name: string;
  /** Start, ms since the run's start. */
  start: number;
  /** End, ms; undefined = still open. */
  end?: number;
  /** Error message; makes the span failed. */
  error?: string;
  file?: string;
  line?: number;
  kind?: SpanKind;
  category?: string;
  thread?: string;
  task?: string;
  key?: string;
  attrs?: Record<string, unknown>;
}

/** A usage record of a test profile; `time` in ms. */
export type UsageSpec = Omit<UsageInput, 'time'> & { time?: number };

export interface ProfileSpec {
  usage?: UsageSpec[];
  /** Run name. */
  name?: string;
  /** Extra times (ms) the run saw, e.g. a run end after the last span. */
  times?: number[];
}

/** A profile from spans given in file order (children may come before parents, as in OTLP). */
export function makeProfile(spans: SpanSpec[], spec: ProfileSpec = {}): Profile {
  const builder = new ProfileBuilder();
  if (spec.name) builder.setRun({ name: spec.name });
  let line = 1;
  for (const s of spans) {
    line++;
    const start: SpanStart = {
      id: s.id,
      parentId: s.parent,
      name: s.name,
      start: ns(s.start),
      category: s.category,
      kind: s.kind,
      file: s.file,
      line: s.line,
      thread: s.thread,
      task: s.task,
      key: s.key,
      attrs: s.attrs,
    };
    if (s.end === undefined) builder.openSpan(start, line);
    else builder.addSpan({ ...start, end: ns(s.end), error: s.error }, line);
  }
  for (const u of spec.usage ?? []) {
    line++;
    builder.addUsage({ ...u, time: u.time === undefined ? undefined : ns(u.time) }, line);
  }
  for (const t of spec.times ?? []) builder.noteTime(ns(t));
  return builder.finish();
}
