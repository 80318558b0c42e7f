/**
 * One run the extension knows (a profile file) and its state, as the store keeps it and the
 * views read it; plus the watcher's batch of file changes.
 */
import type { RunSummary } from '../core/analysis-types';
import type { AnalyzeOutcome } from './worker-client';
import type { RunResult } from './worker-protocol';

export type RunState = 'idle' | 'waiting' | 'loading' | 'ready' | 'failed';

export interface RunEntry {
  readonly file: string;
  /** File modification time, ms since epoch (0 when unknown). */
  mtimeMs: number;
  /** Run start from the profile header, ms since epoch, once read. */
  startMs: number | undefined;
  state: RunState;
  /** The latest analysis; kept only while the run is active or being compared. */
  result: RunResult | undefined;
  /** Summary of the last analysis, kept for every run (the runs list shows it). */
  summary: RunSummary | undefined;
  /** Why the last read failed. */
  error: string | undefined;
  /** A Profile Agent Run is writing this file right now. */
  live: boolean;
  /** Bumped on every new result; caches key on it. */
  generation: number;
}

/** Changes found by the watcher, in one debounced batch. */
export interface FileBatch {
  added: string[];
  changed: string[];
  removed: string[];
}

/** Sort key: run start when known, else file time. Newest first. */
export function sortTime(e: RunEntry): number {
  return e.startMs ?? e.mtimeMs;
}

/** Epoch nanoseconds as a decimal string → epoch ms, or undefined for 0 / garbage. */
export function epochNsToMs(ns: string): number | undefined {
  if (!/^\d{1,30}$/.test(ns)) return undefined;
  const ms = Number(BigInt(ns) / 1_000_000n);
  return ms > 0 ? ms : undefined;
}

/**
 * Records an analysis outcome on its entry. `changed` is false when nothing the views show moved
 * (an unchanged file); `problem` is a read failure worth logging (a live file not yet written is not).
 */
export function applyOutcome(e: RunEntry, outcome: AnalyzeOutcome): { changed: boolean; problem?: string } {
  switch (outcome.kind) {
    case 'unchanged':
      if (e.state === 'loading') e.state = e.result ? 'ready' : 'idle';
      return { changed: false };
    case 'failed': {
      const notYetWritten = outcome.missing && e.live;
      e.state = notYetWritten ? 'waiting' : 'failed';
      e.error = notYetWritten ? undefined : outcome.message;
      return { changed: true, problem: notYetWritten ? undefined : outcome.message };
    }
    case 'result': {
      const r = outcome.result;
      e.result = r;
      e.summary = r.analysis.run;
      e.startMs = epochNsToMs(r.header.startEpochNs) ?? e.startMs;
      e.state = 'ready';
      e.error = undefined;
      e.generation++;
      return { changed: true };
    }
  }
}
