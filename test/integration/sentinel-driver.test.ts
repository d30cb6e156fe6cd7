/**
 * The driver against real redis-server 7.0: one tsentinel (no API listener, quorum 1) supervising a master and two
 * replicas discovers them, fails over on kill -9, reconfigures the other replica and fences the returning master.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/common/logger.js';
import { currentMasterAddr } from '../../src/sentinel/core/instances.js';
import { startSentinel, type SentinelHandle } from '../../src/sentinel/main.js';
import { allocPort } from '../helpers/ports.js';
import { missing, startRedisServer, stopAll, tempDir, type Proc } from '../helpers/processes.js';

const skip = missing('redis-server');

async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function role(port: number): Promise<string> {
  const c = new Redis({ port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  c.on('error', () => {});
  try {
    await c.connect();
    const r = (await c.call('ROLE')) as unknown[];
    return String(r[0]);
  } catch {
    return 'down';
  } finally {
    c.disconnect();
  }
}

describe.skipIf(skip)('tsentinel driver with real redis-server', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
    await stopAll();
  });

  it('crash failover, replica reconfiguration, fencing of the returning master, persisted state', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const [mp, r1p, r2p] = [allocPort(), allocPort(), allocPort()];
    const procs: Record<number, Proc> = {};
    procs[mp] = await startRedisServer(mp, dir);
    procs[r1p] = await startRedisServer(r1p, dir, [`replicaof 127.0.0.1 ${mp}`]);
    procs[r2p] = await startRedisServer(r2p, dir, [`replicaof 127.0.0.1 ${mp}`]);
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(conf, [`sentinel monitor mymaster 127.0.0.1 ${mp} 1`, 'sentinel down-after-milliseconds mymaster 1000', 'sentinel failover-timeout mymaster 10000', ''].join('\n'));
    const lines: string[] = [];
    const logger = createLogger({ role: 'sentinel', format: 'json', level: 'verbose', sink: { write: (l) => void lines.push(l) } });
    const s: SentinelHandle = await startSentinel(conf, { listen: false, logger });
    cleanups.push(() => s.close());
    const m = () => s.core.state.masters.get('mymaster')!;
    await until(() => m().replicas.size === 2 && [...m().replicas.values()].every((r) => r.infoRefresh !== 0), 15_000, 'replica discovery');
    expect(readFileSync(conf, 'latin1')).toMatch(/sentinel known-replica mymaster 127\.0\.0\.1 \d+/);

    await procs[mp]!.kill('SIGKILL');
    const t0 = Date.now();
    // what GET-MASTER-ADDR-BY-NAME reports: the promoted replica from reconf_slaves on
    await until(() => currentMasterAddr(m()).port !== mp, 10_000, 'new master reported');
    const took = Date.now() - t0;
    const newPort = currentMasterAddr(m()).port;
    await until(() => m().addr.port === newPort, 15_000, 'switch-master');
    expect([r1p, r2p]).toContain(newPort);
    expect(await role(newPort)).toBe('master');
    const other = newPort === r1p ? r2p : r1p;
    await until(async () => (await role(other)) === 'slave', 5000, 'other replica follows');
    const events = lines.map((l) => JSON.parse(l) as { msg: string }).map((l) => l.msg.split(' ')[0]);
    for (const e of ['+sdown', '+odown', '+try-failover', '+elected-leader', '+selected-slave', '+promoted-slave', '+switch-master']) {
      expect(events, e).toContain(e);
    }
    if (took >= 2000) console.log(lines.map((l) => { const j = JSON.parse(l) as { time: string; msg: string }; return `${j.time.slice(11)} ${j.msg}`; }).filter((x) => !x.includes("reconnection")).join("\n"));
    expect(took).toBeLessThan(1000 + 1000);
    expect(readFileSync(conf, 'latin1')).toContain(`sentinel monitor mymaster 127.0.0.1 ${newPort} 1`);

    // the old master comes back as a master (its config never learnt otherwise) and is fenced quickly
    procs[mp] = await startRedisServer(mp, dir);
    const back = Date.now();
    await until(async () => (await role(mp)) === 'slave', 10_000, 'old master converted');
    expect(Date.now() - back).toBeLessThan(3000);
  }, 60_000);
});
