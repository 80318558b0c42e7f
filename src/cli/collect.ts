/**
 * `agentprof collect --port 4318 [--grpc-port 4317] --out DIR`: the editor's OTLP receiver without
 * the editor, for scripts and CI. Prints the endpoint, writes `*.otlp.jsonl` under DIR, and on
 * SIGINT or SIGTERM finishes writing and prints what it received.
 */
import * as path from 'node:path';
import { OtlpReceiver, ReceiverStartError } from '../io/otlp-receiver';
import { parse, UsageError } from './args';
import { EXIT_UNUSABLE } from './commands';

function portOption(name: string, value: string | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} takes a port number (0 picks a free one), got '${value}'`);
  return n;
}

export async function runCollect(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    port: { type: 'string' },
    'grpc-port': { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`collect takes no file arguments (got '${positionals[0]}'); use --out DIR`);
  const port = portOption('port', values.port, 4318) as number;
  const grpcPort = portOption('grpc-port', values['grpc-port'], undefined);
  const dir = path.resolve(values.out ?? path.join('.agentprof', 'otlp'));
  let receiver: OtlpReceiver;
  try {
    receiver = await OtlpReceiver.start({
      dir,
      port,
      grpcPort,
      onRefused: (status, reason) => process.stderr.write(`agentprof: refused a request (${status}): ${reason}\n`),
    });
  } catch (err) {
    if (err instanceof ReceiverStartError && err.code === 'EADDRINUSE') {
      const flag = err.protocol === 'grpc' ? '--grpc-port' : '--port';
      process.stderr.write(`agentprof: port ${err.port} is in use (another receiver or collector?); choose another with ${flag} N, or ${flag} 0 for a free one\n`);
      return EXIT_UNUSABLE;
    }
    throw err;
  }
  process.stdout.write(`${receiver.endpoint}\n`);
  process.stderr.write(
    `agentprof: OTLP/HTTP at ${receiver.endpoint}/v1/traces` +
      (receiver.grpcPort !== undefined ? `, OTLP/gRPC at 127.0.0.1:${receiver.grpcPort}` : '') +
      `; writing to ${dir}. Ctrl+C stops.\n`,
  );
  receiver.sink.onNewFile = (file) => {
    const rel = path.relative(process.cwd(), file);
    process.stderr.write(`agentprof: writing ${rel && !rel.startsWith('..') ? rel : file}\n`);
  };

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await receiver.close();
  const { spans, requests } = receiver.sink.stats;
  const files = receiver.sink.written();
  process.stderr.write(`agentprof: received ${spans} span${spans === 1 ? '' : 's'} in ${requests} request${requests === 1 ? '' : 's'}; ${files.length} file${files.length === 1 ? '' : 's'}\n`);
  for (const f of files) process.stderr.write(`  ${f.file}  ${f.spans} spans\n`);
  return 0;
}
