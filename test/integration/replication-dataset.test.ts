/**
 * Datasets equal on both ends after a mixed workload of every data type, with the commands whose propagation is
 * rewritten (SET EX/GETEX/EXPIRE → PXAT/PEXPIREAT, INCRBYFLOAT → SET KEEPTTL, SPOP → SREM, BLPOP served later →
 * LPOP, lazy expiry → DEL, MULTI/EXEC, SELECT across dbs, PUBLISH): tredis master → redis-server replica, and
 * redis-server master → tredis replica. Values and absolute expiry times (PEXPIRETIME) are compared key by key.
 */
import { describe, expect, it } from 'vitest';
import { missing } from '../helpers/processes.js';
import { infoField, TestClient, until } from './replication-client.js';
import { startTestNode } from './replication-node.js';
import { replicationScope } from './replication-scope.js';

const skip = missing('redis-server');

async function workload(c: TestClient, blocker: TestClient): Promise<void> {
  for (const db of [0, 3]) {
    await c.call('SELECT', db);
    for (let i = 0; i < 20; i++) {
      await c.call('SET', `s${i}`, `v${i}`, 'EX', 1000 + i);
      await c.call('RPUSH', `l${i % 3}`, `e${i}`);
      await c.call('SADD', `set${i % 2}`, `m${i}`, `n${i}`);
      await c.call('ZADD', 'z', i * 1.5, `zm${i}`);
      await c.call('HSET', `h${i % 4}`, `f${i}`, `hv${i}`);
    }
    await c.call('INCRBYFLOAT', 'f', '3.25');
    await c.call('INCRBYFLOAT', 'f', '0.5');
    await c.call('SETEX', 'sx', 500, 'x');
    await c.call('GETEX', 's1', 'PX', 123456);
    await c.call('EXPIRE', 'l0', 777);
    await c.call('SPOP', 'set0');
    await c.call('SPOP', 'set1', 3);
    await c.call('MULTI');
    await c.call('INCR', 'counter');
    await c.call('LPUSH', 'l1', 'tx');
    await c.call('HINCRBYFLOAT', 'h0', 'fl', '1.5');
    await c.call('EXEC');
    await c.call('GETDEL', 's2');
    await c.call('SET', 'gone', 'x', 'PX', 20);
  }
  // a blocked pop served by a later push on another connection propagates as LPOP
  await blocker.call('SELECT', 0);
  const pop = blocker.call('BLPOP', 'queue', 5);
  await new Promise((r) => setTimeout(r, 50));
  await c.call('SELECT', 0);
  await c.call('RPUSH', 'queue', 'a', 'b');
  expect(await pop).toEqual(['queue', 'a']);
  // lazy expiry of `gone` (db 0 and 3) reaches the replica as DEL when touched
  await new Promise((r) => setTimeout(r, 60));
  expect(await c.call('GET', 'gone')).toBeNull();
  await c.call('SELECT', 3);
  expect(await c.call('EXISTS', 'gone')).toBe(0);
}

/** Everything in the given dbs, values normalised, with absolute expiry times. */
async function dump(c: TestClient, dbs: number[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const db of dbs) {
    await c.call('SELECT', db);
    const keys = ((await c.call('KEYS', '*')) as string[]).sort();
    for (const k of keys) {
      const type = await c.call('TYPE', k);
      let v: unknown;
      if (type === 'string') v = await c.call('GET', k);
      else if (type === 'list') v = await c.call('LRANGE', k, 0, -1);
      else if (type === 'set') v = ((await c.call('SMEMBERS', k)) as string[]).sort();
      else if (type === 'zset') v = await c.call('ZRANGE', k, 0, -1, 'WITHSCORES');
      else if (type === 'hash') v = ((await c.call('HGETALL', k)) as string[]).reduce<string[][]>((a, x, i) => (i % 2 === 0 ? [...a, [x]] : (a.at(-1)!.push(x), a)), []).sort();
      out[`${db}/${k}`] = { type, v, exp: await c.call('PEXPIRETIME', k) };
    }
  }
  return out;
}

describe.skipIf(skip)('datasets equal after a mixed workload with propagation rewrites', () => {
  const { later, client, redisServer: redisNode } = replicationScope();
  const offset = async (c: TestClient): Promise<string | undefined> => infoField((await c.str('INFO', 'replication')) ?? '', 'master_repl_offset');

  for (const direction of ['tredis → redis-server', 'redis-server → tredis'] as const) {
    it(direction, async () => {
      let mPort: number;
      let rPort: number;
      if (direction === 'tredis → redis-server') {
        const m = await startTestNode({ config: { replDisklessSyncDelay: 0 } });
        later(() => m.close());
        mPort = m.port;
        rPort = await redisNode([`replicaof 127.0.0.1 ${mPort}`]);
      } else {
        mPort = await redisNode();
        const r = await startTestNode();
        later(() => r.close());
        rPort = r.port;
        await (await client(rPort)).call('REPLICAOF', '127.0.0.1', mPort);
      }
      const mc = await client(mPort);
      const rc = await client(rPort);
      await until(async () => infoField((await rc.str('INFO', 'replication')) ?? '', 'master_link_status') === 'up', 'link up');
      // a subscriber on the replica hears PUBLISH from the master's stream
      const sub = await client(rPort);
      expect(await sub.call('SUBSCRIBE', 'news')).toEqual(['subscribe', 'news', 1]);
      const heard = sub.next();
      await workload(mc, await client(mPort));
      await mc.call('PUBLISH', 'news', 'hello');
      await until(async () => (await offset(rc)) === (await offset(mc)), 'replica caught up');
      expect(await dump(rc, [0, 3])).toEqual(await dump(mc, [0, 3]));
      expect(await heard).toEqual(['message', 'news', 'hello']);
    });
  }
});
