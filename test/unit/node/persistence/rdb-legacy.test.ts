/**
 * What older writers produced and Redis 7.0 still loads (rdb.c rdbLoadObject): plain LIST, ZSET v1 (ASCII
 * doubles), zipmap hashes, ziplist lists/zsets/hashes, quicklist v1, the seconds-resolution EXPIRETIME opcode,
 * RDB versions before 10 — plus what tredis refuses (modules, functions) or skips (streams).
 */
import { describe, expect, it } from 'vitest';
import { Crc64 } from '../../../../src/node/persistence/crc64.js';
import { RdbError } from '../../../../src/node/persistence/errors.js';
import { RdbLoader } from '../../../../src/node/persistence/rdb-loader.js';
import { canonicalValue, fixtureRdb } from './fixture-data.js';

/** A length-prefixed RDB string. */
function str(s: string): Buffer {
  const b = Buffer.from(s, 'latin1');
  if (b.length >= 64) throw new Error('test helper: short strings only');
  return Buffer.concat([Buffer.from([b.length]), b]);
}

/** A ziplist of the given entries, strings < 64 bytes or small integers (test-side encoder, ziplist.c layout). */
function ziplist(items: (string | number)[]): Buffer {
  const entries: Buffer[] = [];
  let prev = 0;
  for (const it of items) {
    let body: Buffer;
    if (typeof it === 'number') {
      if (it >= 0 && it <= 12) body = Buffer.from([0xf1 + it]);
      else {
        body = Buffer.alloc(3);
        body[0] = 0xc0;
        body.writeInt16LE(it, 1);
      }
    } else {
      body = Buffer.concat([Buffer.from([it.length]), Buffer.from(it, 'latin1')]);
    }
    const e = Buffer.concat([Buffer.from([prev]), body]);
    entries.push(e);
    prev = e.length;
  }
  const payload = Buffer.concat(entries);
  const head = Buffer.alloc(10);
  const total = 10 + payload.length + 1;
  head.writeUInt32LE(total, 0);
  head.writeUInt32LE(entries.length > 0 ? 10 + payload.length - entries[entries.length - 1]!.length : 10, 4);
  head.writeUInt16LE(items.length, 8);
  return Buffer.concat([head, payload, Buffer.from([0xff])]);
}

function blob(b: Buffer): Buffer {
  if (b.length >= 64) return Buffer.concat([Buffer.from([0x40 | (b.length >> 8), b.length & 0xff]), b]);
  return Buffer.concat([Buffer.from([b.length]), b]);
}

/** REDIS<ver> + body + EOF + CRC (version ≥ 5) or nothing (older). */
function rdb(version: number, body: Buffer[]): Buffer {
  const head = Buffer.from(`REDIS${String(version).padStart(4, '0')}`, 'latin1');
  const data = Buffer.concat([head, ...body, Buffer.from([0xff])]);
  if (version < 5) return data;
  return Buffer.concat([data, new Crc64().update(data).bytes()]);
}

function load(data: Buffer, databases = 16) {
  const l = new RdbLoader({ databases, dropExpiredBefore: null });
  l.push(data);
  return l.finish();
}

const value = (data: Buffer, key: string) => canonicalValue(load(data).dbs[0]!.dict.get(key)!);

describe('legacy encodings', () => {
  it('the spec vector: one string key, RDB v9, no AUX', () => {
    const v9 = Buffer.from('524544495330303039fe00fb0100' + '00046f6e6c79036f6e65' + 'ffbda019b99a11dde2', 'hex');
    const r = load(v9);
    expect(r.dbs[0]!.dict.get('only')).toBe('one');
    expect(r.summary.checksum).toBe('verified');
  });

  it('plain LIST (type 1) and ZSET v1 with ASCII doubles and the inf markers (type 3)', () => {
    const list = rdb(6, [Buffer.from([0xfe, 0x00, 0x01]), str('l'), Buffer.from([3]), str('a'), str('b'), str('c')]);
    expect(value(list, 'l')).toEqual({ type: 'list', value: ['a', 'b', 'c'] });
    const zset = rdb(6, [Buffer.from([0x03]), str('z'), Buffer.from([3]), str('a'), str('1.5'), str('b'), Buffer.from([254]), str('c'), Buffer.from([255])]);
    expect(value(zset, 'z')).toEqual({ type: 'zset', value: [['c', '-Infinity'], ['a', '1.5'], ['b', 'Infinity']] });
    const nan = rdb(6, [Buffer.from([0x03]), str('z'), Buffer.from([1]), str('a'), Buffer.from([253])]);
    expect(() => load(nan)).toThrow(/NAN/);
  });

  it('zipmap hash (type 9), Redis 2.4 era', () => {
    const zm = Buffer.concat([Buffer.from([2]), str('f1'), Buffer.from([2, 0]), Buffer.from('v1'), str('f2'), Buffer.from([1, 3]), Buffer.from('x'), Buffer.from('pad'), Buffer.from([0xff])]);
    expect(value(rdb(4, [Buffer.from([0x09]), str('h'), blob(zm)]), 'h')).toEqual({ type: 'hash', value: [['f1', 'v1'], ['f2', 'x']] });
  });

  it('ziplist list (10), zset (12), hash (13), and quicklist v1 of ziplists (14)', () => {
    expect(value(rdb(7, [Buffer.from([10]), str('l'), blob(ziplist(['a', 7, -300, 'hello']))]), 'l')).toEqual({
      type: 'list',
      value: ['a', '7', '-300', 'hello'],
    });
    expect(value(rdb(7, [Buffer.from([12]), str('z'), blob(ziplist(['a', '2.5', 'b', 1]))]), 'z')).toEqual({
      type: 'zset',
      value: [['b', '1'], ['a', '2.5']],
    });
    expect(value(rdb(7, [Buffer.from([13]), str('h'), blob(ziplist(['f', 'v', 'n', 3]))]), 'h')).toEqual({
      type: 'hash',
      value: [['f', 'v'], ['n', '3']],
    });
    const ql = rdb(8, [Buffer.from([14]), str('q'), Buffer.from([2]), blob(ziplist(['a', 'b'])), blob(ziplist([1, 2]))]);
    expect(value(ql, 'q')).toEqual({ type: 'list', value: ['a', 'b', '1', '2'] });
    expect(() => load(rdb(7, [Buffer.from([13]), str('h'), blob(ziplist(['f', 'v', 'f', 'w']))]))).toThrow(/dup/);
  });

  it('EXPIRETIME (seconds, old opcode 0xFD) becomes milliseconds', () => {
    const t = Buffer.alloc(4);
    t.writeInt32LE(2_000_000_000);
    const data = rdb(6, [Buffer.from([0xfd]), t, Buffer.from([0x00]), str('k'), str('v')]);
    expect(load(data).dbs[0]!.expires.get('k')).toBe(2_000_000_000_000);
  });

  it('RDB 11 (Redis 7.2): listpack sets (type 20) load', () => {
    // listpack [a, b, 5]: header, 0x81 'a' bl, 0x81 'b' bl, 0x05 bl, 0xff
    const lp = Buffer.from('1000000003008161028162020501ff', 'hex');
    lp.writeUInt32LE(lp.length, 0);
    expect(value(rdb(11, [Buffer.from([20]), str('s'), blob(lp)]), 's')).toEqual({ type: 'set', value: ['5', 'a', 'b'] });
  });
});

describe('refused and skipped content', () => {
  const fail = (data: Buffer, databases = 16): RdbError => {
    try {
      load(data, databases);
    } catch (e) {
      if (e instanceof RdbError) return e;
      throw e;
    }
    throw new Error('expected a failure');
  };

  it('functions, module aux data and module values: ERDB_UNSUPPORTED with a clear message', () => {
    expect(fail(rdb(10, [Buffer.from([0xf5]), str('#!lua name=lib\nreturn 1')]))).toMatchObject({ code: 'ERDB_UNSUPPORTED' });
    expect(fail(rdb(10, [Buffer.from([0xf5]), str('#!lua')])).message).toMatch(/functions/);
    expect(fail(rdb(10, [Buffer.from([0xf7, 0x01, 0x02, 0x02])])).message).toMatch(/module/);
    expect(fail(rdb(10, [Buffer.from([0x07]), str('m'), Buffer.from([0x01, 0x00])])).message).toMatch(/module/);
  });

  it('a stream (type 19) is parsed, skipped and reported; the other keys load', () => {
    const id = Buffer.alloc(16);
    const lp = Buffer.from('0b0000000100010101ff', 'hex');
    lp.writeUInt32LE(lp.length, 0);
    const lens = Buffer.from([1, 0, 1, 0, 1, 0, 0, 1]); // items, last id, first id, max deleted, entries added
    const groups = Buffer.concat([Buffer.from([1]), str('g'), Buffer.from([0, 1, 1]), Buffer.from([0]), Buffer.from([1]), str('c'), Buffer.alloc(8), Buffer.from([0])]);
    const data = rdb(10, [Buffer.from([19]), str('st'), Buffer.from([1]), blob(id), blob(lp), lens, groups, Buffer.from([0]), str('k'), str('v')]);
    const r = load(data);
    expect(r.skipped).toEqual([{ db: 0, key: 'st', reason: 'stream' }]);
    expect(r.dbs[0]!.dict.get('k')).toBe('v');
    expect(r.dbs[0]!.dict.has('st')).toBe(false);
  });

  it('SELECTDB beyond the configured databases and duplicate keys are fatal', () => {
    expect(fail(fixtureRdb('multidb'), 8)).toMatchObject({ code: 'ERDB_DBINDEX' });
    const dup = rdb(10, [Buffer.from([0xfe, 0x00, 0x00]), str('k'), str('a'), Buffer.from([0x00]), str('k'), str('b')]);
    expect(fail(dup)).toMatchObject({ code: 'ERDB_DUPKEY' });
  });

  it('empty collections are skipped as Redis does (rdbLoadObject "empty keys")', () => {
    const data = rdb(10, [Buffer.from([0x02]), str('s'), Buffer.from([0]), Buffer.from([0x00]), str('k'), str('v')]);
    const r = load(data);
    expect(r.skipped).toEqual([{ db: 0, key: 's', reason: 'empty' }]);
    expect(r.keysLoaded).toBe(1);
  });
});
