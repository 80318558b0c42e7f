/**
 * Every identifier the extension shares with package.json: commands, views, settings and context
 * keys, all under the one prefix `agentProfiler.`. A unit test checks this file against
 * package.json in both directions, so a rename cannot leave one side behind.
 */

/** The prefix of every id; also the configuration section. */
export const PREFIX = 'agentProfiler';

/** Commands. `internal` ones are hidden from the palette (they need arguments). */
export const COMMANDS = {
  profileRun: 'agentProfiler.profileRun',
  openProfile: 'agentProfiler.openProfile',
  showWaterfall: 'agentProfiler.showWaterfall',
  compareWithBaseline: 'agentProfiler.compareWithBaseline',
  setBaseline: 'agentProfiler.setBaseline',
  exportReport: 'agentProfiler.exportReport',
  refresh: 'agentProfiler.refresh',
  openLocation: 'agentProfiler.openLocation',
  selectRun: 'agentProfiler.selectRun',
  showDocs: 'agentProfiler.showDocs',
  copyOtlpEndpoint: 'agentProfiler.copyOtlpEndpoint',
  chooseOtlpPort: 'agentProfiler.chooseOtlpPort',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Commands only reachable from the tree, lenses and hovers (hidden in the palette). */
export const INTERNAL_COMMANDS: readonly CommandId[] = [COMMANDS.openLocation, COMMANDS.selectRun];

/**
 * Commands declared here but registered by another module of the extension (the waterfall panel).
 * The extension itself registers every other command.
 */
export const EXTERNALLY_REGISTERED_COMMANDS: readonly CommandId[] = [COMMANDS.showWaterfall];

/** The activity-bar container and its views. */
export const VIEW_CONTAINER = 'agentProfiler';
export const VIEWS = {
  runs: 'agentProfiler.runs',
} as const;

/** Context keys set with `setContext`, used in `when` clauses. */
export const CONTEXT_KEYS = {
  hasRuns: 'agentProfiler.hasRuns',
  hasActiveRun: 'agentProfiler.hasActiveRun',
  running: 'agentProfiler.running',
} as const;

/** Settings, as full keys. `SETTINGS.x.slice(PREFIX.length + 1)` is the key inside the section. */
export const SETTINGS = {
  profileGlobs: 'agentProfiler.profileGlobs',
  pythonPath: 'agentProfiler.pythonPath',
  runCommand: 'agentProfiler.runCommand',
  thresholdsSlowLlmAvgMs: 'agentProfiler.thresholds.slowLlmAvgMs',
  thresholdsSlowToolAvgMs: 'agentProfiler.thresholds.slowToolAvgMs',
  thresholdsManyCalls: 'agentProfiler.thresholds.manyCalls',
  thresholdsExpensiveOperationUsd: 'agentProfiler.thresholds.expensiveOperationUsd',
  thresholdsSequentialSiblings: 'agentProfiler.thresholds.sequentialSiblings',
  thresholdsSuggestionExpensiveUsd: 'agentProfiler.thresholds.suggestionExpensiveUsd',
  thresholdsPromptHeavyShare: 'agentProfiler.thresholds.promptHeavyShare',
  thresholdsRegressionPct: 'agentProfiler.thresholds.regressionPct',
  priceOverrides: 'agentProfiler.priceOverrides',
  budgets: 'agentProfiler.budgets',
  codeLensEnabled: 'agentProfiler.codeLens.enabled',
  codeLensShow: 'agentProfiler.codeLens.show',
  maxFileSizeMB: 'agentProfiler.maxFileSizeMB',
  followSymlinks: 'agentProfiler.followSymlinks',
  otlpEnabled: 'agentProfiler.otlp.enabled',
  otlpPort: 'agentProfiler.otlp.port',
  otlpGrpcPort: 'agentProfiler.otlp.grpcPort',
  groupNames: 'agentProfiler.groupNames',
} as const;

/** Keys of values kept in `workspaceState`. */
export const STATE_KEYS = {
  baseline: 'agentProfiler.baseline',
  activeRun: 'agentProfiler.activeRun',
  confirmedRuns: 'agentProfiler.confirmedRunCommands',
  /** Global state: the user asked not to be told again that the OTLP port is taken. */
  otlpPortWarningDismissed: 'agentProfiler.otlp.portWarningDismissed',
} as const;

/** Name of the output channel and the `source` of every Problems entry. */
export const DISPLAY_NAME = 'Agent Profiler';


/** Glob of the workspace budgets file (read next to the profiles' workspace folder root). */
export const BUDGETS_FILE = 'agentprof.budgets.json';

/** Id of the MCP server definition provider (`contributes.mcpServerDefinitionProviders`). */
export const MCP_SERVER_PROVIDER = 'agentProfiler.mcpServer';
