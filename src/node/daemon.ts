/**
 * Process-level bits of a node: `daemonize yes` and the pidfile (server.c daemonize / createPidFile). Node cannot
 * fork, so daemonizing re-spawns the same command line as a detached child (marked by an environment variable)
 * with its stdio detached, and the parent exits; the child writes the pidfile once it runs.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { atomicWriteFile, FileWriteError } from '../common/atomic-write.js';

export const DAEMON_CHILD_ENV = 'TREDIS_DAEMON_CHILD';
/** server.c: a daemonized server without a pidfile directive writes this one. */
export const DEFAULT_DAEMON_PIDFILE = '/var/run/redis.pid';

export type DaemonRole = 'parent' | 'child' | 'foreground';

/**
 * Call first thing in the CLI when the config says `daemonize yes`: 'parent' means a detached copy was started
 * and this process should exit 0; 'child' means we are that copy; 'foreground' means no daemonizing.
 */
export function daemonize(enabled: boolean, opts: { argv?: readonly string[]; logfile?: string } = {}): DaemonRole {
  if (process.env[DAEMON_CHILD_ENV] === '1') return 'child';
  if (!enabled) return 'foreground';
  const argv = opts.argv ?? process.argv.slice(1);
  // Redis sends stdio to /dev/null after fork; logs go to the logfile (or nowhere when it is stdout)
  const out = opts.logfile !== undefined && opts.logfile !== '' ? openSync(opts.logfile, 'a') : 'ignore';
  const child = spawn(process.execPath, [...process.execArgv, ...argv], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, [DAEMON_CHILD_ENV]: '1' },
  });
  child.unref();
  if (typeof out === 'number') closeSync(out);
  return 'parent';
}

/** createPidFile: `<pid>\n`. Failure is logged by the caller and is not fatal (as in Redis). */
export function writePidfile(path: string): string | null {
  const text = `${process.pid}\n`;
  try {
    // temp file + rename: a service manager (or a test) reading it right after the parent exits never sees it
    // created but still empty
    atomicWriteFile(path, text);
    return null;
  } catch (err) {
    if (!(err instanceof FileWriteError && err.step === 'open-temp')) return err instanceof Error ? err.message : String(err);
  }
  try {
    writeFileSync(path, text); // no temp file allowed in its directory (a pre-created pidfile): write it in place
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function removePidfile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Which pidfile to write, if any: the configured one, or Redis's default when daemonized. */
export function pidfilePath(pidfile: string | null, daemonized: boolean): string | null {
  if (pidfile !== null && pidfile !== '') return pidfile;
  return daemonized ? DEFAULT_DAEMON_PIDFILE : null;
}
