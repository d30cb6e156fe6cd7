/**
 * Three tsentinels supervising tredis nodes (the bundled node, in this process): crash failover, the returning
 * old master demoted, manual failover — the same expectations as against redis-server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stopAll } from '../helpers/processes.js';
import { Cluster, until } from './sentinel-harness.js';

describe('tsentinel ×3 with tredis nodes', () => {
  let cluster: Cluster | null = null;
  afterEach(async () => {
    await cluster?.close();
    cluster = null;
    await stopAll();
  });

  it('crash failover and old master rejoin', async () => {
    const c = new Cluster({ tsentinels: 3, nodeKind: 'tredis' });
    cluster = c;
    await c.start();
    await c.waitDiscovery();
    const old = `127.0.0.1:${c.masterPort}`;
    await c.killNode(c.masterPort);
    const addr = await c.waitNewMaster(old);
    const np = Number(addr.split(':')[1]);
    expect(c.replicaPorts).toContain(np);
    expect(await c.role(np)).toBe('master');
    const other = c.replicaPorts.find((p) => p !== np)!;
    await until(async () => (await c.cmd(other, 'INFO', 'replication')).includes(`master_port:${np}`), 10_000, 'other replica follows');
    await c.restartNode(c.masterPort);
    await until(async () => (await c.role(c.masterPort)) === 'slave', 15_000, 'old master converted');
    await until(async () => (await c.cmd(c.masterPort, 'INFO', 'replication')).includes(`master_port:${np}`), 10_000, 'old master follows the new one');
  }, 90_000);

  it('SENTINEL FAILOVER', async () => {
    const c = new Cluster({ tsentinels: 3, nodeKind: 'tredis' });
    cluster = c;
    await c.start();
    await c.waitDiscovery();
    const old = `127.0.0.1:${c.masterPort}`;
    expect(await c.cmd(c.sentinels[0]!.port, 'SENTINEL', 'failover', 'mymaster')).toBe('OK');
    const addr = await c.waitNewMaster(old);
    expect(await c.role(Number(addr.split(':')[1]))).toBe('master');
    await until(async () => (await c.role(c.masterPort)) === 'slave', 15_000, 'old master demoted');
  }, 60_000);
});
