/** Run start times as the tools show them. */

/** Epoch nanoseconds (a decimal string) as ISO 8601, or undefined for 0, garbage or out of range. */
export function epochNsToIso(ns: string): string | undefined {
  if (!/^\d{1,30}$/.test(ns)) return undefined;
  const ms = Number(BigInt(ns) / 1_000_000n);
  // Date covers ±8.64e15 ms; a profile may claim any start.
  return ms > 0 && ms <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}
