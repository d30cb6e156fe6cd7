/**
 * Real clients against tredis: ioredis 6 and node-redis 6 (both RESP3 by default) round-trip every data type,
 * binary-safe; redis-cli and redis-benchmark work against it.
 */
import { execFile } from 'node:child_process';
import { Redis as IORedis } from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has } from '../helpers/processes.js';
import { startTestNode, type TestNode } from './node-start.js';

/** Run a binary without blocking the event loop (the node under test lives in this process). */
function run(cmd: string, args: string[], timeout = 120_000): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout }, (err, stdout) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1;
      resolve({ status: code, stdout });
    });
  });
}

const BIN = Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 0x80]);

describe('real clients against tredis', () => {
  let n: TestNode;
  beforeAll(async () => {
    n = await startTestNode();
  });
  afterAll(async () => {
    await n?.stop();
  });

  it('ioredis 6: strings, hashes, lists, sets, sorted sets, expiry, transactions, binary values', async () => {
    const r = new IORedis({ port: n.port, host: '127.0.0.1', lazyConnect: true });
    await r.connect();
    try {
      expect(await r.set('s', 'hello')).toBe('OK');
      expect(await r.get('s')).toBe('hello');
      await r.set(Buffer.from('bin\xff', 'latin1'), BIN);
      expect(Buffer.compare((await r.getBuffer(Buffer.from('bin\xff', 'latin1')))!, BIN)).toBe(0);
      expect(await r.incrby('n', 5)).toBe(5);
      expect(await r.incrbyfloat('f', '10.5')).toBe('10.5');
      expect(await r.hset('h', { a: '1', b: '2' })).toBe(2);
      expect(await r.hgetall('h')).toEqual({ a: '1', b: '2' });
      expect(await r.rpush('l', 'x', 'y', 'z')).toBe(3);
      expect(await r.lrange('l', 0, -1)).toEqual(['x', 'y', 'z']);
      expect(await r.sadd('set', 'm1', 'm2')).toBe(2);
      expect((await r.smembers('set')).sort()).toEqual(['m1', 'm2']);
      expect(await r.zadd('z', '1', 'a', '2.5', 'b')).toBe(2);
      expect(await r.zrange('z', '0', '-1', 'WITHSCORES')).toEqual(['a', '1', 'b', '2.5']);
      expect(await r.zscore('z', 'b')).toBe('2.5');
      expect(await r.expire('s', 100)).toBe(1);
      expect(await r.ttl('s')).toBe(100);
      const tx = await r.multi().set('t', '1').incr('t').get('t').exec();
      expect(tx).toEqual([[null, 'OK'], [null, 2], [null, '2']]);
      expect(await r.type('z')).toBe('zset');
      const [cursor, keys] = await r.scan('0', 'COUNT', 100);
      expect(cursor).toBe('0');
      expect(keys.length).toBe(await r.dbsize());
      expect(await r.info('replication')).toContain('role:master');
      await expect(r.lpush('s', 'x')).rejects.toThrow(/^WRONGTYPE/);
    } finally {
      r.disconnect();
    }
  });

  it('node-redis 6 (RESP3): every type, maps and doubles decoded', async () => {
    const c = createClient({ socket: { port: n.port, host: '127.0.0.1' }, RESP: 3 });
    await c.connect();
    try {
      await c.flushAll();
      expect(await c.set('s', 'v')).toBe('OK');
      expect(await c.get('s')).toBe('v');
      expect(await c.hSet('h', { a: '1', b: '2' })).toBe(2);
      expect(await c.hGetAll('h')).toEqual({ a: '1', b: '2' });
      expect(await c.rPush('l', ['1', '2'])).toBe(2);
      expect(await c.lPop('l')).toBe('1');
      expect(await c.sAdd('set', ['a', 'b'])).toBe(2);
      expect(await c.sIsMember('set', 'a')).toBe(1);
      expect(await c.zAdd('z', [{ score: 1.5, value: 'a' }, { score: 3, value: 'b' }])).toBe(2);
      expect(await c.zRangeWithScores('z', 0, -1)).toEqual([
        { value: 'a', score: 1.5 },
        { value: 'b', score: 3 },
      ]);
      expect(await c.zScore('z', 'a')).toBe(1.5);
      const bin = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      await bin.set('b', BIN);
      expect(Buffer.compare((await bin.get('b')) as unknown as Buffer, BIN)).toBe(0);
      const res = await c.multi().incr('k').incr('k').exec();
      expect(res).toEqual([1, 2]);
      expect(await c.dbSize()).toBe(7);
    } finally {
      await c.quit();
    }
  });

  describe.skipIf(!has('redis-cli'))('redis-cli and redis-benchmark', () => {
    it('redis-cli runs commands and INFO', async () => {
      const cli = (...a: string[]) => run('redis-cli', ['-p', String(n.port), ...a]);
      expect((await cli('SET', 'cli', 'v')).stdout.trim()).toBe('OK');
      expect((await cli('GET', 'cli')).stdout.trim()).toBe('v');
      expect((await cli('--no-raw', 'LRANGE', 'nokey', '0', '-1')).stdout.trim()).toBe('(empty array)');
      expect((await cli('INFO', 'server')).stdout).toContain('redis_version:7.0.15');
      expect((await cli('--no-raw', 'LPUSH', 'cli', 'x')).stdout.trim()).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    });

    it.skipIf(!has('redis-benchmark'))('redis-benchmark completes against tredis', async () => {
      const r = await run('redis-benchmark', ['-p', String(n.port), '-q', '-n', '2000', '-c', '10', '-t', 'set,get,incr,lpush,hset,zadd,rpop,sadd,lrange']);
      expect(r.status).toBe(0);
      for (const t of ['SET', 'GET', 'INCR', 'LPUSH', 'HSET', 'ZADD', 'SADD']) expect(r.stdout).toMatch(new RegExp(`${t}: [0-9.]+ requests per second`));
    });
  });
});
if (!has('redis-cli')) console.warn('[skip] redis-cli not installed: skipping redis-cli/redis-benchmark checks');
