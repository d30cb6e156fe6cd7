/**
 * The active expiry cycle (expire.c activeExpireCycle, Redis 7.0): keys with a TTL that nobody touches are still
 * deleted in the background. Each call visits databases round-robin, samples keys from each `expires` map with a
 * persistent cursor (Redis walks the expires hash table buckets with db->expires_cursor; we keep a live Map
 * iterator, which V8 keeps valid across inserts and deletes), deletes the expired ones, and repeats on a database
 * while more than the acceptable share of sampled keys were expired — all within a time budget measured on the
 * injected monotonic clock.
 */
import type { Database } from './database.js';
import type { Keyspace } from './keyspace.js';

const KEYS_PER_LOOP = 20; // ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP
const FAST_DURATION_MS = 1; // ACTIVE_EXPIRE_CYCLE_FAST_DURATION (1000 µs)
const SLOW_TIME_PERC = 25; // ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC
const ACCEPTABLE_STALE = 10; // ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE
const DBS_PER_CALL = 16; // CRON_DBS_PER_CALL

export type CycleKind = 'slow' | 'fast';

interface Cursor {
  map: Map<string, number>;
  it: Iterator<[string, number]>;
}

export class ActiveExpire {
  readonly #ks: Keyspace;
  #currentDb = 0;
  #cursors = new Map<number, Cursor>();
  #timelimitExit = false;
  #lastFastStart = -Infinity;
  /** Exponential moving average of the stale share, as stat_expired_stale_perc. */
  #stalePerc = 0;
  /** active-expire-effort (1..10). */
  effort = 1;
  enabled = true;

  constructor(ks: Keyspace) {
    this.#ks = ks;
  }

  /**
   * Run one cycle. `hz` is the server frequency (the slow cycle may use 25% of a 1000/hz ms tick).
   * Returns the number of keys expired.
   */
  run(kind: CycleKind, hz: number): number {
    const ks = this.#ks;
    if (!this.enabled || !ks.deletesExpired) return 0;
    const effort = this.effort - 1;
    const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
    const fastDuration = FAST_DURATION_MS + (FAST_DURATION_MS / 4) * effort;
    const slowPerc = SLOW_TIME_PERC + 2 * effort;
    const acceptableStale = ACCEPTABLE_STALE - effort;
    const clock = ks.clock;
    const start = clock.monotonic();

    if (kind === 'fast') {
      // Only when the last cycle ran out of time or left too many stale keys, and not too often.
      if (!this.#timelimitExit && this.#stalePerc < acceptableStale) return 0;
      if (start < this.#lastFastStart + fastDuration * 2) return 0;
      this.#lastFastStart = start;
    }
    const timelimit = kind === 'fast' ? fastDuration : (slowPerc * 1000) / hz / 100;
    this.#timelimitExit = false;

    let totalSampled = 0;
    let totalExpired = 0;
    const dbsPerCall = Math.min(DBS_PER_CALL, ks.dbs.length);
    let iteration = 0;
    outer: for (let j = 0; j < dbsPerCall; j++) {
      const db = ks.dbs[this.#currentDb % ks.dbs.length]!;
      this.#currentDb++;
      for (;;) {
        const n = db.expires.size;
        if (n === 0) break;
        iteration++;
        const sample = this.#sample(db, Math.min(n, keysPerLoop));
        let expired = 0;
        for (const key of sample) {
          if (db.expireIfNeeded(key)) expired++;
        }
        totalSampled += sample.length;
        totalExpired += expired;
        if ((iteration & 0xf) === 0 && clock.monotonic() - start > timelimit) {
          this.#timelimitExit = true;
          ks.stats.expiredTimeCapReachedCount++;
          break outer;
        }
        // repeat on this db while the stale share is above the acceptable one
        if (sample.length === 0 || expired * 100 <= sample.length * acceptableStale) break;
      }
    }
    const elapsed = clock.monotonic() - start;
    ks.stats.expireCycleCpuMs += elapsed;
    const current = totalSampled > 0 ? totalExpired / totalSampled : 0;
    this.#stalePerc = current * 0.05 + this.#stalePerc * 0.95;
    ks.stats.expiredStalePerc = this.#stalePerc * 100;
    return totalExpired;
  }

  /** Next `count` keys from the db's expires map, wrapping around once. */
  #sample(db: Database, count: number): string[] {
    let c = this.#cursors.get(db.index);
    if (c === undefined || c.map !== db.expires) {
      c = { map: db.expires, it: db.expires.entries() };
      this.#cursors.set(db.index, c);
    }
    const out: string[] = [];
    let wrapped = false;
    while (out.length < count) {
      const r = c.it.next();
      if (r.done === true) {
        if (wrapped) break;
        wrapped = true;
        c.it = c.map.entries();
        continue;
      }
      out.push(r.value[0]);
    }
    return out;
  }
}
