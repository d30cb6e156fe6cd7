import { describe, expect, it } from 'vitest';
import type { Value } from '../../../../src/node/keyspace/types.js';
import { RdbError } from '../../../../src/node/persistence/errors.js';
import { RdbParser } from '../../../../src/node/persistence/rdb-parser.js';
import { canonicalFromJson, canonicalFromMaps, fixtureRdb, GOOD_FIXTURES, loadFixtureJson } from './fixture-data.js';

interface Loaded {
  dbs: { dict: Map<string, Value>; expires: Map<string, number> }[];
  aux: Map<string, string>;
  resize: Map<number, [number, number]>;
}

function collect(): { parser: RdbParser; loaded: Loaded } {
  const loaded: Loaded = {
    dbs: Array.from({ length: 16 }, () => ({ dict: new Map(), expires: new Map() })),
    aux: new Map(),
    resize: new Map(),
  };
  const parser = new RdbParser({
    entry(db, key, value, expireAt) {
      const d = loaded.dbs[db]!;
      d.dict.set(key, value);
      if (expireAt !== undefined) d.expires.set(key, expireAt);
    },
    aux(k, v) {
      loaded.aux.set(k, v);
    },
    resizeDb(db, keys, expires) {
      loaded.resize.set(db, [keys, expires]);
    },
  });
  return { parser, loaded };
}

function parseIn(data: Buffer, split: (n: number) => number[]): Loaded {
  const { parser, loaded } = collect();
  let at = 0;
  for (const size of split(data.length)) {
    parser.push(data.subarray(at, at + size));
    at += size;
  }
  parser.end();
  return loaded;
}

const oneChunk = (n: number): number[] => [n];
const byteByByte = (n: number): number[] => Array.from({ length: n }, () => 1);
const odd = (n: number): number[] => {
  const out: number[] = [];
  let left = n;
  let s = 1;
  while (left > 0) {
    const k = Math.min(left, s);
    out.push(k);
    left -= k;
    s = (s * 7 + 3) % 997 || 1;
  }
  return out;
};

describe('RdbParser on the Redis 7.0.15 fixtures', () => {
  for (const name of GOOD_FIXTURES) {
    it(`${name}.rdb loads into exactly the keyspace its JSON describes`, () => {
      const json = loadFixtureJson(name);
      const data = fixtureRdb(name);
      const expected = canonicalFromJson(json);
      for (const split of [oneChunk, odd]) {
        const loaded = parseIn(data, split);
        expect(canonicalFromMaps(loaded.dbs)).toEqual(expected);
        expect(Object.fromEntries(loaded.aux)).toEqual(json.aux);
        for (const [db, r] of Object.entries(json.databases)) {
          expect(loaded.resize.get(Number(db))).toEqual([r.keys, r.expires]);
        }
      }
    });
  }

  it('gives the same result when fed byte by byte (types-small)', () => {
    const json = loadFixtureJson('types-small');
    const loaded = parseIn(fixtureRdb('types-small'), byteByByte);
    expect(canonicalFromMaps(loaded.dbs)).toEqual(canonicalFromJson(json));
  });

  it('reports the checksum outcome', () => {
    const { parser } = collect();
    parser.push(fixtureRdb('strings'));
    expect(parser.end().checksum).toBe('verified');
    const { parser: p2 } = collect();
    p2.push(fixtureRdb('nocompress-nochecksum'));
    expect(p2.end().checksum).toBe('disabled-in-file');
  });

  it('splits trailing bytes after the RDB from the payload', () => {
    const data = fixtureRdb('multidb');
    const { parser } = collect();
    const extra = Buffer.from('*1\r\n$4\r\nping\r\n');
    const used = parser.push(Buffer.concat([data, extra]));
    expect(used).toBe(data.length);
    expect(parser.done).toBe(true);
    expect(parser.takeTrailing().toString()).toBe(extra.toString());
  });
});

describe('RdbParser on corrupted files', () => {
  function failure(data: Buffer): RdbError {
    const { parser } = collect();
    try {
      parser.push(data);
      parser.end();
    } catch (e) {
      if (e instanceof RdbError) return e;
      throw e;
    }
    throw new Error('expected the parse to fail');
  }

  it('truncated.rdb: ERDB_TRUNCATED', () => {
    expect(failure(fixtureRdb('truncated')).code).toBe('ERDB_TRUNCATED');
  });

  it('badcrc.rdb: ERDB_CHECKSUM with the values Redis logs', () => {
    const e = failure(fixtureRdb('badcrc'));
    expect(e.code).toBe('ERDB_CHECKSUM');
    expect(e.message).toContain('Wrong RDB checksum expected: (42c8fd711c6e0ead) but got (42c8fd71e36e0ead)');
  });

  it('badmagic.rdb: ERDB_SIGNATURE', () => {
    const e = failure(fixtureRdb('badmagic'));
    expect(e.code).toBe('ERDB_SIGNATURE');
    expect(e.message).toContain('Wrong signature trying to load DB from file');
  });

  it('badversion.rdb (version 11 over 7.0 data) parses, since we read up to 11; version 12 is refused', () => {
    const data = Buffer.from(fixtureRdb('badversion'));
    // the header is accepted; the CRC was computed over "0010", so the changed byte then breaks the checksum
    expect(failure(data).code).toBe('ERDB_CHECKSUM');
    data.write('0012', 5, 'latin1');
    const e = failure(data);
    expect(e.code).toBe('ERDB_VERSION');
    expect(e.message).toContain("Can't handle RDB format version 12");
  });

  it('every truncation point of a valid file fails with ERDB_TRUNCATED, never with a bogus dataset', () => {
    const data = fixtureRdb('types-small');
    for (let n = 0; n < data.length; n += 7) {
      const e = failure(data.subarray(0, n));
      expect(['ERDB_TRUNCATED', 'ERDB_SIGNATURE']).toContain(e.code);
    }
  });
});
