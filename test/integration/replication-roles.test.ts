/**
 * Roles and operations between tredis nodes (and redis-server where a Redis side matters): FAILOVER between two
 * tredis nodes with a third following, replica-announce-ip/port and the replica INFO fields, one snapshot serving
 * several replicas, the keepalive PING period, and SHUTDOWN's wait for lagging replicas.
 */
import { describe, expect, it } from 'vitest';
import { missing } from '../helpers/processes.js';
import { infoField, until } from './replication-client.js';
import { replicationScope } from './replication-scope.js';

const skip = missing('redis-server');

describe.skipIf(skip)('replication roles and operations', () => {
  const { node, client, redis, info, linkUp } = replicationScope();

  it('FAILOVER between tredis nodes: the target is promoted, the old master follows, the other replica continues partially', async () => {
    const m = await node({ config: { replDisklessSyncDelay: 0 } });
    const a = await node();
    const b = await node();
    const [mc, ac, bc] = await Promise.all([client(m.port), client(a.port), client(b.port)]);
    await ac.call('REPLICAOF', '127.0.0.1', m.port);
    await bc.call('REPLICAOF', '127.0.0.1', m.port);
    await linkUp(ac);
    await linkUp(bc);
    for (let i = 0; i < 100; i++) await mc.call('SET', `k${i}`, String(i));
    const oldId = infoField(await info(mc), 'master_replid');
    expect(await mc.str('FAILOVER', 'TO', '127.0.0.1', a.port)).toBe('OK');
    await until(async () => infoField(await info(ac), 'role') === 'master', 'target promoted');
    await until(async () => infoField(await info(mc), 'master_link_status') === 'up', 'old master follows');
    expect(infoField(await info(ac), 'master_replid2')).toBe(oldId);
    expect(infoField(await info(mc), 'master_failover_state')).toBe('no-failover');
    // b was dropped when m's id changed and came back with PSYNC to m, now a replica of a
    await until(async () => infoField(await info(bc), 'master_replid') === infoField(await info(ac), 'master_replid'), 'b on the new history');
    await ac.call('SET', 'after', 'failover');
    await until(async () => (await bc.str('GET', 'after')) === 'failover', 'chain a → m → b delivers');
    expect(b.log.filter((l) => l.includes('Finished with success')).length).toBe(1); // never a second full sync
    expect(await bc.str('GET', 'k99')).toBe('99');
  });

  it('replica-announce-ip/port, priority and announced show up on both sides', async () => {
    const r = await redis();
    const n = await node({ config: { replicaAnnounceIp: '10.9.9.9', replicaAnnouncePort: 12345, replicaPriority: 7, replicaAnnounced: false } });
    const nc = await client(n.port);
    await nc.call('REPLICAOF', '127.0.0.1', r.port);
    await linkUp(nc);
    await until(async () => /slave0:ip=10\.9\.9\.9,port=12345,state=online/.test(await info(r.c)), 'announced address on redis-server');
    const ni = await info(nc);
    expect(infoField(ni, 'slave_priority')).toBe('7');
    expect(infoField(ni, 'replica_announced')).toBe('0');
    expect(infoField(ni, 'slave_read_only')).toBe('1');
    // and a redis-server replica announcing itself to us
    const m = await node({ config: { replDisklessSyncDelay: 0 } });
    const mc = await client(m.port);
    const r2 = await redis([`replicaof 127.0.0.1 ${m.port}`, 'replica-announce-ip 10.8.8.8', 'replica-announce-port 2222']);
    await linkUp(r2.c);
    expect(await info(mc)).toMatch(/slave0:ip=10\.8\.8\.8,port=2222,state=online,offset=\d+,lag=\d+/);
  });

  it('masterauth/masteruser: AUTH in the handshake against password-protected masters, both ways', async () => {
    const r = await redis(['requirepass secretpw', 'user repluser on >replpw +@all ~* &*']);
    expect(await r.c.str('AUTH', 'secretpw')).toBe('OK');
    await r.c.call('SET', 'k', 'v');
    const n = await node({ config: { masteruser: 'repluser', masterauth: 'replpw' } });
    const nc = await client(n.port);
    await nc.call('REPLICAOF', '127.0.0.1', r.port);
    await linkUp(nc);
    expect(await nc.str('GET', 'k')).toBe('v');
    // a wrong password never links up, and says why
    const bad = await node({ config: { masterauth: 'wrong' } });
    const bc = await client(bad.port);
    await bc.call('REPLICAOF', '127.0.0.1', r.port);
    await until(() => bad.log.some((l) => l.startsWith('Unable to AUTH to MASTER: -WRONGPASS')), 'AUTH refused');
    expect(infoField(await info(bc), 'master_link_status')).toBe('down');
  });

  it('one diskless snapshot serves replicas that arrive within the delay', async () => {
    const m = await node({ config: { replDisklessSyncDelay: 2 } });
    const mc = await client(m.port);
    for (let i = 0; i < 50; i++) await mc.call('SET', `k${i}`, 'v');
    const [r1, r2] = await Promise.all([redis(), redis()]);
    await Promise.all([r1.c.call('REPLICAOF', '127.0.0.1', m.port), r2.c.call('REPLICAOF', '127.0.0.1', m.port)]);
    await linkUp(r1.c);
    await linkUp(r2.c);
    expect(m.log.filter((l) => l.startsWith('Starting snapshot')).length).toBe(1);
    expect(m.log.some((l) => l.includes('(2 replica(s), diskless)'))).toBe(true);
    expect(await r2.c.call('DBSIZE')).toBe(50);
  });

  it('the master PINGs its replicas every repl-ping-replica-period seconds (14 stream bytes each)', async () => {
    const m = await node({ config: { replDisklessSyncDelay: 0, replPingReplicaPeriod: 1 } });
    const mc = await client(m.port);
    const r = await redis([`replicaof 127.0.0.1 ${m.port}`]);
    await linkUp(r.c);
    const o1 = Number(infoField(await info(mc), 'master_repl_offset'));
    await new Promise((res) => setTimeout(res, 3200));
    const o2 = Number(infoField(await info(mc), 'master_repl_offset'));
    expect(o2 - o1).toBeGreaterThanOrEqual(2 * 14);
    expect((o2 - o1) % 14).toBe(0);
    await until(async () => infoField(await info(r.c), 'master_repl_offset') === String(o2), 'replica counted the pings too', 5000);
  });

  it('SHUTDOWN waits for a lagging replica up to shutdown-timeout (INFO shutdown_in_milliseconds), logs the laggard, then stops', async () => {
    const m = await node({ config: { replDisklessSyncDelay: 0, shutdownTimeout: 1 } });
    const mc = await client(m.port);
    // a replica that never ACKs
    const silent = await client(m.port);
    await silent.call('REPLCONF', 'listening-port', 31999);
    void silent.call('PSYNC', '?', '-1');
    await until(async () => infoField(await info(mc), 'connected_slaves') === '1', 'silent replica attached');
    await mc.call('SET', 'b', '2');
    const t0 = Date.now();
    const closed = mc.call('SHUTDOWN').catch((e: unknown) => e);
    const other = await client(m.port);
    await until(async () => ((await other.str('INFO', 'server')) ?? '').includes('shutdown_in_milliseconds:'), 'INFO shows the wait');
    expect(await m.exited).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(await closed).toBeInstanceOf(Error); // the caller sees the connection close
    expect(m.log).toContain('Waiting for replicas before shutting down.');
    expect(m.log.some((l) => /^Lagging replica 127\.0\.0\.1:31999 reported offset \d+ behind master, lag=\d+, state=online\.$/.test(l))).toBe(true);
    expect(m.log).toContain('0 of 1 replicas are in sync when shutting down.');
  });

  it('SHUTDOWN with a healthy replica stops once it acked; SHUTDOWN ABORT cancels a wait', async () => {
    const m = await node({ config: { replDisklessSyncDelay: 0, shutdownTimeout: 30 } });
    const mc = await client(m.port);
    const silent = await client(m.port);
    await silent.call('REPLCONF', 'listening-port', 31998);
    void silent.call('PSYNC', '?', '-1');
    await until(async () => infoField(await info(mc), 'connected_slaves') === '1', 'silent replica attached');
    await mc.call('SET', 'a', '1');
    const waiting = mc.call('SHUTDOWN');
    const other = await client(m.port);
    await until(async () => ((await other.str('INFO', 'server')) ?? '').includes('shutdown_in_milliseconds:'), 'waiting');
    // writes of other clients are paused meanwhile
    const third = await client(m.port);
    const paused = third.call('SET', 'p', '1');
    expect(await other.str('SHUTDOWN', 'ABORT')).toBe('OK');
    expect(await waiting).toBeInstanceOf(Error);
    expect(String(await waiting)).toContain('Errors trying to SHUTDOWN');
    expect(await paused).toBe('OK');
    expect(await other.str('SHUTDOWN', 'ABORT')).toBe('ERR No shutdown in progress.');
    // now with a real replica that acks every second: the shutdown completes within a couple of seconds
    const r = await redis([`replicaof 127.0.0.1 ${m.port}`]);
    await linkUp(r.c);
    silent.close();
    await until(async () => infoField(await info(other), 'connected_slaves') === '1', 'only the healthy replica left');
    await other.call('SET', 'z', '9');
    const t0 = Date.now();
    void other.call('SHUTDOWN').catch(() => {});
    expect(await m.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(m.log).toContain('1 of 1 replicas are in sync when shutting down.');
  });
});
