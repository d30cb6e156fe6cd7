import { describe, expect, it } from 'vitest';
import { ListValue } from '../../../../src/node/keyspace/list.js';
import type { Value } from '../../../../src/node/keyspace/types.js';
import { ZSetValue } from '../../../../src/node/keyspace/zset.js';
import { createDumpPayload, readDumpPayload, verifyDumpPayload } from '../../../../src/node/persistence/dump.js';
import { DEFAULT_ENCODING_LIMITS } from '../../../../src/node/persistence/rdb-constants.js';
import { canonicalValue } from './fixture-data.js';

const opts = { compression: true, limits: DEFAULT_ENCODING_LIMITS };

/** DUMP output of redis-server 7.0.15 for the same values (captured with ioredis dumpBuffer). */
const REDIS_DUMPS: [string, Value, string][] = [
  ['int string', '12345', '00c139300a009d94ea2793fc08b9'],
  ['short string', 'hello', '000568656c6c6f0a006372df766534200a'],
  ['LZF string', 'abcabcabcabcabcabcabcabcabcabcabcabcabcabcabc', '00c30b2d0361626361e01e020162630a009247845477573936'],
  ['list', ListValue.from(['a', 'b', '1', '-70000']), '120102141400000004008161028162020101f290eefe04ff0a000dcb01fd0a0474b1'],
  ['listpack hash', new Map([['f1', 'v1'], ['n', '42']]), '10141400000004008266310382763103816e022a01ff0a003138f0c7327a23d3'],
  ['intset', new Set(['3', '1', '2']), '0b0e02000000030000000100020003000a00a5025ce26d6e4d1b'],
  ['listpack zset', ZSetValue.from([['c', -3], ['a', 1], ['b', 2.5]]), '111a1a0000000600816302dffd02816102010181620283322e3504ff0a00a68a1ab1a9f2dcc2'],
];

describe('DUMP payloads', () => {
  for (const [what, value, hex] of REDIS_DUMPS) {
    it(`${what}: byte-identical to redis-server's DUMP, and RESTOREs back`, () => {
      const p = createDumpPayload(value, opts);
      expect(p.toString('hex')).toBe(hex);
      expect(verifyDumpPayload(p)).toBe(true);
      expect(canonicalValue(readDumpPayload(p)!)).toEqual(canonicalValue(value));
    });
  }

  it('round-trips the non-compact encodings (hashtable hash/set, skiplist zset, multi-node list)', () => {
    const big = new Map<string, string>();
    for (let i = 0; i < 600; i++) big.set(`f${i}`, `v${i}`);
    const longVal = new Map([['k', 'x'.repeat(100)]]);
    const set = new Set(Array.from({ length: 600 }, (_, i) => String(i)));
    const z = new ZSetValue();
    for (let i = 0; i < 300; i++) z.add(`m${i}`, i / 3);
    const list = ListValue.from(Array.from({ length: 3000 }, (_, i) => `element-${i}-${'p'.repeat(i % 50)}`));
    for (const v of [big, longVal, set, z, list] as Value[]) {
      const p = createDumpPayload(v, opts);
      expect(canonicalValue(readDumpPayload(p)!)).toEqual(canonicalValue(v));
    }
  });

  it('verifyDumpPayload rejects short payloads, a newer RDB version and a wrong CRC', () => {
    const p = createDumpPayload('hello', opts);
    expect(verifyDumpPayload(p.subarray(0, 9))).toBe(false);
    const flipped = Buffer.from(p);
    flipped[2] = flipped[2]! ^ 1;
    expect(verifyDumpPayload(flipped)).toBe(false);
    expect(verifyDumpPayload(flipped, true)).toBe(true);
    const newer = Buffer.from(p);
    newer[newer.length - 10] = 12;
    expect(verifyDumpPayload(newer, true)).toBe(false);
  });

  it('readDumpPayload returns null for undecodable bodies (RESTORE: Bad data format)', () => {
    const p = createDumpPayload('hello', opts);
    const body = Buffer.from(p);
    body[0] = 42; // not a value type
    expect(readDumpPayload(body)).toBeNull();
    expect(readDumpPayload(Buffer.concat([Buffer.from([0x00, 0x10, 0x61]), p.subarray(p.length - 10)]))).toBeNull(); // short string
  });
});
