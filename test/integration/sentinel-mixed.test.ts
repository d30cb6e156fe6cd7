/**
 * Mixed fleets: tsentinel and real redis-sentinel 7.0.15 watching one master discover each other through hellos,
 * agree on ODOWN through is-master-down-by-addr, elect a leader of either kind and complete the failover.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { missing, stopAll } from '../helpers/processes.js';
import { Cluster } from './sentinel-harness.js';

const skip = missing('redis-server', 'redis-sentinel');

describe.skipIf(skip)('mixed quorum: tsentinel + redis-sentinel', () => {
  let cluster: Cluster | null = null;
  afterEach(async () => {
    await cluster?.close();
    cluster = null;
    await stopAll();
  });

  for (const [ts, rs] of [
    [2, 1],
    [1, 2],
  ] as const) {
    it(`${ts} tsentinel + ${rs} redis-sentinel: discovery, ODOWN agreement, one leader, failover completes`, async () => {
      const c = new Cluster({ tsentinels: ts, redisSentinels: rs });
      cluster = c;
      await c.start();
      await c.waitDiscovery(40_000);
      // every sentinel lists every other one, whatever its kind
      for (const s of c.sentinels) {
        const list = await c.cmd(s.port, 'SENTINEL', 'sentinels', 'mymaster');
        for (const o of c.sentinels) if (o !== s) expect(list).toContain(`"port","${o.port}"`);
      }
      const old = `127.0.0.1:${c.masterPort}`;
      await c.killNode(c.masterPort);
      const addr = await c.waitNewMaster(old, 40_000);
      const np = Number(addr.split(':')[1]);
      expect(c.replicaPorts).toContain(np);
      expect(await c.role(np)).toBe('master');
      // all agree on the config epoch of the new configuration
      const epochs = await Promise.all(
        c.sentinels.map(async (s) => {
          const a = JSON.parse(await c.cmd(s.port, 'SENTINEL', 'master', 'mymaster')) as string[];
          return a[a.indexOf('config-epoch') + 1];
        }),
      );
      expect(new Set(epochs).size).toBe(1);
      expect(Number(epochs[0])).toBeGreaterThanOrEqual(1);
      // the leader was one of them (either kind): its failover-end shows in the logs or in redis-sentinel's output
      const tsLeader = c.sentinels.some((s) => s.logs.some((l) => l.includes('+elected-leader')));
      const rsLeader = c.sentinels.some((s) => (s.proc?.output() ?? '').includes('+elected-leader'));
      expect(tsLeader || rsLeader).toBe(true);
    }, 120_000);
  }
});
