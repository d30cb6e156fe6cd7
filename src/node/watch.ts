/**
 * WATCH bookkeeping (multi.c): which clients watch which keys, and which transactions must fail.
 *
 * A watched key is touched by the keyspace's write barrier (any change, including deletion by expiry) and by
 * whole-database changes (FLUSHDB/FLUSHALL touch watched keys that exist; SWAPDB those existing on either side,
 * touchAllWatchedKeysInDb). Redis 7.0 also fails EXEC when a key that was live at WATCH time has expired since
 * (isWatchedKeyExpired), while a key already expired at WATCH time whose deletion is the only change does not
 * count (touchWatchedKey's `expired` flag).
 *
 * The barrier listener is attached only while something is watched, so unwatched workloads pay nothing.
 */
import type { Database } from './keyspace/database.js';
import type { DbChange, Keyspace } from './keyspace/keyspace.js';

interface Watched {
  readonly db: number;
  readonly key: string;
  /** The key was logically expired when WATCH ran. */
  expired: boolean;
}

interface ClientWatch {
  readonly keys: Watched[];
  /** CLIENT_DIRTY_CAS */
  dirty: boolean;
}

export class WatchRegistry {
  readonly #ks: Keyspace;
  readonly #byKey = new Map<string, Map<number, Watched>>();
  readonly #byClient = new Map<number, ClientWatch>();
  #detach: (() => void) | null = null;

  constructor(ks: Keyspace) {
    this.#ks = ks;
    ks.addDbChangeListener((e) => this.#dbChanged(e));
  }

  /** Number of keys watched by at least one client (INFO watching_clients is 7.2; kept for diagnostics). */
  get watchedKeys(): number {
    return this.#byKey.size;
  }

  watch(clientId: number, db: Database, key: string): void {
    const id = keyId(db.index, key);
    let clients = this.#byKey.get(id);
    if (clients?.has(clientId) === true) return;
    if (clients === undefined) this.#byKey.set(id, (clients = new Map()));
    const when = db.expires.get(key);
    const w: Watched = { db: db.index, key, expired: db.dict.has(key) && when !== undefined && when <= this.#ks.now() };
    clients.set(clientId, w);
    let c = this.#byClient.get(clientId);
    if (c === undefined) this.#byClient.set(clientId, (c = { keys: [], dirty: false }));
    c.keys.push(w);
    if (this.#detach === null) this.#detach = this.#ks.addWriteListener((d, k) => this.#touched(d, k));
  }

  /** Whether EXEC must fail: a watched key changed, or a key live at WATCH time has expired. */
  mustAbort(clientId: number): boolean {
    const c = this.#byClient.get(clientId);
    if (c === undefined) return false;
    if (c.dirty) return true;
    const now = this.#ks.now();
    for (const w of c.keys) {
      if (w.expired) continue;
      const db = this.#ks.db(w.db);
      const when = db.expires.get(w.key);
      if (when !== undefined && when <= now && db.dict.has(w.key)) return true;
    }
    return false;
  }

  unwatchAll(clientId: number): void {
    const c = this.#byClient.get(clientId);
    if (c === undefined) return;
    this.#byClient.delete(clientId);
    for (const w of c.keys) {
      const id = keyId(w.db, w.key);
      const clients = this.#byKey.get(id);
      clients?.delete(clientId);
      if (clients?.size === 0) this.#byKey.delete(id);
    }
    if (this.#byKey.size === 0 && this.#detach !== null) {
      this.#detach();
      this.#detach = null;
    }
  }

  #touched(db: Database, key: string): void {
    const clients = this.#byKey.get(keyId(db.index, key));
    if (clients === undefined) return;
    for (const [clientId, w] of clients) {
      if (w.expired) {
        // the deletion of a key that was already expired at WATCH time is logically no change
        const when = db.expires.get(key);
        if (when !== undefined && when <= this.#ks.now()) {
          w.expired = false;
          continue;
        }
      }
      const c = this.#byClient.get(clientId);
      if (c !== undefined) c.dirty = true;
    }
  }

  #dbChanged(e: DbChange): void {
    if (this.#byKey.size === 0) return;
    for (const clients of this.#byKey.values()) {
      const w = clients.values().next().value;
      if (w === undefined) continue;
      let touch = false;
      if (e.kind === 'swap') {
        if (w.db === e.a || w.db === e.b) {
          // existed before (now in the other db) or exists now
          const other = w.db === e.a ? e.b : e.a;
          touch = this.#ks.db(w.db).dict.has(w.key) || this.#ks.db(other).dict.has(w.key);
        }
      } else if (e.dbs.includes(w.db)) {
        touch = e.before.get(w.db)?.has(w.key) === true;
      }
      if (!touch) continue;
      for (const clientId of clients.keys()) {
        const c = this.#byClient.get(clientId);
        if (c !== undefined) c.dirty = true;
      }
    }
  }
}

function keyId(db: number, key: string): string {
  return `${db}:${key}`;
}
