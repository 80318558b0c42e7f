/**
 * Code lenses and hovers for a 5 000-line Python file with 200 timer calls, through the pure parts
 * of src/extension that the VS Code providers wrap: `scanTimerCalls` + `matchCalls` (what
 * `SiteIndexService.matchesFor` runs once per document version), `lensTitle` for every lens (what
 * `resolveCodeLens` adds), and `spanIdsOf` + `hoverMarkdown` for a hover. The run result is
 * built as the analysis worker builds it.
 */
import { placeBudgets } from '../../src/core/budget-places';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import { PriceBook } from '../../src/core/prices';
import { cutCriticalPath } from '../../src/extension/critical-path-cut';
import { hoverMarkdown } from '../../src/extension/hover-content';
import { buildSiteIndex, lensTitle, matchCalls, spanIdsOf } from '../../src/extension/lens-index';
import { scanTimerCalls } from '../../src/extension/timer-scan';
import { buildViewData, headerOf } from '../../src/extension/view-data';
import type { RunResult } from '../../src/extension/worker-protocol';
import { readProfileFile } from '../../src/io/profile-file';
import { Sample, timed, Timing, timingOf } from '../stats';

export interface LensFigures {
  /** Scan + match + all lens titles: a document opened (or edited) with its lenses shown. */
  lenses: Timing;
  /** One hover: look-up of the match on the line, span ids, markdown. */
  hover: Timing;
  /** Lenses + one hover: the target figure. */
  total: Timing;
  /** The site index, built once per analysis (not per document). */
  siteIndex: Timing;
  /** Hovers on all matched calls, one after another (per hover: divide by `matched`). */
  allHovers: Timing;
  sourceLines: number;
  timerCalls: number;
  matched: number;
  matchedBySite: number;
}

const LENS_PARTS = ['calls', 'p50', 'p95', 'share', 'cost'] as const;

export async function lensCase(profileFile: string, sourceFile: string, reps: number): Promise<LensFigures> {
  const profile = await readProfileFile(profileFile, { maxBytes: 4 * 1024 * 1024 * 1024 });
  const prices = new PriceBook();
  const analysis = analyze(profile, { prices });
  const result: RunResult = {
    file: profileFile,
    header: headerOf(profile),
    analysis,
    views: buildViewData(profile, analysis, prices.forProfile(profile)),
    criticalPathTotal: cutCriticalPath(analysis, Infinity).total,
    bytesRead: 0,
    budgetPlaces: placeBudgets(analysis.budgets, analysis.timing.bySite),
    truncatedByCap: false,
    workMs: 0,
  };
  const text = fs.readFileSync(sourceFile, 'utf8');
  // The recorded cwd of the generated run; the document sits in it.
  const baseDir = result.header.cwd ?? path.dirname(sourceFile);
  const docPath = path.join(baseDir, 'agent.py');
  let index = buildSiteIndex(result, 1, baseDir);

  const lenses = () => {
    const matches = matchCalls(scanTimerCalls(text), index, docPath);
    for (const m of matches) lensTitle(m.stats, LENS_PARTS);
    return matches;
  };
  const probe = lenses();
  // Hover in the middle of the file, on a call that matched.
  const hoverLine = probe[probe.length >> 1].call.line;
  const hover = (matches: typeof probe, line: number) => {
    const match = matches.find((m) => m.call.line === line);
    if (!match) return '';
    return hoverMarkdown({ match, result, spanIds: spanIdsOf(match, result) });
  };

  const lensSamples: Sample[] = [];
  const hoverSamples: Sample[] = [];
  const totalSamples: Sample[] = [];
  const indexSamples: Sample[] = [];
  const allSamples: Sample[] = [];
  for (let r = -10; r < reps; r++) {
    const i = await timed(() => (index = buildSiteIndex(result, r + 2, baseDir)));
    const l = await timed(lenses);
    const h = await timed(() => hover(l.value, hoverLine));
    const all = await timed(() => {
      for (const m of l.value) hover(l.value, m.call.line);
    });
    if (r < 0) continue; // warm-up
    indexSamples.push(i);
    lensSamples.push(l);
    hoverSamples.push(h);
    totalSamples.push({ wallMs: l.wallMs + h.wallMs, cpuMs: l.cpuMs + h.cpuMs });
    allSamples.push(all);
  }
  return {
    lenses: timingOf(lensSamples),
    hover: timingOf(hoverSamples),
    total: timingOf(totalSamples),
    siteIndex: timingOf(indexSamples),
    allHovers: timingOf(allSamples),
    sourceLines: text.split('\n').length - 1,
    timerCalls: scanTimerCalls(text).length,
    matched: probe.length,
    matchedBySite: probe.filter((m) => m.how === 'site').length,
  };
}
