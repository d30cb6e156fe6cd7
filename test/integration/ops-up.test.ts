/**
 * `tsentinel up` as a user runs it: a separate process, its own process group (a terminal's foreground job), started,
 * waited for, checked over the wire, then Ctrl-C'd (SIGINT to the whole group, as a terminal sends it) or sent
 * SIGTERM alone; afterwards not one of its processes may be left. Until tredis/tsentinel exist this runs the
 * orchestration with real redis-server and redis-sentinel binaries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { allocPorts } from '../helpers/ports.js';
import { missing, signalStarted, tempDir } from '../helpers/processes.js';
import { alive, builtOpsCli, waitFor } from './ops-support.js';

const skip = missing('redis-server', 'redis-sentinel');

/** n consecutive ports from our block (retry past a wrap). */
function consecutive(n: number): number {
  for (;;) {
    const ports = allocPorts(n);
    if (ports.every((p, i) => p === (ports[0] ?? 0) + i)) return ports[0] ?? 0;
  }
}

interface UpRun {
  child: ChildProcess;
  out(): string;
  exited: Promise<number | string>;
}

function startUp(args: string[]): UpRun {
  // detached: its own process group, so the test can signal the group like a terminal does on Ctrl-C
  const child = spawn(process.execPath, [builtOpsCli(), 'up', ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((r) => child.once('exit', (code, sig) => r(code ?? sig ?? -1)));
  return { child, out: () => out, exited };
}

function pidsIn(out: string): number[] {
  return [...out.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));
}

async function sentinelMaster(port: number): Promise<string> {
  const c = new Redis({ port, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
  await c.connect();
  try {
    const r = (await c.call('SENTINEL', ['GET-MASTER-ADDR-BY-NAME', 'mymaster'])) as string[];
    return `${r[0]}:${r[1]}`;
  } finally {
    c.disconnect();
  }
}

describe.skipIf(skip)('tsentinel up (real redis-server + redis-sentinel)', () => {
  const runs: UpRun[] = [];
  const dirs: (() => void)[] = [];
  afterEach(async () => {
    for (const r of runs.splice(0)) {
      // the whole process group we created: even after `up` itself died, children it left would still be in it
      if (r.child.pid !== undefined) {
        try {
          signalStarted(r.child.pid, 'SIGKILL', true);
        } catch {
          /* group gone */
        }
      }
      await r.exited;
    }
    for (const d of dirs.splice(0)) d();
  });

  function launch(extra: string[] = []): { run: UpRun; nodeBase: number; sentinelBase: number; dir: string } {
    const tmp = tempDir('tsentinel-up-');
    dirs.push(tmp.cleanup);
    const nodeBase = consecutive(3);
    const sentinelBase = consecutive(3);
    const dir = join(tmp.dir, 'cluster');
    const run = startUp([
      '--redis-server', 'redis-server', '--redis-sentinel', 'redis-sentinel',
      '--port', String(nodeBase), '--sentinel-port', String(sentinelBase), '--dir', dir, '--down-after', '1000', ...extra,
    ]);
    runs.push(run);
    return { run, nodeBase, sentinelBase, dir };
  }

  it('starts 1 master, 2 replicas and 3 sentinels, prints the snippet, and Ctrl-C leaves nothing behind', async () => {
    const { run, nodeBase, sentinelBase, dir } = launch();
    await waitFor('the cluster to be up', () => run.out().includes('Ctrl-C stops everything.'), 60_000);
    const out = run.out();
    const pids = pidsIn(out);
    expect(pids).toHaveLength(6);
    for (const pid of pids) expect(alive(pid)).toBe(true);
    for (let i = 0; i < 3; i++) {
      expect(out).toContain(`127.0.0.1:${nodeBase + i}`);
      expect(out).toContain(`{ host: '127.0.0.1', port: ${sentinelBase + i} },`);
    }
    expect(out).toContain("name: 'mymaster',");
    // the configs are ordinary files in the data folder
    expect(readFileSync(join(dir, `node-${nodeBase + 1}`, 'node.conf'), 'utf8')).toContain(`replicaof 127.0.0.1 ${nodeBase}`);
    expect(readFileSync(join(dir, `sentinel-${sentinelBase}`, 'sentinel.conf'), 'utf8')).toMatch(
      new RegExp(`sentinel monitor mymaster 127\\.0\\.0\\.1 ${nodeBase} 2`),
    );
    // a client in sentinel mode writes through the master, and a replica has the write
    expect(await sentinelMaster(sentinelBase + 2)).toBe(`127.0.0.1:${nodeBase}`);
    const client = new Redis({ sentinels: [{ host: '127.0.0.1', port: sentinelBase }], name: 'mymaster', maxRetriesPerRequest: 1 });
    await client.set('up-test', 'ok');
    client.disconnect();
    const replica = new Redis({ port: nodeBase + 1, lazyConnect: true, maxRetriesPerRequest: 0 });
    await replica.connect();
    await waitFor('the write to replicate', async () => (await replica.get('up-test')) === 'ok');
    replica.disconnect();

    signalStarted(run.child.pid, 'SIGINT', true); // Ctrl-C: the terminal signals the whole foreground group
    expect(await run.exited).toBe(0);
    expect(run.out()).toContain('stopped 6 processes');
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(existsSync(join(dir, 'cluster.json'))).toBe(false);
  }, 120_000);

  it('SIGTERM to the up process alone also stops every child, and a killed master fails over in the meantime', async () => {
    const { run, nodeBase, sentinelBase } = launch();
    await waitFor('the cluster to be up', () => run.out().includes('Ctrl-C stops everything.'), 60_000);
    const pids = pidsIn(run.out());
    const masterPid = pids[0];
    signalStarted(masterPid, 'SIGKILL');
    await waitFor('the report of the dead master', () => run.out().includes(`port ${nodeBase} (pid ${masterPid}) exited (SIGKILL)`), 10_000);
    await waitFor('a failover', async () => (await sentinelMaster(sentinelBase)) !== `127.0.0.1:${nodeBase}`, 30_000);
    await waitFor('the +switch-master event line', () => /\+switch-master mymaster 127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+/.test(run.out()), 10_000);
    signalStarted(run.child.pid, 'SIGTERM');
    expect(await run.exited).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  }, 120_000);

  it('a second Ctrl-C kills at once, and still nothing is left', async () => {
    const { run } = launch();
    await waitFor('the cluster to be up', () => run.out().includes('Ctrl-C stops everything.'), 60_000);
    const pids = pidsIn(run.out());
    // only the up process gets the signals here, so the children are stopped by it, not by the terminal
    signalStarted(run.child.pid, 'SIGINT');
    signalStarted(run.child.pid, 'SIGINT');
    expect(await run.exited).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  }, 120_000);

  it('after an up that was SIGKILLed, the next up in the same folder stops the orphans it left', async () => {
    const first = launch();
    await waitFor('the cluster to be up', () => first.run.out().includes('Ctrl-C stops everything.'), 60_000);
    const orphans = pidsIn(first.run.out());
    signalStarted(first.run.child.pid, 'SIGKILL'); // no clean-up possible: the children live on
    await first.run.exited;
    expect(orphans.every(alive)).toBe(true);
    const second = startUp([
      '--redis-server', 'redis-server', '--redis-sentinel', 'redis-sentinel', '--port', String(first.nodeBase),
      '--sentinel-port', String(first.sentinelBase), '--dir', first.dir, '--down-after', '1000',
    ]);
    runs.push(second);
    await waitFor('the second cluster to be up', () => second.out().includes('Ctrl-C stops everything.'), 60_000);
    expect(second.out()).toContain('stopped leftover process');
    for (const pid of orphans) expect(alive(pid)).toBe(false);
    const pids = pidsIn(second.out()).filter((p) => !orphans.includes(p));
    expect(pids).toHaveLength(6);
    signalStarted(second.child.pid, 'SIGINT', true);
    expect(await second.exited).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  }, 150_000);

  it('refuses a busy port and a foreign folder in one line, starting nothing', async () => {
    const tmp = tempDir('tsentinel-up-');
    dirs.push(tmp.cleanup);
    const { run: first, nodeBase, sentinelBase } = launch();
    await waitFor('the cluster to be up', () => first.out().includes('Ctrl-C stops everything.'), 60_000);
    const second = startUp(['--redis-server', 'redis-server', '--redis-sentinel', 'redis-sentinel', '--port', String(nodeBase), '--sentinel-port', String(sentinelBase), '--dir', join(tmp.dir, 'x')]);
    runs.push(second);
    expect(await second.exited).toBe(1);
    expect(second.out()).toMatch(new RegExp(`tsentinel up: port ${nodeBase} on 127\\.0\\.0\\.1 is already in use .*\\n`));
    expect(second.out()).not.toMatch(/\n\s+at /); // no stack trace
    const third = startUp(['--redis-server', 'redis-server', '--redis-sentinel', 'redis-sentinel', '--dir', import.meta.dirname]);
    runs.push(third);
    expect(await third.exited).toBe(1);
    expect(third.out()).toContain(`tsentinel up: ${import.meta.dirname} exists and was not created by tsentinel up; choose another folder with --dir\n`);
    signalStarted(first.child.pid, 'SIGINT', true);
    expect(await first.exited).toBe(0);
  }, 120_000);
});
