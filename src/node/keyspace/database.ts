/**
 * One logical database (`SELECT n`): the key → value dict and the key → absolute-expiry (Unix ms) map, as
 * Redis's redisDb { dict, expires }.
 *
 * ## Write barrier (binding contract with persistence and WATCH)
 *
 * Every mutation of a key goes through this class or is preceded by `beforeWrite(key)`:
 *   - set / overwrite / delete (including lazy and active expiry and eviction), TTL set or removal,
 *     rename and move (both the source and the destination key);
 *   - in-place changes of a list/hash/set/zset value obtained from a lookup: the handler calls
 *     `db.beforeWrite(key)` once it knows it WILL change the value, before touching it, and only then
 *     (a command that ends up changing nothing — SADD of existing members — must not call it, because the same
 *     signal invalidates WATCH, as Redis's signalModifiedKey).
 * The barrier runs the keyspace's write listeners with (db, key) while `db.dict`/`db.expires` still hold the old
 * value and TTL. A snapshot (BGSAVE without fork) uses it to serialize the key's point-in-time value first.
 *
 * Whole-database operations (FLUSHDB, FLUSHALL, SWAPDB, replacing the dataset after a load) never clear or
 * mutate the old Maps: they install NEW Map objects (`replaceMaps`) or exchange them between databases, so a
 * snapshot iterating the old Maps keeps seeing the point-in-time data. Listeners identify which of their
 * captured Maps a barrier concerns by `db.dict` identity at call time.
 */
import { ListValue } from './list.js';
import type { RedisType, Value } from './types.js';
import { ZSetValue } from './zset.js';

/** What a Database needs from its keyspace: the clock, shared stats, listeners and the expiry policy. */
export interface DatabaseHost {
  now(): number;
  /** Composite write listener, or null when nobody listens (the common, fast case). */
  readonly barrier: ((db: Database, key: string) => void) | null;
  /** Whether this node deletes expired keys itself (a master) or only hides them (a replica, Redis 7.0
   *  expireIfNeeded: the master's DEL will come through the stream). */
  readonly deletesExpired: boolean;
  /** The current command comes from our master (its stream sees logically expired keys as present). */
  readonly fromMaster: boolean;
  /** LRU clock to stamp on access, or -1 when no LRU policy is configured. */
  readonly lruClock: number;
  keyExpired(db: Database, key: string): void;
  countHit(hit: boolean): void;
}

export class Database {
  readonly index: number;
  dict = new Map<string, Value>();
  expires = new Map<string, number>();
  /** Last access time per key (LRU clock), kept only while an LRU maxmemory policy is active. */
  lru: Map<string, number> | null = null;
  /** String keys whose OBJECT ENCODING is not what the value's length/shape implies, because Redis built the
   *  object without tryObjectEncoding: `raw` after APPEND/SETRANGE changed it in place, `embstr` for an
   *  INCRBYFLOAT result. Cleared when the key is overwritten or deleted. */
  forcedEncoding: Map<string, 'raw' | 'embstr'> | null = null;
  readonly #host: DatabaseHost;

  constructor(index: number, host: DatabaseHost) {
    this.index = index;
    this.#host = host;
  }

  get size(): number {
    return this.dict.size;
  }

  /** The write barrier: call before changing `key` in any way (see the module comment). */
  beforeWrite(key: string): void {
    const b = this.#host.barrier;
    if (b !== null) b(this, key);
  }

  /**
   * Whether the key is logically expired now; on a master also deletes it (and reports it for propagation).
   * Mirrors db.c expireIfNeeded.
   */
  expireIfNeeded(key: string): boolean {
    if (this.expires.size === 0) return false;
    const when = this.expires.get(key);
    if (when === undefined || when > this.#host.now()) return false;
    if (!this.#host.deletesExpired) {
      // replica: the key stays until the master's DEL arrives; commands from the master still see it
      return !this.#host.fromMaster;
    }
    this.beforeWrite(key);
    this.dict.delete(key);
    this.expires.delete(key);
    this.lru?.delete(key);
    this.forcedEncoding?.delete(key);
    this.#host.keyExpired(this, key);
    return true;
  }

  /** lookupKeyRead: counts keyspace hits/misses and touches the LRU clock. */
  lookupRead(key: string): Value | undefined {
    if (this.expireIfNeeded(key)) {
      this.#host.countHit(false);
      return undefined;
    }
    const v = this.dict.get(key);
    this.#host.countHit(v !== undefined);
    if (v !== undefined && this.lru !== null) this.lru.set(key, this.#host.lruClock);
    return v;
  }

  /** lookupKeyWrite: no stats; expired keys are removed first so the write sees an empty slot. */
  lookupWrite(key: string): Value | undefined {
    if (this.expireIfNeeded(key)) return undefined;
    const v = this.dict.get(key);
    if (v !== undefined && this.lru !== null) this.lru.set(key, this.#host.lruClock);
    return v;
  }

  /** Lookup with expiry but without stats or LRU touch (OBJECT, TYPE-like internal reads, SCAN filtering). */
  peek(key: string): Value | undefined {
    if (this.expireIfNeeded(key)) return undefined;
    return this.dict.get(key);
  }

  /** Whether a key exists (expired keys do not). */
  has(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /**
   * setKey: store a value, replacing any existing one. The TTL is removed unless `keepTtl` (SET KEEPTTL and
   * in-place-like overwrites such as INCR keep it, as Redis's setKey(…, SETKEY_KEEPTTL)).
   */
  set(key: string, value: Value, keepTtl = false): void {
    this.beforeWrite(key);
    this.dict.set(key, value);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    if (this.forcedEncoding !== null) this.forcedEncoding.delete(key);
    if (this.lru !== null) this.lru.set(key, this.#host.lruClock);
  }

  /** Remove a key; true when it existed. Does not check expiry (callers look up first or use `remove`). */
  delete(key: string): boolean {
    if (!this.dict.has(key)) return false;
    this.beforeWrite(key);
    this.dict.delete(key);
    if (this.expires.size !== 0) this.expires.delete(key);
    this.lru?.delete(key);
    this.forcedEncoding?.delete(key);
    return true;
  }

  /** DEL semantics: an expired key counts as absent (and is expired as a side effect). */
  remove(key: string): boolean {
    if (this.expireIfNeeded(key)) return false;
    return this.delete(key);
  }

  /** Absolute expiry in Unix ms, or undefined when the key has none. */
  getExpire(key: string): number | undefined {
    return this.expires.size === 0 ? undefined : this.expires.get(key);
  }

  /** Set the absolute expiry (Unix ms) of an existing key. */
  setExpire(key: string, whenMs: number): void {
    this.beforeWrite(key);
    this.expires.set(key, whenMs);
  }

  /** Remove the TTL; true when there was one. */
  persist(key: string): boolean {
    if (!this.expires.has(key)) return false;
    this.beforeWrite(key);
    this.expires.delete(key);
    return true;
  }

  /** Record the encoding Redis would report for a string it did not run through tryObjectEncoding. */
  forceEncoding(key: string, enc: 'raw' | 'embstr'): void {
    (this.forcedEncoding ??= new Map()).set(key, enc);
  }

  /**
   * Install fresh Maps (FLUSHDB, loading a dataset). The old Maps are left untouched for any snapshot still
   * reading them. Returns the old pair.
   */
  replaceMaps(dict = new Map<string, Value>(), expires = new Map<string, number>()): { dict: Map<string, Value>; expires: Map<string, number> } {
    const old = { dict: this.dict, expires: this.expires };
    this.dict = dict;
    this.expires = expires;
    if (this.lru !== null) this.lru = new Map();
    this.forcedEncoding = null;
    return old;
  }

  /** SWAPDB: exchange contents with another database (Maps are exchanged, never copied or cleared). */
  swapWith(other: Database): void {
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.lru, other.lru] = [other.lru, this.lru];
    [this.forcedEncoding, other.forcedEncoding] = [other.forcedEncoding, this.forcedEncoding];
  }
}

export function typeOfValue(v: Value): RedisType {
  if (typeof v === 'string') return 'string';
  if (v instanceof Map) return 'hash';
  if (v instanceof Set) return 'set';
  if (v instanceof ZSetValue) return 'zset';
  return 'pushTail' in v ? 'list' : 'zset';
}

/** Deep copy (COPY, snapshots). */
export function cloneValue(v: Value): Value {
  if (typeof v === 'string') return v;
  if (v instanceof Map) return new Map(v);
  if (v instanceof Set) return new Set(v);
  if (v instanceof ZSetValue) return v.clone();
  if (v instanceof ListValue) return v.clone();
  // other ListLike/ZSetLike implementations (none today) are copied through their iterators
  return 'pushTail' in v ? ListValue.from(v) : ZSetValue.from(v);
}
