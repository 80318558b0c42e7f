/**
 * Facts of this run that every writer and profiler shares: the clock (one start per process, so
 * the `at` of every record and the `start` of every header agree), the working directory call
 * sites are relative to, and the run's name.
 *
 * `process.hrtime.bigint()` and `performance.now()` read the same monotonic clock in Node, so a
 * single read gives both the file's nanoseconds and the textbook's milliseconds.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const startHr = process.hrtime.bigint();
const startPerfMs = performance.now();
// Wall-clock anchor read right after the monotonic one: the header's absolute start.
const startEpochNs = BigInt(Date.now()) * 1_000_000n;

/** Run start as epoch nanoseconds, decimal digits (it needs 61 bits; a double keeps 53). */
export const RUN_START_EPOCH_NS: string = startEpochNs.toString();

/** Nanoseconds since the run start. The relative value is small, so `Number` is exact. */
export function nowNs(): number {
  return Number(process.hrtime.bigint() - startHr);
}

/** The `performance.now()` reading (ms) of a run-relative nanosecond time. */
export function perfMsOf(ns: number): number {
  return startPerfMs + ns / 1e6;
}

/** Working directory at start; span files are written relative to it (the header's `cwd`). */
export const RUN_CWD: string = currentDirectory();

function currentDirectory(): string {
  try {
    return process.cwd();
  } catch {
    return ''; // the directory was deleted under us; files are then written absolute
  }
}

/** Run name: the script's stem (`agent.ts` → `agent`), else `node`. */
export const RUN_NAME: string = process.argv[1]
  ? path.basename(process.argv[1]).replace(/\.[^.]+$/, '') || 'node'
  : 'node';
