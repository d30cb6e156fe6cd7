/**
 * Partial resynchronisation across a master restart (PSYNC2, tests/integration/psync2-master-restart.tcl): the RDB
 * saved at shutdown carries repl-id/repl-offset, the restarted master keeps that history as replid2, and its
 * replica continues with +CONTINUE instead of a full sync — tredis master with a redis-server replica (the real
 * tredis bin), and redis-server master with a tredis replica.
 */
import { describe, expect, it } from 'vitest';
import { allocPort } from '../helpers/ports.js';
import { missing, startRedisServer, tempDir, type Proc } from '../helpers/processes.js';
import { infoField, until } from './replication-client.js';
import { startTestNode } from './replication-node.js';
import { replicationScope } from './replication-scope.js';
import { distBuilt, startNodeProcess } from './replication-process.js';

const skip = missing('redis-server');
if (!distBuilt) console.warn('[skip] dist/ is not built (npm run build): skipping the tredis master restart test');

describe.skipIf(skip)('partial resync across a master restart', () => {
  const { later, client, info, linkUp } = replicationScope();

  it.skipIf(!distBuilt)('tredis master restarted from its RDB: the redis-server replica continues partially', async () => {
    const t = tempDir('tredis-restart-');
    later(t.cleanup);
    const mPort = allocPort();
    let master: Proc = await startNodeProcess(t.dir, mPort);
    let mc = await client(mPort);
    const rPort = allocPort();
    const r = await startRedisServer(rPort, t.dir, [`replicaof 127.0.0.1 ${mPort}`]);
    const rc = await client(rPort);
    await linkUp(rc);
    for (let i = 0; i < 100; i++) await mc.call('SET', `k${i}`, String(i));
    await until(async () => infoField(await info(rc), 'master_repl_offset') === infoField(await info(mc), 'master_repl_offset'), 'replica caught up');
    const oldId = infoField(await info(mc), 'master_replid');
    // SHUTDOWN SAVE waits for the replica (shutdown-timeout) and writes the RDB with the replication info
    void mc.call('SHUTDOWN', 'SAVE');
    await master.exited;
    master = await startNodeProcess(t.dir, mPort);
    mc = await client(mPort);
    const mi = await info(mc);
    expect(infoField(mi, 'master_replid2')).toBe(oldId);
    await linkUp(rc);
    await mc.call('SET', 'after', 'restart');
    await until(async () => (await rc.str('GET', 'after')) === 'restart', 'stream after the restart');
    expect(r.output()).toContain('Successful partial resynchronization with master.');
    expect(await rc.str('GET', 'k99')).toBe('99');
    void master;
  });

  it('redis-server master restarted from its RDB: our replica continues partially', async () => {
    const t = tempDir('redis-restart-');
    later(t.cleanup);
    const mPort = allocPort();
    let master: Proc = await startRedisServer(mPort, t.dir, ['repl-diskless-sync-delay 0']);
    let mc = await client(mPort);
    const n = await startTestNode();
    later(() => n.close());
    const nc = await client(n.port);
    await nc.call('REPLICAOF', '127.0.0.1', mPort);
    await linkUp(nc);
    for (let i = 0; i < 100; i++) await mc.call('SET', `k${i}`, String(i));
    await until(async () => infoField(await info(nc), 'master_repl_offset') === infoField(await info(mc), 'master_repl_offset'), 'replica caught up');
    void mc.call('SHUTDOWN', 'SAVE');
    await master.exited;
    master = await startRedisServer(mPort, t.dir, ['repl-diskless-sync-delay 0']);
    mc = await client(mPort);
    await until(() => n.log.filter((l) => l.includes('Master accepted a Partial Resynchronization')).length >= 1, 'partial resync after the restart');
    await mc.call('SET', 'after', 'restart');
    await until(async () => (await nc.str('GET', 'after')) === 'restart', 'stream after the restart');
    expect(n.log.filter((l) => l.includes('Finished with success')).length).toBe(1);
    void master;
  });
});
