/**
 * `agentprof report … | head`: when the reader closes the pipe, the next write fails with EPIPE
 * and, unhandled, prints a stack trace. A closed pipe means nobody wants the rest, so the CLI
 * ends at once, quietly, with exit code 0 (as `cat file | head` does in a shell without pipefail).
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}
