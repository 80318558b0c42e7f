/**
 * The functions with the most self time in a V8 `.cpuprofile` (from `node --cpu-prof`):
 *
 *   npx tsx bench/cpu-top.ts profile.cpuprofile [count=15]
 *
 * Self time of a node is its sample count times the sampling interval; nodes of the same function
 * (same name, file, line and column) are summed, since V8 splits them by call path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeRow {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

/** Self time per function, largest first. */
export function topSelfTime(profile: CpuProfile, count = 15): SelfTimeRow[] {
  const byNode = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) byNode.set(node.id, node);
  // timeDeltas[k] is the time since the previous sample; it is charged to sample k's node.
  const selfUs = new Map<number, number>();
  for (let k = 0; k < profile.samples.length; k++) {
    const id = profile.samples[k];
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[k] ?? 0));
  }
  const byFunction = new Map<string, SelfTimeRow>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    totalUs += us;
    const frame = byNode.get(id)!.callFrame;
    const name = frame.functionName || '(anonymous)';
    const file = frame.url ? path.basename(frame.url.replace(/^file:\/\//, '')) : '';
    const where = file ? `${file}:${frame.lineNumber + 1}` : '';
    const key = `${name}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}`;
    const row = byFunction.get(key);
    if (row) row.selfMs += us / 1000;
    else byFunction.set(key, { name, where, selfMs: us / 1000, share: 0 });
  }
  const rows = [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, count);
  for (const row of rows) row.share = totalUs > 0 ? (row.selfMs * 1000) / totalUs : 0;
  return rows;
}

/** Rows as a Markdown table. */
export function selfTimeTable(rows: SelfTimeRow[]): string {
  const lines = ['| self ms | share | function | where |', '|---:|---:|---|---|'];
  for (const r of rows) lines.push(`| ${r.selfMs.toFixed(0)} | ${(r.share * 100).toFixed(1)} % | \`${r.name}\` | ${r.where} |`);
  return lines.join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx bench/cpu-top.ts <file.cpuprofile> [count]');
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  console.log(selfTimeTable(topSelfTime(profile, Number(process.argv[3] ?? 15))));
}
