/**
 * The Redis 7.0 multi-part AOF directory moves both ways between redis-server 7.0.15 and tredis: an AOF written
 * by redis-server (RDB base from BGREWRITEAOF + INCR commands) replays into tredis with identical contents, and
 * an AOF directory written by tredis starts a redis-server with identical contents.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/clock.js';
import { seededRandom } from '../../src/common/random.js';
import { allocPort } from '../helpers/ports.js';
import { missing, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { canonicalFromMaps } from '../unit/node/persistence/fixture-data.js';
import { makeHarness } from '../unit/node/persistence/harness.js';
import { readRedisKeyspace } from '../unit/node/persistence/redis-keyspace.js';
import { loadRdbFileSync } from '../../src/node/persistence/rdb-loader.js';

const skip = missing('redis-server');

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Writes of every type, with binary values, TTLs, deletions and several databases. */
function mixedWrites(seed: number, n: number): string[][] {
  const r = seededRandom(seed);
  const out: string[][] = [];
  for (let i = 0; i < n; i++) {
    const k = `w${r.int(50)}`;
    switch (r.int(12)) {
      case 6:
        out.push(['RPUSH', `l${r.int(5)}`, `e${i}`, String(i)]);
        break;
      case 7:
        out.push(['HSET', `h${r.int(5)}`, `f${r.int(20)}`, `v${i}`]);
        break;
      case 8:
        out.push(['SADD', `s${r.int(5)}`, String(r.int(100)), `m${r.int(10)}`]);
        break;
      case 9:
        out.push(['ZADD', `z${r.int(5)}`, String(r.int(1000) / 8), `m${r.int(30)}`]);
        break;
      case 10:
        out.push(['DEL', `w${r.int(50)}`, `l${r.int(5)}`]);
        break;
      case 11:
        out.push(['EXPIRE', `h${r.int(5)}`, String(3600 + r.int(100))]);
        break;
      case 0:
        out.push(['SET', k, String.fromCharCode(r.int(256)) + 'v'.repeat(r.int(40))]);
        break;
      case 1:
        out.push(['SET', `n${r.int(10)}`, String(r.int(1000))]);
        out.push(['INCRBY', `n${r.int(10)}`, String(r.int(100))]);
        break;
      case 2:
        out.push(['APPEND', k, 'tail']);
        break;
      case 3:
        out.push(['SET', k, 'ttl', 'PX', String(3_600_000 + r.int(1000))]);
        break;
      case 4:
        out.push(['MSET', `m${r.int(20)}`, 'a', `m${r.int(20)}`, 'b']);
        break;
      default:
        out.push(['SELECT', String(r.int(3))]);
    }
  }
  out.push(['SELECT', '0']);
  return out;
}

describe.skipIf(skip)('AOF interop with redis-server 7.0.15', () => {
  const { dir: root, cleanup } = tempDir('tredis-aof-interop-');
  const clients: Redis[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await stopAll();
  });
  afterAll(cleanup);

  it('an AOF directory written by redis-server (RDB base + INCR) replays into tredis identically', async () => {
    const dir = join(root, 'from-redis');
    mkdirSync(dir);
    const port = allocPort();
    const proc = await startRedisServer(port, dir, ['appendonly yes', 'appendfsync always']);
    const c = new Redis({ port, host: '127.0.0.1', protocol: 2 });
    clients.push(c);
    // aggregates of every type go into the RDB base written by the rewrite
    await c.rpush('list', 'a', 'b', '3');
    await c.hset('hash', 'f', 'v', 'n', '1');
    await c.sadd('set', '1', '2', 'x');
    await c.zadd('zset', 1, 'a', 2.5, 'b', '-inf', 'c');
    for (const [cmd, ...args] of mixedWrites(1, 200)) await c.call(cmd!, ...args);
    await c.bgrewriteaof();
    await waitFor(async () => (await c.info('persistence')).includes('aof_rewrite_in_progress:0') && (await c.info('persistence')).includes('aof_rewrites:1'), 'rewrite');
    for (const [cmd, ...args] of mixedWrites(2, 200)) await c.call(cmd!, ...args);
    const expected = await readRedisKeyspace(c);
    await proc.kill('SIGKILL'); // appendfsync always: everything acknowledged is on disk
    const manifest = readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
    expect(manifest).toMatch(/base\.rdb seq 2 type b/);
    const t = makeHarness({ appendonly: true }, dir);
    try {
      const r = t.p.loadAtStartup(t);
      expect(r.source).toBe('aof');
      expect(canonicalFromMaps(t.h.ks.dbs)).toEqual(expected);
    } finally {
      t.cleanup();
    }
  });

  for (const preamble of [true, false]) {
    it(`an AOF directory written by tredis (after BGREWRITEAOF, aof-use-rdb-preamble ${preamble ? 'yes' : 'no'}) starts redis-server with identical contents`, async () => {
      const dir = join(root, `from-tredis-${String(preamble)}`);
      mkdirSync(dir);
      // seed the dataset from a fixture with every type, then log string commands on top
      const fixture = loadRdbFileSync('test/fixtures/redis-7.0.15/rdb/types-large.rdb', { databases: 16, dropExpiredBefore: null });
      // a wall clock near real time: the TTLs written must still be in the future for the real server
      const t = makeHarness({ appendonly: true, appendfsync: 'always', aofUseRdbPreamble: preamble }, dir, new ManualClock(Date.now()));
      let expected;
      try {
        t.p.loadAtStartup(t);
        fixture.dbs.forEach((d, i) => {
          for (const [k, v] of d.dict) t.h.ks.db(i).dict.set(k, v); // not logged: the rewrite's base must carry them
          for (const [k, e] of d.expires) t.h.ks.db(i).expires.set(k, e);
        });
        expect(await t.h.run(['BGREWRITEAOF'])).toBe('+Background append only file rewriting started\r\n');
        for (const argv of mixedWrites(3, 100)) await t.h.run(argv);
        await t.p.rewriteDone();
        for (const argv of mixedWrites(4, 100)) await t.h.run(argv);
        expected = canonicalFromMaps(t.h.ks.dbs);
      } finally {
        t.cleanup();
      }
      const port = allocPort();
      await startRedisServer(port, dir, ['appendonly yes', `aof-use-rdb-preamble ${preamble ? 'yes' : 'no'}`]);
      const c = new Redis({ port, host: '127.0.0.1', protocol: 2 });
      clients.push(c);
      expect(await readRedisKeyspace(c)).toEqual(expected);
    });
  }
});
