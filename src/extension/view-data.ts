/**
 * Picks the small per-span facts the views need out of a parsed profile, in the worker, so the
 * host never holds the model. Pure (no `vscode`, no `fs`): tests run it on hand-built profiles.
 *
 * A live file grows by appends, so {@link LiveViewData} keeps what it worked out and, on each
 * update, looks only at the appended spans and usage records (plus the few spans the critical
 * path and the bottlenecks name). {@link buildViewData} is the same done once.
 */
import type { Analysis } from '../core/analysis-types';
import { isOpen, spanEnd, type Profile, type SpanId } from '../core/model';
import { PriceBook } from '../core/prices';
import { SiteModels, type UsagePricer } from '../core/site-models';
import {
  MAX_IDS_PER_GROUP,
  MAX_SPANS_PER_BOTTLENECK,
  type RunHeader,
  type SiteExtra,
  type SpanRef,
  type ViewData,
} from './worker-protocol';

export type { PricedTokens } from '../core/prices';
/** The part of `PriceBook` (src/core/prices.ts) used here; tests pass a fake. */
export type Pricing = UsagePricer;

const NS_PER_MS = 1e6;

export function headerOf(profile: Profile): RunHeader {
  const r = profile.run;
  return { name: r.name, cwd: r.cwd, argv: r.argv, startEpochNs: r.startEpochNs, recorder: r.recorder, source: r.source };
}

function spanRef(profile: Profile, index: number): SpanRef {
  const s = profile.spans[index];
  const origin = Number.isFinite(profile.minTime) ? profile.minTime : 0;
  return {
    index,
    id: s.id,
    name: s.name,
    file: s.file,
    line: s.line,
    startMs: (s.start - origin) / NS_PER_MS,
    durationMs: (spanEnd(profile, s) - s.start) / NS_PER_MS,
    open: isOpen(s),
    error: s.error,
  };
}

/** The first span ids of one timing site (at most {@link MAX_IDS_PER_GROUP}). */
interface SiteIds {
  ids: SpanId[];
  /** The profile's span count when they were taken: spans from this index on came later. */
  spanCount: number;
  /** How many spans the site had then: a site's list only grows, so the same length is the same list. */
  siteSpans: number;
}

/**
 * View data of one profile as it grows. Call {@link update} after each analysis; the work is
 * proportional to what was appended (plus one pass over the analysis' sites and names, and the
 * spans the critical path and the bottlenecks name). It starts over by itself when handed
 * another profile object (a file read anew) or a book with other prices (another run start);
 * make a new one when the settings change (see `samePrices`).
 *
 * Relies on the builder's contract (src/core/profile-changes.ts): spans and usage records are
 * only appended, and usage records, span names and call sites never change. What can change in
 * earlier spans (end, error) is only read for span refs, which are rebuilt on every update.
 *
 * Arrays handed out are never changed afterwards (a list that grows is copied first), so an
 * earlier result stays valid.
 */
export class LiveViewData {
  private profile: Profile | undefined;
  private pricing: Pricing | undefined;
  private models: SiteModels | undefined;
  /** Spans looked at so far (for the ids by name). */
  private spansSeen = 0;
  /** Span name → ids of its first spans by index (at most {@link MAX_IDS_PER_GROUP}). */
  private idsByName = new Map<string, SpanId[]>();
  /** file → line → first span ids of that timing site. */
  private idsBySite = new Map<string, Map<number, SiteIds>>();

  /**
   * The view data of `profile` as analysed in `analysis` (which must be of this state of the
   * profile). `pricing` prices the calls (the worker passes `prices.forProfile(profile)`). A usage
   * record belongs to the timing site of its span; a record outside any timed span belongs to the
   * site at its own file:line, when one exists.
   */
  update(profile: Profile, analysis: Analysis, pricing: Pricing): ViewData {
    const shrank = profile.spans.length < this.spansSeen || profile.usage.length < (this.models?.usageCount ?? 0);
    if (profile !== this.profile || !samePrices(pricing, this.pricing) || !this.models || shrank) this.startOver(profile, pricing);
    const models = this.models!;
    models.addNew(profile);
    this.addNewSpans(profile);

    const sites: SiteExtra[] = analysis.timing.bySite.map((site) => ({
      spanIds: this.siteSpanIds(profile, site.file, site.line, site.spans),
      models: models.at(site.file, site.line),
    }));
    const nameSpanIds = analysis.timing.byName.map((n) => this.idsByName.get(n.name) ?? []);
    return { spans: referencedSpans(profile, analysis), sites, nameSpanIds };
  }

  private startOver(profile: Profile, pricing: Pricing): void {
    this.profile = profile;
    this.pricing = pricing;
    this.models = new SiteModels(pricing);
    this.spansSeen = 0;
    this.idsByName = new Map();
    this.idsBySite = new Map();
  }

  /** Ids by name from the appended spans; a list that grows is copied once per update. */
  private addNewSpans(profile: Profile): void {
    const spans = profile.spans;
    const copied = new Set<SpanId[]>();
    for (let i = this.spansSeen; i < spans.length; i++) {
      const s = spans[i];
      let ids = this.idsByName.get(s.name);
      if (ids && ids.length >= MAX_IDS_PER_GROUP) continue;
      if (!ids) {
        ids = [];
        copied.add(ids);
      } else if (!copied.has(ids)) {
        ids = ids.slice();
        copied.add(ids);
      }
      this.idsByName.set(s.name, ids);
      ids.push(s.id);
    }
    this.spansSeen = spans.length;
  }

  /**
   * The ids of a site's first spans in start order. A site's spans only ever grow (spans are
   * appended, their call sites and starts never change), so the shown ones before the first
   * span appended since are the same as last time: only ids from there on are looked up (spans
   * are scattered in memory; a list of indices is not).
   */
  private siteSpanIds(profile: Profile, file: string, line: number, spans: readonly number[]): SpanId[] {
    let lines = this.idsBySite.get(file);
    if (!lines) this.idsBySite.set(file, (lines = new Map()));
    const known = lines.get(line);
    // Most sites gained no span since the last update: no need to walk their shown spans.
    if (known && known.siteSpans === spans.length) return known.ids;
    const shown = Math.min(spans.length, MAX_IDS_PER_GROUP);
    // The shown spans before the first one appended since are the same as last time.
    let same = 0;
    if (known) {
      const limit = Math.min(shown, known.ids.length);
      while (same < limit && spans[same] < known.spanCount) same++;
      if (same === shown && shown === known.ids.length) {
        known.siteSpans = spans.length;
        return known.ids;
      }
    }
    const ids = same > 0 ? known!.ids.slice(0, same) : [];
    for (let k = same; k < shown; k++) ids.push(profile.spans[spans[k]].id);
    lines.set(line, { ids, spanCount: profile.spans.length, siteSpans: spans.length });
    return ids;
  }
}

/**
 * True when `b` prices calls as `a` does. `PriceBook.forProfile` keeps one derived book at a
 * time, so with two live files it hands out a new but equal book (same overrides, same instant)
 * on every other call; starting over each time would make every update a full one. Books of
 * different settings can look alike here: a settings change starts a new {@link LiveViewData}.
 */
function samePrices(a: Pricing, b: Pricing | undefined): boolean {
  if (a === b) return true;
  return a instanceof PriceBook && b instanceof PriceBook && a.source === b.source && a.at.getTime() === b.at.getTime();
}

/**
 * Refs of the spans the critical path and the bottlenecks name, by index. Rebuilt every time:
 * there are few, and open spans' durations and everyone's start (from `minTime`) can move.
 */
function referencedSpans(profile: Profile, analysis: Analysis): SpanRef[] {
  const referenced = new Set<number>();
  for (const seg of analysis.criticalPath) if (seg.span >= 0) referenced.add(seg.span);
  for (const b of analysis.bottlenecks) for (const i of b.spans.slice(0, MAX_SPANS_PER_BOTTLENECK)) referenced.add(i);
  return [...referenced]
    .filter((i) => i >= 0 && i < profile.spans.length)
    .sort((a, b) => a - b)
    .map((i) => spanRef(profile, i));
}

/** The view data of an analysed profile, in one go (see {@link LiveViewData.update}). */
export function buildViewData(profile: Profile, analysis: Analysis, pricing: Pricing): ViewData {
  return new LiveViewData().update(profile, analysis, pricing);
}
