/**
 * The RDB fixtures' JSON descriptions (test/fixtures/redis-7.0.15/rdb/*.json) as comparable records, and the same
 * shape produced from a loaded dataset, so a test can assert "this file loads into exactly this keyspace".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { typeOfValue } from '../../../../src/node/keyspace/database.js';
import type { Value } from '../../../../src/node/keyspace/types.js';
import { ZSetValue } from '../../../../src/node/keyspace/zset.js';
import { ListValue } from '../../../../src/node/keyspace/list.js';
import { parseRedisDouble } from '../../../../src/node/persistence/rdb-cursor.js';

export const RDB_FIXTURES = 'test/fixtures/redis-7.0.15/rdb';

type JsonBytes = string | { base64: string };

interface JsonKey {
  db: number;
  key: JsonBytes;
  type: 'string' | 'list' | 'set' | 'zset' | 'hash';
  value: unknown;
  expiry_ms: number | null;
}

export interface FixtureJson {
  file: string;
  rdb_version: number;
  aux: Record<string, string>;
  databases: Record<string, { keys: number; expires: number }>;
  key_count: number;
  checksum_verifies: boolean;
  keys: JsonKey[];
}

/** A key as "db|key" → canonical JSON text of {type, value, expiry}. */
export type Canonical = Map<string, string>;

export function bytes(j: JsonBytes): string {
  return typeof j === 'string' ? Buffer.from(j, 'utf8').toString('latin1') : Buffer.from(j.base64, 'base64').toString('latin1');
}

export function loadFixtureJson(name: string): FixtureJson {
  return JSON.parse(readFileSync(join(RDB_FIXTURES, `${name}.json`), 'utf8')) as FixtureJson;
}

export function fixtureRdb(name: string): Buffer {
  return readFileSync(join(RDB_FIXTURES, `${name}.rdb`));
}

function scoreKey(s: number): string {
  return Object.is(s, -0) ? '-0' : String(s);
}

function canon(db: number, key: string, type: string, value: unknown, expiry: number | null): [string, string] {
  return [`${db}|${key}`, JSON.stringify({ type, value, expiry })];
}

/** The fixture JSON in canonical form. */
export function canonicalFromJson(j: FixtureJson): Canonical {
  const out: Canonical = new Map();
  for (const k of j.keys) {
    let v: unknown;
    switch (k.type) {
      case 'string':
        v = bytes(k.value as JsonBytes);
        break;
      case 'list':
        v = (k.value as JsonBytes[]).map(bytes);
        break;
      case 'set':
        v = (k.value as JsonBytes[]).map(bytes).sort();
        break;
      case 'hash':
        v = Object.entries(k.value as Record<string, JsonBytes>)
          .map(([f, x]) => [bytes(f), bytes(x)])
          .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
        break;
      case 'zset':
        v = (k.value as [JsonBytes, string][]).map(([m, s]) => [bytes(m), scoreKey(parseRedisDouble(s)!)]);
        break;
    }
    const [a, b] = canon(k.db, bytes(k.key), k.type, v, k.expiry_ms);
    out.set(a, b);
  }
  return out;
}

export function canonicalValue(value: Value): { type: string; value: unknown } {
  const type = typeOfValue(value);
  let v: unknown;
  if (typeof value === 'string') v = value;
  else if (value instanceof Map) v = [...value].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  else if (value instanceof Set) v = [...value].sort();
  else if (value instanceof ZSetValue) v = [...value].map(([m, s]) => [m, scoreKey(s)]);
  else v = [...(value as ListValue)];
  return { type, value: v };
}

/** A loaded dataset (per db: key → value, key → expiry) in canonical form. */
export function canonicalFromMaps(dbs: readonly { readonly dict: ReadonlyMap<string, Value>; readonly expires: ReadonlyMap<string, number> }[]): Canonical {
  const out: Canonical = new Map();
  dbs.forEach((d, db) => {
    for (const [key, value] of d.dict) {
      const c = canonicalValue(value);
      const [a, b] = canon(db, key, c.type, c.value, d.expires.get(key) ?? null);
      out.set(a, b);
    }
  });
  return out;
}

export const GOOD_FIXTURES = ['strings', 'types-small', 'types-large', 'quicklist-plain', 'multidb', 'nocompress-nochecksum', 'empty'];
