/**
 * What every admin subcommand shares: the redis-cli style connection flags (`-h host -p port -a password`), the
 * I/O port the commands write through (so tests and the bin can both drive them), and the rule that a failure is
 * one line on stderr and exit code 1, never a stack trace.
 */
import { Option, type Command } from 'commander';
import { DEFAULT_HOST, OpsError, type Endpoint } from '../../ops/sentinel-client.js';

export interface CliIo {
  /** Write to stdout (text is written as given; callers add newlines). */
  out(text: string): void;
  /** Write to stderr. */
  err(text: string): void;
  /** Whether stdout is a terminal (colours, redraws). */
  isTTY: boolean;
  /** Aborted on Ctrl-C (SIGINT) / SIGTERM: long-running commands stop cleanly and return. */
  signal: AbortSignal;
  /** Wall clock, ms. */
  now(): number;
  /** Register a callback for interrupts after the first (the first aborts `signal`): "press Ctrl-C again to force". */
  onRepeatedInterrupt?(fn: () => void): void;
}

/**
 * The process's own stdout/stderr and an AbortSignal tied to SIGINT, SIGTERM and SIGHUP. The handlers stay
 * installed: a second Ctrl-C must reach `onRepeatedInterrupt` instead of Node's default (exit at once, which would
 * skip the clean-up that stops child processes).
 */
export function processIo(): CliIo {
  const ac = new AbortController();
  const again: (() => void)[] = [];
  const onSignal = (): void => {
    if (!ac.signal.aborted) ac.abort();
    else for (const fn of again) fn();
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    signal: ac.signal,
    now: () => Date.now(),
    onRepeatedInterrupt: (fn) => void again.push(fn),
  };
}

export interface ConnectionFlags {
  host: string;
  port: string;
  password?: string | undefined;
  user?: string | undefined;
  timeout: string;
}

/**
 * `-h/-p/-a` as redis-cli has them, so the subcommand's own help moves to `--help` only. The password may also
 * come from the environment (REDISCLI_AUTH, like redis-cli), which keeps it out of `ps` output.
 */
export function addConnectionOptions(cmd: Command, defaultPort: number, defaultTimeoutMs = 3000): Command {
  return cmd
    .helpOption('--help', 'display help for command')
    .option('-h, --host <host>', 'server host', DEFAULT_HOST)
    .option('-p, --port <port>', 'server port', String(defaultPort))
    .addOption(new Option('-a, --password <password>', 'password (AUTH)').env('REDISCLI_AUTH'))
    .option('--user <username>', 'ACL user name (AUTH <user> <password>)')
    .option('--timeout <ms>', 'connect and command timeout in milliseconds', String(defaultTimeoutMs));
}

function positiveInt(text: string, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new OpsError('EUSAGE', `invalid ${what}: '${text}'`);
  return Number(text);
}

export function endpointOf(flags: ConnectionFlags): Endpoint {
  return {
    host: flags.host,
    port: positiveInt(flags.port, 'port', 65535),
    username: flags.user,
    password: flags.password,
    timeoutMs: positiveInt(flags.timeout, 'timeout'),
  };
}

export function parsePositiveInt(text: string, what: string): number {
  return positiveInt(text, what);
}

/**
 * Run a subcommand body: an OpsError prints `tsentinel <name>: <line>` and yields exit 1; anything unexpected is
 * also one line (set TSENTINEL_DEBUG=1 to see the stack).
 */
export async function runReporting(name: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    const line = e instanceof Error ? e.message.split('\n')[0] : String(e);
    io.err(`tsentinel ${name}: ${line}\n`);
    if (!(e instanceof OpsError) && process.env['TSENTINEL_DEBUG'] === '1' && e instanceof Error) io.err(`${e.stack}\n`);
    return 1;
  }
}

/** Resolve after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
