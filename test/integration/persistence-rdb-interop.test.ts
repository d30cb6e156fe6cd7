/**
 * RDB and DUMP payloads move both ways between tredis and a real redis-server 7.0.15:
 *  - every fixture re-written by tredis passes redis-check-rdb and loads into redis-server with identical contents;
 *  - a random dataset saved by redis-server (SAVE) loads into tredis with identical contents;
 *  - DUMP payloads from either side RESTORE on the other.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../src/common/random.js';
import { createDumpPayload, readDumpPayload } from '../../src/node/persistence/dump.js';
import { DEFAULT_ENCODING_LIMITS } from '../../src/node/persistence/rdb-constants.js';
import { RdbEncoder } from '../../src/node/persistence/rdb-encoder.js';
import { loadRdbFileSync, RdbLoader, type LoadResult } from '../../src/node/persistence/rdb-loader.js';
import { writeDataset } from '../../src/node/persistence/rdb-writer.js';
import { allocPort } from '../helpers/ports.js';
import { missing, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { canonicalFromJson, canonicalFromMaps, canonicalValue, fixtureRdb, GOOD_FIXTURES, loadFixtureJson } from '../unit/node/persistence/fixture-data.js';
import { readRedisKeyspace } from '../unit/node/persistence/redis-keyspace.js';

const skip = missing('redis-server', 'redis-check-rdb');

function loadFixture(name: string): LoadResult {
  const l = new RdbLoader({ databases: 16, dropExpiredBefore: null });
  l.push(fixtureRdb(name));
  return l.finish();
}

function writeRdb(path: string, dbs: LoadResult['dbs'], opts = { compression: true, checksum: true }): void {
  const chunks: Buffer[] = [];
  const enc = new RdbEncoder((c) => chunks.push(c), opts);
  writeDataset(enc, dbs, { ctime: Math.floor(Date.now() / 1000), usedMem: 1 }, DEFAULT_ENCODING_LIMITS);
  writeFileSync(path, Buffer.concat(chunks));
}

function checkRdb(path: string): { ok: boolean; out: string } {
  const r = spawnSync('redis-check-rdb', [path], { encoding: 'utf8' });
  return { ok: r.status === 0 && r.stdout.includes('RDB looks OK'), out: r.stdout + r.stderr };
}

/** Commands building a dataset that crosses every encoding threshold Redis 7.0 has. */
function randomDataset(r: Random): string[][] {
  const cmds: string[][] = [];
  const bin = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(r.int(256))).join('');
  const far = (): string => String(4_102_444_800_000 + r.int(1_000_000_000));
  for (const db of [0, 1, 7, 15]) {
    cmds.push(['SELECT', String(db)]);
    for (let i = 0; i < 40; i++) {
      const k = `s:${db}:${i}`;
      const kind = r.int(6);
      const v =
        kind === 0 ? String(r.int(2 ** 31) - 2 ** 30) : kind === 1 ? String(r.int(1e15)) : kind === 2 ? bin(r.int(30)) : kind === 3 ? 'abc'.repeat(50 + r.int(500)) : kind === 4 ? '' : `${r.next()}`;
      cmds.push(['SET', k, v]);
      if (r.int(4) === 0) cmds.push(['PEXPIREAT', k, far()]);
    }
    cmds.push(['SET', `bin:${bin(8)}`, bin(100)]);
    for (let i = 0; i < 6; i++) {
      const n = [3, 50, 400, 2000][r.int(4)]!;
      cmds.push(['RPUSH', `l:${db}:${i}`, ...Array.from({ length: n }, (_, j) => (j % 5 === 0 ? String(j - 100) : `${bin(r.int(20))}-${'x'.repeat(r.int(300))}`))]);
      const hn = [2, 100, 600][r.int(3)]!;
      const h: string[] = [];
      for (let j = 0; j < hn; j++) h.push(`f${j}`, j % 7 === 0 ? 'v'.repeat(r.int(120)) : String(j));
      cmds.push(['HSET', `h:${db}:${i}`, ...h]);
      const sn = [3, 300, 700][r.int(3)]!;
      const wide = [1, 100000, 2 ** 40][r.int(3)]!;
      cmds.push(['SADD', `si:${db}:${i}`, ...Array.from({ length: sn }, (_, j) => String(j * wide - 7))]);
      cmds.push(['SADD', `ss:${db}:${i}`, ...Array.from({ length: sn }, (_, j) => `m${j}${bin(3)}`)]);
      const zn = [3, 100, 300][r.int(3)]!;
      const z: string[] = [];
      for (let j = 0; j < zn; j++) z.push(j === 0 ? '-inf' : j === 1 ? '+inf' : j === 2 ? '-0' : String((r.next() - 0.5) * 10 ** r.int(20)), `z${j}${j % 9 === 0 ? 'L'.repeat(70) : ''}`);
      cmds.push(['ZADD', `z:${db}:${i}`, ...z]);
      if (r.int(3) === 0) cmds.push(['PEXPIREAT', `z:${db}:${i}`, far()]);
    }
  }
  cmds.push(['SELECT', '0']);
  return cmds;
}

async function apply(c: Redis, cmds: string[][]): Promise<void> {
  const p = c.pipeline();
  for (const [cmd, ...args] of cmds) p.callBuffer(cmd!, ...args.map((a) => Buffer.from(a, 'latin1')));
  const res = await p.exec();
  for (const [err] of res ?? []) if (err) throw err;
}

describe.skipIf(skip)('RDB interop with redis-server 7.0.15', () => {
  const { dir, cleanup } = tempDir('tredis-rdb-interop-');
  const clients: Redis[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await stopAll();
  });
  afterAll(cleanup);

  async function serve(file: string, extra: string[] = []): Promise<Redis> {
    const port = allocPort();
    await startRedisServer(port, dir, [`dbfilename ${file}`, ...extra]);
    const c = new Redis({ port, host: '127.0.0.1', protocol: 2, maxRetriesPerRequest: 1 });
    clients.push(c);
    return c;
  }

  for (const name of GOOD_FIXTURES) {
    it(`${name}: tredis re-writes it; redis-check-rdb accepts it; redis-server loads the same keyspace`, async () => {
      const file = `tredis-${name}.rdb`;
      const path = join(dir, file);
      writeRdb(path, loadFixture(name).dbs);
      const check = checkRdb(path);
      expect(check.ok, check.out).toBe(true);
      const c = await serve(file);
      expect(await readRedisKeyspace(c)).toEqual(canonicalFromJson(loadFixtureJson(name)));
    });
  }

  it('writes with rdbcompression no / rdbchecksum no that redis-server accepts', async () => {
    const file = 'tredis-nocomp.rdb';
    const path = join(dir, file);
    writeRdb(path, loadFixture('types-large').dbs, { compression: false, checksum: false });
    const data = readFileSync(path);
    expect(data.subarray(data.length - 8).equals(Buffer.alloc(8))).toBe(true);
    const check = checkRdb(path);
    expect(check.ok, check.out).toBe(true);
    const c = await serve(file);
    expect(await readRedisKeyspace(c)).toEqual(canonicalFromJson(loadFixtureJson('types-large')));
  });

  for (const seed of [1, 2]) {
    it(`a random dataset SAVEd by redis-server loads into tredis identically, and back (seed ${seed})`, async () => {
      const file = `redis-random-${seed}.rdb`;
      const c = await serve(file);
      await apply(c, randomDataset(seededRandom(seed)));
      const expected = await readRedisKeyspace(c);
      expect(expected.size).toBeGreaterThan(150);
      expect(await c.save()).toBe('OK');
      const loaded = loadRdbFileSync(join(dir, file), { databases: 16, dropExpiredBefore: null });
      expect(canonicalFromMaps(loaded.dbs)).toEqual(expected);
      // and tredis's own RDB of that dataset loads back into a fresh redis-server
      const back = `tredis-random-${seed}.rdb`;
      writeRdb(join(dir, back), loaded.dbs);
      const check = checkRdb(join(dir, back));
      expect(check.ok, check.out).toBe(true);
      const c2 = await serve(back);
      expect(await readRedisKeyspace(c2)).toEqual(expected);
    });
  }

  it('DUMP payloads RESTORE on the other side, for every key of a random dataset', async () => {
    const c = await serve('dump-src.rdb');
    await apply(c, randomDataset(seededRandom(3)));
    await c.select(0);
    let cursor = '0';
    const keys: Buffer[] = [];
    do {
      const [next, batch] = (await c.callBuffer('SCAN', cursor, 'COUNT', '1000')) as [Buffer, Buffer[]];
      cursor = next.toString();
      keys.push(...batch);
    } while (cursor !== '0');
    expect(keys.length).toBeGreaterThan(50);
    for (const k of keys) {
      const theirs = (await c.callBuffer('DUMP', k)) as Buffer;
      const value = readDumpPayload(theirs);
      expect(value, `redis DUMP of ${k.toString('latin1')}`).not.toBeNull();
      const ours = createDumpPayload(value!, { compression: true, limits: DEFAULT_ENCODING_LIMITS });
      const target = Buffer.concat([Buffer.from('copy:'), k]);
      expect(String(await c.callBuffer('RESTORE', target, '0', ours))).toBe('OK');
      // what redis rebuilt from our payload DUMPs back into the same value
      const again = readDumpPayload((await c.callBuffer('DUMP', target)) as Buffer)!;
      expect(canonicalValue(again)).toEqual(canonicalValue(value!));
    }
  });
});
