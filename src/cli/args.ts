/** Argument parsing for the CLI: thin wrapper over node:util parseArgs with our messages. */
import { parseArgs, ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

/** Parses `args` with `options`; throws UsageError with a readable message on bad input. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** True when colour output suits the stream (a TTY, and NO_COLOR / --no-color not set). */
export function wantsColor(stream: NodeJS.WriteStream, noColorFlag: boolean | undefined): boolean {
  if (noColorFlag || process.env.NO_COLOR !== undefined) return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}
