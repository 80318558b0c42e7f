// The stall probe (test/stall-probe/): building it as an installed extension, and reading what it
// recorded. See test/stall-probe/extension.ts for what is measured and why.
import * as fs from 'fs';
import * as path from 'path';
import type { ProbeRecord } from '../../stall-probe/extension';
import { stageTestExtension } from './host-tests';
import { REPO_ROOT } from './tools';

export type { ProbeRecord } from '../../stall-probe/extension';

const PROBE_SOURCE_DIR = path.join(REPO_ROOT, 'test', 'stall-probe');

/** Builds test/stall-probe into `destDir` as an installed extension; returns `destDir`. */
export function stageStallProbe(destDir: string): Promise<string> {
  return stageTestExtension(PROBE_SOURCE_DIR, destDir);
}

/** The probe's record, or undefined before its first write. */
export function readProbe(file: string): ProbeRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ProbeRecord;
  } catch {
    return undefined;
  }
}

/** One line for logs and assertion messages. */
export function describeProbe(r: ProbeRecord): string {
  const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
  const gaps = r.gaps.map((g) => `${g.ms} ms (cpu ${g.cpuMs} ms)`).join(', ') || 'none';
  return (
    `${r.beats} beats over ${((r.lastBeat - r.startedAt) / 1000).toFixed(1)} s; max gap ${r.maxGapMs} ms; gaps over 100 ms: ${gaps}; ` +
    `slowest stat ${r.maxStatMs} ms, oldest pending ${r.pendingStatMs} ms; rss ${mb(r.rssFirst)} → max ${mb(r.rssMax)}; heap max ${mb(r.heapUsedMax)}`
  );
}
