// Stall probe (tests only, never shipped). It runs in the same extension host as Agent Profiler
// and records, every BEAT_MS, how late its timer fired (a late timer means the host's thread was
// busy: every extension in the window was frozen for that long), how long an asynchronous
// `fs.stat` takes (a stat that never returns means Node's I/O thread pool is exhausted, e.g. by
// blocked opens of FIFOs), and the process memory. It declares full support for untrusted
// workspaces and activates on start-up, so it watches Restricted Mode from the first moment.
// The record is rewritten (through a rename) every half second to AGENTPROF_STALL_PROBE_FILE.
import * as fs from 'fs';
import * as path from 'path';

const BEAT_MS = 50;
const WRITE_EVERY_MS = 500;

/** What the probe writes; test/e2e/lib/stall-probe.ts reads it. */
export interface ProbeRecord {
  pid: number;
  startedAt: number;
  /** Time of the last beat (ms since the epoch). */
  lastBeat: number;
  beats: number;
  /** Beat gaps over 100 ms: when the gap ended, how long it was, and the process CPU time in it. */
  gaps: Array<{ at: number; ms: number; cpuMs: number }>;
  maxGapMs: number;
  /** Slowest completed stat, and the age of the oldest stat still pending at the last beat. */
  maxStatMs: number;
  pendingStatMs: number;
  rssFirst: number;
  rssMax: number;
  heapUsedMax: number;
}

export function activate(): void {
  const file = process.env.AGENTPROF_STALL_PROBE_FILE;
  if (!file) return;
  const now = Date.now();
  const rss = process.memoryUsage().rss;
  const record: ProbeRecord = {
    pid: process.pid,
    startedAt: now,
    lastBeat: now,
    beats: 0,
    gaps: [],
    maxGapMs: 0,
    maxStatMs: 0,
    pendingStatMs: 0,
    rssFirst: rss,
    rssMax: rss,
    heapUsedMax: process.memoryUsage().heapUsed,
  };
  let lastCpu = process.cpuUsage();
  let lastWrite = 0;
  const pending = new Set<number>();

  const write = () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, JSON.stringify(record));
    fs.renameSync(partial, file);
  };

  const beat = () => {
    const t = Date.now();
    const gap = t - record.lastBeat;
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    record.beats++;
    record.lastBeat = t;
    record.maxGapMs = Math.max(record.maxGapMs, gap);
    if (gap > 100) record.gaps.push({ at: t, ms: gap, cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
    const mem = process.memoryUsage();
    record.rssMax = Math.max(record.rssMax, mem.rss);
    record.heapUsedMax = Math.max(record.heapUsedMax, mem.heapUsed);
    record.pendingStatMs = pending.size ? t - Math.min(...pending) : 0;
    // One stat in flight at a time at most every beat, so a blocked pool is seen, not flooded.
    if (pending.size < 4) {
      pending.add(t);
      fs.promises
        .stat(file.endsWith('.json') ? path.dirname(file) : file)
        .catch(() => undefined)
        .finally(() => {
          pending.delete(t);
          record.maxStatMs = Math.max(record.maxStatMs, Date.now() - t);
        });
    }
    if (t - lastWrite >= WRITE_EVERY_MS) {
      lastWrite = t;
      write();
    }
  };
  write();
  const timer = setInterval(beat, BEAT_MS);
  timer.unref?.();
}

export function deactivate(): void {}
