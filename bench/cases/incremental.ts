/**
 * Incremental update: an agent appends ~1 000 spans to a live 100 000-span profile; how long until
 * every analysis is current again. Each repetition appends the next chunk of the same generated
 * run, then does what the analysis worker does on a poll (src/extension/analysis-worker.ts): read
 * the appended bytes through the file's `ProfileTail`, update the live analysis from the tail's
 * changes, and update the view data.
 *
 * Garbage is left to V8, as in the worker. An earlier version forced a full GC before each append;
 * that GC's concurrent sweeping then ran into the timed poll (poll median 12–26 ms with it, 4–7 ms
 * when the same forced GC was given 100 ms to finish, 4–9 ms with no forced GC), and no poll in
 * the worker follows a forced GC. Between appends the case idles briefly, as the worker does
 * between polls, so V8's background GC work runs there rather than inside the next poll.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LiveAnalysis } from '../../src/core/incremental/live-analysis';
import { PriceBook } from '../../src/core/prices';
import { cutCriticalPath, MAX_HOST_CRITICAL_SEGMENTS } from '../../src/extension/critical-path-cut';
import { LiveViewData } from '../../src/extension/view-data';
import { ProfileTail } from '../../src/io/profile-file';
import { Sample, timed, Timing, timingOf } from '../stats';

export interface IncrementalFigures {
  /** From the poll to current analysis and view data. */
  total: Timing;
  poll: Timing;
  analysis: Timing;
  /** Spans appended per repetition (whole steps, so about 1 000). */
  appendedSpans: number[];
  spansAfter: number;
  /** Full first load of the base run, for scale. */
  firstLoad: Sample;
}

const MAX_BYTES = 4 * 1024 * 1024 * 1024;
/** Idle before each poll: less than the host's 200 ms debounce of file changes (src/extension/store.ts) that spaces a live file's polls. */
const IDLE_BETWEEN_POLLS_MS = 50;

export async function incrementalCase(
  file: string,
  marks: Array<{ spans: number; offset: number }>,
  baseSpans: number,
  reps: number,
): Promise<IncrementalFigures> {
  const base = marks.findIndex((m) => m.spans >= baseSpans);
  if (base < 0 || base + reps >= marks.length) throw new Error('the incremental run has too few marks');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-bench-'));
  const live = path.join(dir, 'live.agentprof.jsonl');
  const source = fs.openSync(file, 'r');
  const copy = (from: number, to: number) => {
    const bytes = Buffer.allocUnsafe(to - from);
    fs.readSync(source, bytes, 0, bytes.length, from);
    fs.appendFileSync(live, bytes);
  };
  try {
    fs.writeFileSync(live, '');
    copy(0, marks[base].offset);
    const tail = new ProfileTail(live, { maxBytes: MAX_BYTES });
    const prices = new PriceBook();
    // As the worker does: one live analysis and one live view data per tracked file.
    const liveAnalysis = new LiveAnalysis({ prices });
    const views = new LiveViewData();
    const update = async () => {
      const poll = await timed(() => tail.poll());
      const analysis = await timed(() => {
        const profile = tail.profile;
        // The worker cuts the critical path to what the host is sent before picking view data.
        const { analysis: result } = cutCriticalPath(liveAnalysis.update(profile, tail.takeChanges()), MAX_HOST_CRITICAL_SEGMENTS, profile);
        views.update(profile, result, prices.forProfile(profile));
        return profile.spans.length;
      });
      return { poll, analysis };
    };
    const first = await update();
    const firstLoad = { wallMs: first.poll.wallMs + first.analysis.wallMs, cpuMs: first.poll.cpuMs + first.analysis.cpuMs };
    // Two warm-up appends, then the measured ones.
    const polls: Sample[] = [];
    const analyses: Sample[] = [];
    const totals: Sample[] = [];
    const appendedSpans: number[] = [];
    let spansAfter = 0;
    for (let k = base; k < base + reps; k++) {
      copy(marks[k].offset, marks[k + 1].offset);
      // No forced GC (see the header): the gap between two polls instead.
      await new Promise((resolve) => setTimeout(resolve, IDLE_BETWEEN_POLLS_MS));
      const u = await update();
      spansAfter = u.analysis.value;
      if (k < base + 2) continue;
      appendedSpans.push(marks[k + 1].spans - marks[k].spans);
      polls.push(u.poll);
      analyses.push(u.analysis);
      totals.push({ wallMs: u.poll.wallMs + u.analysis.wallMs, cpuMs: u.poll.cpuMs + u.analysis.cpuMs });
    }
    return { total: timingOf(totals), poll: timingOf(polls), analysis: timingOf(analyses), appendedSpans, spansAfter, firstLoad };
  } finally {
    fs.closeSync(source);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
