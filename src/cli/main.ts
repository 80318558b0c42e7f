/**
 * `agentprof`: the same analysis as the extension, in a terminal or CI.
 *
 *   agentprof report FILE [--json] [--budgets FILE] [--run N] [--no-color]
 *   agentprof compare BASE FILE [--json | --markdown] [--fail-on-regression PCT]
 *   agentprof run [--out FILE] [--json] -- COMMAND...
 *   agentprof export --format FORMAT FILE [-o OUT]
 *   agentprof mcp [PATH...] [--baseline FILE]
 *   agentprof tool NAME [--input JSON] [PATH...]
 *   agentprof collect --port 4318 [--grpc-port 4317] --out DIR
 */
import { runCollect } from './collect';
import { runCompare, runReport } from './commands';
import { runExport } from './export';
import { runMcp, runTool } from './mcp';
import { runAgent } from './run-agent';
import { usage } from './usage';
import { printable } from '../core/report/printable';
import { endQuietlyOnClosedPipe } from './pipe';
import * as v8 from 'node:v8';
import { limitForHeap, setModelMemoryLimit } from '../core/memory-account';
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
    case 'mcp':
      return runMcp(rest);
    case 'tool':
      return runTool(rest);
    case 'collect':
      return runCollect(rest);
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
      process.stderr.write(`agentprof: unknown command '${printable(command)}'\n\n${usage}`);
      return 2;
  }
}

endQuietlyOnClosedPipe();
// Reading stops before V8's heap limit, with a message and exit 2 (memory-account.ts);
// AGENTPROF_MEMORY_LIMIT_MB can lower the limit, never raise it.
setModelMemoryLimit(limitForHeap(v8.getHeapStatistics().heap_size_limit, Number(process.env.AGENTPROF_MEMORY_LIMIT_MB) || undefined));
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`agentprof: ${printable(err instanceof Error ? err.message : String(err))}\n`);
    process.exitCode = 2;
  },
);
