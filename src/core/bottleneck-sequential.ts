/**
 * The `sequential_siblings` bottleneck rule: independent-looking calls under one parent run one
 * after another, where running them concurrently would shorten the critical path.
 */
import type { Bottleneck } from './analysis-types';
import { RunIndex, spanRefs } from './bottleneck-index';
import { formatMs } from './format';
import { Span, spanEnd } from './model';
import { CLOCK_TOLERANCE_NS } from './clock';

/** The part of a name after the first `:` (`tool_call` of `step_3:tool_call`), or ''. */
function detailOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(colon + 1);
}

/**
 * Whether two consecutive siblings look independent enough to run concurrently. LLM calls must
 * share the name (three `llm:summarize` over three chunks): LLM calls with different names are
 * usually a chain (plan → act → reflect) whose prompts use the previous answer. Other calls may
 * share the category (`tool:web_search`, `tool:web_scrape`) or the detail after the colon
 * (`step_1:tool_call`, `step_2:tool_call`, the textbook's naming).
 */
function similar(a: Span, b: Span): boolean {
  if (a.name === b.name) return true;
  if (a.kind === 'llm' || b.kind === 'llm') return false;
  if (a.category === b.category) return true;
  const detail = detailOf(a.name);
  return detail !== '' && detail === detailOf(b.name);
}

/** Sequential runs merged by parent name, first call site and names (a loop repeats the same run). */
interface SequentialGroup {
  parentName: string;
  /** Names of the longest run, with repeat counts, for the component. */
  longestNames: string;
  longest: number;
  runs: number;
  inSequenceMs: number;
  savingsMs: number;
  spans: number[];
  file: string | undefined;
  line: number | undefined;
}

/** Names listed in a `sequential_siblings` component; a run of 100 000 distinct names lists these and a count. */
const NAMES_LISTED = 5;

function describeNames(spans: readonly Span[]): string {
  const counts = new Map<string, number>();
  for (const span of spans) counts.set(span.name, (counts.get(span.name) ?? 0) + 1);
  const listed = [...counts].slice(0, NAMES_LISTED).map(([name, n]) => (n > 1 ? `${name} ×${n}` : name));
  const more = counts.size - listed.length;
  return listed.join(', ') + (more > 0 ? ` (+${more} more names)` : '');
}

/**
 * `sequential_siblings`: at least `thresholds.sequentialSiblings` consecutive children of one
 * parent (top-level spans count as children of the run; orphans, whose real parent is unknown, do
 * not) that look independent ({@link similar}), where each starts at or after the previous one
 * ends. Siblings that overlap already run concurrently and break a run. Spans of kind `agent`
 * (agent steps, planning) are a loop's iterations and break a run too.
 *
 * Saving of one run: its time on the critical path minus its longest call, i.e. what would be left
 * if all its calls ran at once. For a run entirely on the critical path that is the sum of its
 * durations minus the longest; a run off the critical path (a background task) saves no wall time.
 */
export function sequentialSiblings(index: RunIndex): Bottleneck[] {
  const { profile } = index;
  const spans = profile.spans;
  const minRun = Math.max(2, index.thresholds.sequentialSiblings);
  const runs: SequentialRun[] = [];
  const topLevel: number[] = [];
  collectSequentialRuns(index, spans, minRun, runs, topLevel);
  if (topLevel.length >= minRun) pushAll(runs, sequentialRunsOf(index, profile.run.name, topLevel));
  return sequentialItems(index, runs);
}

/**
 * The runs under every span with enough children into `runs`, and the top-level spans into
 * `topLevel`. An indexed loop in a function of its own: a `for…of` over the spans inline in
 * {@link sequentialSiblings} was compiled mid-loop, deoptimized after it, and allocated an
 * iterator result per span while it ran in the interpreter.
 */
function collectSequentialRuns(index: RunIndex, spans: readonly Span[], minRun: number, runs: SequentialRun[], topLevel: number[]): void {
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (span.parent === -1 && !span.orphan) topLevel.push(span.index);
    const children = span.children;
    if (children && children.length >= minRun) pushAll(runs, sequentialRunsOf(index, span.name, children));
  }
}

function pushAll<T>(into: T[], items: readonly T[]): void {
  for (let k = 0; k < items.length; k++) into.push(items[k]);
}

/** One run of sequential siblings under one parent, with what {@link sequentialItems} sums. */
export interface SequentialRun {
  parentName: string;
  /** Parent name, first call site and names: runs with equal keys are one item. */
  key: string;
  spans: number[];
  inSequenceMs: number;
  savingsMs: number;
  file: string | undefined;
  line: number | undefined;
}

/**
 * The sequential runs among `children` of one parent (see {@link sequentialSiblings}), in start
 * order. The incremental analysis keeps them per parent and scans a parent again when a child
 * changed.
 */
export function sequentialRunsOf(index: RunIndex, parentName: string, children: readonly number[]): SequentialRun[] {
  const { profile } = index;
  const spans = profile.spans;
  const minRun = Math.max(2, index.thresholds.sequentialSiblings);
  const found: SequentialRun[] = [];

  const flush = (run: number[]): void => {
    if (run.length < minRun) return;
    const runSpans = run.map((i) => spans[i]);
    let inSequenceMs = 0;
    let criticalMs = 0;
    let longestMs = 0;
    for (const i of run) {
      inSequenceMs += index.durationMs[i];
      criticalMs += index.criticalMs[i];
      longestMs = Math.max(longestMs, index.durationMs[i]);
    }
    const first = runSpans[0];
    const signature = [...new Set(runSpans.map((s) => s.name))].sort().join('\u0000');
    const key = `${parentName}\u0001${first.file ?? ''}:${first.line ?? ''}\u0001${signature}`;
    found.push({ parentName, key, spans: run, inSequenceMs, savingsMs: Math.max(0, criticalMs - longestMs), file: first.file, line: first.line });
  };

  const ordered = inStartOrder(spans, children);
  let run: number[] = [];
  let runEnd = -Infinity;
  for (const c of ordered) {
    const span = spans[c];
    if (span.kind === 'agent') {
      flush(run);
      run = [];
      continue;
    }
    // An overlap below the clock's tolerance is clock noise: still one after the other.
    if (run.length > 0 && span.start >= runEnd - CLOCK_TOLERANCE_NS && similar(spans[run[0]], span)) run.push(c);
    else {
      flush(run);
      run = [c];
    }
    runEnd = spanEnd(profile, span);
  }
  flush(run);
  return found;
}

/** The `sequential_siblings` items of runs given in scan order (parents by index, the run's top level last). */
export function sequentialItems(index: RunIndex, runs: Iterable<SequentialRun>): Bottleneck[] {
  const { profile } = index;
  const spans = profile.spans;
  const groups = new Map<string, SequentialGroup>();
  for (const run of runs) {
    let group = groups.get(run.key);
    if (!group) {
      group = {
        parentName: run.parentName,
        longestNames: '',
        longest: 0,
        runs: 0,
        inSequenceMs: 0,
        savingsMs: 0,
        spans: [],
        file: run.file,
        line: run.line,
      };
      groups.set(run.key, group);
    }
    group.runs++;
    group.inSequenceMs += run.inSequenceMs;
    group.savingsMs += run.savingsMs;
    if (run.spans.length > group.longest) {
      group.longest = run.spans.length;
      group.longestNames = describeNames(run.spans.map((i) => spans[i]));
    }
    for (const i of run.spans) group.spans.push(i);
  }

  const found: Bottleneck[] = [];
  for (const g of groups.values()) {
    const times = g.runs > 1 ? `${g.runs} such runs, ` : '';
    found.push({
      kind: 'sequential_siblings',
      component: `${g.parentName}: ${g.longestNames}`,
      impact: 'medium',
      metric: 'sequential_calls',
      value: g.longest,
      threshold: index.thresholds.sequentialSiblings,
      savingsMs: g.savingsMs,
      savingsUsd: 0,
      suggestion:
        `${g.longest} calls under ${g.parentName} run one after another (${times}${formatMs(g.inSequenceMs)} in ` +
        `sequence). If they do not depend on each other, run them concurrently (asyncio.gather / ` +
        `Promise.all): about ${formatMs(g.savingsMs)} saved on the critical path.`,
      file: g.file,
      line: g.line,
      ...spanRefs(profile, g.spans),
    });
  }
  return found;
}

/** The indices sorted by start (then index); the input itself when already in that order. */
function inStartOrder(spans: readonly Span[], indices: readonly number[]): readonly number[] {
  for (let k = 1; k < indices.length; k++) {
    const a = spans[indices[k - 1]];
    const b = spans[indices[k]];
    if (a.start > b.start || (a.start === b.start && a.index > b.index)) {
      return [...indices].sort((x, y) => spans[x].start - spans[y].start || x - y);
    }
  }
  return indices;
}
