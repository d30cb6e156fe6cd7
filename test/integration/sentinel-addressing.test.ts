/**
 * Addresses and names against real redis-server: hostnames with resolve-hostnames / announce-hostnames, IPv6
 * (::1), rename-command on the nodes, and the CLIENT SETNAME names the links use.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/common/logger.js';
import { startSentinel } from '../../src/sentinel/main.js';
import { allocPort } from '../helpers/ports.js';
import { missing, startProcess, stopAll, tempDir, waitForPort } from '../helpers/processes.js';
import { Cluster, until } from './sentinel-harness.js';

const skip = missing('redis-server');

describe.skipIf(skip)('addressing', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
    await stopAll();
  });

  it('links are named sentinel-<id8>-cmd / -pubsub on the nodes', async () => {
    const c = new Cluster({ tsentinels: 1, replicas: 1, quorum: 1 });
    cleanups.push(() => c.close());
    await c.start();
    await c.waitDiscovery();
    const id8 = c.sentinels[0]!.handle!.myid.slice(0, 8);
    const list = await c.cmd(c.masterPort, 'CLIENT', 'LIST');
    expect(list).toMatch(new RegExp(`name=sentinel-${id8}-cmd `));
    expect(list).toMatch(new RegExp(`name=sentinel-${id8}-pubsub .*sub=1`));
  });

  it('resolve-hostnames + announce-hostnames: `localhost` is monitored and shown as a hostname', async () => {
    const c = new Cluster({ tsentinels: 0, replicas: 1, quorum: 1 });
    cleanups.push(() => c.close());
    await c.startNodes();
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 's.conf');
    writeFileSync(
      file,
      ['port 0', 'bind 127.0.0.1', 'sentinel resolve-hostnames yes', 'sentinel announce-hostnames yes', `sentinel monitor m localhost ${c.masterPort} 1`, 'sentinel down-after-milliseconds m 1000', ''].join('\n'),
    );
    const s = await startSentinel(file, { logger: createLogger({ role: 'sentinel', format: 'json', level: 'warning', sink: { write: () => {} } }) });
    cleanups.push(() => s.close());
    expect(await c.cmd(s.port, 'SENTINEL', 'get-master-addr-by-name', 'm')).toBe(`["localhost","${c.masterPort}"]`);
    await until(async () => (await c.cmd(s.port, 'SENTINEL', 'master', 'm')).includes('"flags","master"'), 10_000, 'master reachable through the hostname');
    await until(async () => (await c.cmd(s.port, 'SENTINEL', 'replicas', 'm')).includes(String(c.replicaPorts[0])), 15_000, 'replica discovered');
    // a hostname given to MONITOR at runtime resolves without blocking; without resolve-hostnames it is refused
    expect(await c.cmd(s.port, 'SENTINEL', 'monitor', 'm2', 'localhost', String(c.replicaPorts[0]), '1')).toBe('OK');
    expect(await c.cmd(s.port, 'SENTINEL', 'monitor', 'm3', 'no-such-host.invalid', '1', '1')).toBe('ERR:ERR Invalid IP address or hostname specified');
    expect(await c.cmd(s.port, 'SENTINEL', 'config', 'set', 'resolve-hostnames', 'no')).toBe('OK');
    expect(await c.cmd(s.port, 'SENTINEL', 'monitor', 'm4', 'localhost', '1', '1')).toBe('ERR:ERR Invalid IP address or hostname specified');
  });

  it('IPv6: a master on ::1 with a replica, failover through [::1] addresses', async () => {
    const d = tempDir();
    cleanups.push(d.cleanup);
    const mp = allocPort();
    const rp = allocPort();
    const start6 = async (port: number, extra: string[]) => {
      const conf = join(d.dir, `r6-${port}.conf`);
      writeFileSync(conf, [`port ${port}`, 'bind ::1', `dir ${d.dir}`, `dbfilename d-${port}.rdb`, 'save ""', 'repl-diskless-sync-delay 0', ...extra, ''].join('\n'));
      const p = startProcess('redis-server', [conf]);
      await waitForPort(port, '::1', 5000);
      return p;
    };
    let m;
    try {
      m = await start6(mp, []);
    } catch {
      console.warn('[skip] redis-server cannot listen on ::1 here: IPv6 test skipped');
      return;
    }
    await start6(rp, [`replicaof ::1 ${mp}`]);
    const file = join(d.dir, 's6.conf');
    writeFileSync(file, ['port 0', 'bind ::1', `sentinel monitor m ::1 ${mp} 1`, 'sentinel down-after-milliseconds m 1000', ''].join('\n'));
    const s = await startSentinel(file, { logger: createLogger({ role: 'sentinel', format: 'json', level: 'warning', sink: { write: () => {} } }) });
    cleanups.push(() => s.close());
    const core = s.core;
    await until(() => core.state.masters.get('m')!.replicas.has(`[::1]:${rp}`), 15_000, 'IPv6 replica discovered as [::1]:port');
    await until(() => [...core.state.masters.get('m')!.replicas.values()].every((r) => r.infoRefresh !== 0), 15_000, 'replica INFO');
    await m.kill('SIGKILL');
    await until(() => core.state.masters.get('m')!.addr.port === rp, 15_000, 'failover to the IPv6 replica');
    expect(core.state.masters.get('m')!.addr.ip).toBe('::1');
  });

  it('rename-command: nodes with renamed CONFIG/SLAVEOF are still failed over', async () => {
    const c = new Cluster({ tsentinels: 0, replicas: 2, quorum: 1, nodeConf: ['rename-command CONFIG cfg-x', 'rename-command SLAVEOF slaveof-x', 'rename-command REPLICAOF replicaof-x'] });
    cleanups.push(() => c.close());
    await c.startNodes();
    await c.startTsentinel(['sentinel rename-command mymaster CONFIG cfg-x', 'sentinel rename-command mymaster SLAVEOF slaveof-x']);
    await c.waitDiscovery();
    await c.killNode(c.masterPort);
    const addr = await c.waitNewMaster(`127.0.0.1:${c.masterPort}`);
    const np = Number(addr.split(':')[1]);
    expect(await c.role(np)).toBe('master');
    const other = c.replicaPorts.find((p) => p !== np)!;
    await until(async () => (await c.cmd(other, 'INFO', 'replication')).includes(`master_port:${np}`), 10_000, 'other replica reconfigured through the renamed SLAVEOF');
  });
});
