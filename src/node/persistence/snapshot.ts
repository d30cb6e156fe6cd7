/**
 * A point-in-time RDB snapshot taken while the node keeps serving writes (BGSAVE, BGREWRITEAOF's base file, full
 * syncs). Redis forks and lets copy-on-write freeze the dataset; Node cannot fork, so we emulate it:
 *
 *  1. At start, capture every database's `dict`/`expires` Map objects (whole-database operations never mutate
 *     them: FLUSHDB/FLUSHALL/SWAPDB/replaceAll install or exchange Map objects, see database.ts).
 *  2. Iterate the captured Maps in time slices (setImmediate between slices, so commands run in between).
 *  3. Hook the keyspace's write barrier: before a key of a captured Map changes, if the snapshot has not written
 *     it yet, serialize its current (= point-in-time) value and TTL right away into a per-database side buffer.
 *
 * Bookkeeping, per captured database, in two sets:
 *  - `visited`: keys the iterator has written. Only the barrier asks it ("written already?"), so the iterator pays
 *    one append per key and no lookup. The keys are hashed into its table only from the first write to the
 *    database on (a few thousand per slice until it has caught up): until the table has caught up, the barrier
 *    cannot tell a written key from an unwritten one, so it serializes the key into a held buffer, and the slice
 *    loop keeps or drops each held entry once it can ask (dropped: the iterator had written the key already).
 *  - `touched`: keys the barrier has seen — serialized then, found already visited, or found absent (created after
 *    the start: not part of the snapshot). The iterator skips them: a touched key it meets later was either written
 *    by the barrier, or is a visited key that was deleted and re-created (re-inserted keys move to the end of the
 *    Map, ahead of the iterator), or did not exist at the start.
 * The barrier locates the captured database by Map identity (`db.dict` at call time), which stays right across
 * SWAPDB; a database whose Maps were replaced writes into new Maps the barrier ignores. Every key present at the
 * start is therefore written exactly once, with its value at the start.
 *
 * Output is a stream of chunks handed to a SnapshotSink (a temp file, a replica socket); the slice loop waits when
 * the sink reports backpressure, while the barrier keeps capturing writes.
 */
import type { Clock } from '../../common/clock.js';
import type { Database } from '../keyspace/database.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { Value } from '../keyspace/types.js';
import { ChunkPool } from './chunk-pool.js';
import type { EncodingLimits } from './rdb-constants.js';
import { RdbEncoder } from './rdb-encoder.js';
import { writeDbHeader, writeEof, writeHeader, type AuxInfo } from './rdb-writer.js';
import { writeKeyValue } from './value-writer.js';
import { TouchedKeys, visitedKeysPool, type VisitedKeys } from './key-set.js';

export interface SnapshotSink {
  write(chunk: Buffer): void;
  /** A promise while the sink wants the producer to pause, else null. */
  backpressure(): Promise<void> | null;
  /** When present, output chunks are taken from this pool and the sink gives each back once it has written it. */
  readonly chunkPool?: ChunkPool;
}

/** How the snapshot is written: an RDB (default), or AOF commands for a non-RDB AOF base. */
export interface SnapshotFormat {
  header(enc: RdbEncoder): void;
  dbHeader(enc: RdbEncoder, db: number, keys: number, expires: number): void;
  entry(enc: RdbEncoder, key: string, value: Value, expireAt: number | undefined): void;
  footer(enc: RdbEncoder): void;
}

export function rdbFormat(aux: AuxInfo, limits: EncodingLimits): SnapshotFormat {
  return {
    header: (enc) => writeHeader(enc, aux),
    dbHeader: (enc, db, keys, expires) => writeDbHeader(enc, db, keys, expires),
    entry: (enc, key, value, expireAt) => writeKeyValue(enc, key, value, expireAt, limits),
    footer: (enc) => writeEof(enc),
  };
}

export interface SnapshotOptions {
  readonly compression: boolean;
  readonly checksum: boolean;
  readonly limits: EncodingLimits;
  readonly aux: AuxInfo;
  /** Defaults to rdbFormat(aux, limits). */
  readonly format?: SnapshotFormat;
  readonly clock: Clock;
  /**
   * Longest slice of serialization work between yields to the event loop (default 2 ms: measured against 5 ms on
   * 1M keys, client p99 latency during BGSAVE dropped 3x with no longer total time).
   */
  readonly sliceMs?: number;
  /** How to yield between slices (tests drive slices by hand). */
  readonly yieldFn?: () => Promise<void>;
  /** CPU time of this process in µs (process.cpuUsage), to report slice cost apart from scheduling delays. */
  readonly cpuMicros?: () => number;
}

export interface SnapshotProgress {
  readonly keysTotal: number;
  readonly keysProcessed: number;
  readonly bytes: number;
}

interface CapturedDb {
  readonly index: number;
  readonly dict: Map<string, Value>;
  readonly expires: Map<string, number>;
  readonly keys: number;
  readonly expiresCount: number;
  /** Null once the database is finished (its table is released). */
  visited: VisitedKeys | null;
  readonly touched: TouchedKeys;
  pending: Buffer[];
  pendingEnc: RdbEncoder | null;
  /** A write reached this database: `visited` must be indexed (catch up, then keep up). */
  indexing: boolean;
  /** Entries the barrier wrote while `visited` had not caught up: kept or dropped once it has. */
  held: HeldEntries | null;
  finished: boolean;
}

/** Serialized entries whose keys the iterator may have written already; entry i is bytes [ends[i-1] ?? 0, ends[i]). */
interface HeldEntries {
  readonly enc: RdbEncoder;
  readonly chunks: Buffer[];
  readonly keys: string[];
  readonly ends: number[];
}

/** Keys hashed into `visited` between two clock checks while catching up. */
const INDEX_BATCH = 4096;
/** Chunk size of the barrier's encoders: between two slices a write load rarely serializes more than this. */
const BARRIER_CHUNK = 16 * 1024;

export class SnapshotAborted extends Error {
  override readonly name = 'SnapshotAborted';
}

const setImmediateYield = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Snapshot {
  readonly #keyspace: Keyspace;
  readonly #sink: SnapshotSink;
  readonly #opts: SnapshotOptions;
  readonly #enc: RdbEncoder;
  readonly #captured: CapturedDb[];
  readonly #format: SnapshotFormat;
  readonly #byMap = new Map<Map<string, Value>, CapturedDb>();
  /** The barrier's pending chunks, reused once copied into the output (same reason as the sink's pool). */
  readonly #pendingPool = new ChunkPool(BARRIER_CHUNK, 4);
  readonly #keysTotal: number;
  #keysProcessed = 0;
  #removeListener: (() => void) | null = null;
  #aborted = false;
  /** Longest synchronous slice observed (ms, wall clock), for the bench and diagnostics. */
  maxSliceMs = 0;
  /** Longest slice in CPU time (ms), when `cpuMicros` was given: the wall figure minus time the OS ran others. */
  maxSliceCpuMs = 0;

  constructor(keyspace: Keyspace, sink: SnapshotSink, opts: SnapshotOptions) {
    this.#keyspace = keyspace;
    this.#sink = sink;
    this.#opts = opts;
    this.#enc = new RdbEncoder((c) => sink.write(c), {
      compression: opts.compression,
      checksum: opts.checksum,
      ...(sink.chunkPool !== undefined ? { pool: sink.chunkPool } : {}),
    });
    this.#format = opts.format ?? rdbFormat(opts.aux, opts.limits);
    let total = 0;
    this.#captured = keyspace.dbs.map((d) => {
      const c: CapturedDb = {
        index: d.index,
        dict: d.dict,
        expires: d.expires,
        keys: d.dict.size,
        expiresCount: d.expires.size,
        visited: d.dict.size === 0 ? null : visitedKeysPool.take(d.dict.size),
        touched: new TouchedKeys(),
        pending: [],
        pendingEnc: null,
        indexing: false,
        held: null,
        finished: d.dict.size === 0,
      };
      total += c.keys;
      if (!c.finished) this.#byMap.set(c.dict, c);
      return c;
    });
    this.#keysTotal = total;
    // From here on the dataset is frozen for us: install the barrier synchronously, before any command runs.
    this.#removeListener = keyspace.addWriteListener((db, key) => this.#beforeWrite(db, key));
  }

  get progress(): SnapshotProgress {
    return { keysTotal: this.#keysTotal, keysProcessed: this.#keysProcessed, bytes: this.#enc.bytesWritten };
  }

  /** Stop: the barrier is removed and run() rejects with SnapshotAborted at its next slice. */
  abort(): void {
    this.#aborted = true;
    this.#detach();
  }

  #detach(): void {
    this.#removeListener?.();
    this.#removeListener = null;
    this.#byMap.clear();
  }

  #beforeWrite(db: Database, key: string): void {
    const c = this.#byMap.get(db.dict);
    if (c === undefined || c.finished) return;
    c.indexing = true;
    const visited = c.visited!;
    if (!c.touched.addIfAbsent(key) || visited.has(key)) return;
    const value = c.dict.get(key);
    if (value === undefined) return; // created after the snapshot started: not part of it
    const expireAt = c.expires.size > 0 ? c.expires.get(key) : undefined;
    if (!visited.complete) {
      // maybe among the written keys not indexed yet: decided once the index has caught up (#resolveHeld)
      const h = (c.held ??= this.#newHeld());
      this.#format.entry(h.enc, key, value, expireAt);
      h.keys.push(key);
      h.ends.push(h.enc.bytesWritten);
      return;
    }
    const enc = (c.pendingEnc ??= new RdbEncoder((chunk) => c.pending.push(chunk), {
      compression: this.#opts.compression,
      checksum: false,
      pool: this.#pendingPool,
    }));
    this.#format.entry(enc, key, value, expireAt);
    this.#keysProcessed++;
  }

  #newHeld(): HeldEntries {
    const chunks: Buffer[] = [];
    const enc = new RdbEncoder((chunk) => chunks.push(chunk), { compression: this.#opts.compression, checksum: false, chunkSize: BARRIER_CHUNK });
    return { enc, chunks, keys: [], ends: [] };
  }

  /**
   * Once a write reached the database, index the keys written so far (until `deadline`), and when the index is
   * complete settle the held entries. True when nothing is left to settle.
   */
  #catchUp(c: CapturedDb, deadline: number): boolean {
    if (!c.indexing) return true;
    const visited = c.visited!;
    while (!visited.index(INDEX_BATCH)) if (this.#opts.clock.monotonic() >= deadline) return false;
    this.#resolveHeld(c, visited);
    return true;
  }

  /** Held entries of keys the iterator had written are dropped (it wrote the same, point-in-time value); the rest go out. */
  #resolveHeld(c: CapturedDb, visited: VisitedKeys): void {
    const h = c.held;
    if (h === null) return;
    c.held = null;
    h.enc.flush();
    const all = h.chunks.length === 1 ? h.chunks[0]! : Buffer.concat(h.chunks);
    let start = 0;
    for (let i = 0; i < h.keys.length; i++) {
      const end = h.ends[i]!;
      if (!visited.has(h.keys[i]!)) {
        this.#enc.bytes(all.subarray(start, end));
        this.#keysProcessed++;
      }
      start = end;
    }
  }

  #drainPending(c: CapturedDb): void {
    if (c.pendingEnc !== null) c.pendingEnc.flush();
    if (c.pending.length === 0) return;
    for (const chunk of c.pending) {
      this.#enc.copyBytes(chunk);
      this.#pendingPool.give(chunk);
    }
    c.pending.length = 0;
  }

  /** Produce the whole RDB; resolves with the number of keys written. */
  async run(): Promise<number> {
    const sliceMs = this.#opts.sliceMs ?? 2;
    const clock = this.#opts.clock;
    const yieldFn = this.#opts.yieldFn ?? setImmediateYield;
    try {
      this.#format.header(this.#enc);
      for (const c of this.#captured) {
        if (c.keys === 0) continue;
        this.#format.dbHeader(this.#enc, c.index, c.keys, c.expiresCount);
        const it = c.dict.entries();
        const visited = c.visited!;
        let more = true;
        let settled = false;
        while (more || !settled) {
          await this.#pause(yieldFn);
          const t0 = clock.monotonic();
          const c0 = this.#opts.cpuMicros?.() ?? 0;
          const deadline = t0 + sliceMs;
          settled = this.#catchUp(c, deadline);
          this.#drainPending(c);
          let n = 0;
          for (; more; ) {
            const r = it.next();
            if (r.done === true) {
              more = false;
              break;
            }
            const [key, value] = r.value;
            if (!c.touched.has(key)) {
              visited.add(key);
              this.#format.entry(this.#enc, key, value, c.expires.size > 0 ? c.expires.get(key) : undefined);
              this.#keysProcessed++;
            }
            // skipped entries count too: a long run of keys the barrier already wrote must not stretch a slice
            if ((++n & 31) === 0 && (clock.monotonic() >= deadline || this.#sink.backpressure() !== null)) break;
          }
          // once writes come, index this slice's keys right away (hashing costs less than writing them), so the
          // writes until the next slice find the index complete and take the direct path, not the held one
          if (c.indexing && visited.index(n)) this.#resolveHeld(c, visited);
          // the database ends once the iterator is done and no held entry waits for the index
          if (!more && !settled) settled = this.#catchUp(c, deadline);
          if (!more && settled) {
            this.#drainPending(c);
            c.finished = true;
            this.#byMap.delete(c.dict);
            this.#releaseVisited(c);
            c.touched.clear();
          }
          this.#enc.flush();
          const dt = clock.monotonic() - t0;
          if (dt > this.maxSliceMs) this.maxSliceMs = dt;
          if (this.#opts.cpuMicros !== undefined) {
            const dc = (this.#opts.cpuMicros() - c0) / 1000;
            if (dc > this.maxSliceCpuMs) this.maxSliceCpuMs = dc;
          }
        }
      }
      await this.#pause(yieldFn);
      this.#detach();
      this.#format.footer(this.#enc);
      return this.#keysProcessed;
    } finally {
      this.#detach();
      // an aborted or failed snapshot leaves its unfinished databases' sets: their storage goes back too
      for (const c of this.#captured) this.#releaseVisited(c);
    }
  }

  /** Once nothing asks this database's set any more (finished, or the barrier removed). */
  #releaseVisited(c: CapturedDb): void {
    if (c.visited === null) return;
    visitedKeysPool.give(c.visited);
    c.visited = null;
  }

  async #pause(yieldFn: () => Promise<void>): Promise<void> {
    await yieldFn();
    for (;;) {
      if (this.#aborted) throw new SnapshotAborted('snapshot aborted');
      const bp = this.#sink.backpressure();
      if (bp === null) return;
      await bp;
    }
  }
}
