/**
 * The analysis worker's answers to the waterfall panel: the run's columns (sent with their buffers
 * transferred, not copied) and the details of one span. The worker owns the parsed profile, so the
 * host never holds a million spans; it only forwards these answers to the webview.
 */
import type { CriticalSegment } from '../core/analysis-types';
import { criticalPath } from '../core/critical-path';
import type { Profile } from '../core/model';
import type { PriceBook } from '../core/prices';
import { spanDetails } from '../core/span-details';
import { usageCosts } from '../core/tokens';
import { buildWaterfallColumns, columnBuffers } from '../core/waterfall-columns';
import type { PolledProfile } from '../io/profile-source';
import type { WaterfallReply, WaterfallRequest } from './worker-protocol';

/**
 * The critical path of each profile at the byte offset it was computed for (a tail keeps one
 * profile object until the file is rewritten): a panel that is hidden and shown again asks for
 * the same columns, and on a million spans the path is the costly part of them.
 */
const criticalCache = new WeakMap<Profile, { offset: number; segments: CriticalSegment[] }>();

function criticalOf(tail: PolledProfile, profile: Profile): CriticalSegment[] {
  const cached = criticalCache.get(profile);
  if (cached && cached.offset === tail.offset) return cached.segments;
  const segments = criticalPath(profile);
  criticalCache.set(profile, { offset: tail.offset, segments });
  return segments;
}

/** A reply and the buffers to transfer with it. */
export interface WaterfallAnswer {
  reply: WaterfallReply;
  transfer: ArrayBuffer[];
}

/**
 * Answers `msg` from `tail`'s profile. The tail is polled first, so a panel opened on a file the
 * worker has not read yet (or a live file that grew) gets its latest state; `markStale` is called
 * when that poll read anything, so the next analysis request does not answer "unchanged".
 */
export async function answerWaterfall(msg: WaterfallRequest, tail: PolledProfile, prices: PriceBook, markStale: () => void): Promise<WaterfallAnswer> {
  try {
    const polled = await tail.poll();
    if (polled.appendedBytes > 0 || polled.reset) markStale();
    if (polled.missing && tail.offset === 0) {
      return { reply: { type: 'waterfallFailed', id: msg.id, message: `${tail.path} does not exist` }, transfer: [] };
    }
    const profile = tail.profile;
    switch (msg.type) {
      case 'waterfall': {
        const columns = buildWaterfallColumns(profile, criticalOf(tail, profile), usageCosts(profile, prices));
        return { reply: { type: 'waterfallData', id: msg.id, columns }, transfer: columnBuffers(columns) };
      }
      case 'spanDetails': {
        // Prices as of the run's start, as the analysis uses them; only the span's own calls.
        const book = prices.forProfile(profile);
        const details = spanDetails(profile, msg.span, (u) => book.price(u.model, u.provider, u).costUsd);
        return { reply: { type: 'spanDetails', id: msg.id, details }, transfer: [] };
      }
      default: {
        const never: never = msg;
        return { reply: { type: 'waterfallFailed', id: (never as { id: number }).id, message: 'unknown request' }, transfer: [] };
      }
    }
  } catch (err) {
    return { reply: { type: 'waterfallFailed', id: msg.id, message: (err as Error).message ?? String(err) }, transfer: [] };
  }
}
