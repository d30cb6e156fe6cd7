/**
 * Loading an RDB into fresh per-database Maps (rdb.c rdbLoad / rdbLoadRioWithLoadingCtx's key handling). Nothing
 * touches the live keyspace: the caller installs the result (Keyspace.replaceAll) only once the whole file,
 * checksum included, has been read. A corrupt or truncated file therefore leaves the node's data — and the file
 * itself — exactly as they were.
 *
 * Key rules mirrored from Redis 7.0:
 *  - a key whose expiry has already passed is dropped when loading as a master, kept as a replica or for an AOF
 *    base (`dropExpiredBefore`, rdb_last_load_keys_expired counts them);
 *  - a duplicate key in one database is fatal ("Duplicated key found in RDB file");
 *  - empty collections and streams are skipped (counted, reported to the logger).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Value } from '../keyspace/types.js';
import { RdbError } from './errors.js';
import { RdbParser, type RdbSummary } from './rdb-parser.js';
import type { SkipReason } from './value-reader.js';

export interface LoadedDb {
  dict: Map<string, Value>;
  expires: Map<string, number>;
}

export interface LoadResult {
  readonly dbs: LoadedDb[];
  readonly summary: RdbSummary;
  /** rdb_last_load_keys_loaded / rdb_last_load_keys_expired */
  readonly keysLoaded: number;
  readonly keysExpired: number;
  readonly skipped: readonly { db: number; key: string; reason: SkipReason }[];
  /** The AUX `repl-stream-db`, `repl-id`, `repl-offset` when present (replication resumes from them). */
  readonly repl: { streamDb: number | undefined; replId: string | undefined; offset: number | undefined };
}

export interface LoadOptions {
  readonly databases: number;
  /** Drop keys whose expiry is before this (Unix ms); null keeps every key (replica, AOF base). */
  readonly dropExpiredBefore: number | null;
  readonly verifyChecksum?: boolean;
}

/** An incremental loader: push RDB bytes, then finish(). Used for files and replication payloads alike. */
export class RdbLoader {
  readonly #parser: RdbParser;
  readonly #dbs: LoadedDb[];
  #keysLoaded = 0;
  #keysExpired = 0;
  readonly #skipped: { db: number; key: string; reason: SkipReason }[] = [];

  constructor(opts: LoadOptions) {
    this.#dbs = Array.from({ length: opts.databases }, () => ({ dict: new Map(), expires: new Map() }));
    const dbs = this.#dbs;
    const cutoff = opts.dropExpiredBefore;
    this.#parser = new RdbParser(
      {
        entry: (db, key, value, expireAt) => {
          const d = dbs[db]!;
          if (cutoff !== null && expireAt !== undefined && expireAt < cutoff) {
            this.#keysExpired++;
            return;
          }
          const dict = d.dict;
          const before = dict.size;
          dict.set(key, value);
          // a duplicate overwrote its first copy: the load fails as a whole, so nothing is lost by detecting it late
          if (dict.size === before) {
            throw new RdbError('ERDB_DUPKEY', `RDB has duplicated key '${printable(key)}' in DB ${db}`, this.#parser.offset);
          }
          if (expireAt !== undefined) d.expires.set(key, expireAt);
          this.#keysLoaded++;
        },
        skipped: (db, key, reason) => {
          this.#skipped.push({ db, key, reason });
        },
      },
      { databases: opts.databases, verifyChecksum: opts.verifyChecksum ?? true },
    );
  }

  get parser(): RdbParser {
    return this.#parser;
  }

  push(chunk: Buffer): number {
    return this.#parser.push(chunk);
  }

  finish(): LoadResult {
    const summary = this.#parser.end();
    const aux = summary.aux;
    const num = (k: string): number | undefined => {
      const v = aux.get(k);
      if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
      return Number(v);
    };
    const replId = aux.get('repl-id');
    return {
      dbs: this.#dbs,
      summary,
      keysLoaded: this.#keysLoaded,
      keysExpired: this.#keysExpired,
      skipped: this.#skipped,
      repl: {
        streamDb: num('repl-stream-db'),
        replId: replId !== undefined && replId.length === 40 ? replId : undefined,
        offset: num('repl-offset'),
      },
    };
  }
}

/** Key names in messages: printable ASCII as is, other bytes as \xHH (sdscatrepr style). */
export function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Read a whole RDB file synchronously (start-up, DEBUG RELOAD). Throws RdbError or an fs error. */
export function loadRdbFileSync(path: string, opts: LoadOptions): LoadResult {
  const fd = openSync(path, 'r');
  try {
    const loader = new RdbLoader(opts);
    const size = fstatSync(fd).size;
    const chunk = Math.min(Math.max(size, 1), 4 * 1024 * 1024);
    for (;;) {
      const buf = Buffer.allocUnsafe(chunk);
      const n = readSync(fd, buf, 0, chunk, null);
      if (n === 0) break;
      loader.push(n === chunk ? buf : buf.subarray(0, n));
      if (loader.parser.done) break;
    }
    return loader.finish();
  } finally {
    closeSync(fd);
  }
}
