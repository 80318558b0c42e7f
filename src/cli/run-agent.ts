/** `agentprof run [--out FILE] -- COMMAND...`: runs an agent under the recorder, then reports. */
import { printable } from '../core/report/printable';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentEnvironment, defaultProfilePath, runNameOf } from '../io/agent-env';
import { parse, UsageError, wantsColor } from './args';
import { EXIT_UNUSABLE, loadForReport, printReport } from './commands';

/** The bundled Python recorder: next to dist/ when built, or at the repo root in development. */
export function pythonRecorderDir(): string {
  const candidates = [path.resolve(__dirname, '..', 'recorders', 'python'), path.resolve(__dirname, '..', '..', 'recorders', 'python')];
  const found = candidates.find((c) => fs.existsSync(path.join(c, 'agentprof', '__init__.py')));
  if (!found) throw new Error(`the bundled Python recorder is missing (looked in ${candidates.join(', ')})`);
  return found;
}

export async function runAgent(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    out: { type: 'string' },
    json: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError('run needs a command after --, e.g. agentprof run -- python3 agent.py');
  const out = path.resolve(values.out ?? defaultProfilePath(process.cwd(), runNameOf(positionals)));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const env = agentEnvironment(process.env, out, pythonRecorderDir());

  // Argument array, no shell: nothing from the command line is interpreted twice.
  const child = spawn(positionals[0], positionals.slice(1), { env, stdio: ['inherit', 'inherit', 'inherit'] });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  if (exit.error) {
    process.stderr.write(`agentprof: ${printable(`cannot start ${positionals[0]}: ${exit.error.message}`)}\n`);
    return EXIT_UNUSABLE;
  }
  const failed = exit.code !== 0;
  if (failed) {
    process.stderr.write(`agentprof: the agent ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}; reporting what was recorded\n`);
  }
  process.stderr.write(`agentprof: profile written to ${printable(path.relative(process.cwd(), out) || out)}\n`);
  if (!fs.existsSync(out)) {
    process.stderr.write('agentprof: the agent wrote no profile (does it import agentprof and use timers?)\n');
    return failed ? 1 : EXIT_UNUSABLE;
  }
  const loaded = await loadForReport(out);
  if (!loaded) return failed ? 1 : EXIT_UNUSABLE;
  printReport(loaded, Boolean(values.json), wantsColor(process.stdout, values['no-color']));
  return failed ? 1 : 0;
}
