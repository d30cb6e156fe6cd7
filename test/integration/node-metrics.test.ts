/**
 * tredis's HTTP listener as users run it (the compiled bin): `--metrics-port` / `metrics-port` serve tredis_*
 * metrics read from the node's own INFO, /healthz and /readyz; without it nothing listens. And `tsentinel up
 * --metrics-port` with tredis nodes (real redis-sentinel watching them): every node serves its role.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { allocPort, allocPorts } from '../helpers/ports.js';
import { missing, signalStarted, startProcess, stopAll, tempDir, waitForPort } from '../helpers/processes.js';
import { promtoolCheck } from '../helpers/promtool.js';
import { builtOpsCli, waitFor } from './ops-support.js';
import { RawClient } from './node-raw-client.js';

const BIN = resolve('dist/cli/tredis.js');
const built = existsSync(BIN);
if (!built) console.warn('[skip] dist/cli/tredis.js not built (npm run build): skipping the tredis metrics listener tests');

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: r.status, body: await r.text() };
}

describe.skipIf(!built)('tredis metrics listener (dist/cli/tredis.js)', () => {
  const tmp = tempDir('tredis-metrics-');
  afterEach(() => stopAll());
  afterAll(() => tmp.cleanup());

  it('--metrics-port serves tredis_* from INFO, /healthz and /readyz; the RESP port works as before', async () => {
    const [port = 0, metrics = 0] = allocPorts(2);
    startProcess(process.execPath, [BIN, '--port', String(port), '--bind', '127.0.0.1', '--dir', tmp.dir, '--save', '', '--metrics-port', String(metrics)]);
    await waitForPort(port);
    const c = await RawClient.open(port);
    expect(await c.call(['SET', 'a', '1'])).toBe('+OK\r\n');
    expect(await c.call(['SET', 'b', '2', 'EX', '100'])).toBe('+OK\r\n');
    expect(await c.call(['CONFIG', 'GET', 'metrics-*'])).toBe(
      `*4\r\n$12\r\nmetrics-port\r\n$${String(metrics).length}\r\n${metrics}\r\n$12\r\nmetrics-bind\r\n$9\r\n127.0.0.1\r\n`,
    );
    c.close();
    const m = await get(metrics, '/metrics');
    expect(m.status).toBe(200);
    expect(m.body).toMatch(/^tredis_role_info\{role="master"\} 1$/m);
    expect(m.body).toMatch(/^tredis_keys\{db="0"\} 2$/m);
    expect(m.body).toMatch(/^tredis_expiring_keys\{db="0"\} 1$/m);
    expect(m.body).toMatch(/^tredis_commands_total\{command="set"\} 2$/m);
    expect(m.body).toMatch(/^process_cpu_user_seconds_total /m);
    const lint = promtoolCheck(m.body, 'tredis /metrics exposition');
    if (lint !== null) {
      expect(lint.problems).toEqual([]);
      expect([0, 3]).toContain(lint.status);
    }
    expect(await get(metrics, '/healthz')).toMatchObject({ status: 200 });
    expect((await get(metrics, '/readyz')).status).toBe(200);
  });

  it('metrics-port in a config file; no listener without it', async () => {
    const [port = 0, metrics = 0, other = 0] = allocPorts(3);
    const conf = join(tmp.dir, 'node.conf');
    writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ndir ${tmp.dir}\nsave ""\nmetrics-port ${metrics}\nmetrics-bind 127.0.0.1\n`);
    startProcess(process.execPath, [BIN, conf]);
    await waitForPort(port);
    await waitForPort(metrics);
    expect((await get(metrics, '/metrics')).body).toMatch(/^tredis_role_info\{role="master"\} 1$/m);
    startProcess(process.execPath, [BIN, '--port', String(other), '--bind', '127.0.0.1', '--dir', tmp.dir, '--save', '', '--dbfilename', 'other.rdb']);
    await waitForPort(other);
    const c = await RawClient.open(other);
    expect(await c.call(['CONFIG', 'GET', 'metrics-port'])).toBe('*2\r\n$12\r\nmetrics-port\r\n$1\r\n0\r\n');
    c.close();
  });

  it('a metrics port that cannot be bound is a start-up error, exit 1', async () => {
    const [port = 0, metrics = 0] = allocPorts(2);
    const holder = startProcess(process.execPath, [BIN, '--port', String(metrics), '--bind', '127.0.0.1', '--dir', tmp.dir, '--save', '', '--dbfilename', 'h.rdb']);
    await waitForPort(metrics);
    const p = startProcess(process.execPath, [BIN, '--port', String(port), '--bind', '127.0.0.1', '--dir', tmp.dir, '--save', '', '--metrics-port', String(metrics)]);
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/tredis: metrics listener: .*/);
    await holder.kill();
  });
});

describe.skipIf(!built || missing('redis-sentinel'))('tsentinel up --metrics-port with tredis nodes', () => {
  let child: ChildProcess | undefined;
  const tmp = tempDir('tredis-up-metrics-');
  afterAll(async () => {
    if (child?.pid !== undefined) {
      try {
        signalStarted(child.pid, 'SIGKILL', true); // the whole group `up` started, by its leader's pid
      } catch {
        /* gone */
      }
    }
    tmp.cleanup();
  });

  it('every node serves its role on port+100 and up', async () => {
    // `up` takes consecutive ports: the master and its replica from --port, the nodes' metrics from
    // --metrics-port + 100 (the sentinel's own metrics port is unused with redis-sentinel)
    const [nodeBase = 0, , sentinelPort = 0, nodeMetrics = 0] = allocPorts(5);
    const metricsBase = nodeMetrics - 100;
    child = spawn(
      process.execPath,
      [builtOpsCli(), 'up', '--replicas', '1', '--sentinels', '1', '--redis-sentinel', 'redis-sentinel', '--port', String(nodeBase),
        '--sentinel-port', String(sentinelPort), '--metrics-port', String(metricsBase), '--dir', join(tmp.dir, 'cluster'), '--no-status'],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<unknown>((r) => child?.once('exit', r));
    await waitFor('the cluster to be up', () => out.includes('Ctrl-C stops everything.'), 60_000).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${out}`);
    });
    expect(out).toContain(`metrics http://127.0.0.1:${metricsBase + 100}/metrics`);
    const master = await get(metricsBase + 100, '/metrics');
    expect(master.body).toMatch(/^tredis_role_info\{role="master"\} 1$/m);
    await waitFor('the replica link', async () => /^tredis_master_link_up\{master="[^"]+"\} 1$/m.test((await get(metricsBase + 101, '/metrics')).body), 30_000);
    expect((await get(metricsBase + 101, '/metrics')).body).toMatch(/^tredis_role_info\{role="replica"\} 1$/m);
    signalStarted(child.pid, 'SIGINT', true);
    await exited;
    child = undefined;
  }, 120_000);
});
