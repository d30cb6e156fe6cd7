/**
 * maxmemory enforcement (evict.c performEvictions, Redis 7.0): before a command that may grow memory, keys are
 * evicted by the configured policy until used memory is back under `maxmemory`, within a time budget derived from
 * `maxmemory-eviction-tenacity`. Selection is sampled as in Redis: `maxmemory-samples` keys per database feed a
 * pool of the 16 best candidates (oldest access for *-lru, nearest expiry for volatile-ttl), and the best one is
 * evicted. LFU policies use the LRU stamps (tredis keeps no access-frequency counters).
 *
 * Each eviction is propagated on its own as `DEL key` (`UNLINK` with lazyfree-lazy-eviction), unwrapped
 * (replication.md §2.9).
 */
import type { Random } from '../common/random.js';
import type { NodeOwnConfig } from './config/node-config.js';
import type { Database } from './keyspace/database.js';
import type { Keyspace } from './keyspace/keyspace.js';
import { ListValue } from './keyspace/list.js';
import type { Value } from './keyspace/types.js';
import { ZSetValue } from './keyspace/zset.js';

export type EvictResult = 'ok' | 'running' | 'fail';

const POOL_SIZE = 16; // EVPOOL_SIZE

/** The memory reading eviction needs (MemoryMeter in production). */
export interface MemoryGauge {
  used(): number;
  noteFreed(bytes: number): void;
}

export interface EvictionDeps {
  readonly ks: Keyspace;
  readonly meter: MemoryGauge;
  readonly random: Random;
  readonly config: () => NodeOwnConfig;
  /** Propagate one command as its own unit. */
  emit(db: number, argv: string[]): void;
  /** Monotonic ms (for the time budget). */
  monotonic(): number;
  /** Memory not counted for eviction (replication backlog, AOF buffer), as mem_not_counted_for_evict. */
  notCounted?(): number;
}

interface Candidate {
  readonly db: Database;
  readonly key: string;
  /** Higher is a better victim. */
  readonly score: number;
}

/** Rough heap cost of a key and its value in V8 (what evicting it will eventually free). */
export function estimateBytes(key: string, v: Value): number {
  const base = 72 + key.length;
  if (typeof v === 'string') return base + 24 + v.length;
  let n = base + 64;
  if (v instanceof Map) for (const [f, x] of v) n += 64 + f.length + x.length;
  else if (v instanceof Set) for (const m of v) n += 40 + m.length;
  else if (v instanceof ZSetValue) for (const [m] of v.dict) n += 120 + m.length;
  else if (v instanceof ListValue) for (const x of v) n += 24 + x.length;
  return n;
}

/** evictionTimeLimitUs, in ms. */
function timeLimitMs(tenacity: number): number {
  if (tenacity <= 10) return (50 * tenacity) / 1000;
  if (tenacity < 100) return (500 * Math.pow(1.15, tenacity - 10)) / 1000;
  return Infinity;
}

export class Evictor {
  readonly #d: EvictionDeps;
  readonly #rolling = new WeakMap<Map<string, unknown>, Iterator<string>>();
  #pool: Candidate[] = [];
  /** Keys evicted so far (INFO evicted_keys lives in keyspace stats; this is for diagnostics). */
  totalEvicted = 0;

  constructor(deps: EvictionDeps) {
    this.#d = deps;
  }

  /** Bytes over maxmemory now (0 when under, or when maxmemory is 0). */
  overLimit(): number {
    const cfg = this.#d.config();
    if (cfg.maxmemory === 0) return 0;
    const used = this.#d.meter.used() - (this.#d.notCounted?.() ?? 0);
    return Math.max(0, used - cfg.maxmemory);
  }

  /** performEvictions. 'fail' means the command must get -OOM (if it is denyoom). */
  perform(): EvictResult {
    const cfg = this.#d.config();
    let toFree = this.overLimit();
    if (toFree === 0) return 'ok';
    if (cfg.maxmemoryPolicy === 'noeviction') return 'fail';
    const start = this.#d.monotonic();
    const limit = timeLimitMs(cfg.maxmemoryEvictionTenacity);
    let freed = 0;
    let keys = 0;
    while (freed < toFree) {
      const victim = this.#pick(cfg);
      if (victim === null) return keys === 0 ? 'fail' : 'running';
      const v = victim.db.dict.get(victim.key);
      if (v === undefined) continue;
      const bytes = estimateBytes(victim.key, v);
      victim.db.delete(victim.key);
      this.#d.ks.stats.evictedKeys++;
      this.totalEvicted++;
      this.#d.emit(victim.db.index, [cfg.lazyfreeLazyEviction ? 'UNLINK' : 'DEL', victim.key]);
      this.#d.meter.noteFreed(bytes);
      freed += bytes;
      keys++;
      if ((keys & 15) === 0) {
        if (this.#d.monotonic() - start > limit) return 'running';
        toFree = this.overLimit() + freed; // re-read: the heap may have been collected meanwhile
        if (this.overLimit() === 0) return 'ok';
      }
    }
    return 'ok';
  }

  #pick(cfg: NodeOwnConfig): Candidate | null {
    const policy = cfg.maxmemoryPolicy;
    const volatile = policy.startsWith('volatile-');
    const ks = this.#d.ks;
    if (policy === 'allkeys-random' || policy === 'volatile-random') {
      // evict.c walks the databases round-robin for the random policies
      for (let i = 0; i < ks.dbs.length; i++) {
        const db = ks.dbs[(this.totalEvicted + i) % ks.dbs.length]!;
        const src = volatile ? db.expires : db.dict;
        if (src.size === 0) continue;
        const key = this.#sample(src, 1 + this.#d.random.int(Math.min(src.size, 16)))[0];
        if (key !== undefined) return { db, key, score: 0 };
      }
      return null;
    }
    // LRU/LFU/TTL: refill the pool from every database, then take the best candidate still present
    const now = ks.lruClock;
    for (const db of ks.dbs) {
      const src = volatile ? db.expires : db.dict;
      if (src.size === 0) continue;
      for (const key of this.#sample(src, cfg.maxmemorySamples)) {
        let score: number;
        if (policy === 'volatile-ttl') score = -(db.expires.get(key) ?? Infinity);
        else {
          const stamp = db.lru?.get(key);
          score = stamp === undefined ? Infinity : now - stamp;
        }
        this.#insert({ db, key, score });
      }
    }
    while (this.#pool.length > 0) {
      const c = this.#pool.pop()!;
      if (c.db.dict.has(c.key) && (!volatile || c.db.expires.has(c.key))) return c;
    }
    return null;
  }

  #insert(c: Candidate): void {
    const pool = this.#pool;
    if (pool.some((p) => p.db === c.db && p.key === c.key)) return;
    if (pool.length >= POOL_SIZE && c.score <= pool[0]!.score) return;
    let i = pool.length;
    while (i > 0 && pool[i - 1]!.score > c.score) i--;
    pool.splice(i, 0, c);
    if (pool.length > POOL_SIZE) pool.shift();
  }

  /** `n` keys from a rolling iterator over the map (pseudo-random sampling: Maps have no random access). */
  #sample(src: Map<string, unknown>, n: number): string[] {
    let it = this.#rolling.get(src);
    if (it === undefined) this.#rolling.set(src, (it = src.keys()));
    const out: string[] = [];
    let wrapped = false;
    while (out.length < n) {
      const r = it.next();
      if (r.done === true) {
        if (wrapped) break;
        wrapped = true;
        it = src.keys();
        this.#rolling.set(src, it);
        continue;
      }
      out.push(r.value);
    }
    return out;
  }
}
