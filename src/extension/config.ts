/**
 * The extension's settings as one plain typed object. Pure: it reads values through a `get`
 * function, so tests feed it a map and `read-config.ts` feeds it `vscode.workspace.getConfiguration`.
 * Bad values (wrong type, negative numbers) fall back to the default instead of failing.
 */
import { DEFAULT_THRESHOLDS, type Thresholds } from '../core/analysis-types';
import { MAX_BUDGET_ENTRIES } from '../core/budgets';
import type { Budget } from '../core/model';
import type { PriceOverride } from '../core/prices';

/** A price override from settings: the core's `PriceOverride`, one definition for both. */
export type PriceOverrideSetting = PriceOverride;

/** Figures a code lens can show, in the order they are shown. */
export const LENS_PARTS = ['calls', 'p50', 'p95', 'avg', 'total', 'share', 'cost'] as const;
export type LensPart = (typeof LENS_PARTS)[number];

export interface ExtensionConfig {
  profileGlobs: string[];
  /** Empty when not set. */
  pythonPath: string;
  /** Empty when not set: then the active Python file is run. */
  runCommand: string[];
  thresholds: Thresholds;
  priceOverrides: PriceOverrideSetting[];
  budgets: Budget[];
  codeLens: { enabled: boolean; show: LensPart[] };
  /** Profiles are read up to this many bytes. */
  maxFileBytes: number;
  /** List profiles reached through symbolic links whose target is inside the workspace folder. */
  followSymlinks: boolean;
  /** The OTLP receiver: ports on 127.0.0.1 (0: a free one); `grpcPort` undefined: no gRPC. */
  otlp: { enabled: boolean; port: number; grpcPort: number | undefined };
  /** Names with numbers or ids grouped into templates (core/name-templates.ts). */
  groupNames: boolean;
}

export const DEFAULT_PROFILE_GLOBS = ['**/*.agentprof.jsonl', '**/*.otlp.json', '**/*.otlp.jsonl'];
export const DEFAULT_LENS_PARTS: LensPart[] = ['calls', 'p50', 'p95', 'share', 'cost'];
export const DEFAULT_MAX_FILE_MB = 200;
export const DEFAULT_OTLP_PORT = 4318;
export const DEFAULT_OTLP_GRPC_PORT = 4317;

/** A TCP port (0 picks a free one), else the fallback; -1 when `off` is allowed means "none". */
function portSetting(v: unknown, fallback: number, off: boolean): number | undefined {
  if (off && v === -1) return undefined;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : fallback;
}

/** Reads one key inside the `agentProfiler` section (`thresholds.manyCalls`, …). */
export type ConfigGetter = (key: string) => unknown;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, fallback: string[]): string[] {
  if (!Array.isArray(v)) return fallback;
  return v.filter((s): s is string => typeof s === 'string' && s.trim() !== '');
}

/**
 * The allowed range of each threshold, the same as the settings' JSON schema in package.json (a
 * unit test holds the two together). A workspace may set thresholds in Restricted Mode; a
 * threshold of 0 made every call site a bottleneck (150 002 Problems entries), so the rules'
 * thresholds must be above 0. `regressionPct` may be 0: any growth is a regression, and it makes
 * no Problems entries.
 */
export const THRESHOLD_BOUNDS: Record<keyof Thresholds, { exclusiveMinimum?: number; minimum?: number; maximum?: number }> = {
  slowLlmAvgMs: { exclusiveMinimum: 0 },
  slowToolAvgMs: { exclusiveMinimum: 0 },
  manyCalls: { exclusiveMinimum: 0 },
  expensiveOperationUsd: { exclusiveMinimum: 0 },
  sequentialSiblings: { minimum: 2 },
  suggestionExpensiveUsd: { exclusiveMinimum: 0 },
  promptHeavyShare: { exclusiveMinimum: 0, maximum: 1 },
  regressionPct: { minimum: 0 },
};

/** `v` when it is a finite number inside `key`'s bounds, else the default. */
function threshold(key: keyof Thresholds, v: unknown): number {
  const b = THRESHOLD_BOUNDS[key];
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (b.exclusiveMinimum === undefined || v > b.exclusiveMinimum) &&
    (b.minimum === undefined || v >= b.minimum) &&
    (b.maximum === undefined || v <= b.maximum);
  return ok ? v : DEFAULT_THRESHOLDS[key];
}

function nonNegative(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
}

function optionalLimit(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function priceOverrides(v: unknown): PriceOverrideSetting[] {
  if (!Array.isArray(v)) return [];
  const out: PriceOverrideSetting[] = [];
  for (const item of v) {
    if (!isRecord(item) || typeof item.model !== 'string' || item.model === '') continue;
    const input = optionalLimit(item.inputPerMTok);
    const output = optionalLimit(item.outputPerMTok);
    if (input === undefined || output === undefined) continue;
    out.push({
      model: item.model,
      provider: typeof item.provider === 'string' && item.provider ? item.provider : undefined,
      inputPerMTok: input,
      outputPerMTok: output,
      cacheReadPerMTok: optionalLimit(item.cacheReadPerMTok),
      cacheWritePerMTok: optionalLimit(item.cacheWritePerMTok),
    });
  }
  return out;
}

function budgets(v: unknown): Budget[] {
  if (!Array.isArray(v)) return [];
  const out: Budget[] = [];
  // As many as a budgets file may hold (budgets.ts); a workspace's settings are as untrusted.
  for (const item of v.slice(0, MAX_BUDGET_ENTRIES)) {
    if (!isRecord(item) || typeof item.target !== 'string' || item.target === '') continue;
    // The keys of agentprof.budgets.json, so an entry can move between the two unchanged.
    const b: Budget = {
      target: item.target,
      maxTokens: optionalLimit(item.tokens),
      maxCostUsd: optionalLimit(item.cost),
      maxMs: optionalLimit(item.ms),
      source: 'settings',
    };
    if (b.maxTokens === undefined && b.maxCostUsd === undefined && b.maxMs === undefined) continue;
    out.push(b);
  }
  return out;
}

function lensParts(v: unknown): LensPart[] {
  if (!Array.isArray(v)) return DEFAULT_LENS_PARTS;
  const wanted = new Set(v.filter((p) => typeof p === 'string'));
  // Always in the canonical order, whatever order the user listed them in.
  return LENS_PARTS.filter((p) => wanted.has(p));
}

/** Builds the typed configuration from raw setting values. */
export function parseConfig(get: ConfigGetter): ExtensionConfig {
  const thresholds = { ...DEFAULT_THRESHOLDS };
  for (const key of Object.keys(DEFAULT_THRESHOLDS) as Array<keyof Thresholds>) {
    thresholds[key] = threshold(key, get(`thresholds.${key}`));
  }
  const globs = stringList(get('profileGlobs'), DEFAULT_PROFILE_GLOBS);
  const pythonPath = get('pythonPath');
  const maxMb = nonNegative(get('maxFileSizeMB'), DEFAULT_MAX_FILE_MB);
  return {
    profileGlobs: globs.length ? globs : DEFAULT_PROFILE_GLOBS,
    pythonPath: typeof pythonPath === 'string' ? pythonPath.trim() : '',
    runCommand: stringList(get('runCommand'), []),
    thresholds,
    priceOverrides: priceOverrides(get('priceOverrides')),
    budgets: budgets(get('budgets')),
    codeLens: { enabled: get('codeLens.enabled') !== false, show: lensParts(get('codeLens.show')) },
    maxFileBytes: Math.round((maxMb > 0 ? maxMb : DEFAULT_MAX_FILE_MB) * 1024 * 1024),
    followSymlinks: get('followSymlinks') === true,
    otlp: {
      enabled: get('otlp.enabled') !== false,
      port: portSetting(get('otlp.port'), DEFAULT_OTLP_PORT, false) as number,
      grpcPort: portSetting(get('otlp.grpcPort'), DEFAULT_OTLP_GRPC_PORT, true),
    },
    groupNames: get('groupNames') !== false,
  };
}
