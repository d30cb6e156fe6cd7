/**
 * tredis as a process (the compiled bin): start-up errors name file and line and exit non-zero; `daemonize yes`
 * really detaches and writes the pidfile; SHUTDOWN and SIGTERM stop it (saving when configured) and remove the
 * pidfile; CONFIG REWRITE persists CONFIG SET changes into the file.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allocPort } from '../helpers/ports.js';
import { signalStarted, startProcess, stopAll, tempDir, waitForPort } from '../helpers/processes.js';
import { until } from '../helpers/wait.js';
import { RawClient } from './node-raw-client.js';

const BIN = resolve('dist/cli/tredis.js');
const built = existsSync(BIN);
if (!built) console.warn('[skip] dist/cli/tredis.js not built (npm run build): skipping tredis process tests');

function run(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
      done({ code, out: stdout + stderr });
    });
  });
}

/** Process start-up and exit here can take longer than the default wait. */
const waitFor = (cond: () => boolean, ms = 15_000): Promise<void> => until(cond, ms);

function pidAlive(pid: number): boolean {
  if (pid <= 1) return false; // kill(0, 0) would answer for our own process group
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!built)('tredis process', () => {
  const dirs: (() => void)[] = [];
  const daemons: number[] = [];
  afterEach(async () => {
    for (const pid of daemons.splice(0)) if (pid > 1 && pidAlive(pid)) signalStarted(pid, 'SIGKILL');
    await stopAll();
    for (const d of dirs.splice(0)) d();
  });

  function dir(): string {
    const t = tempDir('tredis-proc-');
    dirs.push(t.cleanup);
    return t.dir;
  }

  it('an unknown directive or bad value is a start-up error with file:line, exit 1', async () => {
    const d = dir();
    const conf = join(d, 'bad.conf');
    writeFileSync(conf, `port ${allocPort()}\nreplcaof 127.0.0.1 6379\nmaxmemory lots\n`);
    const r = await run([conf], d);
    expect(r.code).toBe(1);
    expect(r.out).toContain('*** FATAL CONFIG FILE ERROR');
    expect(r.out).toContain(`${conf}:2: Bad directive or wrong number of arguments`);
    expect(r.out).toContain(">>> 'replcaof 127.0.0.1 6379'");
    expect(r.out).toContain(`${conf}:3: argument must be a memory value`);
  });

  it('daemonize yes detaches, writes the pidfile; SHUTDOWN removes it and the process exits', async () => {
    const d = dir();
    const port = allocPort();
    const pidfile = join(d, 'tredis.pid');
    const conf = join(d, 'node.conf');
    writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${d}`, 'daemonize yes', `pidfile ${pidfile}`, `logfile ${join(d, 'log.txt')}`, 'save ""', ''].join('\n'));
    const r = await run([conf], d);
    expect(r.code).toBe(0); // the parent returns at once
    // the daemon creates the file, then writes it: wait for a whole pid, not just the file
    await waitFor(() => existsSync(pidfile) && /^[1-9]\d*$/.test(readFileSync(pidfile, 'utf8').trim()));
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    daemons.push(pid);
    expect(pidAlive(pid)).toBe(true);
    await waitForPort(port);
    const c = await RawClient.open(port);
    expect(await c.call(['INFO', 'server'])).toContain(`process_id:${pid}\r\n`);
    const closed = c.callRaw('*1\r\n$8\r\nSHUTDOWN\r\n');
    expect(await closed).toBe('<closed>');
    await waitFor(() => !pidAlive(pid));
    expect(existsSync(pidfile)).toBe(false);
  });

  it('SIGTERM saves the dataset when save points exist and exits 0; the RDB loads at the next start', async () => {
    const d = dir();
    const port = allocPort();
    const conf = join(d, 'node.conf');
    writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${d}`, 'save 3600 1', ''].join('\n'));
    const p = startProcess(process.execPath, [BIN, conf], { cwd: d });
    await waitForPort(port);
    let c = await RawClient.open(port);
    expect(await c.call(['SET', 'persisted', 'yes'])).toBe('+OK\r\n');
    c.close();
    const code = await p.kill('SIGTERM');
    expect(code).toBe(0);
    expect(existsSync(join(d, 'dump.rdb'))).toBe(true);
    const p2 = startProcess(process.execPath, [BIN, conf], { cwd: d });
    await waitForPort(port);
    c = await RawClient.open(port);
    expect(await c.call(['GET', 'persisted'])).toBe('$3\r\nyes\r\n');
    c.close();
    await p2.kill('SIGKILL');
  });

  it('CONFIG REWRITE writes CONFIG SET values into the config file', async () => {
    const d = dir();
    const port = allocPort();
    const conf = join(d, 'node.conf');
    writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${d}`, 'save ""', 'maxmemory 10mb', ''].join('\n'));
    const p = startProcess(process.execPath, [BIN, conf], { cwd: d });
    await waitForPort(port);
    const c = await RawClient.open(port);
    expect(await c.call(['CONFIG', 'SET', 'maxmemory', '20mb', 'maxmemory-policy', 'allkeys-lru', 'timeout', '30'])).toBe('+OK\r\n');
    expect(await c.call(['CONFIG', 'REWRITE'])).toBe('+OK\r\n');
    const text = readFileSync(conf, 'utf8');
    expect(text).toContain('maxmemory 20mb');
    expect(text).toContain('maxmemory-policy allkeys-lru');
    expect(text).toContain('timeout 30');
    expect(text).toContain(`port ${port}`);
    c.close();
    await p.kill('SIGKILL');
  });
});
