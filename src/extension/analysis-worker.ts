/**
 * The analysis worker (bundled to dist/analysis-worker.js): parsing and analysing happen here, off
 * the extension host's thread, so a 100 MB profile never freezes the editor. It keeps one
 * {@link ProfileSource} per file (native files are tailed incrementally, other formats re-read
 * whole when they change); the host asks it to poll.
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { limitForHeap, setModelMemoryLimit } from '../core/memory-account';
import type { Analysis } from '../core/analysis-types';
import { LiveAnalysis } from '../core/incremental/live-analysis';
import { nameGrouping, setNameGrouping } from '../core/name-templates';
import { foldCriticalPath } from '../core/critical-fold';

/** Entries of the folded critical path sent to the host (kept segments of ≥ 0.5 % are at most 200). */
const MAX_FOLDED_ENTRIES = 250;
import { PriceBook } from '../core/prices';
import { ProfileSource } from '../io/profile-source';
import { openRegularFile } from '../io/safe-open';
import { cutCriticalPath, MAX_HOST_CRITICAL_SEGMENTS } from './critical-path-cut';
import { placeBudgets } from '../core/budget-places';
import { answerBudgetsFile } from './budgets-worker';
import { answerExport } from './export-worker';
import { headerOf, LiveViewData } from './view-data';
import { answerWaterfall } from './waterfall-worker';
import type { AnalysisSettings, FromWorker, RunResult, ToWorker } from './worker-protocol';
import { traceRows } from './trace-rows';

/** A file unchanged for this long is taken as finished: its unterminated last line is parsed. */
const QUIET_MS = 2000;

interface Tracked {
  tail: ProfileSource;
  analysed: boolean;
  /** The tail was told the input ended (the file looked finished). */
  ended: boolean;
  /** Requests on one file run one after another: a tail is not safe to poll twice at once. */
  queue: Promise<void>;
  /** View data kept current by appends; starts over by itself when the tail's profile is a new one. */
  views: LiveViewData;
  /**
   * The analysis kept current from the tail's changes; undefined until the first analysis and
   * after a settings change or a forced re-read (it also starts over by itself on a new model).
   */
  live: LiveAnalysis | undefined;
}

/**
 * True when the file's last byte is not a newline and it has not been written for `quietMs`: a
 * finished file with an unterminated last line (a live writer finishes its line within moments).
 */
async function endsMidLine(file: string, quietMs: number): Promise<boolean> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    let st: fs.Stats;
    ({ handle, stat: st } = await openRegularFile(file));
    if (st.size === 0 || Date.now() - st.mtimeMs <= quietMs) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, st.size - 1);
    return last[0] !== 0x0a;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}


/**
 * Each call site's span list cut to the spans some bottleneck names: the host reads a site's spans
 * only to find the bottlenecks that involve it (hover-content.ts), so the answer is the same, and
 * a million indices do not travel. Call after the view data update, which needs the whole lists.
 */
function keepBottleneckSpansOfSites(analysis: Analysis): void {
  const named = new Set<number>();
  for (const b of analysis.bottlenecks) for (const i of b.spans) named.add(i);
  for (const site of analysis.timing.bySite) site.spans = site.spans.filter((i) => named.has(i));
}

class AnalysisWorker {
  private settings: AnalysisSettings | undefined;
  private prices: PriceBook | undefined;
  private readonly files = new Map<string, Tracked>();

  constructor(private readonly post: (msg: FromWorker, transfer?: ArrayBuffer[]) => void) {}

  handle(msg: ToWorker): void {
    switch (msg.type) {
      case 'configure': {
        const capChanged = this.settings?.maxFileBytes !== msg.settings.maxFileBytes;
        const groupNames = msg.settings.groupNames !== false;
        // Names are grouped as they are read (the builder interns each name's template), so a
        // change of grouping needs a fresh read too.
        const groupingChanged = groupNames !== nameGrouping();
        setNameGrouping(groupNames);
        this.settings = msg.settings;
        this.prices = undefined;
        // A new byte cap needs a fresh read; other settings only need a fresh analysis.
        if (capChanged || groupingChanged) this.files.clear();
        else {
          for (const t of this.files.values()) {
            t.analysed = false;
            t.views = new LiveViewData();
            t.live = undefined;
          }
        }
        return;
      }
      case 'analyze': {
        const tracked = this.track(msg.file);
        tracked.queue = tracked.queue.then(() => this.analyzeFile(msg.id, msg.file, tracked, msg.force));
        return;
      }
      case 'close':
        this.files.delete(msg.file);
        return;
      case 'budgetsFile':
        void answerBudgetsFile(msg.id, msg.file, 'agentprof.budgets.json').then((reply) => this.post(reply));
        return;
      case 'waterfall':
      case 'spanDetails': {
        // Queued with the file's analyses: a tail is not safe to poll twice at once.
        const tracked = this.track(msg.file);
        tracked.queue = tracked.queue.then(async () => {
          const answer = await answerWaterfall(msg, tracked.tail, this.priceBook(), () => (tracked.analysed = false));
          this.post(answer.reply, answer.transfer);
        });
        return;
      }
      case 'export': {
        const tracked = this.track(msg.file);
        tracked.queue = tracked.queue.then(async () => {
          this.post(await answerExport(msg, tracked.tail, this.priceBook(), this.settings));
        });
        return;
      }
      default: {
        const never: never = msg;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  private track(file: string): Tracked {
    let t = this.files.get(file);
    if (!t) {
      t = { tail: this.newTail(file), analysed: false, ended: false, queue: Promise.resolve(), views: new LiveViewData(), live: undefined };
      this.files.set(file, t);
    }
    return t;
  }

  private newTail(file: string): ProfileSource {
    return new ProfileSource(file, { maxBytes: this.settings?.maxFileBytes });
  }

  /**
   * Reads what was appended. A live file's last line may be half-written, so it is held back; once
   * the file has been quiet for {@link QUIET_MS} with an unterminated last line, it is finished and
   * that line is parsed (or reported). A file that grows after that is read again from the start.
   */
  private async poll(file: string, tracked: Tracked): Promise<{ changed: boolean; missing: boolean; truncatedByCap: boolean }> {
    let polled = await tracked.tail.poll();
    if (polled.missing) return { changed: false, missing: true, truncatedByCap: false };
    let changed = polled.appendedBytes > 0 || polled.reset;
    if (tracked.ended && changed) {
      tracked.tail = this.newTail(file);
      tracked.live = undefined;
      tracked.ended = false;
      polled = await tracked.tail.poll();
      if (polled.missing) return { changed: false, missing: true, truncatedByCap: false };
    }
    if (!tracked.ended && !polled.truncatedByCap && (await endsMidLine(file, QUIET_MS))) {
      // Parsed or reported (a diagnostic does not bump the revision): analyse again either way.
      tracked.tail.endOfInput();
      tracked.ended = true;
      changed = true;
    }
    return { changed, missing: false, truncatedByCap: polled.truncatedByCap };
  }

  private priceBook(): PriceBook {
    if (!this.prices) this.prices = new PriceBook({ overrides: this.settings?.priceOverrides ?? [] });
    return this.prices;
  }

  private async analyzeFile(id: number, file: string, tracked: Tracked, force: boolean): Promise<void> {
    const started = performance.now();
    try {
      const polled = await this.poll(file, tracked);
      if (polled.missing) {
        // Forgotten, so a new file of the same name starts from scratch.
        this.files.delete(file);
        this.post({ type: 'failed', id, message: `${file} does not exist`, missing: true });
        return;
      }
      if (!force && tracked.analysed && !polled.changed) {
        this.post({ type: 'unchanged', id });
        return;
      }
      const profile = tracked.tail.profile;
      const prices = this.priceBook();
      // Only what changed since the last analysis is analysed again; a forced request starts over.
      const changes = tracked.tail.takeChanges();
      if (force || !tracked.live) {
        tracked.live = new LiveAnalysis({ thresholds: this.settings?.thresholds, prices, budgets: this.settings?.budgets ?? [] });
      }
      const whole = tracked.live.update(profile, changes);
      // Folded from the whole path before it is cut: the tree lists this, not the first segments.
      const criticalPathFolded = foldCriticalPath(whole.criticalPath, MAX_FOLDED_ENTRIES, (seg) =>
        seg.span >= 0 && seg.span < profile.spans.length ? profile.spans[seg.span].name : seg.name,
      );
      const { analysis, total: criticalPathTotal } = cutCriticalPath(whole, MAX_HOST_CRITICAL_SEGMENTS, profile);
      // Prices as of the run's start, as analyze() uses them.
      const views = tracked.views.update(profile, analysis, prices.forProfile(profile));
      const budgetPlaces = placeBudgets(analysis.budgets, analysis.timing.bySite);
      keepBottleneckSpansOfSites(analysis);
      tracked.analysed = true;
      const result: RunResult = {
        file,
        header: headerOf(profile),
        analysis,
        views,
        criticalPathTotal,
        criticalPathFolded,
        bytesRead: tracked.tail.offset,
        truncatedByCap: polled.truncatedByCap,
        workMs: performance.now() - started,
        budgetPlaces,
        traces: traceRows(profile, analysis, prices),
      };
      this.post({ type: 'result', id, result });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // A file that vanished is forgotten, so a new file of the same name starts from scratch.
      if (e.code === 'ENOENT') this.files.delete(file);
      this.post({ type: 'failed', id, message: e.message ?? String(err), missing: e.code === 'ENOENT' });
    }
  }
}

if (parentPort) {
  // The worker's own accounting stops reading well before its heap limit (memory-account.ts):
  // under Node 20, reaching the limit could abort the whole extension host.
  setModelMemoryLimit(limitForHeap(v8.getHeapStatistics().heap_size_limit));
  const port = parentPort;
  const worker = new AnalysisWorker((msg, transfer) => port.postMessage(msg, transfer));
  port.on('message', (msg: ToWorker) => worker.handle(msg));
}
