/**
 * Read one value of a given RDB type (rdb.c rdbLoadObject) into tredis's representations: every type Redis 7.0
 * writes, the older ones it still loads (LIST, ZSET v1, zipmap, ziplist, quicklist v1) and Redis 7.2's listpack
 * sets. Streams are parsed and skipped (tredis has no stream type); module values are refused.
 *
 * Integrity is checked as Redis's deep sanitization does (duplicates, NaN scores, malformed blobs) regardless of
 * sanitize-dump-payload, because a JS Map/Set would otherwise silently merge duplicates.
 */
import { ListValue } from '../keyspace/list.js';
import type { Value } from '../keyspace/types.js';
import { ZSetValue } from '../keyspace/zset.js';
import { RdbError } from './errors.js';
import { decodeIntset } from './intset.js';
import { decodeListpack, FormatError } from './listpack.js';
import { QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN, RdbType } from './rdb-constants.js';
import { parseRedisDouble, type RdbCursor } from './rdb-cursor.js';
import { decodeZiplist, decodeZipmap } from './ziplist.js';

/** Why a value produced no key: empty collections (Redis skips them with a warning) and unsupported types. */
export type SkipReason = 'empty' | 'stream';

/** A value that produced no key (a class, so it can never be confused with a string value). */
export class Skipped {
  constructor(readonly reason: SkipReason) {}
}
const EMPTY = new Skipped('empty');
const STREAM = new Skipped('stream');

export type ReadResult = Value | Skipped;

const TYPE_NAMES: Record<number, string> = {
  [RdbType.MODULE_PRE_GA]: 'module (pre-GA)',
  [RdbType.MODULE_2]: 'module',
};

export function isValueType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 21);
}

/** Decode an embedded blob (listpack, ziplist, …), turning format problems into corrupt-RDB errors. */
function blob<T>(cur: RdbCursor, what: string, decode: (b: Buffer) => T): T {
  const b = cur.stringBytes();
  try {
    return decode(b);
  } catch (e) {
    if (e instanceof FormatError) throw cur.corrupt(`${what} integrity check failed: ${e.message}`);
    throw e;
  }
}

function hashFromPairs(cur: RdbCursor, items: string[], what: string): Map<string, string> | Skipped {
  if (items.length % 2 !== 0) throw cur.corrupt(`${what} has an odd number of entries`);
  if (items.length === 0) return EMPTY;
  const h = new Map<string, string>();
  for (let i = 0; i < items.length; i += 2) {
    const f = items[i]!;
    if (h.has(f)) throw cur.corrupt(`${what} with dup elements`);
    h.set(f, items[i + 1]!);
  }
  return h;
}

function zsetFromPairs(cur: RdbCursor, items: string[], what: string): ZSetValue | Skipped {
  if (items.length % 2 !== 0) throw cur.corrupt(`${what} has an odd number of entries`);
  if (items.length === 0) return EMPTY;
  const z = new ZSetValue();
  for (let i = 0; i < items.length; i += 2) {
    const score = parseRedisDouble(items[i + 1]!);
    if (score === null || Number.isNaN(score)) throw cur.corrupt(`${what} has an invalid score '${items[i + 1]!}'`);
    if (!z.add(items[i]!, score)) throw cur.corrupt(`${what} with dup elements`);
  }
  return z;
}

function setFromMembers(cur: RdbCursor, items: string[]): Set<string> | Skipped {
  if (items.length === 0) return EMPTY;
  const s = new Set(items);
  if (s.size !== items.length) throw cur.corrupt('Duplicate set members detected');
  return s;
}

export function readValue(cur: RdbCursor, type: number): ReadResult {
  switch (type) {
    case RdbType.STRING:
      return cur.string();

    case RdbType.LIST: {
      const n = cur.length();
      if (n === 0) return EMPTY;
      const l = new ListValue(n);
      for (let i = 0; i < n; i++) l.pushTail(cur.string());
      return l;
    }

    case RdbType.SET: {
      const n = cur.length();
      if (n === 0) return EMPTY;
      const s = new Set<string>();
      for (let i = 0; i < n; i++) {
        const m = cur.string();
        if (s.has(m)) throw cur.corrupt('Duplicate set members detected');
        s.add(m);
      }
      return s;
    }

    case RdbType.ZSET:
    case RdbType.ZSET_2: {
      const n = cur.length();
      if (n === 0) return EMPTY;
      const z = new ZSetValue();
      for (let i = 0; i < n; i++) {
        const m = cur.string();
        const score = type === RdbType.ZSET_2 ? cur.binaryDouble() : cur.asciiDouble();
        if (Number.isNaN(score)) throw cur.corrupt('Zset with NAN score detected');
        if (!z.add(m, score)) throw cur.corrupt('Duplicate zset fields detected');
      }
      return z;
    }

    case RdbType.HASH: {
      const n = cur.length();
      if (n === 0) return EMPTY;
      const h = new Map<string, string>();
      for (let i = 0; i < n; i++) {
        const f = cur.string();
        const v = cur.string();
        if (h.has(f)) throw cur.corrupt('Duplicate hash fields detected');
        h.set(f, v);
      }
      return h;
    }

    case RdbType.LIST_QUICKLIST:
    case RdbType.LIST_QUICKLIST_2:
      return readQuicklist(cur, type);

    case RdbType.HASH_ZIPMAP:
      return hashFromPairs(cur, blob(cur, 'Zipmap', decodeZipmap), 'Hash zipmap');
    case RdbType.LIST_ZIPLIST: {
      const items = blob(cur, 'List ziplist', decodeZiplist);
      return items.length === 0 ? EMPTY : ListValue.from(items);
    }
    case RdbType.SET_INTSET:
      return setFromMembers(cur, blob(cur, 'Intset', decodeIntset));
    case RdbType.SET_LISTPACK:
      return setFromMembers(cur, blob(cur, 'Set listpack', decodeListpack));
    case RdbType.ZSET_ZIPLIST:
      return zsetFromPairs(cur, blob(cur, 'Zset ziplist', decodeZiplist), 'Zset ziplist');
    case RdbType.ZSET_LISTPACK:
      return zsetFromPairs(cur, blob(cur, 'Zset listpack', decodeListpack), 'Zset listpack');
    case RdbType.HASH_ZIPLIST:
      return hashFromPairs(cur, blob(cur, 'Hash ziplist', decodeZiplist), 'Hash ziplist');
    case RdbType.HASH_LISTPACK:
      return hashFromPairs(cur, blob(cur, 'Hash listpack', decodeListpack), 'Hash listpack');

    case RdbType.STREAM_LISTPACKS:
    case RdbType.STREAM_LISTPACKS_2:
    case RdbType.STREAM_LISTPACKS_3:
      skipStream(cur, type);
      return STREAM;

    case RdbType.MODULE_PRE_GA:
    case RdbType.MODULE_2:
      throw new RdbError(
        'ERDB_UNSUPPORTED',
        `RDB contains a ${TYPE_NAMES[type] ?? 'module'} value (type ${type}); tredis does not support Redis modules`,
        cur.base + cur.pos,
      );

    default:
      throw cur.corrupt(`Unknown RDB value type ${type}`);
  }
}

function readQuicklist(cur: RdbCursor, type: number): ReadResult {
  const nodes = cur.length();
  if (nodes === 0) return EMPTY;
  const l = new ListValue();
  for (let i = 0; i < nodes; i++) {
    let container = QUICKLIST_NODE_CONTAINER_PACKED;
    if (type === RdbType.LIST_QUICKLIST_2) {
      container = cur.length();
      if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
        throw cur.corrupt('Quicklist integrity check failed.');
      }
    }
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      const el = cur.stringBytes();
      if (el.length === 0) throw cur.corrupt('Quicklist plain node is empty');
      l.pushTail(el.latin1Slice(0));
      continue;
    }
    const items =
      type === RdbType.LIST_QUICKLIST_2 ? blob(cur, 'Listpack', decodeListpack) : blob(cur, 'Ziplist', decodeZiplist);
    for (const it of items) l.pushTail(it); // empty nodes are skipped silently, as Redis does
  }
  return l.length === 0 ? EMPTY : l;
}

/** Parse a stream value only to move past it (rdbLoadObject's stream branch; 15 = 5.x, 19 = 7.0, 21 = 7.2). */
function skipStream(cur: RdbCursor, type: number): void {
  const listpacks = cur.length();
  for (let i = 0; i < listpacks; i++) {
    const nodeKey = cur.stringBytes();
    if (nodeKey.length !== 16) throw cur.corrupt('Stream node key entry is not the size of a stream ID');
    cur.stringBytes();
  }
  cur.bigLength(); // items
  cur.bigLength(); // last id ms
  cur.bigLength(); // last id seq
  if (type !== RdbType.STREAM_LISTPACKS) {
    for (let i = 0; i < 5; i++) cur.bigLength(); // first id, max deleted id, entries added
  }
  const groups = cur.length();
  for (let g = 0; g < groups; g++) {
    cur.stringBytes(); // name
    cur.bigLength();
    cur.bigLength();
    if (type !== RdbType.STREAM_LISTPACKS) cur.bigLength(); // entries read
    const pel = cur.length();
    for (let j = 0; j < pel; j++) {
      cur.skip(16 + 8);
      cur.bigLength();
    }
    const consumers = cur.length();
    for (let c = 0; c < consumers; c++) {
      cur.stringBytes();
      cur.skip(8); // seen time
      if (type === RdbType.STREAM_LISTPACKS_3) cur.skip(8); // active time (7.2)
      const n = cur.length();
      cur.skip(16 * n);
    }
  }
}
