/**
 * The one implementation of the chat tools' answers, shared by the extension's language-model
 * tools, the MCP server (`agentprof mcp`) and `agentprof tool`. A host provides a
 * {@link RunCatalog}; {@link answerTool} reads the input, finds the run and builds the answer, and
 * {@link answerText} is the text every host sends back. Never throws on bad input: an error is
 * an answer too, so a model can read it and try again.
 */
import { LIMITS, TOOL_DEFINITIONS, TOOL_NAMES, type ToolName } from './definitions';
import { readInput } from './input';
import { bottlenecksAnswer, criticalPathAnswer, summaryAnswer } from './run-answers';
import { clip, isToolError, toolError, type CatalogRun, type RunCatalog, type ToolError, type ToolRun } from './shape';
import { breakdownAnswer, compareAnswer, listRunsAnswer } from './table-answers';

export { LIMITS, TOOL_DEFINITIONS, TOOL_NAMES, isToolError, type RunCatalog, type ToolError, type ToolName, type ToolRun, type CatalogRun };
export { isToolName } from './definitions';
export { toolError } from './shape';

/** An answer: the tool's JSON object, or an error object. */
export type ToolAnswer = Record<string, unknown>;

/** At most this many characters go back to a model; the lists are bounded well below it. */
export const MAX_ANSWER_CHARS = 24_000;

const KEYS: Record<ToolName, readonly string[]> = {
  [TOOL_NAMES.listRuns]: ['limit'],
  [TOOL_NAMES.summary]: ['run'],
  [TOOL_NAMES.bottlenecks]: ['run', 'limit'],
  [TOOL_NAMES.criticalPath]: ['run', 'limit'],
  [TOOL_NAMES.breakdown]: ['run', 'by', 'sort', 'limit'],
  [TOOL_NAMES.compare]: ['run', 'baseline', 'limit'],
};

const TOOL_LIMITS: Record<ToolName, { default: number; max: number } | undefined> = {
  [TOOL_NAMES.listRuns]: LIMITS.runs,
  [TOOL_NAMES.summary]: undefined,
  [TOOL_NAMES.bottlenecks]: LIMITS.bottlenecks,
  [TOOL_NAMES.criticalPath]: LIMITS.criticalPath,
  [TOOL_NAMES.breakdown]: LIMITS.breakdown,
  [TOOL_NAMES.compare]: LIMITS.compare,
};

/** Up to 10 run ids to offer when the model named none that exists. */
function choices(runs: CatalogRun[]): string[] {
  return runs.slice(0, 10).map((r) => clip(r.id, 300));
}

/**
 * Finds the run `ref` names: the active run when absent; else an exact id; else the one run whose
 * id ends with `ref` as a path (a file name), whose file name starts with `ref.`, or whose name is `ref`.
 */
export function findRun(runs: CatalogRun[], ref: string | undefined): CatalogRun | ToolError {
  if (!runs.length) return toolError('no_runs', 'There are no profiled runs in the workspace. Record one first (for example `agentprof run -- python agent.py`) or open a profile or OTLP trace file.');
  if (ref === undefined) return runs.find((r) => r.active) ?? runs[0];
  const exact = runs.find((r) => r.id === ref);
  if (exact) return exact;
  const wanted = ref.trim().replace(/\\/g, '/').toLowerCase();
  const bySuffix = runs.filter((r) => {
    const id = r.id.toLowerCase();
    return id === wanted || id.endsWith(`/${wanted}`);
  });
  // A file name without its extensions (`openinference` for `traces/openinference.otlp.json`).
  const byStem = bySuffix.length ? bySuffix : runs.filter((r) => (r.id.toLowerCase().split('/').pop() ?? '').startsWith(`${wanted}.`));
  const byName = byStem.length ? byStem : runs.filter((r) => r.name !== undefined && r.name.toLowerCase() === wanted);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    return toolError('run_not_found', `"${clip(ref, 120)}" matches ${byName.length} runs; pass one of their ids as \`run\`.`, choices(byName));
  }
  return toolError('run_not_found', `No run "${clip(ref, 120)}" among the ${runs.length} profiled runs; pass one of the ids from agentProfiler_listRuns as \`run\`.`, choices(runs));
}

async function loadRun(catalog: RunCatalog, runs: CatalogRun[], ref: string | undefined): Promise<ToolRun | ToolError> {
  const found = findRun(runs, ref);
  if (isToolError(found)) return found;
  return catalog.load(found.id);
}

/** Answers one call of tool `name` with `input` (anything: it is checked here). */
export async function answerTool(name: string, input: unknown, catalog: RunCatalog): Promise<ToolAnswer> {
  const def = TOOL_DEFINITIONS.find((t) => t.name === name);
  if (!def) {
    return toolError('unknown_tool', `There is no tool "${clip(name, 80)}"; the tools are ${TOOL_DEFINITIONS.map((t) => t.name).join(', ')}.`);
  }
  const read = readInput(input, KEYS[def.name], TOOL_LIMITS[def.name]);
  if (isToolError(read)) return read;
  const { values, notes } = read;
  const withNotes = (answer: ToolAnswer): ToolAnswer => (notes.length ? { ...answer, input_notes: notes } : answer);
  const runs = await catalog.list();
  if (def.name === TOOL_NAMES.listRuns) return withNotes(listRunsAnswer(runs, values.limit));
  const run = await loadRun(catalog, runs, values.run);
  if (isToolError(run)) return withNotes(run);
  switch (def.name) {
    case TOOL_NAMES.summary:
      return withNotes(summaryAnswer(run));
    case TOOL_NAMES.bottlenecks:
      return withNotes(bottlenecksAnswer(run, values.limit));
    case TOOL_NAMES.criticalPath:
      return withNotes(criticalPathAnswer(run, values.limit));
    case TOOL_NAMES.breakdown:
      return withNotes(breakdownAnswer(run, values.by, values.sort, values.limit));
    case TOOL_NAMES.compare: {
      const baselineRef = values.baseline ?? runs.find((r) => r.baseline)?.id;
      if (baselineRef === undefined) {
        return withNotes(toolError('no_baseline', `No baseline is set. ${catalog.baselineHint} Or pass \`baseline\`: one of the run ids below.`, choices(runs.filter((r) => r.id !== run.id))));
      }
      const base = await loadRun(catalog, runs, baselineRef);
      if (isToolError(base)) return withNotes(base);
      return withNotes(compareAnswer(run, base, catalog.regressionPct, values.limit));
    }
  }
}

/** The text of an answer as every host sends it: compact JSON, cut (still a JSON string) if ever too long. */
export function answerText(answer: ToolAnswer): string {
  const text = JSON.stringify(answer);
  if (text.length <= MAX_ANSWER_CHARS) return text;
  return JSON.stringify({ error: { code: 'unreadable', message: `The answer was ${text.length} characters, over the limit of ${MAX_ANSWER_CHARS}; ask for fewer rows with \`limit\`.` } });
}
