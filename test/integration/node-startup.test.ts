/**
 * What a node looks like right after start-up, through a started node and real clients:
 *  - an RDB holding already-expired keys: a master drops them at load (rdb_last_load_keys_expired counts them),
 *    a replica keeps them for its master's DELs (rdb.c rdbLoadRioWithLoadingCtx: iAmMaster() && expiretime < now);
 *    the same file loads the same way into redis-server 7.0.15 when it is installed;
 *  - INFO redis_build_id is a constant of the build: the same after a restart, while run_id is new.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ENCODING_LIMITS } from '../../src/node/persistence/rdb-constants.js';
import { RdbEncoder } from '../../src/node/persistence/rdb-encoder.js';
import { REDIS_VERSION, writeDataset } from '../../src/node/persistence/rdb-writer.js';
import { TREDIS_VERSION } from '../../src/node/main.js';
import { tredisBuildId } from '../../src/node/info/node-info.js';
import { allocPort } from '../helpers/ports.js';
import { has, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { startTestNode, type TestNode } from './node-start.js';

const hasRedis = has('redis-server');
if (!hasRedis) console.warn('[skip] redis-server not installed: the start-up load is not compared with redis-server');

/** db0: `gone` expired a minute ago, `later` expires in an hour, `plain` never. */
function writeExpiredRdb(path: string): void {
  const now = Date.now();
  const dict = new Map<string, string>([
    ['gone', 'x'],
    ['later', 'y'],
    ['plain', 'z'],
  ]);
  const expires = new Map<string, number>([
    ['gone', now - 60_000],
    ['later', now + 3_600_000],
  ]);
  const chunks: Buffer[] = [];
  const enc = new RdbEncoder((c) => chunks.push(c), { compression: true, checksum: true });
  writeDataset(enc, [{ dict, expires }], { ctime: Math.floor(now / 1000), usedMem: 1 }, DEFAULT_ENCODING_LIMITS);
  writeFileSync(path, Buffer.concat(chunks));
}

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)\\r$`, 'm').exec(info)?.[1];
}

interface Loaded {
  expired: string | undefined;
  loaded: string | undefined;
  dbsize: number;
  keyspace: string | undefined;
}

async function inspect(port: number): Promise<Loaded> {
  const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await c.connect();
  try {
    const info = await c.info('all');
    return {
      expired: field(info, 'rdb_last_load_keys_expired'),
      loaded: field(info, 'rdb_last_load_keys_loaded'),
      dbsize: await c.dbsize(),
      keyspace: field(info, 'db0')?.replace(/,avg_ttl=\d+/, ''),
    };
  } finally {
    c.disconnect();
  }
}

describe('start-up load of an RDB holding expired keys', () => {
  const tmp = tempDir('tredis-startup-');
  const nodes: TestNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop();
    await stopAll();
  });
  afterAll(() => tmp.cleanup());

  /** A fresh folder holding the RDB under `name`. */
  function folderWithRdb(sub: string, name: string): string {
    const dir = join(tmp.dir, sub);
    mkdirSync(dir, { recursive: true });
    writeExpiredRdb(join(dir, name));
    return dir;
  }

  // the replica follows a master nobody runs: it never syncs, so its dataset stays what it loaded
  const roles = [
    ['master', [] as string[], { expired: '1', loaded: '2', dbsize: 2, keyspace: 'keys=2,expires=1' }],
    ['replica', ['replicaof 127.0.0.1 PORT'], { expired: '0', loaded: '3', dbsize: 3, keyspace: 'keys=3,expires=2' }],
  ] as const;
  const withPort = (lines: readonly string[]): string[] => lines.map((l) => l.replace('PORT', String(allocPort())));

  it.each(roles)('tredis as a %s', async (role, directives, want) => {
    const dir = folderWithRdb(`tredis-${role}`, 'dump.rdb');
    const n = await startTestNode(withPort(directives), (c) => {
      c.persistence.dir = dir;
    });
    nodes.push(n);
    expect(await inspect(n.port)).toEqual(want);
  });

  it.skipIf(!hasRedis).each(roles)('redis-server 7.0.15 as a %s loads the same file the same way', async (role, directives, want) => {
    const port = allocPort();
    const dir = folderWithRdb(`redis-${role}`, `dump-${port}.rdb`);
    await startRedisServer(port, dir, withPort(directives));
    expect(await inspect(port)).toEqual(want);
  });
});

describe('INFO redis_build_id', () => {
  it('is the same after a restart (a constant of the build), unlike run_id', async () => {
    const seen: { build: string | undefined; run: string | undefined }[] = [];
    for (let i = 0; i < 2; i++) {
      const n = await startTestNode();
      try {
        const c = new Redis({ port: n.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
        await c.connect();
        const info = await c.info('server');
        c.disconnect();
        seen.push({ build: field(info, 'redis_build_id'), run: field(info, 'run_id') });
      } finally {
        await n.stop();
      }
    }
    expect(seen[0]!.build).toMatch(/^[0-9a-f]{1,16}$/);
    expect(seen[1]!.build).toBe(seen[0]!.build);
    expect(seen[1]!.run).not.toBe(seen[0]!.run);
    expect(seen[0]!.run!.startsWith(seen[0]!.build!)).toBe(false);
    // derived from the versions only: crc64("7.0.15" + "tredis <version>") as %llx
    expect(seen[0]!.build).toBe(tredisBuildId(REDIS_VERSION, TREDIS_VERSION));
    expect(tredisBuildId(REDIS_VERSION, '0.1.1')).not.toBe(seen[0]!.build);
  });
});
