/**
 * The keyspace: `databases` Database objects, the clock that decides expiry, the dirty counter (server.dirty),
 * keyspace statistics, and the listener fan-outs other parts of the node attach to:
 *   - write listeners: the write barrier (see database.ts) — snapshots and WATCH;
 *   - expired listeners: a key was deleted because it expired (lazy or active) — propagation of `DEL key`;
 *   - flush/swap listeners: whole-database changes — WATCH (touchAllWatchedKeysInDb) and anyone caching Maps.
 */
import type { Clock } from '../../common/clock.js';
import { Database, type DatabaseHost } from './database.js';
import type { Value } from './types.js';

export type WriteListener = (db: Database, key: string) => void;
export type ExpiredListener = (db: Database, key: string) => void;
export type DbChangeListener = (event: DbChange) => void;

/** A whole-database change. `before` lists, per affected db index, the key Maps as they were. */
export type DbChange =
  | { readonly kind: 'flush'; readonly dbs: readonly number[]; readonly before: ReadonlyMap<number, ReadonlyMap<string, unknown>> }
  | { readonly kind: 'swap'; readonly a: number; readonly b: number }
  | { readonly kind: 'replace'; readonly dbs: readonly number[]; readonly before: ReadonlyMap<number, ReadonlyMap<string, unknown>> };

export interface KeyspaceStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
  evictedKeys: number;
  /** activeExpireCycle bookkeeping for INFO stats. */
  expiredStalePerc: number;
  expiredTimeCapReachedCount: number;
  expireCycleCpuMs: number;
}

export function emptyStats(): KeyspaceStats {
  return {
    keyspaceHits: 0,
    keyspaceMisses: 0,
    expiredKeys: 0,
    evictedKeys: 0,
    expiredStalePerc: 0,
    expiredTimeCapReachedCount: 0,
    expireCycleCpuMs: 0,
  };
}

export class Keyspace implements DatabaseHost {
  readonly dbs: readonly Database[];
  readonly clock: Clock;
  /** server.dirty: changes since the last successful save; commands add the number of changes they made. */
  dirty = 0;
  stats: KeyspaceStats = emptyStats();
  /** A master deletes expired keys; a replica only hides them (set by replication). */
  deletesExpired = true;
  /** Set by the execution wrapper while a command from our master is applied. */
  fromMaster = false;
  /** LRU clock stamped on access while an LRU eviction policy is active, -1 otherwise. */
  lruClock = -1;
  /** Fixed time for the current command/transaction (Redis caches the time per command), or null for live. */
  #frozenNow: number | null = null;

  barrier: WriteListener | null = null;
  readonly #writeListeners: WriteListener[] = [];
  readonly #expiredListeners: ExpiredListener[] = [];
  readonly #dbListeners: DbChangeListener[] = [];

  constructor(opts: { databases: number; clock: Clock }) {
    this.clock = opts.clock;
    this.dbs = Array.from({ length: opts.databases }, (_, i) => new Database(i, this));
  }

  now(): number {
    return this.#frozenNow ?? this.clock.now();
  }

  /** Freeze "now" for the duration of fn (a transaction sees one time, as Redis 7.0's EXEC). */
  withFrozenTime<T>(fn: () => T): T {
    if (this.#frozenNow !== null) return fn();
    this.#frozenNow = this.clock.now();
    try {
      return fn();
    } finally {
      this.#frozenNow = null;
    }
  }

  db(index: number): Database {
    const d = this.dbs[index];
    if (d === undefined) throw new RangeError(`no database ${index}`);
    return d;
  }

  addWriteListener(fn: WriteListener): () => void {
    this.#writeListeners.push(fn);
    this.#rebuildBarrier();
    return () => {
      const i = this.#writeListeners.indexOf(fn);
      if (i >= 0) this.#writeListeners.splice(i, 1);
      this.#rebuildBarrier();
    };
  }

  addExpiredListener(fn: ExpiredListener): () => void {
    this.#expiredListeners.push(fn);
    return () => {
      const i = this.#expiredListeners.indexOf(fn);
      if (i >= 0) this.#expiredListeners.splice(i, 1);
    };
  }

  addDbChangeListener(fn: DbChangeListener): () => void {
    this.#dbListeners.push(fn);
    return () => {
      const i = this.#dbListeners.indexOf(fn);
      if (i >= 0) this.#dbListeners.splice(i, 1);
    };
  }

  #rebuildBarrier(): void {
    const ls = [...this.#writeListeners];
    if (ls.length === 0) this.barrier = null;
    else if (ls.length === 1) this.barrier = ls[0]!;
    else
      this.barrier = (db, key) => {
        for (const l of ls) l(db, key);
      };
  }

  keyExpired(db: Database, key: string): void {
    this.stats.expiredKeys++;
    for (const l of this.#expiredListeners) l(db, key);
  }

  countHit(hit: boolean): void {
    if (hit) this.stats.keyspaceHits++;
    else this.stats.keyspaceMisses++;
  }

  /** FLUSHDB: new Maps for one database; returns the number of keys removed. */
  flushDb(index: number): number {
    const d = this.db(index);
    const before = new Map([[index, d.dict]]);
    const n = d.size;
    d.replaceMaps();
    this.#emit({ kind: 'flush', dbs: [index], before });
    return n;
  }

  /** FLUSHALL: new Maps everywhere; returns the number of keys removed. */
  flushAll(): number {
    let n = 0;
    const before = new Map<number, ReadonlyMap<string, unknown>>();
    for (const d of this.dbs) {
      before.set(d.index, d.dict);
      n += d.size;
      d.replaceMaps();
    }
    this.#emit({ kind: 'flush', dbs: this.dbs.map((d) => d.index), before });
    return n;
  }

  swapDb(a: number, b: number): void {
    if (a === b) return;
    this.db(a).swapWith(this.db(b));
    this.#emit({ kind: 'swap', a, b });
  }

  /** Install a loaded dataset (DEBUG RELOAD, replica full sync): one {dict, expires} per database. */
  replaceAll(data: readonly { dict: Map<string, Value>; expires: Map<string, number> }[]): void {
    const before = new Map<number, ReadonlyMap<string, unknown>>();
    for (const d of this.dbs) {
      before.set(d.index, d.dict);
      const next = data[d.index];
      d.replaceMaps(next?.dict ?? new Map(), next?.expires ?? new Map());
    }
    this.#emit({ kind: 'replace', dbs: this.dbs.map((d) => d.index), before });
  }

  /** Enable or disable per-key LRU stamps (maxmemory-policy *-lru). */
  setLruTracking(on: boolean): void {
    for (const d of this.dbs) {
      if (on && d.lru === null) d.lru = new Map();
      if (!on) d.lru = null;
    }
    if (!on) this.lruClock = -1;
    else if (this.lruClock < 0) this.lruClock = 0;
  }

  /** Total keys across databases. */
  totalKeys(): number {
    let n = 0;
    for (const d of this.dbs) n += d.size;
    return n;
  }

  #emit(e: DbChange): void {
    for (const l of this.#dbListeners) l(e);
  }
}
