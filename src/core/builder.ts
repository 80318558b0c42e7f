/**
 * {@link ProfileBuilder}: how every importer fills the model, record by record. The input shapes
 * and the making of span and usage records are in builder-records.ts; the union-find that cuts
 * parent cycles and the children waiting for their parent are in span-forest.ts.
 */
import { MemoryAccount } from './memory-account';
import { Budget, Diagnostic, emptyProfile, Profile, RunInfo, Severity, SpanId, SpanKind } from './model';
import { IdIndex } from './id-index';
import { ChangeLog, type ProfileChanges } from './profile-changes';
import { SharedStrings } from './shared-strings';
import { newSpan, newUsage, type SpanStart, type UsageInput } from './builder-records';
import { SpanForest } from './span-forest';

export { type SpanStart, type UsageInput } from './builder-records';

/** At most this many diagnostics are kept; past it one summary line counts the rest. */
export const MAX_DIAGNOSTICS = 1000;


/**
 * Fills a {@link Profile} record by record, in any order a format delivers them: children may
 * arrive before their parents (OTLP writes spans as they end), ends before starts are reported.
 * Parent links are resolved as soon as both sides are known; cycles in bad input are cut.
 */
export class ProfileBuilder {
  readonly profile: Profile;
  /** Latest span index for each id (ends and children bind to the latest one). */
  private readonly byId = new IdIndex();
  private droppedDiagnostics = 0;
  /** One copy of each repeated string (names, files, models, …) and the category and kind of each name. */
  private readonly shared = new SharedStrings();
  private minSeen = Infinity;
  /** Which tree each span is in (to cut cycles) and the children still waiting for their parent. */
  private readonly forest = new SpanForest();
  /** Bumped on every change, so views can tell whether to refresh. */
  revision = 0;
  /** What the model is estimated to cost, against the process's limit (memory-account.ts). */
  readonly memory = new MemoryAccount();
  /** What changed since the last {@link takeChanges} (read by the incremental analysis). */
  private changes = new ChangeLog();

  constructor(source = 'agentprof') {
    this.profile = emptyProfile(source);
    this.changes.begin(this.profile);
  }

  setRun(run: Partial<RunInfo>): void {
    Object.assign(this.profile.run, run);
    this.changes.runChanged = true;
    this.revision++;
  }

  diagnostic(line: number, severity: Severity, message: string): void {
    const list = this.profile.diagnostics;
    if (list.length < MAX_DIAGNOSTICS) {
      list.push({ line, severity, message });
      return;
    }
    this.droppedDiagnostics++;
    const summary: Diagnostic = {
      line: 0,
      severity: 'warning',
      message: `${this.droppedDiagnostics} more problems not listed`,
    };
    if (list.length === MAX_DIAGNOSTICS) list.push(summary);
    else list[MAX_DIAGNOSTICS] = summary;
  }

  /** Index of the latest span with this id, or undefined. */
  indexOf(id: SpanId): number | undefined {
    return this.byId.get(id);
  }

  openSpan(s: SpanStart, sourceLine: number): number {
    return this.openSpanWith(
      s.id, s.parentId, s.name, s.start, s.category, s.kind, s.file, s.line, s.thread, s.task, s.key, s.attrs, sourceLine,
    );
  }

  /**
   * {@link openSpan} with the fields of a {@link SpanStart} passed one by one: the native reader
   * opens a million spans, and a `SpanStart` object per span was a million short-lived
   * allocations (young-generation garbage collection time) for nothing.
   */
  openSpanWith(
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
  ): number {
    const p = this.profile;
    const index = p.spans.length;
    const span = newSpan(
      this.shared, index, id, parentId, name, start, category, kind, file, line, thread, task, key, attrs, sourceLine,
    );
    p.spans.push(span);
    this.memory.span(name, file);
    this.forest.add(index);
    const previous = this.byId.get(id);
    if (previous !== undefined) {
      const first = p.spans[previous];
      this.diagnostic(
        sourceLine,
        'warning',
        `duplicate span id ${String(id)} (first at line ${first.sourceLine}); kept as a separate span`,
      );
    }
    this.byId.set(id, index);
    this.noteTime(start);

    if (parentId !== undefined && parentId !== null) {
      if (parentId === id) {
        this.diagnostic(sourceLine, 'warning', `span ${String(id)} names itself as parent; shown at the top level`);
        span.orphan = true;
      } else {
        const parent = this.byId.get(parentId);
        if (parent !== undefined && parent !== index) this.link(parent, index);
        else this.forest.wait(parentId, index);
      }
    }
    // Children that arrived before this span (OTLP order) are adopted now.
    const early = this.forest.takeWaiting(id);
    if (early) {
      for (const child of early) this.adopt(index, child);
    }
    this.revision++;
    return index;
  }

  /** Closes the latest span with this id. Returns its index, or -1 when no such span is open. */
  closeSpan(
    id: SpanId,
    end: number,
    sourceLine: number,
    error?: string,
    attrs?: Record<string, unknown>,
  ): number {
    const index = this.byId.get(id);
    if (index === undefined) {
      this.diagnostic(sourceLine, 'warning', `end of unknown span ${String(id)}; ignored`);
      return -1;
    }
    const span = this.profile.spans[index];
    if (span.end === span.end) {
      this.diagnostic(sourceLine, 'warning', `span ${String(id)} ended twice (first end kept)`);
      return index;
    }
    if (end < span.start) {
      this.diagnostic(sourceLine, 'warning', `span ${String(id)} ends before it starts; duration set to 0`);
      end = span.start;
    }
    span.end = end;
    if (error !== undefined) {
      span.status = 'error';
      span.error = error;
    }
    if (attrs) span.attrs = span.attrs ? Object.assign(span.attrs, attrs) : attrs;
    this.changes.spanChanged(index);
    this.noteTime(end);
    this.revision++;
    return index;
  }

  /** A span known whole at once (importers). */
  addSpan(s: SpanStart & { end: number; error?: string }, sourceLine: number): number {
    const index = this.openSpan(s, sourceLine);
    const span = this.profile.spans[index];
    let end = s.end;
    if (end === end && end < span.start) {
      this.diagnostic(sourceLine, 'warning', `span ${String(s.id)} ends before it starts; duration set to 0`);
      end = span.start;
    }
    span.end = end;
    if (s.error !== undefined) {
      span.status = 'error';
      span.error = s.error;
    }
    if (end === end) this.noteTime(end);
    return index;
  }

  addUsage(u: UsageInput, sourceLine: number): number {
    const p = this.profile;
    const span = u.spanId !== undefined ? this.byId.get(u.spanId) : undefined;
    const spanObj = span !== undefined ? p.spans[span] : undefined;
    const record = newUsage(this.shared, p.usage.length, u, span ?? -1, spanObj, sourceLine);
    p.usage.push(record);
    if (u.time !== undefined) this.noteTime(u.time);
    this.revision++;
    return record.index;
  }

  addBudget(b: Budget): void {
    this.profile.budgets.push(b);
    this.revision++;
  }

  noteTime(t: number): void {
    const p = this.profile;
    if (t > p.maxTime) p.maxTime = t;
    // Compared with the smallest time *seen*, not p.minTime: finish() turns an empty run's
    // Infinity into 0 for display, and a live file's later times must not stay pinned to that 0.
    if (t < this.minSeen) {
      this.minSeen = t;
      p.minTime = t;
    }
  }

  /**
   * Flags spans whose parent never appeared: they stay at the top level, marked `orphan`.
   * Call when the input is complete (or to show the current state of a live file).
   */
  finish(): Profile {
    for (const [parentId, children] of this.forest.unresolved) {
      for (const child of children) {
        const span = this.profile.spans[child];
        if (!span.orphan) {
          span.orphan = true;
          this.changes.spanChanged(child);
          this.diagnostic(
            span.sourceLine,
            'warning',
            `span ${String(span.id)} names parent ${String(parentId)}, which is not in the file; shown at the top level`,
          );
        }
      }
    }
    if (this.profile.minTime === Infinity) this.profile.minTime = 0;
    return this.profile;
  }

  /**
   * What changed since the previous call (or since the builder was made): spans and usage
   * records added, earlier spans changed (closed, given a parent or a child, flagged orphan),
   * budgets added, run header or time range changed. Clears the log.
   */
  takeChanges(): ProfileChanges {
    const log = this.changes;
    this.changes = new ChangeLog();
    this.changes.begin(this.profile);
    return log.take(this.profile);
  }

  /** `child` is the top of its tree (it had no parent): its whole tree moves under `parent`. */
  private link(parent: number, child: number): void {
    const spans = this.profile.spans;
    this.forest.join(parent, child);
    spans[child].parent = parent;
    this.changes.spanChanged(child);
    this.changes.spanChanged(parent);
    const p = spans[parent];
    if (p.children) p.children.push(child);
    else p.children = [child];
  }

  /** Links an early child to its late parent unless that closes a cycle (bad input). */
  private adopt(parent: number, child: number): void {
    // The early child has no parent yet, so it tops its own tree; a cycle exists iff it also
    // tops the parent's tree (the child is an ancestor of the parent).
    if (this.forest.topOf(parent) === child) {
      const c = this.profile.spans[child];
      c.orphan = true;
      this.changes.spanChanged(child);
      this.diagnostic(
        c.sourceLine,
        'warning',
        `parent cycle through span ${String(c.id)}; the cycle is cut and the span shown at the top level`,
      );
      return;
    }
    this.profile.spans[child].orphan = false;
    this.link(parent, child);
  }
}
