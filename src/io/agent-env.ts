/**
 * How an agent is started under our recorder: where its profile goes and what its environment
 * gains. Shared by `agentprof run` and the extension's Profile Agent Run.
 */
import * as path from 'node:path';

/** `20261123T121500Z`: sortable, filename-safe UTC time. */
export function utcStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Default profile path for a run: `<dir>/.agentprof/<UTC stamp>-<name>.agentprof.jsonl`. */
export function defaultProfilePath(dir: string, runName: string, now = new Date()): string {
  const safe = runName.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'run';
  return path.join(dir, '.agentprof', `${utcStamp(now)}-${safe}.agentprof.jsonl`);
}

/**
 * The environment of the agent: the caller's, plus `AGENTPROF_OUT` and the bundled Python
 * recorder first on `PYTHONPATH` (so `import agentprof` finds ours, not a stale copy).
 */
export function agentEnvironment(
  base: NodeJS.ProcessEnv,
  outFile: string,
  pythonRecorderDir: string,
): NodeJS.ProcessEnv {
  const existing = base.PYTHONPATH;
  return {
    ...base,
    AGENTPROF_OUT: outFile,
    PYTHONPATH: existing ? `${pythonRecorderDir}${path.delimiter}${existing}` : pythonRecorderDir,
    PYTHONUNBUFFERED: base.PYTHONUNBUFFERED ?? '1',
  };
}

/** A run name from a command line: the script's stem (`agent.py` → `agent`), else the program. */
export function runNameOf(command: string[]): string {
  const script = command.find((a, i) => i > 0 && /\.(py|js|ts|mjs|cjs)$/.test(a)) ?? command[0] ?? 'run';
  return path.basename(script).replace(/\.[^.]+$/, '');
}
