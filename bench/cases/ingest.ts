/**
 * Ingest + full analysis of a profile file from disk, and the floor it is compared with: reading
 * the same file, cutting it into lines and `JSON.parse` of each line, nothing else.
 *
 * The native path is the analysis worker's: `ProfileTail` reads the file in 4 MiB chunks, the
 * builder fills the model, then `analyze()`; `buildViewData()` (what the worker adds for the
 * host) is timed apart. OTLP goes through `loadProfile` (src/io/load-profile.ts), which reads such a file whole
 * (it has no streaming reader) and parses the text with `parseOtlp`.
 */
import * as fs from 'node:fs';
import { analyze } from '../../src/core/analyze';
import type { Analysis } from '../../src/core/analysis-types';
import type { Profile } from '../../src/core/model';
import { PriceBook } from '../../src/core/prices';
import { cutCriticalPath, MAX_HOST_CRITICAL_SEGMENTS } from '../../src/extension/critical-path-cut';
import { buildViewData } from '../../src/extension/view-data';
import { loadProfile } from '../../src/io/load-profile';
import { readProfileFile } from '../../src/io/profile-file';
import { collectGarbage, peakRssMb, Sample, summarize, Summary, timed, Timing, timingOf } from '../stats';

export interface IngestFigures {
  /** Read + parse + analyze(): the figure compared with the floor. */
  total: Timing;
  /** Reading and parsing into the model. */
  ingest: Timing;
  /** analyze(). */
  analysis: Timing;
  /** The critical-path cut and buildViewData(): what the analysis worker adds before it answers the host (not in `total`). */
  viewData: Timing;
  spans: number;
  usage: number;
  criticalSegments: number;
  /** maxRSS of the process, which also ran the floor (its whole-file string and parsed lines). */
  peakRssMb: number;
  /** maxRSS of a process that ran ours alone (warm-up and one load), when measured: the figure the target is judged on. */
  alonePeakRssMb?: number;
  /** Heap in use while the model and analysis are alive, after a GC. */
  heapMb: number;
}

export interface FloorFigures {
  /** The faster of the two ways below (by median wall time). */
  total: Timing;
  /** `readFileSync` + one string + `split('\n')` + `JSON.parse` per line. */
  whole: Timing;
  /** 4 MiB reads, `TextDecoder` per chunk, `split('\n')` + `JSON.parse` per line (memory bounded, like ours). */
  chunked: Timing;
  lines: number;
  peakRssMb: number;
}

const MAX_BYTES = 4 * 1024 * 1024 * 1024;

async function ingest(format: 'native' | 'otlp', file: string): Promise<Profile> {
  if (format === 'native') return readProfileFile(file, { maxBytes: MAX_BYTES });
  return loadProfile(file, { maxBytes: MAX_BYTES });
}

interface Once {
  ingest: Sample;
  analysis: Sample & { value: Analysis };
  viewData: Sample;
  profile: Profile;
  segments: number;
}

async function once(format: 'native' | 'otlp', file: string): Promise<Once> {
  const read = await timed(() => ingest(format, file));
  const profile = read.value;
  const prices = new PriceBook();
  const analysed = await timed(() => analyze(profile, { prices }));
  // What the worker adds before it answers the host: the path cut to what the host is sent, then
  // the view data of that.
  const viewData = await timed(() => {
    const { analysis, total } = cutCriticalPath(analysed.value, MAX_HOST_CRITICAL_SEGMENTS, profile);
    buildViewData(profile, analysis, prices.forProfile(profile));
    return total.segments;
  });
  return { ingest: read, analysis: analysed, viewData, profile, segments: viewData.value };
}

/** Ours and the floor, run side by side. */
export interface SideBySide {
  ours: IngestFigures;
  floor: FloorFigures;
  /** Ours ÷ the faster floor way, per repetition (each pair ran back to back). */
  ratioWall: Summary;
  ratioCpu: Summary;
}

/** Only the times: a sample's `value` would keep a repetition's model alive during the next. */
const only = (x: Sample): Sample => ({ wallMs: x.wallMs, cpuMs: x.cpuMs });

/**
 * Each repetition runs the floor (both ways) and then ours on `file`, back to back, so a pair sees
 * the same state of a shared machine; the ratio is taken per pair. `warmFile` (a small file of the
 * same format) is run first, so the JIT is warm.
 */
export async function ingestCase(format: 'native' | 'otlp', file: string, warmFile: string, reps: number, withFloor = true): Promise<SideBySide> {
  if (withFloor) {
    floorWhole(warmFile);
    floorChunked(warmFile);
  }
  await once(format, warmFile);
  await once(format, warmFile);
  const totals: Sample[] = [];
  const ingests: Sample[] = [];
  const analyses: Sample[] = [];
  const views: Sample[] = [];
  const whole: Sample[] = [];
  const chunked: Sample[] = [];
  const ratioWall: number[] = [];
  const ratioCpu: number[] = [];
  let floorPeakMb = 0;
  let lines = 0;
  let last: Once | undefined;
  for (let r = 0; r < reps; r++) {
    last = undefined;
    // Without the floor (when profiling ours alone) its times read as NaN.
    let w: Sample & { value: number } = { wallMs: NaN, cpuMs: NaN, value: 0 };
    let c = w;
    if (withFloor) {
      collectGarbage();
      w = await timed(() => floorWhole(file));
      collectGarbage();
      c = await timed(() => floorChunked(file));
    }
    whole.push(only(w));
    chunked.push(only(c));
    lines = c.value;
    if (r === 0) floorPeakMb = peakRssMb();
    collectGarbage();
    last = await once(format, file);
    ingests.push(only(last.ingest));
    analyses.push(only(last.analysis));
    views.push(only(last.viewData));
    const total = { wallMs: last.ingest.wallMs + last.analysis.wallMs, cpuMs: last.ingest.cpuMs + last.analysis.cpuMs };
    totals.push(total);
    ratioWall.push(total.wallMs / Math.min(w.wallMs, c.wallMs));
    ratioCpu.push(total.cpuMs / Math.min(w.cpuMs, c.cpuMs));
  }
  collectGarbage();
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  const profile = last!.profile;
  const wholeT = timingOf(whole);
  const chunkedT = timingOf(chunked);
  return {
    ours: {
      total: timingOf(totals),
      ingest: timingOf(ingests),
      analysis: timingOf(analyses),
      viewData: timingOf(views),
      spans: profile.spans.length,
      usage: profile.usage.length,
      criticalSegments: last!.segments,
      peakRssMb: peakRssMb(),
      heapMb,
    },
    floor: {
      total: wholeT.wall.median <= chunkedT.wall.median ? wholeT : chunkedT,
      whole: wholeT,
      chunked: chunkedT,
      lines,
      peakRssMb: floorPeakMb,
    },
    ratioWall: summarize(ratioWall),
    ratioCpu: summarize(ratioCpu),
  };
}

function parseLines(text: string): number {
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    JSON.parse(line);
    count++;
  }
  return count;
}

function floorWhole(file: string): number {
  return parseLines(fs.readFileSync(file, 'utf8'));
}

function floorChunked(file: string): number {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  const decoder = new TextDecoder();
  let carry = '';
  let count = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const text = carry + decoder.decode(buffer.subarray(0, n), { stream: true });
      const lastNl = text.lastIndexOf('\n');
      if (lastNl < 0) {
        carry = text;
        continue;
      }
      count += parseLines(text.slice(0, lastNl));
      carry = text.slice(lastNl + 1);
    }
    count += parseLines(carry + decoder.decode());
  } finally {
    fs.closeSync(fd);
  }
  return count;
}
