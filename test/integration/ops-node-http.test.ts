/**
 * The node-side HTTP listener (startNodeOpsHttp: tredis_* metrics + /readyz from INFO) over a real redis-server's
 * INFO, fetched with ioredis: the collector needs nothing but INFO text, so the reference server proves it; tredis's
 * composition root passes its own INFO the same way.
 */
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpsHttpHandle } from '../../src/ops/http.js';
import { startNodeOpsHttp } from '../../src/ops/tredis-metrics.js';
import { allocPorts } from '../helpers/ports.js';
import { has, missing, stopAll, tempDir } from '../helpers/processes.js';
import { startRealNodes } from './ops-support.js';

describe.skipIf(missing('redis-server'))('node HTTP listener over real redis-server INFO', () => {
  const tmp = tempDir('tsentinel-nodehttp-');
  const clients: Redis[] = [];
  const https: OpsHttpHandle[] = [];
  let master = 0;
  let replica = 0;
  let mPort = 0;
  let rPort = 0;

  beforeAll(async () => {
    [master = 0, replica = 0, mPort = 0, rPort = 0] = allocPorts(4);
    await startRealNodes(tmp.dir, master, [replica]);
    for (const [port, metrics] of [[master, mPort], [replica, rPort]] as const) {
      const c = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
      await c.connect();
      clients.push(c);
      const h = await startNodeOpsHttp({ port: metrics, bind: '127.0.0.1' }, new Registry(), async () => String(await c.call('INFO', ['all'])));
      if (h !== undefined) https.push(h);
    }
    await clients[0]?.set('a', '1');
    await clients[0]?.set('b', '2', 'EX', 100);
  });

  afterAll(async () => {
    await Promise.all(https.map((h) => h.close()));
    for (const c of clients) c.disconnect();
    await stopAll();
    tmp.cleanup();
  });

  it('serves tredis_* series for master and replica', async () => {
    const m = await (await fetch(`http://127.0.0.1:${mPort}/metrics`)).text();
    expect(m).toMatch(/^tredis_role_info\{role="master"\} 1$/m);
    expect(m).toMatch(/^tredis_connected_replicas 1$/m);
    expect(m).toMatch(/^tredis_keys\{db="0"\} 2$/m);
    expect(m).toMatch(/^tredis_expiring_keys\{db="0"\} 1$/m);
    expect(m).toMatch(/^tredis_commands_total\{command="set"\} 2$/m);
    const r = await (await fetch(`http://127.0.0.1:${rPort}/metrics`)).text();
    expect(r).toMatch(/^tredis_role_info\{role="replica"\} 1$/m);
    expect(r).toContain(`tredis_master_link_up{master="127.0.0.1:${master}"} 1\n`);
    if (has('promtool')) {
      const lint = spawnSync('promtool', ['check', 'metrics'], { input: m, encoding: 'utf8' });
      expect(`${lint.stdout}${lint.stderr}`.trim()).toBe('');
      expect(lint.status).toBe(0);
    }
  });

  it('/readyz is ready for the master and the linked replica, /healthz always', async () => {
    expect(await (await fetch(`http://127.0.0.1:${mPort}/readyz`)).text()).toBe('ready\n- ready: master\n');
    expect(await (await fetch(`http://127.0.0.1:${rPort}/readyz`)).text()).toBe(`ready\n- ready: replica of 127.0.0.1:${master}, link up\n`);
    await clients[1]?.call('REPLICAOF', ['127.0.0.1', '1']); // a master that does not exist
    const res = await fetch(`http://127.0.0.1:${rPort}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/^not ready\n- not ready: replica of 127\.0\.0\.1:1, link down\n$/);
    expect((await fetch(`http://127.0.0.1:${rPort}/healthz`)).status).toBe(200);
  });
});
