/**
 * The example research agent's run, as the waterfall shows it: the profile is recorded by running
 * examples/research_agent/agent.py under the Python recorder (once; the file is reused), then
 * parsed and analysed like the worker does.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { Analysis } from '../../src/core/analysis-types';
import type { Profile } from '../../src/core/model';
import { PriceBook } from '../../src/core/prices';
import { spanDetails, type SpanDetails } from '../../src/core/span-details';
import { usageCosts } from '../../src/core/tokens';
import { buildWaterfallColumns, type WaterfallColumns } from '../../src/core/waterfall-columns';
import { parseJsonl } from '../../src/ingest/jsonl';
import { ROOT } from './harness';

export const EXAMPLE_PROFILE = process.env.AGENTPROF_EXAMPLE_PROFILE ?? '/tmp/example.agentprof.jsonl';

export interface ExampleRun {
  profile: Profile;
  analysis: Analysis;
  columns: WaterfallColumns;
  details(span: number): SpanDetails | undefined;
}

/** Records the example run when the file is missing, and loads it. */
export function exampleRun(): ExampleRun {
  if (!fs.existsSync(EXAMPLE_PROFILE)) {
    execFileSync('python3', [path.join('examples', 'research_agent', 'agent.py')], {
      cwd: ROOT,
      env: { ...process.env, PYTHONPATH: path.join(ROOT, 'recorders', 'python'), AGENTPROF_OUT: EXAMPLE_PROFILE },
      stdio: 'ignore',
    });
  }
  const profile = parseJsonl(fs.readFileSync(EXAMPLE_PROFILE));
  const prices = new PriceBook();
  const analysis = analyze(profile, { prices });
  const costs = usageCosts(profile, prices);
  return {
    profile,
    analysis,
    columns: buildWaterfallColumns(profile, analysis.criticalPath, costs),
    details: (span) => spanDetails(profile, span, (u) => costs[u.index]),
  };
}
