/**
 * Persistence through the real tredis binary (dist/cli/tredis.js) and real clients:
 *  - a corrupt or truncated RDB/AOF at start-up: a clear error, exit status 1, the files byte-identical;
 *  - a torn AOF tail loads with a warning under aof-load-truncated yes (the default);
 *  - `appendfsync always`: every acknowledged write survives kill -9 of the process;
 *  - BGSAVE / LASTSAVE / SHUTDOWN / SIGTERM / DEBUG RELOAD from a client, and the dump moves to redis-server.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/common/random.js';
import { allocPort } from '../helpers/ports.js';
import { has, startProcess, startRedisServer, stopAll, tempDir, waitForPort, type Proc } from '../helpers/processes.js';
import { readRedisKeyspace } from '../unit/node/persistence/redis-keyspace.js';

const TREDIS = resolve('dist/cli/tredis.js');
const built = existsSync(TREDIS);
if (!built) console.warn('[skip] dist/cli/tredis.js is not built (npm run build): skipping tredis process persistence tests');
const FIXTURES = resolve('test/fixtures/redis-7.0.15/rdb');

interface Started {
  proc: Proc;
  port: number;
  client: Redis;
}

const clients: Redis[] = [];

function tredisArgs(port: number, dir: string, extra: string[]): string[] {
  return [TREDIS, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...extra];
}

async function startTredis(dir: string, extra: string[] = []): Promise<Started> {
  const port = allocPort();
  const proc = startProcess(process.execPath, tredisArgs(port, dir, extra));
  await Promise.race([
    waitForPort(port),
    proc.exited.then((code) => {
      throw new Error(`tredis exited (${String(code)}): ${proc.output()}`);
    }),
  ]);
  const client = new Redis({ port, host: '127.0.0.1', protocol: 2, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined); // the connection drops when a test kills the process
  clients.push(client);
  return { proc, port, client };
}

/** Run tredis expecting it to refuse to start. */
async function failingStart(dir: string, extra: string[] = []): Promise<{ code: number | string; output: string }> {
  const proc = startProcess(process.execPath, tredisArgs(allocPort(), dir, extra));
  const code = await Promise.race([proc.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 20_000))]);
  if (code === 'still running') await proc.kill();
  return { code, output: proc.output() };
}

function snapshotDir(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, prefix: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out.set(`${prefix}${name}`, readFileSync(p).toString('base64'));
    }
  };
  walk(dir, '');
  return out;
}

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!built)('tredis process persistence', () => {
  const { dir: root, cleanup } = tempDir('tredis-persist-proc-');
  let n = 0;
  const fresh = (): string => {
    const d = join(root, `d${n++}`);
    mkdirSync(d);
    return d;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await stopAll();
  });
  afterAll(cleanup);

  for (const [file, message] of [
    ['truncated', 'Unexpected EOF reading RDB file'],
    ['badcrc', 'Wrong RDB checksum expected: (42c8fd711c6e0ead) but got (42c8fd71e36e0ead)'],
    ['badmagic', 'Wrong signature trying to load DB from file'],
    ['badversion', 'Wrong RDB checksum'],
  ] as const) {
    it(`refuses to start on ${file}.rdb: exit 1, clear error, files untouched`, async () => {
      const dir = fresh();
      copyFileSync(join(FIXTURES, `${file}.rdb`), join(dir, 'dump.rdb'));
      const before = snapshotDir(dir);
      const r = await failingStart(dir);
      expect(r.code).toBe(1);
      expect(r.output).toContain(message);
      expect(r.output).toContain(join(dir, 'dump.rdb'));
      expect(snapshotDir(dir)).toEqual(before);
    });
  }

  it('refuses to start on an AOF with a format error, files untouched; a torn tail loads with a warning', async () => {
    const dir = fresh();
    let s = await startTredis(dir, ['--appendonly', 'yes', '--appendfsync', 'always']);
    await s.client.set('a', '1');
    await s.client.rpush('l', 'x', 'y');
    await s.proc.kill('SIGKILL');
    const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
    const good = readFileSync(incr);

    writeFileSync(incr, Buffer.concat([good, Buffer.from('NOT RESP\r\n')]));
    let before = snapshotDir(dir);
    let r = await failingStart(dir, ['--appendonly', 'yes']);
    expect(r.code).toBe(1);
    expect(r.output).toContain('Bad file format reading the append only file');
    expect(snapshotDir(dir)).toEqual(before);

    writeFileSync(incr, Buffer.concat([good, Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$3\r\nva')]));
    before = snapshotDir(dir);
    r = await failingStart(dir, ['--appendonly', 'yes', '--aof-load-truncated', 'no']);
    expect(r.code).toBe(1);
    expect(r.output).toContain('Unexpected end of file reading the append only file');
    expect(snapshotDir(dir)).toEqual(before);

    s = await startTredis(dir, ['--appendonly', 'yes']);
    expect(await s.client.get('a')).toBe('1');
    expect(await s.client.lrange('l', 0, -1)).toEqual(['x', 'y']);
    expect(await s.client.exists('b')).toBe(0);
    expect(s.proc.output()).toContain('short read while loading the AOF file appendonly.aof.1.incr.aof');
    expect(readFileSync(incr).equals(good)).toBe(true); // cut back to the last complete command
  });

  for (const seed of [1, 2, 3]) {
    it(`appendfsync always: every acknowledged write survives kill -9 (seed ${seed})`, async () => {
      const dir = fresh();
      const s = await startTredis(dir, ['--appendonly', 'yes', '--appendfsync', 'always']);
      const r = seededRandom(seed);
      const acked = { sets: new Map<string, string>(), incr: 0, pushed: 0 };
      let stop = false;
      const writers = [
        (async () => {
          for (let i = 0; !stop; i++) {
            const v = `v${i}-${'x'.repeat(i % 50)}`;
            await s.client.set(`k${i}`, v);
            acked.sets.set(`k${i}`, v);
          }
        })(),
        (async () => {
          while (!stop) {
            await s.client.incr('counter');
            acked.incr++;
          }
        })(),
        (async () => {
          while (!stop) {
            await s.client.rpush('list', String(acked.pushed));
            acked.pushed++;
          }
        })(),
      ].map((p) => p.catch(() => undefined)); // the in-flight command fails when the process dies
      await waitFor(async () => acked.sets.size >= 50 + r.int(300), 'writes');
      await s.proc.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      const t = await startTredis(dir, ['--appendonly', 'yes']);
      for (const [k, v] of acked.sets) expect(await t.client.get(k), k).toBe(v);
      const counter = Number(await t.client.get('counter'));
      expect(counter).toBeGreaterThanOrEqual(acked.incr);
      expect(counter).toBeLessThanOrEqual(acked.incr + 1); // one INCR may have been written but not acknowledged
      const list = await t.client.lrange('list', 0, -1);
      expect(list.length).toBeGreaterThanOrEqual(acked.pushed);
      expect(list.slice(0, acked.pushed)).toEqual(Array.from({ length: acked.pushed }, (_, i) => String(i)));
    });
  }

  it('BGSAVE, LASTSAVE, INFO, SHUTDOWN and SIGTERM save; the dump passes redis-check-rdb and loads into redis-server', async () => {
    const dir = fresh();
    const s = await startTredis(dir, ['--save', '3600 1']);
    await s.client.set('str', 'value');
    await s.client.hset('h', 'f', 'v');
    await s.client.zadd('z', 1.5, 'm');
    await s.client.sadd('s', '1', '2', '3');
    await s.client.rpush('l', 'a', 'b');
    await s.client.pexpire('str', 3_600_000);
    const last0 = await s.client.lastsave();
    await new Promise((res) => setTimeout(res, 1100)); // LASTSAVE has second resolution
    expect(await s.client.bgsave()).toBe('Background saving started');
    await waitFor(async () => (await s.client.info('persistence')).includes('rdb_bgsave_in_progress:0'), 'bgsave');
    const info = await s.client.info('persistence');
    expect(info).toContain('rdb_last_bgsave_status:ok');
    expect(info).toContain('rdb_changes_since_last_save:0');
    expect(await s.client.lastsave()).toBeGreaterThan(last0);
    if (has('redis-check-rdb')) {
      const check = spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' });
      expect(check.stdout).toContain('RDB looks OK');
    }
    const expected = await readRedisKeyspace(s.client);
    // SHUTDOWN with a save point configured writes the latest data first
    await s.client.set('late', 'write');
    await s.client.shutdown().catch(() => undefined);
    expect(await s.proc.exited).toBe(0);
    const s2 = await startTredis(dir, ['--save', '3600 1']);
    expect(await s2.client.get('late')).toBe('write');
    // SIGTERM takes the same path
    await s2.client.set('term', 'saved');
    await s2.proc.kill('SIGTERM');
    const s3 = await startTredis(dir);
    expect(await s3.client.get('term')).toBe('saved');
    await s3.client.del('late', 'term');
    expect(await readRedisKeyspace(s3.client)).toEqual(expected);
    if (has('redis-server')) {
      await s3.client.save();
      const rdir = fresh();
      copyFileSync(join(dir, 'dump.rdb'), join(rdir, 'moved.rdb'));
      const port = allocPort();
      await startRedisServer(port, rdir, ['dbfilename moved.rdb']);
      const c = new Redis({ port, host: '127.0.0.1', protocol: 2 });
      clients.push(c);
      expect(await readRedisKeyspace(c)).toEqual(expected);
    }
  });

  it('DEBUG RELOAD keeps the dataset; a BGSAVE under writes saves the point-in-time dataset', async () => {
    const dir = fresh();
    const s = await startTredis(dir, ['--enable-debug-command', 'yes']);
    const p = s.client.pipeline();
    for (let i = 0; i < 20000; i++) p.set(`k${i}`, `v${i}`);
    await p.exec();
    expect(await s.client.call('DEBUG', 'RELOAD')).toBe('OK');
    expect(await s.client.dbsize()).toBe(20000);
    // BGSAVE and the overwrites in one pipeline: the server runs them in one batch, so every overwrite happens after
    // the snapshot started and before its first slice; the file must still hold the values from its start
    const w = s.client.pipeline();
    w.bgsave();
    for (let i = 0; i < 20000; i++) w.set(`k${i}`, 'changed');
    const res = await w.exec();
    expect(res![0]).toEqual([null, 'Background saving started']);
    expect(await s.client.get('k0')).toBe('changed');
    await waitFor(async () => (await s.client.info('persistence')).includes('rdb_bgsave_in_progress:0'), 'bgsave');
    expect(await s.client.call('DEBUG', 'RELOAD', 'NOSAVE')).toBe('OK');
    expect(await s.client.get('k19999')).toBe('v19999');
    expect(await s.client.get('k0')).toBe('v0');
    appendFileSync(join(dir, 'dump.rdb'), 'trailing garbage is ignored after the checksum');
    expect(await s.client.call('DEBUG', 'RELOAD', 'NOSAVE')).toBe('OK');
  });

  it.skipIf(!has('redis-server'))('DUMP, RESTORE and the save commands reply byte for byte as redis-server', async () => {
    const t = await startTredis(fresh());
    const rport = allocPort();
    await startRedisServer(rport, fresh());
    const r = new Redis({ port: rport, host: '127.0.0.1', protocol: 2 });
    clients.push(r);
    const run = async (c: Redis, argv: (string | Buffer)[]): Promise<string> => {
      try {
        const v = await c.callBuffer(String(argv[0]), ...argv.slice(1));
        return Buffer.isBuffer(v) ? `bulk:${v.toString('hex')}` : JSON.stringify(v, (_k, x: unknown) => (Buffer.isBuffer(x) ? x.toString('hex') : x));
      } catch (e) {
        return `error:${(e as Error).message}`;
      }
    };
    const both = async (argv: (string | Buffer)[]): Promise<string> => {
      const [a, b] = [await run(t.client, argv), await run(r, argv)];
      expect(a, argv.map(String).join(' ')).toBe(b);
      return a;
    };
    await both(['SET', 'k', 'hello']);
    await both(['RPUSH', 'l', 'a', 'b', '1', '-70000']);
    await both(['HSET', 'h', 'f1', 'v1', 'n', '42']);
    await both(['SADD', 's', '3', '1', '2']);
    await both(['ZADD', 'z', '-3', 'c', '1', 'a', '2.5', 'b']);
    await both(['SET', 'lz', 'abc'.repeat(30)]);
    for (const k of ['k', 'l', 'h', 's', 'z', 'lz', 'missing']) await both(['DUMP', k]);
    const payload = (await t.client.callBuffer('DUMP', 'k')) as Buffer;
    const bad = Buffer.from(payload);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    for (const argv of [
      ['RESTORE', 'k', '0', payload],
      ['RESTORE', 'k2', '0', payload],
      ['RESTORE', 'x', '0', payload, 'BOGUS'],
      ['RESTORE', 'x', 'abc', payload],
      ['RESTORE', 'x', '-1', payload],
      ['RESTORE', 'x', '0', 'short'],
      ['RESTORE', 'x', '0', bad],
      ['RESTORE', 'x', '0', payload, 'IDLETIME', '-1'],
      ['RESTORE', 'x', '0', payload, 'FREQ', '300'],
      ['RESTORE', 'x', '0', payload, 'IDLETIME', '1', 'FREQ', '1'],
      ['RESTORE', 'x', '0', payload, 'IDLETIME', 'x'],
      ['RESTORE', 'k', '0', payload, 'REPLACE', 'ABSTTL'],
      ['RESTORE', 'gone', '1', payload, 'ABSTTL'],
      ['EXISTS', 'gone'],
      ['RESTORE', 'k', '1', payload, 'ABSTTL', 'REPLACE'],
      ['EXISTS', 'k'],
      ['RESTORE', 'x'],
      ['DUMP'],
      ['BGSAVE', 'FOO'],
      ['BGSAVE', 'SCHEDULE', 'X'],
      ['SAVE', 'x'],
      ['LASTSAVE', 'x'],
      ['BGREWRITEAOF', 'x'],
    ] as (string | Buffer)[][]) {
      await both(argv);
    }
  });
});
