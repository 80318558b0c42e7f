/**
 * Profiling must never break or silence the agent: problems are reported once per kind on
 * stderr (`agentprof: …`) and the agent keeps running.
 */

const warned = new Set<string>();

/** Writes `agentprof: <message>` to stderr the first time `kind` is seen; later calls are dropped. */
export function warnOnce(kind: string, message: string): void {
  if (warned.has(kind)) return;
  warned.add(kind);
  try {
    process.stderr.write(`agentprof: ${message}\n`);
  } catch {
    // stderr itself is gone; nothing left to tell
  }
}
