/**
 * The replication protocol against real redis-server 7.0 processes, with our replication module running in an
 * in-process tredis node (real server core, NodeCore, snapshot, loader): redis-server as our replica (disk and
 * diskless framing, partial resync after a cut link while writes continue), and our node as redis-server's replica
 * (full sync, partial resync, chains). Datasets and offsets must agree.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missing, tempDir } from '../helpers/processes.js';
import { infoField, TestClient, until } from './replication-client.js';
import { replicationScope } from './replication-scope.js';

const skip = missing('redis-server');

function runAsync(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    p.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe.skipIf(skip)('replication protocol interop with redis-server 7.0', () => {
  const { later, node: harness, client, redis, info, linkUp } = replicationScope();

  async function sameOffset(a: TestClient, b: TestClient): Promise<void> {
    await until(async () => {
      const x = infoField(await info(a), 'master_repl_offset');
      const y = infoField(await info(b), 'master_repl_offset');
      return x !== undefined && x === y;
    }, 'equal master_repl_offset');
  }

  async function writeKeys(c: TestClient, prefix: string, n: number, db = 0): Promise<void> {
    await c.call('SELECT', db);
    for (let i = 0; i < n; i++) await c.call('SET', `${prefix}${i}`, `v${i}`);
  }

  async function expectKeys(c: TestClient, prefix: string, n: number, db = 0): Promise<void> {
    await c.call('SELECT', db);
    for (let i = 0; i < n; i++) expect(await c.str('GET', `${prefix}${i}`)).toBe(`v${i}`);
  }

  for (const diskless of [true, false]) {
    it(`redis-server replicates from us: full sync (${diskless ? '$EOF diskless' : '$len'}), stream, partial resync after a cut`, async () => {
      const m = await harness({ config: { replDisklessSync: diskless, replDisklessSyncDelay: 0 } });
      const mc = await client(m.port);
      await writeKeys(mc, 'pre', 50);
      await writeKeys(mc, 'db3-', 5, 3);
      const r = await redis([`replicaof 127.0.0.1 ${m.port}`]);
      await linkUp(r.c);
      await expectKeys(r.c, 'pre', 50);
      await expectKeys(r.c, 'db3-', 5, 3);
      await writeKeys(mc, 'live', 20);
      await sameOffset(mc, r.c);
      await expectKeys(r.c, 'live', 20);
      expect(infoField(await info(r.c), 'master_replid')).toBe(infoField(await info(mc), 'master_replid'));
      // master INFO lists the replica without ::ffff: and online
      const mi = await info(mc);
      expect(mi).toMatch(new RegExp(`slave0:ip=127\\.0\\.0\\.1,port=${r.port},state=online,offset=\\d+,lag=\\d+`));

      // cut the link while writes continue, then expect a partial resync
      expect(await r.c.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
      await writeKeys(mc, 'during', 30);
      await linkUp(r.c);
      await sameOffset(mc, r.c);
      await expectKeys(r.c, 'during', 30);
      expect(m.log.some((l) => l.includes('Partial resynchronization request'))).toBe(true);
      await r.c.call('SELECT', 3);
      expect(await r.c.call('DBSIZE')).toBe(5);
      await r.c.call('SELECT', 0);
      expect(await r.c.call('DBSIZE')).toBe(100);
    });
  }

  it('we replicate from redis-server: full sync of every db, stream, partial resync after a cut', async () => {
    const r = await redis();
    await writeKeys(r.c, 'pre', 50);
    await writeKeys(r.c, 'db5-', 7, 5);
    const h = await harness({ config: { replicaof: null } });
    const hc = await client(h.port);
    expect(await hc.call('REPLICAOF', '127.0.0.1', r.port)).toBe('OK');
    await linkUp(hc);
    await expectKeys(hc, 'db5-', 7, 5);
    await expectKeys(hc, 'pre', 50);
    await writeKeys(r.c, 'live', 20, 2);
    await sameOffset(r.c, hc);
    await expectKeys(hc, 'live', 20, 2);
    expect(infoField(await info(hc), 'master_replid')).toBe(infoField(await info(r.c), 'master_replid'));
    const role = (await hc.call('ROLE')) as unknown[];
    expect(role.slice(0, 4)).toEqual(['slave', '127.0.0.1', r.port, 'connected']);
    expect(await hc.str('SET', 'x', 'y')).toBe("READONLY You can't write against a read only replica.");

    expect(await hc.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
    await writeKeys(r.c, 'during', 30);
    await linkUp(hc);
    await sameOffset(r.c, hc);
    await expectKeys(hc, 'during', 30);
    // redis-server logged the partial resync; we never full-synced a second time
    expect(h.log.filter((l) => l.includes('Finished with success')).length).toBe(1);
  });

  it('mixed chain redis-server → us → redis-server carries the byte-identical stream (same replid and offsets)', async () => {
    const top = await redis();
    await writeKeys(top.c, 'a', 10, 4); // stream db 4 selected when the sub-replica syncs from the middle
    const mid = await harness({ config: { replDisklessSyncDelay: 0 } });
    const midc = await client(mid.port);
    await midc.call('REPLICAOF', '127.0.0.1', top.port);
    await linkUp(midc);
    await writeKeys(top.c, 'b', 5, 4);
    await sameOffset(top.c, midc);
    const sub = await redis([`replicaof 127.0.0.1 ${mid.port}`]);
    await linkUp(sub.c);
    await writeKeys(top.c, 'c', 10, 4); // no SELECT reaches the sub-replica: it starts in repl-stream-db 4
    await sameOffset(top.c, sub.c);
    await expectKeys(sub.c, 'c', 10, 4);
    await expectKeys(sub.c, 'a', 10, 4);
    const ids = await Promise.all([top.c, midc, sub.c].map(async (c) => infoField(await info(c), 'master_replid')));
    expect(new Set(ids).size).toBe(1);
  });

  it('mixed chain us → redis-server → us: our sub-replica honours repl-stream-db from a Redis intermediate', async () => {
    const top = await harness({ config: { replDisklessSyncDelay: 0 } });
    const topc = await client(top.port);
    await writeKeys(topc, 'a', 10, 6);
    const mid = await redis([`replicaof 127.0.0.1 ${top.port}`]);
    await linkUp(mid.c);
    await writeKeys(topc, 'b', 5, 6);
    await sameOffset(topc, mid.c);
    const sub = await harness();
    const subc = await client(sub.port);
    await subc.call('REPLICAOF', '127.0.0.1', mid.port);
    await linkUp(subc);
    await writeKeys(topc, 'c', 10, 6);
    await sameOffset(topc, subc);
    await expectKeys(subc, 'c', 10, 6);
    await expectKeys(subc, 'b', 5, 6);
    const ids = await Promise.all([topc, mid.c, subc].map(async (c) => infoField(await info(c), 'master_replid')));
    expect(new Set(ids).size).toBe(1);
  });

  it('promotion keeps the offset: the former sibling and the demoted master continue partially', async () => {
    const m = await harness({ config: { replDisklessSyncDelay: 0 } });
    const mc = await client(m.port);
    await writeKeys(mc, 'k', 20);
    const a = await redis([`replicaof 127.0.0.1 ${m.port}`]);
    const b = await harness();
    const bc = await client(b.port);
    await bc.call('REPLICAOF', '127.0.0.1', m.port);
    await linkUp(a.c);
    await linkUp(bc);
    await sameOffset(mc, bc);
    const oldId = infoField(await info(mc), 'master_replid');
    // promote our replica b; repoint a and the old master m to it
    expect(await bc.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    const bi = await info(bc);
    expect(infoField(bi, 'master_replid2')).toBe(oldId);
    expect(Number(infoField(bi, 'second_repl_offset'))).toBe(Number(infoField(bi, 'master_repl_offset')) + 1);
    await a.c.call('REPLICAOF', '127.0.0.1', b.port);
    await mc.call('REPLICAOF', '127.0.0.1', b.port);
    await linkUp(a.c);
    await linkUp(mc);
    await writeKeys(bc, 'after', 10);
    await sameOffset(bc, a.c);
    await sameOffset(bc, mc);
    await expectKeys(a.c, 'after', 10);
    await expectKeys(mc, 'after', 10);
    expect(b.log.filter((l) => l.includes('Partial resynchronization request')).length).toBe(2);
    expect(b.log.some((l) => l.includes('Full resync requested'))).toBe(false);
  });

  it.skipIf(missing('redis-cli', 'redis-check-rdb'))('redis-cli --rdb (REPLCONF rdb-only + SYNC) gets a valid RDB; --replica follows the stream', async () => {
    for (const diskless of [false, true]) {
      const m = await harness({ config: { replDisklessSync: diskless, replDisklessSyncDelay: 0 } });
      const mc = await client(m.port);
      await writeKeys(mc, 'k', 100);
      const t = tempDir();
      later(t.cleanup);
      const file = join(t.dir, 'dump.rdb');
      // asynchronously: the node answering it runs in this process
      const dump = await runAsync('redis-cli', ['-p', String(m.port), '--rdb', file]);
      expect(dump.code, dump.out).toBe(0);
      expect(dump.out).toContain('Transfer finished with success');
      const check = spawnSync('redis-check-rdb', [file], { encoding: 'utf8' });
      expect(check.stdout).toContain('RDB looks OK');
      expect(check.stdout).toMatch(/keys read: 100|100 keys/);
      // the rdb-only connection was closed after the payload: no replica stays attached
      await until(async () => infoField(await info(mc), 'connected_slaves') === '0', 'rdb-only client gone');
    }
    const m = await harness({ config: { replDisklessSyncDelay: 0 } });
    const mc = await client(m.port);
    const cli = spawn('redis-cli', ['-p', String(m.port), '--replica'], { stdio: ['ignore', 'pipe', 'pipe'] });
    later(() => void cli.kill('SIGKILL'));
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    cli.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    await until(() => out.includes('Logging commands from master.'), 'redis-cli synced');
    await mc.call('SET', 'seen', 'by-cli');
    await until(() => out.includes('"SET","seen","by-cli"'), 'stream shown by redis-cli --replica');
  });

  it('INFO replication has the same fields in the same order as redis-server, for a master and for a replica', async () => {
    const names = (text: string): string[] => text.split('\r\n').filter((l) => l.includes(':')).map((l) => l.slice(0, l.indexOf(':')));
    // redis-server master with a tredis replica, and a tredis master with a redis-server replica
    const rm = await redis();
    const tr = await harness();
    const trc = await client(tr.port);
    await trc.call('REPLICAOF', '127.0.0.1', rm.port);
    await linkUp(trc);
    const tm = await harness({ config: { replDisklessSyncDelay: 0 } });
    const tmc = await client(tm.port);
    const rr = await redis([`replicaof 127.0.0.1 ${tm.port}`]);
    await linkUp(rr.c);
    await until(async () => (await info(rm.c)).includes('state=online') && (await info(tmc)).includes('state=online'), 'both replicas online');
    expect(names(await info(tmc))).toEqual(names(await info(rm.c)));
    expect(names(await info(trc))).toEqual(names(await info(rr.c)));
    // the values that describe the same state agree too
    const ti = await info(trc);
    const ri = await info(rr.c);
    for (const f of ['role', 'master_host', 'master_link_status', 'master_sync_in_progress', 'slave_priority', 'slave_read_only', 'replica_announced', 'connected_slaves', 'master_failover_state']) {
      expect(infoField(ti, f), f).toBe(infoField(ri, f));
    }
  });
});
