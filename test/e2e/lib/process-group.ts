// Child process groups that must not outlive the test run. code-server forks extension hosts,
// a pty host and file watchers; killing only its pid would leave those behind, so every server
// runs in its own process group under a small "reaper" that also kills the group when our stdin
// pipe closes, which happens even when the test process is killed with SIGKILL.
import { ChildProcess, spawn } from 'child_process';

/**
 * Node source of the reaper: runs argv[1..] as a child in the reaper's own process group
 * (the reaper is the group leader because it is spawned detached), forwards its output, and
 * kills the whole group when stdin ends (the parent died or closed the pipe) or the command exits.
 * SIGTERM is passed on to the command only, so it can shut down before the group is killed.
 */
const REAPER_SOURCE = `
const { spawn } = require('child_process');
const [cmd, ...args] = process.argv.slice(1);
const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const killGroup = () => { try { process.kill(-process.pid, 'SIGKILL'); } catch { process.exit(1); } };
process.stdin.on('end', killGroup);
process.stdin.on('close', killGroup);
process.stdin.resume();
// A polite stop: let the command shut down, then take whatever it left behind with it.
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', killGroup);
`;

const liveGroups = new Set<number>();

process.on('exit', () => {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
});

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** A command running in its own process group. */
export interface GroupProcess {
  /** The group leader (the reaper); its pid is the process group id. */
  readonly child: ChildProcess;
  /** Resolves with the exit code once the reaper has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM to the command, SIGKILL to the group after `graceMs`; resolves once all is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node -e REAPER cmd ...args` detached (own process group), with stdout/stderr piped to
 * the caller. `reaperNode` is the node binary that runs the reaper (any version works).
 */
export function spawnGroup(
  reaperNode: string,
  cmd: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string },
): GroupProcess {
  const child = spawn(reaperNode, ['-e', REAPER_SOURCE, cmd, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env,
    cwd: options.cwd,
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`could not start ${cmd}`);
  liveGroups.add(pgid);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      // The reaper is gone; make sure nothing it started lingers.
      killGroup(pgid, 'SIGKILL');
      liveGroups.delete(pgid);
      resolve(code);
    });
  });
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5000): Promise<void> => {
    stopping ??= (async () => {
      if (!liveGroups.has(pgid)) return;
      child.kill('SIGTERM'); // the reaper passes it on to the command only
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
      if ((await Promise.race([exited, timer])) === 'timeout') killGroup(pgid, 'SIGKILL');
      await exited;
    })();
    return stopping;
  };
  return { child, exited, stop };
}
