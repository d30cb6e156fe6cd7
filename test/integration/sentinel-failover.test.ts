/**
 * Three tsentinels supervising real redis-server 7.0 (master + 2 replicas), down-after 1000 ms: crash failover,
 * old master rejoin, manual (and coordinated) failover, replica-priority 0, SENTINEL RESET, runtime
 * MONITOR/SET/REMOVE — all observed through the wire API, as clients and operators see it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { missing, stopAll } from '../helpers/processes.js';
import { Cluster, eventsOf, until } from './sentinel-harness.js';

const skip = missing('redis-server');

describe.skipIf(skip)('tsentinel ×3 with real redis-server', () => {
  let cluster: Cluster | null = null;
  afterEach(async () => {
    await cluster?.close();
    cluster = null;
    await stopAll();
  });

  async function up(opts: Partial<ConstructorParameters<typeof Cluster>[0]> = {}): Promise<Cluster> {
    cluster = new Cluster({ tsentinels: 3, ...opts });
    await cluster.start();
    await cluster.waitDiscovery();
    return cluster;
  }

  it('crash failover: every sentinel reports the promoted replica; the restarted old master rejoins as a replica', async () => {
    const c = await up();
    const old = `127.0.0.1:${c.masterPort}`;
    const t0 = Date.now();
    await c.killNode(c.masterPort);
    const addr = await c.waitNewMaster(old);
    const took = Date.now() - t0;
    const newPort = Number(addr.split(':')[1]);
    expect(c.replicaPorts).toContain(newPort);
    expect(await c.role(newPort)).toBe('master');
    expect(took).toBeLessThan(c.downAfter + 1500);
    const other = c.replicaPorts.find((p) => p !== newPort)!;
    await until(async () => (await c.cmd(other, 'INFO', 'replication')).includes(`master_port:${newPort}`), 10_000, 'other replica follows');
    // exactly one leader, with the reference's events
    const leaders = c.sentinels.filter((s) => eventsOf(s).some((e) => e.startsWith('+elected-leader')));
    expect(leaders.length).toBe(1);
    const ev = eventsOf(leaders[0]!).map((e) => e.split(' ')[0]);
    for (const e of ['+sdown', '+odown', '+try-failover', '+vote-for-leader', '+elected-leader', '+selected-slave', '+promoted-slave', '+failover-state-reconf-slaves']) {
      expect(ev).toContain(e);
    }
    // the old master restarts as a master; it is turned into a replica of the new one
    await c.restartNode(c.masterPort);
    const back = Date.now();
    await until(async () => (await c.role(c.masterPort)) === 'slave', 15_000, 'old master converted');
    expect(Date.now() - back).toBeLessThan(4000);
    await until(async () => (await c.cmd(c.masterPort, 'INFO', 'replication')).includes(`master_port:${newPort}`), 5000, 'old master follows the new one');
    // all sentinels list it as a replica of the new master
    await until(async () => {
      for (const s of c.sentinels) {
        const r = await c.cmd(s.port, 'SENTINEL', 'replicas', 'mymaster');
        if (!r.includes(String(c.masterPort))) return false;
      }
      return true;
    }, 10_000, 'old master listed as a replica');
  }, 90_000);

  it('SENTINEL FAILOVER: promotion, +switch-master on every sentinel, the old master demoted quickly', async () => {
    const c = await up();
    const old = `127.0.0.1:${c.masterPort}`;
    const s0 = c.sentinels[0]!;
    expect(await c.cmd(s0.port, 'SENTINEL', 'failover', 'mymaster')).toBe('OK');
    expect(await c.cmd(s0.port, 'SENTINEL', 'failover', 'mymaster')).toMatch(/^ERR:INPROG Failover already in progress|^OK$/);
    const addr = await c.waitNewMaster(old);
    const t = Date.now();
    await until(async () => (await c.role(c.masterPort)) === 'slave', 15_000, 'old master demoted');
    expect(Date.now() - t).toBeLessThan(4000);
    expect(await c.role(Number(addr.split(':')[1]))).toBe('master');
  }, 60_000);

  it('SENTINEL FAILOVER COORDINATED: FAILOVER TO hands over; acknowledged writes survive', async () => {
    const c = await up();
    const old = `127.0.0.1:${c.masterPort}`;
    const w = c.client(c.masterPort);
    await w.connect();
    for (let i = 0; i < 200; i++) await w.set(`k${i}`, String(i));
    expect(await c.cmd(c.sentinels[1]!.port, 'SENTINEL', 'failover', 'mymaster', 'COORDINATED')).toBe('OK');
    const addr = await c.waitNewMaster(old);
    const np = Number(addr.split(':')[1]);
    expect(await c.role(np)).toBe('master');
    expect(await c.role(c.masterPort)).toBe('slave');
    expect(await c.cmd(np, 'GET', 'k199')).toBe('199');
    expect(await c.cmd(np, 'DBSIZE')).toBe('200');
    // both roles survive a restart: the old master's config now says replicaof the new one
    await until(() => readFileSync(join(c.dir, `redis-${c.masterPort}.conf`), 'latin1').includes(`replicaof 127.0.0.1 ${np}`), 5000, 'old master config rewritten');
  }, 60_000);

  it('a replica with replica-priority 0 is never promoted', async () => {
    const c = await up({ replicaConf: { 0: ['replica-priority 0'] } });
    const zero = c.replicaPorts[0]!;
    const good = c.replicaPorts[1]!;
    await until(async () => {
      const r = await c.cmd(c.sentinels[0]!.port, 'SENTINEL', 'replicas', 'mymaster');
      return r.includes('"slave-priority","0"');
    }, 15_000, 'priority 0 seen');
    await c.killNode(c.masterPort);
    const addr = await c.waitNewMaster(`127.0.0.1:${c.masterPort}`);
    expect(addr).toBe(`127.0.0.1:${good}`);
    expect(await c.role(zero)).toBe('slave');
  }, 60_000);

  it('SENTINEL RESET forgets replicas and sentinels, which are rediscovered', async () => {
    const c = await up();
    const s = c.sentinels[2]!;
    expect(await c.cmd(s.port, 'SENTINEL', 'reset', 'mymaster')).toBe('1');
    expect(await c.cmd(s.port, 'SENTINEL', 'reset', 'nomatch*')).toBe('0');
    expect(eventsOf(s).some((e) => e.startsWith('+reset-master master mymaster'))).toBe(true);
    await c.waitDiscovery();
  }, 60_000);

  it('runtime MONITOR, SET, CONFIG SET, REMOVE', async () => {
    const c = await up();
    const s = c.sentinels[0]!;
    const p = c.replicaPorts[0]!;
    expect(await c.cmd(s.port, 'SENTINEL', 'monitor', 'other', '127.0.0.1', String(p), '1')).toBe('OK');
    expect(await c.cmd(s.port, 'SENTINEL', 'monitor', 'other', '127.0.0.1', String(p), '1')).toBe('ERR:ERR Duplicate master name.');
    expect(await c.cmd(s.port, 'SENTINEL', 'set', 'other', 'down-after-milliseconds', '2000', 'quorum', '2')).toBe('OK');
    const m = JSON.parse(await c.cmd(s.port, 'SENTINEL', 'master', 'other')) as string[];
    expect(m[m.indexOf('down-after-milliseconds') + 1]).toBe('2000');
    expect(m[m.indexOf('quorum') + 1]).toBe('2');
    expect(await c.cmd(s.port, 'SENTINEL', 'config', 'set', 'announce-port', '26999')).toBe('OK');
    expect(await c.cmd(s.port, 'SENTINEL', 'config', 'get', 'announce-port')).toBe('["announce-port","26999"]');
    expect(await c.cmd(s.port, 'SENTINEL', 'remove', 'other')).toBe('OK');
    expect(await c.cmd(s.port, 'SENTINEL', 'master', 'other')).toBe('ERR:ERR No such master with that name');
    const ev = eventsOf(s);
    expect(ev).toContain(`+monitor master other 127.0.0.1 ${p} quorum 1`);
    expect(ev).toContain(`+set master other 127.0.0.1 ${p} down-after-milliseconds 2000`);
    expect(ev).toContain(`-monitor master other 127.0.0.1 ${p}`);
  }, 60_000);
});
