/**
 * Replication features on real sockets, with our module in an in-process tredis node and real redis-server peers where a
 * Redis side is involved: WAIT and GETACK, min-replicas-to-write, FAILOVER in both directions, failed transfers
 * keeping the old dataset, stale-data/NOMASTERLINK replies, repl-timeout on both sides, the backlog TTL.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { allocPort } from '../helpers/ports.js';
import { missing } from '../helpers/processes.js';
import { fixture } from '../unit/node/replication/fixtures.js';
import { infoField, TestClient, until } from './replication-client.js';
import { replicationScope } from './replication-scope.js';

const skip = missing('redis-server');

/** A scripted master: answers the handshake, then runs `after` with the socket. */
async function fakeMaster(after: (sock: Socket, psync: string) => void): Promise<{ port: number; server: Server; conns: number }> {
  const state = { port: 0, server: createServer(), conns: 0 };
  state.server.on('connection', (sock) => {
    state.conns++;
    let buf = '';
    let replies = 0;
    sock.on('error', () => {});
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      // count complete commands: PING, REPLCONF×2, then PSYNC
      while (replies < 4) {
        const m = /^\*(\d+)\r\n/.exec(buf);
        if (m === null) return;
        let pos = m[0].length;
        const args: string[] = [];
        for (let i = 0; i < Number(m[1]); i++) {
          const h = /^\$(\d+)\r\n/.exec(buf.slice(pos));
          if (h === null) return;
          const len = Number(h[1]);
          if (buf.length < pos + h[0].length + len + 2) return;
          args.push(buf.slice(pos + h[0].length, pos + h[0].length + len));
          pos += h[0].length + len + 2;
        }
        buf = buf.slice(pos);
        replies++;
        if (replies < 4) sock.write(replies === 1 ? '+PONG\r\n' : '+OK\r\n');
        else after(sock, args.join(' '));
      }
    });
  });
  await new Promise<void>((r) => state.server.listen(0, '127.0.0.1', r));
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

describe.skipIf(skip)('replication features', () => {
  const { later, node: harness, client, redis, info, linkUp } = replicationScope();

  it('WAIT counts replicas that acked the client offset; blocks with GETACK, times out with the count then', async () => {
    const m = await harness({ config: { replDisklessSyncDelay: 0 } });
    const mc = await client(m.port);
    // a fresh connection that wrote nothing: every online replica counts, no GETACK (target 0)
    expect(await mc.call('WAIT', 0, 0)).toBe(0);
    const r = await redis([`replicaof 127.0.0.1 ${m.port}`]);
    await linkUp(r.c);
    await mc.call('SET', 'w', '1');
    const offsetOf = async (): Promise<number> => Number(infoField(await info(mc), 'master_repl_offset'));
    const before = await offsetOf();
    const t0 = Date.now();
    expect(await mc.call('WAIT', 1, 5000)).toBe(1);
    expect(Date.now() - t0).toBeLessThan(2500);
    // WAIT for two replicas with one attached: waits out the timeout and answers 1
    const t1 = Date.now();
    expect(await mc.call('WAIT', 2, 400)).toBe(1);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(350);
    // the blocked WAITs appended REPLCONF GETACK * (37 bytes each time)
    expect((await offsetOf()) - before).toBeGreaterThanOrEqual(37);
    // inside MULTI/EXEC WAIT never blocks: it answers the count at once
    await mc.call('MULTI');
    await mc.call('SET', 'in-tx', '1');
    expect(await mc.call('WAIT', 2, 0)).toBe('QUEUED');
    const tx = (await mc.call('EXEC')) as unknown[];
    expect(tx[0]).toBe('OK');
    expect(typeof tx[1]).toBe('number'); // WAIT 2 0 outside a transaction would block forever here
    expect(await mc.str('WAIT', 'x', 0)).toBe('ERR value is not an integer or out of range');
    expect(await mc.str('WAIT', 1, -1)).toBe('ERR timeout is negative');
    const rw = await r.c.str('WAIT', 1, 0);
    expect(rw).toMatch(/^ERR WAIT cannot be used with replica instances\./);
  });

  it('min-replicas-to-write rejects writes with -NOREPLICAS until a good replica is attached', async () => {
    const m = await harness({ config: { replDisklessSyncDelay: 0, minReplicasToWrite: 1, minReplicasMaxLag: 10 } });
    const mc = await client(m.port);
    expect(await mc.str('SET', 'a', '1')).toBe('NOREPLICAS Not enough good replicas to write.');
    expect(await mc.str('GET', 'a')).toBeNull();
    expect(infoField(await info(mc), 'min_slaves_good_slaves')).toBe('0');
    const r = await redis([`replicaof 127.0.0.1 ${m.port}`]);
    await linkUp(r.c);
    await until(async () => (await mc.str('SET', 'a', '1')) === 'OK', 'write accepted');
    expect(infoField(await info(mc), 'min_slaves_good_slaves')).toBe('1');
  });

  it('FAILOVER TO a redis-server replica: we hand over with PSYNC … FAILOVER and follow it without losing writes', async () => {
    const m = await harness({ config: { replDisklessSyncDelay: 0 } });
    const mc = await client(m.port);
    const r = await redis([`replicaof 127.0.0.1 ${m.port}`]);
    await linkUp(r.c);
    for (let i = 0; i < 50; i++) await mc.call('SET', `k${i}`, String(i));
    const oldId = infoField(await info(mc), 'master_replid');
    expect(await mc.str('FAILOVER', 'TO', '127.0.0.1', r.port, 'TIMEOUT', 5000)).toBe('OK');
    expect(await mc.str('FAILOVER')).toBe('ERR FAILOVER already in progress.');
    await until(async () => infoField(await info(r.c), 'role') === 'master', 'target promoted');
    await until(async () => infoField(await info(mc), 'master_link_status') === 'up', 'old master following');
    const ri = await info(r.c);
    expect(infoField(ri, 'master_replid2')).toBe(oldId);
    expect(infoField(await info(mc), 'master_failover_state')).toBe('no-failover');
    expect(await r.c.str('GET', 'k49')).toBe('49');
    // writes were unpaused and go to the new master now
    expect(await mc.str('SET', 'x', '1')).toBe("READONLY You can't write against a read only replica.");
    await r.c.call('SET', 'after', 'yes');
    await until(async () => (await mc.str('GET', 'after')) === 'yes', 'stream from the new master');
  });

  it('redis-server FAILOVER TO us: we accept PSYNC … FAILOVER, promote with an id shift and +CONTINUE', async () => {
    const r = await redis();
    for (let i = 0; i < 20; i++) await r.c.call('SET', `k${i}`, String(i));
    const h = await harness();
    const hc = await client(h.port);
    await hc.call('REPLICAOF', '127.0.0.1', r.port);
    await linkUp(hc);
    const oldId = infoField(await info(r.c), 'master_replid');
    // redis-server puts a diskless replica online from its cron, slightly after our link is up
    await until(async () => (await info(r.c)).includes(`port=${h.port},state=online`), 'replica online on redis-server');
    expect(await r.c.str('FAILOVER', 'TO', '127.0.0.1', h.port)).toBe('OK');
    await until(async () => infoField(await info(hc), 'role') === 'master', 'we are promoted');
    await until(async () => infoField(await info(r.c), 'master_link_status') === 'up', 'redis-server follows us');
    expect(infoField(await info(hc), 'master_replid2')).toBe(oldId);
    expect(h.log.some((l) => l.includes('Partial resynchronization request'))).toBe(true);
    await hc.call('SET', 'new', 'master');
    await until(async () => (await r.c.str('GET', 'new')) === 'master', 'redis-server replicates from us');
  });

  it('FAILOVER whose target refuses PSYNC … FAILOVER is aborted: master again with a new id, unpaused, replica back partially', async () => {
    const m = await harness({ config: { replDisklessSyncDelay: 0 } });
    const mc = await client(m.port);
    const r = await redis([`replicaof 127.0.0.1 ${m.port}`]);
    await linkUp(r.c);
    await until(async () => (await info(mc)).includes('state=online'), 'replica online');
    await mc.call('SET', 'a', '1');
    expect(await r.c.str('ACL', 'SETUSER', 'default', '-psync')).toBe('OK');
    const id = infoField(await info(mc), 'master_replid');
    expect(await mc.str('FAILOVER', 'TO', '127.0.0.1', r.port)).toBe('OK');
    await until(() => m.log.some((l) => l.includes('Failover target rejected psync request')), 'failover aborted');
    const mi = await info(mc);
    expect(infoField(mi, 'role')).toBe('master');
    expect(infoField(mi, 'master_failover_state')).toBe('no-failover');
    expect(infoField(mi, 'master_replid2')).toBe(id);
    expect(await mc.str('SET', 'b', '2')).toBe('OK');
    await linkUp(r.c);
    await until(async () => (await r.c.str('GET', 'b')) === '2', 'stream resumes to the replica');
    expect(infoField(await info(r.c), 'role')).toBe('slave');
    expect(m.log.some((l) => l.includes('Partial resynchronization request'))).toBe(true);
  });

  it('FAILOVER errors and ABORT', async () => {
    const m = await harness({ config: { replDisklessSyncDelay: 0 } });
    const mc = await client(m.port);
    expect(await mc.str('FAILOVER')).toBe('ERR FAILOVER requires connected replicas.');
    expect(await mc.str('FAILOVER', 'ABORT')).toBe('ERR No failover in progress.');
    expect(await mc.str('FAILOVER', 'TIMEOUT', -5)).toBe('ERR FAILOVER timeout must be greater than 0');
    const r = await redis([`replicaof 127.0.0.1 ${m.port}`]);
    await linkUp(r.c);
    expect(await mc.str('FAILOVER', 'TO', '127.0.0.1', 1)).toBe('ERR FAILOVER target HOST and PORT is not a replica.');
    expect(await mc.str('FAILOVER', 'FORCE', 'TO', '127.0.0.1', r.port)).toBe(
      'ERR FAILOVER with force option requires both a timeout and target HOST and IP.',
    );
    expect(await r.c.str('FAILOVER')).toBe('ERR FAILOVER is not valid when server is a replica.');
  });

  it('a corrupt or truncated transfer keeps the old dataset and the replica keeps retrying', async () => {
    const badcrc = fixture('rdb/badcrc.rdb');
    let mode: 'crc' | 'truncate' = 'crc';
    const fm = await fakeMaster((sock) => {
      sock.write(`+FULLRESYNC ${'f'.repeat(40)} 0\r\n$${badcrc.length}\r\n`);
      if (mode === 'crc') sock.write(badcrc);
      else {
        sock.write(badcrc.subarray(0, 40));
        sock.destroy();
      }
    });
    later(() => new Promise<void>((r) => fm.server.close(() => r())));
    const h = await harness();
    const hc = await client(h.port);
    for (let i = 0; i < 10; i++) await hc.call('SET', `old${i}`, 'v');
    await hc.call('REPLICAOF', '127.0.0.1', fm.port);
    await until(() => fm.conns >= 2, 'a retry after the failed load', 10_000);
    expect(await hc.call('DBSIZE')).toBe(10);
    expect(await hc.str('GET', 'old3')).toBe('v');
    mode = 'truncate';
    const seen = fm.conns;
    await until(() => fm.conns >= seen + 2, 'retries after truncated transfers', 10_000);
    expect(await hc.call('DBSIZE')).toBe(10);
    expect(infoField(await info(hc), 'master_link_status')).toBe('down');
    expect(h.log.some((l) => l.includes('Failed trying to load the MASTER synchronization DB'))).toBe(true);
  });

  it('replica-serve-stale-data no: -MASTERDOWN (PING too) while the link is down; INFO/ROLE still answer; PSYNC gets -NOMASTERLINK', async () => {
    const dead = allocPort();
    const h = await harness({ config: { replicaServeStaleData: false } });
    const hc = await client(h.port);
    await hc.call('REPLICAOF', '127.0.0.1', dead);
    const MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
    expect(await hc.str('PING')).toBe(MASTERDOWN);
    expect(await hc.str('GET', 'x')).toBe(MASTERDOWN);
    const i = await info(hc);
    expect(infoField(i, 'master_link_status')).toBe('down');
    expect(infoField(i, 'master_link_down_since_seconds')).toBe('-1');
    expect(((await hc.call('ROLE')) as unknown[]).slice(0, 3)).toEqual(['slave', '127.0.0.1', dead]);
    // PSYNC has no stale flag: refused by the stale check first, as in processCommand
    expect(await hc.str('PSYNC', '?', '-1')).toBe(MASTERDOWN);
    expect(await hc.str('CONFIG', 'SET', 'replica-serve-stale-data', 'yes')).toBe('OK');
    expect(await hc.str('PSYNC', '?', '-1')).toBe("NOMASTERLINK Can't SYNC while not connected with my master");
    expect(await hc.str('REPLICAOF', '127.0.0.1', dead)).toBe('OK Already connected to specified master');
    expect(await hc.str('REPLICAOF', 'localhost', 99999)).toBe('ERR Invalid master port');
  });

  it('INFO/ROLE during a sync on both sides: wait_bgsave on the master, master_sync_* and "sync" on the replica', async () => {
    // master side: a replica waiting out the diskless delay
    const m = await harness({ config: { replDisklessSyncDelay: 30 } });
    const mc = await client(m.port);
    const r = await redis([`replicaof 127.0.0.1 ${m.port}`]);
    await until(async () => /slave0:ip=127\.0\.0\.1,port=\d+,state=wait_bgsave,offset=0,lag=0/.test(await info(mc)), 'wait_bgsave on the master');
    expect(((await mc.call('ROLE')) as unknown[])[2]).toEqual([]);
    expect(infoField(await info(r.c), 'master_sync_in_progress')).toBe('0');
    // replica side: a master that stops in the middle of an EOF-framed payload
    const rdb = fixture('rdb/strings.rdb');
    const fm = await fakeMaster((sock) => {
      sock.write(`+FULLRESYNC ${'e'.repeat(40)} 0\r\n$EOF:${'m'.repeat(40)}\r\n`);
      sock.write(rdb.subarray(0, 100));
    });
    later(() => new Promise<void>((res) => fm.server.close(() => res())));
    const h = await harness();
    const hc = await client(h.port);
    await hc.call('REPLICAOF', '127.0.0.1', fm.port);
    await until(async () => infoField(await info(hc), 'master_sync_in_progress') === '1', 'transfer in progress');
    const i = await info(hc);
    expect(infoField(i, 'master_link_status')).toBe('down');
    expect(infoField(i, 'master_sync_total_bytes')).toBe('0');
    await until(async () => infoField(await info(hc), 'master_sync_read_bytes') === '100', 'bytes read');
    expect(infoField(await info(hc), 'master_sync_left_bytes')).toBe('-100');
    expect(infoField(i, 'master_link_down_since_seconds')).toBe('-1');
    expect(infoField(i, 'slave_read_repl_offset')).toBe('1');
    expect(((await hc.call('ROLE')) as unknown[]).slice(3)).toEqual(['sync', -1]);
  });

  it('the replica answers GETACK with the offset before the GETACK, then ACKs the full offset', async () => {
    const acks: string[] = [];
    const fm = await fakeMaster((sock) => {
      const rdb = fixture('rdb/empty.rdb');
      sock.write(Buffer.concat([Buffer.from(`+FULLRESYNC ${'a'.repeat(40)} 1000\r\n$${rdb.length}\r\n`), rdb]));
      sock.write('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n');
      sock.on('data', (d) => acks.push(d.toString('latin1')));
    });
    later(() => new Promise<void>((r) => fm.server.close(() => r())));
    const h = await harness();
    const hc = await client(h.port);
    await hc.call('REPLICAOF', '127.0.0.1', fm.port);
    // SELECT 0 (23) + SET k v (27) = 1050 before the 37-byte GETACK
    await until(() => acks.join('').includes('$4\r\n1050\r\n'), 'immediate ACK 1050').catch((e: unknown) => {
      throw new Error(`${String(e)}\nacks: ${JSON.stringify(acks)}\nlog: ${h.log.join('\n')}`);
    });
    await until(() => acks.join('').includes('$4\r\n1087\r\n'), 'periodic ACK 1087', 5000);
    expect(await hc.str('GET', 'k')).toBe('v');
    expect(infoField(await info(hc), 'slave_repl_offset')).toBe('1087');
  });

  it('repl-timeout: the master drops a silent replica; the replica drops a silent master and reconnects', async () => {
    const m = await harness({ config: { replTimeout: 1, replDisklessSync: false } });
    const mc = await client(m.port);
    // a replica that completes PSYNC and then never ACKs
    const silent = await TestClient.connect(m.port);
    later(() => silent.close());
    await silent.call('REPLCONF', 'listening-port', 1234);
    void silent.call('PSYNC', '?', '-1');
    await until(async () => infoField(await info(mc), 'connected_slaves') === '1', 'replica attached');
    await until(async () => infoField(await info(mc), 'connected_slaves') === '0', 'silent replica dropped', 10_000);

    const fm = await fakeMaster((sock) => {
      const rdb = fixture('rdb/empty.rdb');
      sock.write(Buffer.concat([Buffer.from(`+FULLRESYNC ${'b'.repeat(40)} 5\r\n$${rdb.length}\r\n`), rdb]));
      // then silence
    });
    later(() => new Promise<void>((r) => fm.server.close(() => r())));
    const h = await harness({ config: { replTimeout: 1 } });
    const hc = await client(h.port);
    await hc.call('REPLICAOF', '127.0.0.1', fm.port);
    await until(() => fm.conns >= 2, 'reconnect after the master timeout', 10_000);
    expect(h.log.some((l) => l.includes('MASTER timeout'))).toBe(true);
  });

  it('backlog TTL: without replicas for repl-backlog-ttl the backlog is freed and the replid changes', async () => {
    const m = await harness({ config: { replDisklessSyncDelay: 0, replBacklogTtl: 1 } });
    const mc = await client(m.port);
    const r = await redis([`replicaof 127.0.0.1 ${m.port}`]);
    await linkUp(r.c);
    const id = infoField(await info(mc), 'master_replid');
    await r.c.call('REPLICAOF', 'NO', 'ONE');
    await until(async () => infoField(await info(mc), 'repl_backlog_active') === '0', 'backlog freed', 10_000);
    expect(infoField(await info(mc), 'master_replid')).not.toBe(id);
  });
});
