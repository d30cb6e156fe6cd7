/**
 * Differential fuzzing: seeded random commands (valid, invalid, edge-case arguments) over a small keyspace, run
 * against redis-server 7.0.15 and tredis; every reply must match (order-insensitive where Redis's order is
 * unspecified), tredis must never answer with an internal error, and both keyspaces must end up equal.
 * A failing run prints its seed and the command that diverged.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../src/common/random.js';
import { has } from '../helpers/processes.js';
import { tredisBesideRedis } from './differential-pair.js';
import { replyElements, sortedPairs } from './node-raw-client.js';

const hasRedis = has('redis-server');
if (!hasRedis) console.warn('[skip] redis-server not installed: skipping the tredis differential fuzz');

const KEYS = ['a', 'b', 'c', 'd'];
const MEMBERS = ['x', 'y', 'z', '1', '2', '10', '-3', '', 'long-member-name'];
const NUMS = ['0', '1', '-1', '2', '3', '10', '-5', '100', '9223372036854775807', '-9223372036854775808', 'abc', '1.5', '', '+1', '007', '1e3'];
const FLOATS = ['0', '1.5', '-2.25', 'inf', '-inf', '+inf', 'nan', 'abc', '1e400', '(1', '(2.5', '3', ''];
const LEX = ['-', '+', '[a', '(a', '[x', '(z', 'x', '[', '(', ''];

/** Commands whose reply order Redis leaves unspecified: compare sorted elements. */
const UNORDERED = new Set(['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF', 'KEYS', 'HKEYS', 'HVALS', 'HGETALL']);

type Gen = (r: Random) => string[];
const pick = <T>(r: Random, xs: readonly T[]): T => xs[r.int(xs.length)]!;
const k = (r: Random): string => pick(r, KEYS);
const m = (r: Random): string => pick(r, MEMBERS);
const n = (r: Random): string => pick(r, NUMS);
const f = (r: Random): string => pick(r, FLOATS);
const some = (r: Random, g: (r: Random) => string, max = 3): string[] => Array.from({ length: r.int(max) + 1 }, () => g(r));

const GENS: Gen[] = [
  (r) => ['SET', k(r), m(r), ...(r.int(3) === 0 ? [pick(r, ['NX', 'XX', 'GET', 'KEEPTTL'])] : [])],
  (r) => ['GET', k(r)],
  (r) => ['APPEND', k(r), m(r)],
  (r) => ['INCRBY', k(r), n(r)],
  (r) => ['DECR', k(r)],
  (r) => ['INCRBYFLOAT', k(r), f(r)],
  (r) => ['GETRANGE', k(r), n(r), n(r)],
  (r) => ['SETRANGE', k(r), n(r), m(r)],
  (r) => ['STRLEN', k(r)],
  (r) => ['MSET', k(r), m(r), k(r), m(r)],
  (r) => ['GETDEL', k(r)],
  (r) => ['DEL', ...some(r, k)],
  (r) => ['EXISTS', ...some(r, k)],
  (r) => ['TYPE', k(r)],
  (r) => ['RENAME', k(r), k(r)],
  (r) => ['COPY', k(r), k(r), ...(r.int(2) === 0 ? ['REPLACE'] : [])],
  (r) => ['OBJECT', 'ENCODING', k(r)],
  (r) => ['EXPIRE', k(r), pick(r, ['100', '-1', '0', 'abc', '1000']), ...(r.int(3) === 0 ? [pick(r, ['NX', 'XX', 'GT', 'LT', 'FOO'])] : [])],
  (r) => ['TTL', k(r)],
  (r) => ['PERSIST', k(r)],
  (r) => ['HSET', k(r), m(r), m(r), ...(r.int(2) === 0 ? [m(r), m(r)] : [])],
  (r) => ['HGET', k(r), m(r)],
  (r) => ['HDEL', k(r), ...some(r, m)],
  (r) => ['HINCRBY', k(r), m(r), n(r)],
  (r) => ['HINCRBYFLOAT', k(r), m(r), f(r)],
  (r) => ['HGETALL', k(r)],
  (r) => ['HKEYS', k(r)],
  (r) => ['HLEN', k(r)],
  (r) => ['HMGET', k(r), ...some(r, m)],
  (r) => ['HSETNX', k(r), m(r), m(r)],
  (r) => [pick(r, ['LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX']), k(r), ...some(r, m)],
  (r) => [pick(r, ['LPOP', 'RPOP']), k(r), ...(r.int(2) === 0 ? [n(r)] : [])],
  (r) => ['LRANGE', k(r), n(r), n(r)],
  (r) => ['LINDEX', k(r), n(r)],
  (r) => ['LSET', k(r), n(r), m(r)],
  (r) => ['LREM', k(r), n(r), m(r)],
  (r) => ['LTRIM', k(r), n(r), n(r)],
  (r) => ['LINSERT', k(r), pick(r, ['BEFORE', 'AFTER', 'MIDDLE']), m(r), m(r)],
  (r) => ['LPOS', k(r), m(r), ...(r.int(2) === 0 ? [pick(r, ['RANK', 'COUNT', 'MAXLEN']), n(r)] : [])],
  (r) => ['LMOVE', k(r), k(r), pick(r, ['LEFT', 'RIGHT']), pick(r, ['LEFT', 'RIGHT', 'UP'])],
  (r) => ['LLEN', k(r)],
  (r) => ['SADD', k(r), ...some(r, m)],
  (r) => ['SREM', k(r), ...some(r, m)],
  (r) => ['SMEMBERS', k(r)],
  (r) => ['SISMEMBER', k(r), m(r)],
  (r) => ['SCARD', k(r)],
  (r) => ['SMOVE', k(r), k(r), m(r)],
  (r) => [pick(r, ['SINTER', 'SUNION', 'SDIFF']), ...some(r, k)],
  (r) => [pick(r, ['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), k(r), ...some(r, k)],
  (r) => ['ZADD', k(r), ...(r.int(3) === 0 ? [pick(r, ['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'])] : []), f(r), m(r)],
  (r) => ['ZINCRBY', k(r), f(r), m(r)],
  (r) => ['ZREM', k(r), ...some(r, m)],
  (r) => ['ZSCORE', k(r), m(r)],
  (r) => ['ZRANK', k(r), m(r)],
  (r) => ['ZRANGE', k(r), n(r), n(r), ...(r.int(2) === 0 ? ['WITHSCORES'] : [])],
  (r) => ['ZRANGEBYSCORE', k(r), f(r), f(r), ...(r.int(2) === 0 ? ['LIMIT', n(r), n(r)] : [])],
  (r) => ['ZREVRANGEBYSCORE', k(r), f(r), f(r), ...(r.int(2) === 0 ? ['WITHSCORES'] : [])],
  (r) => ['ZRANGEBYLEX', k(r), pick(r, LEX), pick(r, LEX)],
  (r) => ['ZCOUNT', k(r), f(r), f(r)],
  (r) => ['ZLEXCOUNT', k(r), pick(r, LEX), pick(r, LEX)],
  (r) => [pick(r, ['ZPOPMIN', 'ZPOPMAX']), k(r), ...(r.int(2) === 0 ? [n(r)] : [])],
  (r) => ['ZREMRANGEBYSCORE', k(r), f(r), f(r)],
  (r) => ['ZREMRANGEBYRANK', k(r), n(r), n(r)],
  (r) => [pick(r, ['ZUNIONSTORE', 'ZINTERSTORE']), k(r), '2', k(r), k(r), ...(r.int(2) === 0 ? ['AGGREGATE', pick(r, ['MIN', 'MAX', 'SUM'])] : [])],
  (r) => ['ZCARD', k(r)],
  (r) => ['ZMSCORE', k(r), ...some(r, m)],
];

function normalise(cmd: string, reply: string): string {
  // the two servers run a command a few µs apart: a positive TTL may round differently at a .5 s boundary
  if (cmd === 'TTL' && /^:[1-9]/.test(reply)) return ':positive\r\n';
  const els = UNORDERED.has(cmd) ? replyElements(reply) : null;
  if (els === null) return reply;
  const head = `${reply[0]!}${els.length}\r\n`;
  return head + (cmd === 'HGETALL' ? sortedPairs(els) : els.sort()).join('');
}

describe.skipIf(!hasRedis)('tredis vs redis-server: differential fuzz', () => {
  const pair = tredisBesideRedis();

  for (const seed of (process.env.FUZZ_SEEDS ?? "1,2,3,4").split(",").map(Number)) {
    it(`seed ${seed} (RESP${seed % 2 === 0 ? 3 : 2}): 1500 random commands give identical replies and datasets`, async () => {
      const { redis, tredis } = pair;
      const rnd = seededRandom(seed);
      // even seeds speak RESP3 (maps, sets, doubles, nulls), odd seeds RESP2
      const proto = seed % 2 === 0 ? '3' : '2';
      await redis.call(['HELLO', proto]);
      await tredis.call(['HELLO', proto]);
      await redis.call(['FLUSHALL']);
      await tredis.call(['FLUSHALL']);
      const diffs: string[] = [];
      for (let i = 0; i < 1500 && diffs.length < 5; i++) {
        const argv = pick(rnd, GENS)(rnd);
        const cmd = argv[0]!;
        const want = normalise(cmd, await redis.call(argv));
        if (process.env.FUZZ_TRACE !== undefined && argv.includes(process.env.FUZZ_TRACE)) console.log(i, JSON.stringify(argv), JSON.stringify(want));
        const got = normalise(cmd, await tredis.call(argv));
        if (got.includes('internal error')) diffs.push(`#${i} ${JSON.stringify(argv)}: internal error`);
        else if (want !== got) diffs.push(`seed ${seed} #${i} ${JSON.stringify(argv)}\n  redis:  ${JSON.stringify(want)}\n  tredis: ${JSON.stringify(got)}`);
      }
      expect(diffs.join('\n')).toBe('');
      // same dataset at the end: DUMP-independent comparison through TYPE and a type-specific read
      for (const key of KEYS) {
        const type = await redis.call(['TYPE', key]);
        expect(await tredis.call(['TYPE', key]), `seed ${seed} TYPE ${key}`).toBe(type);
        const read: Record<string, string[]> = {
          '+string\r\n': ['GET', key],
          '+list\r\n': ['LRANGE', key, '0', '-1'],
          '+set\r\n': ['SMEMBERS', key],
          '+zset\r\n': ['ZRANGE', key, '0', '-1', 'WITHSCORES'],
          '+hash\r\n': ['HGETALL', key],
        };
        const q = read[type];
        if (q !== undefined) expect(normalise(q[0]!, await tredis.call(q)), `seed ${seed} ${key}`).toBe(normalise(q[0]!, await redis.call(q)));
        expect(normalise('TTL', await tredis.call(['TTL', key])), `seed ${seed} TTL ${key}`).toBe(normalise('TTL', await redis.call(['TTL', key])));
      }
    });
  }
});
