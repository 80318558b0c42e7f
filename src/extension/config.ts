/**
 * The extension's settings as one plain typed object. Pure: it reads values through a `get`
 * function, so tests feed it a map and `read-config.ts` feeds it `vscode.workspace.getConfiguration`.
 * Bad values (wrong type, negative numbers) fall back to the default instead of failing.
 */
import { DEFAULT_THRESHOLDS, type Thresholds } from '../core/analysis-types';
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
  /** Names with numbers or ids grouped into templates (core/name-templates.ts). */
  groupNames: boolean;
}

export const DEFAULT_PROFILE_GLOBS = ['**/*.agentprof.jsonl', '**/*.otlp.json', '**/*.otlp.jsonl'];
export const DEFAULT_LENS_PARTS: LensPart[] = ['calls', 'p50', 'p95', 'share', 'cost'];
export const DEFAULT_MAX_FILE_MB = 200;

/** Reads one key inside the `agentProfiler` section (`thresholds.manyCalls`, …). */
export type ConfigGetter = (key: string) => unknown;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, fallback: string[]): string[] {
  if (!Array.isArray(v)) return fallback;
  return v.filter((s): s is string => typeof s === 'string' && s.trim() !== '');
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
  for (const item of v) {
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
    thresholds[key] = nonNegative(get(`thresholds.${key}`), DEFAULT_THRESHOLDS[key]);
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
    groupNames: get('groupNames') !== false,
  };
}
