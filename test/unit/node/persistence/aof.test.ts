import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AofError } from '../../../../src/node/persistence/errors.js';
import { formatManifest, parseManifest } from '../../../../src/node/persistence/aof/manifest.js';
import { canonicalFromMaps } from './fixture-data.js';
import { harnessesPerTest, type PHarness } from './harness.js';

const harness = harnessesPerTest();

const AOF = { appendonly: true, appendfsync: 'always' as const };
const aofDir = (t: PHarness): string => join(t.dir, 'appendonlydir');
const manifestText = (t: PHarness): string => readFileSync(join(aofDir(t), 'appendonly.aof.manifest'), 'latin1');

/** A node that starts on `dir` with AOF on and replays what is there. */
function restart(dir: string, extra = {}): PHarness {
  const t = harness({ ...AOF, ...extra }, dir);
  t.p.loadAtStartup(t);
  return t;
}

describe('AOF manifest', () => {
  it('parses and formats the 7.0 layout', () => {
    const text = 'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.3.incr.aof seq 3 type i\n';
    const m = parseManifest(text);
    expect(m.base?.name).toBe('appendonly.aof.2.base.rdb');
    expect(m.incrSeq).toBe(3);
    expect(formatManifest(m)).toBe(text);
  });

  it('rejects what aofLoadManifestFromFile rejects', () => {
    for (const [text, msg] of [
      ['', 'Found an empty AOF manifest'],
      ['file a seq 1\n', 'Invalid AOF manifest file format'],
      ['file a seq 1 type x\n', 'Unknown AOF file type'],
      ['file a/b seq 1 type i\n', "File can't be a path"],
      ['file a seq 2 type i\nfile b seq 1 type i\n', 'non-monotonic'],
      ['file a seq 1 type b\nfile b seq 2 type b\n', 'duplicate base'],
    ] as const) {
      expect(() => parseManifest(text)).toThrow(msg);
    }
  });
});

describe('AOF on a fresh node', () => {
  it('creates base + incr + manifest like redis-server 7.0 and logs every write before replying', async () => {
    const t = harness(AOF);
    t.p.loadAtStartup(t);
    expect(manifestText(t)).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    await t.h.run(['SET', 'a', '1']);
    // appendfsync always: on disk as soon as the command returned
    expect(readFileSync(join(aofDir(t), 'appendonly.aof.1.incr.aof'), 'latin1')).toBe(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n',
    );
    expect(t.p.infoSection()).toContain('aof_enabled:1');
    expect(t.p.infoSection()).toContain('aof_current_size:50');
  });

  it('replays base + incr at start-up into the same dataset', async () => {
    const t = harness(AOF);
    t.p.loadAtStartup(t);
    await t.h.run(['SET', 'a', '1']);
    await t.h.run(['INCR', 'a']);
    t.h.session.db = 3;
    await t.h.run(['SET', 'b', 'x', 'PX', '100000']);
    await t.h.run(['APPEND', 'b', 'yz']);
    const expected = canonicalFromMaps(t.h.ks.dbs);
    t.p.aof.stop();
    const t2 = restart(t.dir);
    expect(canonicalFromMaps(t2.h.ks.dbs)).toEqual(expected);
  });
});

describe('AOF truncation and corruption', () => {
  async function withTail(tail: string): Promise<{ dir: string; incr: string; good: number }> {
    const t = harness(AOF);
    t.p.loadAtStartup(t);
    await t.h.run(['SET', 'a', '1']);
    await t.h.run(['SET', 'b', '2']);
    t.p.aof.stop();
    const incr = join(aofDir(t), 'appendonly.aof.1.incr.aof');
    const good = statSync(incr).size;
    appendFileSync(incr, tail, 'latin1');
    return { dir: t.dir, incr, good };
  }

  it('a torn last command loads with a warning and the file is cut back to the last complete command', async () => {
    const { dir, incr, good } = await withTail('*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nhel');
    const t2 = restart(dir);
    expect(t2.h.ks.db(0).dict.get('b')).toBe('2');
    expect(t2.h.ks.db(0).dict.has('c')).toBe(false);
    expect(t2.logs.some((l) => l.includes('!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!'))).toBe(true);
    expect(statSync(incr).size).toBe(good);
  });

  it('with aof-load-truncated no the same file is fatal and left untouched', async () => {
    const { dir, incr } = await withTail('*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nhel');
    const before = readFileSync(incr);
    const t2 = harness({ ...AOF, aofLoadTruncated: false }, dir);
    expect(() => t2.p.loadAtStartup(t2)).toThrow(/Unexpected end of file reading the append only file/);
    expect(readFileSync(incr).equals(before)).toBe(true);
  });

  it('a MULTI without EXEC at the end is reverted (treated as truncated)', async () => {
    const { dir, incr, good } = await withTail('*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$1\r\n9\r\n');
    const t2 = restart(dir);
    expect(t2.h.ks.db(0).dict.has('z')).toBe(false);
    expect(statSync(incr).size).toBe(good);
  });

  it('a format error is fatal even with aof-load-truncated yes, and no file changes', async () => {
    const { dir, incr } = await withTail('GARBAGE\r\n');
    const before = readFileSync(incr);
    const t2 = harness(AOF, dir);
    expect(() => t2.p.loadAtStartup(t2)).toThrow(AofError);
    expect(readFileSync(incr).equals(before)).toBe(true);
  });

  it('a file listed in the manifest but missing is fatal', async () => {
    const { dir } = await withTail('');
    writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.7.incr.aof seq 7 type i\n');
    const t2 = harness(AOF, dir);
    expect(() => t2.p.loadAtStartup(t2)).toThrow(/doesn't exist/);
  });

  it('a torn file that is not the last one is fatal', async () => {
    const { dir } = await withTail('*3\r\n$3\r\nSET\r\n');
    writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.2.incr.aof'), '*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$1\r\n1\r\n');
    writeFileSync(
      join(dir, 'appendonlydir', 'appendonly.aof.manifest'),
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    );
    const t2 = harness(AOF, dir);
    expect(() => t2.p.loadAtStartup(t2)).toThrow(/is not the last file/);
  });
});

describe('BGREWRITEAOF', () => {
  it('switches to a new INCR at once, writes a new RDB base, drops history, and reloads identically', async () => {
    const t = harness(AOF);
    t.p.loadAtStartup(t);
    for (let i = 0; i < 2000; i++) await t.h.run(['SET', `k${i}`, `v${i}`]);
    expect(await t.h.run(['BGREWRITEAOF'])).toBe('+Background append only file rewriting started\r\n');
    // the manifest already names INCR 2, before the rewrite completes
    expect(manifestText(t)).toContain('file appendonly.aof.2.incr.aof seq 2 type i');
    // writes during the rewrite go to INCR 2 only
    await t.h.run(['SET', 'during', 'x']);
    await t.h.run(['SET', 'k5', 'overwritten']);
    await t.p.rewriteDone();
    expect(manifestText(t)).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    expect(readdirSync(aofDir(t)).sort()).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    const incr2 = readFileSync(join(aofDir(t), 'appendonly.aof.2.incr.aof'), 'latin1');
    expect(incr2.startsWith('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n')).toBe(true);
    expect(incr2).toContain('during');
    const base = readFileSync(join(aofDir(t), 'appendonly.aof.2.base.rdb'));
    expect(base.latin1Slice(0, 9)).toBe('REDIS0010');
    expect(base.includes(Buffer.from('aof-base'))).toBe(true);
    await t.h.run(['SET', 'after', 'y']);
    const expected = canonicalFromMaps(t.h.ks.dbs);
    t.p.aof.stop();
    const t2 = restart(t.dir);
    expect(canonicalFromMaps(t2.h.ks.dbs)).toEqual(expected);
    expect(t2.h.ks.db(0).dict.get('k5')).toBe('overwritten');
  });

  it('aof-use-rdb-preamble no: the base is a command log (.base.aof) that reloads identically', async () => {
    const t = harness({ ...AOF, aofUseRdbPreamble: false });
    t.p.loadAtStartup(t);
    expect(manifestText(t)).toBe('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    await t.h.run(['RPUSH', 'l', ...Array.from({ length: 150 }, (_, i) => `e${i}`)]);
    await t.h.run(['HSET', 'h', 'a', '1', 'b', '2']);
    await t.h.run(['SADD', 's', 'x', 'y']);
    await t.h.run(['ZADD', 'z', '1.5', 'a', '-inf', 'b']);
    await t.h.run(['SET', 'k', 'v', 'PX', '100000']);
    await t.h.run(['SELECT', '2']);
    await t.h.run(['SET', 'other', 'db']);
    await t.h.run(['BGREWRITEAOF']);
    await t.p.rewriteDone();
    const base = readFileSync(join(aofDir(t), 'appendonly.aof.2.base.aof'), 'latin1');
    expect(base.startsWith('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n')).toBe(true);
    expect(base).toContain('$5\r\nRPUSH\r\n');
    expect(base).toContain('$9\r\nPEXPIREAT\r\n');
    expect(base.match(/RPUSH/g)!.length).toBe(3); // 150 elements in batches of 64
    const expected = canonicalFromMaps(t.h.ks.dbs);
    t.p.aof.stop();
    const t2 = restart(t.dir, { aofUseRdbPreamble: false });
    expect(canonicalFromMaps(t2.h.ks.dbs)).toEqual(expected);
  });

  it('CONFIG SET appendonly yes at runtime: writes are captured from the cut; the manifest appears with the base', async () => {
    const t = harness({ appendonly: false });
    t.p.loadAtStartup(t);
    for (let i = 0; i < 100; i++) await t.h.run(['SET', `k${i}`, 'v']);
    t.p.setAppendonly(true);
    await t.h.run(['SET', 'k1', 'new']);
    expect(existsSync(join(aofDir(t), 'appendonly.aof.manifest'))).toBe(false);
    await t.p.rewriteDone();
    expect(manifestText(t)).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(t.p.aof.state).toBe('on');
    const expected = canonicalFromMaps(t.h.ks.dbs);
    t.p.setAppendonly(false);
    const t2 = restart(t.dir);
    expect(canonicalFromMaps(t2.h.ks.dbs)).toEqual(expected);
  });

  it('migrates an old-style single appendonly.aof into the AOF directory', async () => {
    const t = harness({ appendonly: false });
    writeFileSync(join(t.dir, 'appendonly.aof'), '*3\r\n$3\r\nSET\r\n$3\r\nold\r\n$5\r\nstyle\r\n');
    const t2 = restart(t.dir);
    expect(t2.h.ks.db(0).dict.get('old')).toBe('style');
    expect(existsSync(join(t.dir, 'appendonly.aof'))).toBe(false);
    expect(manifestText(t2)).toBe('file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  });
});

describe('aof-load-truncated keeps appending on a clean boundary', () => {
  it('after a truncated load, new writes follow the last complete command', async () => {
    const t = harness(AOF);
    t.p.loadAtStartup(t);
    await t.h.run(['SET', 'a', '1']);
    t.p.aof.stop();
    const incr = join(aofDir(t), 'appendonly.aof.1.incr.aof');
    const size = statSync(incr).size;
    appendFileSync(incr, '*2\r\n$3\r\nGE');
    const t2 = restart(t.dir);
    await t2.h.run(['SET', 'b', '2']);
    t2.p.aof.stop();
    const t3 = restart(t.dir);
    expect(t3.h.ks.db(0).dict.get('a')).toBe('1');
    expect(t3.h.ks.db(0).dict.get('b')).toBe('2');
    expect(statSync(incr).size).toBeGreaterThan(size);
  });
});

describe('replica full sync', () => {
  it('restartAofAfterSync rewrites the AOF from the newly installed dataset', async () => {
    const t = harness(AOF);
    t.p.loadAtStartup(t);
    await t.h.run(['SET', 'old', '1']);
    t.h.ks.replaceAll([{ dict: new Map([['synced', 'from-master']]), expires: new Map() }]);
    t.p.restartAofAfterSync();
    await t.p.rewriteDone();
    expect(t.p.aof.state).toBe('on');
    await t.h.run(['SET', 'after', '2']);
    const expected = canonicalFromMaps(t.h.ks.dbs);
    t.p.aof.stop();
    const t2 = restart(t.dir);
    expect(canonicalFromMaps(t2.h.ks.dbs)).toEqual(expected);
    expect(t2.h.ks.db(0).dict.has('old')).toBe(false);
  });
});
