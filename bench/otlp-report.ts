/**
 * The OTLP receiver's figures (bench/cases/otlp-receiver.ts) into bench/results-otlp.json and their
 * own generated blocks of docs/benchmarks.md (`bench:otlp`) and README.md (`bench:otlp-summary`),
 * so a run of this case alone leaves every other figure and block as it was.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OtlpReceiverFigures } from './cases/otlp-receiver';
import { replaceBlock } from './report';

/** Targets of the receiver (issue 14): sustained throughput and the extension host's largest stall. */
export const OTLP_TARGETS = { spansPerSecond: 50_000, maxStallMs: 50 };

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

function rows(f: OtlpReceiverFigures): string[] {
  const out: string[] = [];
  const hosts = [
    ['in its worker thread (the editor)', f.protobuf, f.json],
    ['in the main thread (`agentprof collect`)', f.inline.protobuf, f.inline.json],
  ] as const;
  for (const [where, pb, json] of hosts) {
    for (const [name, e] of [['protobuf', pb], ['JSON', json]] as const) {
      const fast = e.spansPerSecond >= OTLP_TARGETS.spansPerSecond;
      const calm = e.maxStallMs <= OTLP_TARGETS.maxStallMs;
      out.push(`| ${name}, receiver ${where}: ${count(e.spans)} spans into the file | ≥ ${count(OTLP_TARGETS.spansPerSecond)} spans/s | ${count(e.spansPerSecond)} spans/s (${e.seconds.toFixed(2)} s) | ${fast ? 'yes' : '**no**'} |`);
      out.push(`| ${name}, receiver ${where}: largest main-thread event-loop stall meanwhile | ≤ ${OTLP_TARGETS.maxStallMs} ms | ${ms(e.maxStallMs)} ms (p99 ${ms(e.p99StallMs)} ms) | ${calm ? 'yes' : '**no**'} |`);
    }
  }
  return out;
}

export function writeOtlpReports(root: string, f: OtlpReceiverFigures): void {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} at the start`;
  fs.writeFileSync(path.join(root, 'bench', 'results-otlp.json'), `${JSON.stringify({ when, machine, ...f }, null, 2)}\n`);
  const table = ['| figure | target | result | met |', '|---|---|---|---|', ...rows(f)].join('\n');
  const detail =
    `Run of ${when} UTC on ${machine}. The sender (a second process) sends requests of ${f.batch} spans, ${f.inFlight} in flight; ` +
    `bodies: ${(f.protobuf.bodyBytes / f.protobuf.requests / 1024).toFixed(0)} KB protobuf, ${(f.json.bodyBytes / f.json.requests / 1024).toFixed(0)} KB JSON per request; ` +
    `file: ${(f.protobuf.fileBytes / 1e6).toFixed(0)} MB for ${count(f.protobuf.spans)} spans. Idle control (largest delay of the idle main thread over 1 s): ${ms(f.controlMaxMs)} ms. Peak memory of the measured process ${f.peakRssMb.toFixed(0)} MB.`;
  const docs = path.join(root, 'docs', 'benchmarks.md');
  fs.writeFileSync(docs, replaceBlock(fs.readFileSync(docs, 'utf8'), 'bench:otlp', `${detail}\n\n${table}`));
  const readme = path.join(root, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const line =
    `OTLP receiver (\`npm run bench -- --only otlp\`): ${count(f.protobuf.spansPerSecond)} spans/s protobuf, ${count(f.json.spansPerSecond)} spans/s JSON into the file; ` +
    `largest stall of the extension host's event loop while ${count(f.protobuf.spans)} spans arrive ${ms(Math.max(f.protobuf.maxStallMs, f.json.maxStallMs))} ms (targets ≥ 50 000 spans/s, ≤ 50 ms; details in docs/benchmarks.md).`;
  if (text.includes('<!-- bench:otlp-summary:start -->')) fs.writeFileSync(readme, replaceBlock(text, 'bench:otlp-summary', line));
}
