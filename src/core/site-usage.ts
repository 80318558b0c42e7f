/**
 * Cost and tokens per call site as the timing rows, code lenses and the Call sites table show
 * them: a usage record belongs to the site of the span it was recorded in (the timer's line), and
 * only a record outside any timed span to the line it was recorded at. The hover's per-model
 * figures (site-models.ts) use the same rule, {@link siteOfUsage}, so lens and hover agree.
 */
import type { Profile } from './model';
import { siteOfUsage } from './site-models';

/** Running totals of one site. */
interface Totals {
  costUsd: number;
  tokens: number;
}

/**
 * Usage totals by site, filled in usage-record order (so a batch analysis and a live one that
 * adds the same records in chunks reach the same sums).
 */
export class SiteUsageTotals {
  /** file → line → totals. */
  private readonly sites = new Map<string, Map<number, Totals>>();
  private added = 0;

  /** Adds the usage records not added yet; `cost` holds each record's cost by usage index. */
  addNew(profile: Profile, cost: ArrayLike<number>): void {
    const usage = profile.usage;
    for (let i = this.added; i < usage.length; i++) {
      const u = usage[i];
      const site = siteOfUsage(profile, u);
      if (!site) continue;
      let lines = this.sites.get(site.file);
      if (!lines) this.sites.set(site.file, (lines = new Map()));
      let totals = lines.get(site.line);
      if (!totals) lines.set(site.line, (totals = { costUsd: 0, tokens: 0 }));
      totals.costUsd += cost[i];
      // Input includes cache reads and writes (OTel GenAI rule), so input + output is every token.
      totals.tokens += u.input + u.output;
    }
    this.added = usage.length;
  }

  /** Totals of the site at `file`:`line`, or undefined when no usage belongs there. */
  at(file: string, line: number): Totals | undefined {
    return this.sites.get(file)?.get(line);
  }
}
