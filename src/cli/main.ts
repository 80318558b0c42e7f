/**
 * `agentprof`: the same analysis as the extension, in a terminal or CI.
 *
 *   agentprof report FILE [--json] [--budgets FILE] [--run N] [--no-color]
 *   agentprof compare BASE FILE [--json | --markdown] [--fail-on-regression PCT]
 *   agentprof run [--out FILE] [--json] -- COMMAND...
 *   agentprof export --format FORMAT FILE [-o OUT]
 */
import { runCompare, runReport } from './commands';
import { runExport } from './export';
import { runAgent } from './run-agent';
import { usage } from './usage';
import { version as VERSION } from '../../package.json';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'report':
      return runReport(rest);
    case 'compare':
      return runCompare(rest);
    case 'run':
      return runAgent(rest);
    case 'export':
      return runExport(rest);
    case '--version':
    case '-v':
      process.stdout.write(`agentprof ${VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`agentprof: unknown command '${command}'\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`agentprof: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
