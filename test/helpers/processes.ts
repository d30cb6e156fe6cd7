/**
 * Start and stop real processes for integration tests: real Redis 7 binaries and our own daemons. Every process
 * started here is tracked and killed by pid in `stopAll()` (call it from afterEach/afterAll), and nothing else is.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const started = new Set<ChildProcess>();

/**
 * Safety net: if the test process ends before its afterAll ran (a worker killed on timeout, Ctrl-C), take the
 * processes it started with it, so no orphaned redis-server keeps a port busy for the next run. `exit` handlers
 * must be synchronous, and process.kill is.
 */
function killStartedSync(): void {
  for (const c of started) {
    try {
      if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.once('exit', killStartedSync);
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(sig, () => {
    killStartedSync();
    process.exit(1);
  });
}

/** Whether an executable is on PATH. */
export function has(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

/** Print why a suite is skipped (the standards forbid silent skips) and return the skip condition. */
export function missing(...bins: string[]): boolean {
  const absent = bins.filter((b) => !has(b));
  if (absent.length > 0) console.warn(`[skip] ${absent.join(', ')} not installed: skipping tests that need it`);
  return absent.length > 0;
}

/**
 * process.kill for a process a test started, or its whole group (`group`: the negative pid). Refuses pids 0 and 1
 * and anything not a positive integer: kill(0) / kill(-0) signal the test runner's own process group (a daemon's
 * pidfile read while still empty once took the whole CI run down that way), kill(1) init.
 */
export function signalStarted(pid: number | undefined, signal: NodeJS.Signals | 0, group = false): void {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 1) throw new Error(`refusing to signal pid ${String(pid)}`);
  process.kill(group ? -pid : pid, signal);
}

export interface Proc {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

export function startProcess(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Proc {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  started.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      started.delete(child);
      resolve(code ?? signal ?? -1);
    });
    child.once('error', () => {
      started.delete(child);
      resolve(-1);
    });
  });
  if (child.pid === undefined) throw new Error(`failed to start ${cmd}`);
  const pid = child.pid;
  return {
    child,
    pid,
    output: () => out,
    exited,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, signal);
      return exited;
    },
  };
}

/** Kill every process this test file started (by pid) and wait for them to exit. */
export async function stopAll(): Promise<void> {
  const all = [...started];
  await Promise.all(
    all.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          try {
            if (c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
          } catch {
            resolve();
          }
        }),
    ),
  );
}

/** Whether something accepts a TCP connection on host:port right now. */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Resolve once something accepts TCP connections on host:port (polls; rejects after timeoutMs). */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await acceptsConnections(port, host)) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A fresh temporary directory; remove it with the returned cleanup. */
export function tempDir(prefix = 'tsentinel-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Start a real redis-server on `port` with a config written into `dir`. Extra directives are config lines
 * (`['replicaof 127.0.0.1 6380', 'save ""']`). Resolves once it accepts connections.
 */
export async function startRedisServer(port: number, dir: string, directives: string[] = []): Promise<Proc> {
  const conf = join(dir, `redis-${port}.conf`);
  writeFileSync(
    conf,
    [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `dbfilename dump-${port}.rdb`, 'save ""', 'appendonly no', ...directives, ''].join(
      '\n',
    ),
  );
  const p = startProcess('redis-server', [conf]);
  await waitForPort(port).catch((e: unknown) => {
    throw new Error(`redis-server on ${port} did not start: ${String(e)}\n${p.output()}`);
  });
  return p;
}

/** Start a real redis-sentinel with the given config lines (it needs a writable config file). */
export async function startRedisSentinel(port: number, dir: string, directives: string[]): Promise<Proc> {
  const conf = join(dir, `sentinel-${port}.conf`);
  writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, ...directives, ''].join('\n'));
  const p = startProcess('redis-sentinel', [conf]);
  await waitForPort(port).catch((e: unknown) => {
    throw new Error(`redis-sentinel on ${port} did not start: ${String(e)}\n${p.output()}`);
  });
  return p;
}
