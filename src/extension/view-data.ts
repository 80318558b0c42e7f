/**
 * Picks the small per-span facts the views need out of a parsed profile, in the worker, so the
 * host never holds the model. Pure (no `vscode`, no `fs`): tests run it on hand-built profiles.
 */
import type { Analysis } from '../core/analysis-types';
import { isOpen, spanEnd, type Profile, type SpanId } from '../core/model';
import {
  MAX_IDS_PER_GROUP,
  MAX_SPANS_PER_BOTTLENECK,
  type ModelUse,
  type RunHeader,
  type SiteExtra,
  type SpanRef,
  type ViewData,
} from './worker-protocol';

/** Token counts a price lookup needs (`PricedTokens` of src/core/prices.ts). */
export interface PricedTokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * The part of `PriceBook` (src/core/prices.ts) used here; tests pass a fake. Calls are priced one
 * by one, as the price book asks: long-context tiers depend on each call's size.
 */
export interface Pricing {
  price(model: string, provider: string | undefined, u: PricedTokens): { priced: boolean; costUsd: number };
  cheaperAlternatives(
    model: string,
    provider: string | undefined,
    u: readonly PricedTokens[],
  ): Array<{ model: string; provider: string; costUsd: number }>;
}

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

/** Token use by model of a set of usage records, priced per call, with the cheapest cheaper model. */
function modelUses(profile: Profile, usageIndices: number[], pricing: Pricing): ModelUse[] {
  const byModel = new Map<string, { use: ModelUse; calls: PricedTokens[] }>();
  for (const ui of usageIndices) {
    const u = profile.usage[ui];
    const key = `${u.provider ?? ''}\u0000${u.model}`;
    let group = byModel.get(key);
    if (!group) {
      group = {
        use: {
          model: u.model,
          provider: u.provider,
          calls: 0,
          input: 0,
          output: 0,
          cacheRead: 0,
          cacheWrite: 0,
          reasoning: 0,
          costUsd: 0,
          priced: true,
          cheapest: undefined,
        },
        calls: [],
      };
      byModel.set(key, group);
    }
    const m = group.use;
    m.calls++;
    m.input += u.input;
    m.output += u.output;
    m.cacheRead += u.cacheRead;
    m.cacheWrite += u.cacheWrite;
    m.reasoning += u.reasoning;
    const tokens: PricedTokens = { input: u.input, output: u.output, cacheRead: u.cacheRead, cacheWrite: u.cacheWrite };
    group.calls.push(tokens);
    const p = pricing.price(u.model, u.provider, tokens);
    if (p.priced) m.costUsd += p.costUsd;
    else m.priced = false;
  }
  const out: ModelUse[] = [];
  for (const { use, calls } of byModel.values()) {
    if (!use.priced) use.costUsd = 0;
    else {
      for (const alt of pricing.cheaperAlternatives(use.model, use.provider, calls)) {
        if (alt.costUsd < use.costUsd && (!use.cheapest || alt.costUsd < use.cheapest.costUsd)) use.cheapest = alt;
      }
    }
    out.push(use);
  }
  return out.sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls);
}

/**
 * Builds the view data of an analysed profile. A usage record belongs to the timing site of its
 * span; a record outside any timed span belongs to the site at its own file:line, when one exists.
 */
export function buildViewData(profile: Profile, analysis: Analysis, pricing: Pricing): ViewData {
  const sites = analysis.timing.bySite;
  const siteOfSpan = new Map<number, number>();
  const siteOfKey = new Map<string, number>();
  sites.forEach((site, si) => {
    siteOfKey.set(`${site.file}:${site.line}`, si);
    for (const spanIndex of site.spans) siteOfSpan.set(spanIndex, si);
  });

  const usageOfSite: number[][] = sites.map(() => []);
  for (const u of profile.usage) {
    let si = u.span >= 0 ? siteOfSpan.get(u.span) : undefined;
    if (si === undefined && u.file !== undefined && u.line !== undefined) si = siteOfKey.get(`${u.file}:${u.line}`);
    if (si !== undefined) usageOfSite[si].push(u.index);
  }

  const siteExtras: SiteExtra[] = sites.map((site, si) => ({
    spanIds: site.spans.slice(0, MAX_IDS_PER_GROUP).map((i) => profile.spans[i].id),
    models: modelUses(profile, usageOfSite[si], pricing),
  }));

  // Span ids per name, collected in one pass over the spans (names can be many).
  const nameIndex = new Map<string, number>();
  analysis.timing.byName.forEach((n, i) => nameIndex.set(n.name, i));
  const nameSpanIds: SpanId[][] = analysis.timing.byName.map(() => []);
  for (const s of profile.spans) {
    const ni = nameIndex.get(s.name);
    if (ni !== undefined && nameSpanIds[ni].length < MAX_IDS_PER_GROUP) nameSpanIds[ni].push(s.id);
  }

  const referenced = new Set<number>();
  for (const seg of analysis.criticalPath) if (seg.span >= 0) referenced.add(seg.span);
  for (const b of analysis.bottlenecks) for (const i of b.spans.slice(0, MAX_SPANS_PER_BOTTLENECK)) referenced.add(i);
  const spans = [...referenced]
    .filter((i) => i >= 0 && i < profile.spans.length)
    .sort((a, b) => a - b)
    .map((i) => spanRef(profile, i));

  return { spans, sites: siteExtras, nameSpanIds };
}
