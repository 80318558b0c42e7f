/**
 * The public API of the core: the data model, the builder importers fill it with, the analyzers
 * and their result types, run comparison and the reports. Pure (no `vscode`, no `fs`): the
 * extension host, the webview, the CLI and the benchmarks all import from here.
 */
export * from './model';
export * from './builder';
export * from './analysis-types';
export * from './format';

export { analyze } from './analyze';
export type { AnalyzeOptions } from './analyze';
export { compareRuns } from './compare';
export type { Comparison, ComparisonRow, ComparisonSide } from './compare';
export { orderBottlenecks, resolveThresholds, timeBottlenecks } from './bottlenecks';
export type { TimingTables } from './bottlenecks';

export * from './timing';
export * from './critical-path';
export * from './waterfall';
export * from './prices';
export * from './tokens';
export * from './budgets';
export * from './suggestions';
export * from './cost-bottlenecks';

export * from './report/json';
export * from './report/text';
