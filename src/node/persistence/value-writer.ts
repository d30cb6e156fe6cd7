/**
 * Serialize one value the way Redis 7.0 does (rdb.c rdbSaveObjectType + rdbSaveObject), choosing the encoding
 * Redis would hold the value in for the same contents:
 *
 *   string → STRING (int/LZF/raw via rdbSaveRawString)
 *   list   → LIST_QUICKLIST_2, nodes split like quicklist's fill rule (list-max-listpack-size)
 *   set    → SET_INTSET when every member is a canonical integer and there are ≤ set-max-intset-entries, else SET
 *   hash   → HASH_LISTPACK when ≤ hash-max-listpack-entries and every field/value ≤ hash-max-listpack-value, else HASH
 *   zset   → ZSET_LISTPACK under the zset limits (member, d2string(score), ascending), else ZSET_2 (descending,
 *            8-byte doubles, as rdbSaveObject walks the skiplist from the tail)
 *
 * Redis's encodings are sticky (a hash that once grew past the limit stays a hashtable after shrinking); we choose
 * by current contents, which every loader accepts.
 */
import { formatDouble } from '../../resp/double.js';
import type { ListLike, Value, ZSetLike } from '../keyspace/types.js';
import { encodeIntset, intsetMembers } from './intset.js';
import { encodeListpack, listpackElementOverhead } from './listpack.js';
import { QUICKLIST_NODE_CONTAINER_PACKED, RdbOpcode, RdbType, type EncodingLimits } from './rdb-constants.js';
import type { RdbEncoder } from './rdb-encoder.js';

/** quicklist.c optimization_level: byte limits for list-max-listpack-size -1..-5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** quicklist.c SIZE_SAFETY_LIMIT: a count-limited node is still capped at 8 KB. */
const SIZE_SAFETY_LIMIT = 8192;

function isZSet(v: Value): v is ZSetLike {
  return typeof v === 'object' && 'score' in v;
}

/** Write `[type][key][payload]` (key omitted for DUMP payloads). */
export function writeObject(enc: RdbEncoder, value: Value, key: string | null, limits: EncodingLimits): void {
  if (typeof value === 'string') {
    enc.byte(RdbType.STRING);
    if (key !== null) enc.string(key);
    enc.string(value);
  } else if (value instanceof Map) {
    writeHash(enc, value, key, limits);
  } else if (value instanceof Set) {
    writeSet(enc, value, key, limits);
  } else if (isZSet(value)) {
    writeZSet(enc, value, key, limits);
  } else {
    enc.byte(RdbType.LIST_QUICKLIST_2);
    if (key !== null) enc.string(key);
    writeQuicklist(enc, value, limits);
  }
}

/** One key as rdbSaveKeyValuePair writes it: optional EXPIRETIME_MS, then type, key and value. */
export function writeKeyValue(enc: RdbEncoder, key: string, value: Value, expireAt: number | undefined, limits: EncodingLimits): void {
  if (expireAt !== undefined) {
    enc.byte(RdbOpcode.EXPIRETIME_MS);
    enc.millis(expireAt);
  }
  writeObject(enc, value, key, limits);
}

function writeHash(enc: RdbEncoder, h: Map<string, string>, key: string | null, limits: EncodingLimits): void {
  let compact = h.size <= limits.hashMaxListpackEntries;
  if (compact) {
    const max = limits.hashMaxListpackValue;
    for (const [f, v] of h) {
      if (f.length > max || v.length > max) {
        compact = false;
        break;
      }
    }
  }
  if (compact) {
    enc.byte(RdbType.HASH_LISTPACK);
    if (key !== null) enc.string(key);
    const items: string[] = [];
    for (const [f, v] of h) items.push(f, v);
    enc.blob(encodeListpack(items));
    return;
  }
  enc.byte(RdbType.HASH);
  if (key !== null) enc.string(key);
  enc.length(h.size);
  for (const [f, v] of h) {
    enc.string(f);
    enc.string(v);
  }
}

function writeSet(enc: RdbEncoder, s: Set<string>, key: string | null, limits: EncodingLimits): void {
  const ints = intsetMembers(s, s.size, limits.setMaxIntsetEntries);
  if (ints !== null) {
    enc.byte(RdbType.SET_INTSET);
    if (key !== null) enc.string(key);
    enc.blob(encodeIntset(ints));
    return;
  }
  enc.byte(RdbType.SET);
  if (key !== null) enc.string(key);
  enc.length(s.size);
  for (const m of s) enc.string(m);
}

function compareEntries(a: [string, number], b: [string, number]): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function writeZSet(enc: RdbEncoder, z: ZSetLike, key: string | null, limits: EncodingLimits): void {
  let compact = z.size <= limits.zsetMaxListpackEntries;
  const entries: [string, number][] = [];
  if (compact) {
    for (const e of z) {
      if (e[0].length > limits.zsetMaxListpackValue) {
        compact = false;
        break;
      }
      entries.push([e[0], e[1]]);
    }
  }
  if (compact) {
    enc.byte(RdbType.ZSET_LISTPACK);
    if (key !== null) enc.string(key);
    entries.sort(compareEntries); // listpack zsets are kept ordered (zzlInsert)
    const items: string[] = [];
    // zzlInsertAt stores the score via d2string: %.17g, integral values as integers, "inf"/"-inf"
    for (const [m, sc] of entries) items.push(m, formatDouble(sc));
    enc.blob(encodeListpack(items));
    return;
  }
  enc.byte(RdbType.ZSET_2);
  if (key !== null) enc.string(key);
  enc.length(z.size);
  // highest score first, so the loader's skiplist inserts stay at the head (rdbSaveObject's comment)
  const rev = (z as { reversed?: () => Iterable<[string, number]> }).reversed;
  const it: Iterable<[string, number]> = typeof rev === 'function' ? rev.call(z) : [...z].reverse();
  for (const [m, sc] of it) {
    enc.string(m);
    enc.binaryDouble(sc);
  }
}

/** Split a list into listpack nodes by quicklist's fill rule and write them as LIST_QUICKLIST_2. */
function writeQuicklist(enc: RdbEncoder, list: ListLike, limits: EncodingLimits): void {
  const fill = limits.listMaxListpackSize;
  const sizeLimit = fill < 0 ? (OPTIMIZATION_LEVEL[Math.min(-fill, OPTIMIZATION_LEVEL.length) - 1] ?? 8192) : SIZE_SAFETY_LIMIT;
  const nodes: string[][] = [];
  let cur: string[] = [];
  let curSize = 0;
  for (const el of list) {
    const add = listpackElementOverhead(el.length);
    const fits = cur.length === 0 || (curSize + add <= sizeLimit && (fill < 0 || cur.length < fill));
    if (!fits) {
      nodes.push(cur);
      cur = [];
      curSize = 0;
    }
    cur.push(el);
    curSize += add;
  }
  if (cur.length > 0) nodes.push(cur);
  enc.length(nodes.length);
  for (const n of nodes) {
    enc.length(QUICKLIST_NODE_CONTAINER_PACKED);
    enc.blob(encodeListpack(n));
  }
}
