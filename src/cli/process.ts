/** Process plumbing shared by the daemon entry points. */

/** Print a user-facing error (config report, one-line failure) and exit 1 — never a stack trace. */
export function fatal(message: string): never {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  process.exit(1);
}

/**
 * Run `stop` on the first SIGTERM/SIGINT; a second signal while it runs exits immediately (as redis-server does
 * on a repeated SIGINT), so a stuck shutdown can always be cut short.
 */
export function onTerminationSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`${signal} received again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
