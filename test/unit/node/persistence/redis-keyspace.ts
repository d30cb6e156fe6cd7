/**
 * Read a real redis-server's whole keyspace into the canonical form of fixture-data.ts (binary-safe, via
 * ioredis callBuffer on a RESP2 connection: `protocol: 2`), so integration tests can compare it with a tredis
 * dataset or a fixture JSON.
 */
import type { Redis } from 'ioredis';
import { parseRedisDouble } from '../../../../src/node/persistence/rdb-cursor.js';
import type { Canonical } from './fixture-data.js';

const s = (b: Buffer): string => b.toString('latin1');

function scoreKey(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

export async function readRedisKeyspace(r: Redis, databases = 16): Promise<Canonical> {
  const out: Canonical = new Map();
  for (let db = 0; db < databases; db++) {
    await r.select(db);
    let cursor = '0';
    const keys: string[] = [];
    do {
      const [next, batch] = (await r.callBuffer('SCAN', cursor, 'COUNT', '1000')) as [Buffer, Buffer[]];
      cursor = s(next);
      for (const k of batch) keys.push(s(k));
    } while (cursor !== '0');
    for (const key of keys) {
      const kb = Buffer.from(key, 'latin1');
      const type = s((await r.callBuffer('TYPE', kb)) as Buffer);
      let value: unknown;
      if (type === 'string') value = s((await r.callBuffer('GET', kb)) as Buffer);
      else if (type === 'list') value = ((await r.callBuffer('LRANGE', kb, '0', '-1')) as Buffer[]).map(s);
      else if (type === 'set') value = ((await r.callBuffer('SMEMBERS', kb)) as Buffer[]).map(s).sort();
      else if (type === 'hash') {
        const flat = ((await r.callBuffer('HGETALL', kb)) as Buffer[]).map(s);
        const pairs: [string, string][] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
        value = pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      } else if (type === 'zset') {
        const flat = ((await r.callBuffer('ZRANGE', kb, '0', '-1', 'WITHSCORES')) as Buffer[]).map(s);
        const pairs: [string, string][] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, scoreKey(parseRedisDouble(flat[i + 1]!)!)]);
        value = pairs;
      } else {
        throw new Error(`unexpected type ${type} for ${key}`);
      }
      const pexp = Number(await r.call('PEXPIRETIME', kb));
      out.set(`${db}|${key}`, JSON.stringify({ type, value, expiry: pexp < 0 ? null : pexp }));
    }
  }
  await r.select(0);
  return out;
}
