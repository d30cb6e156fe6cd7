/**
 * The RDB side of persistence (rdb.c rdbSave, rdbSaveBackground, backgroundSaveDoneHandlerDisk, rdbLoad) and the
 * state INFO reports about it: when the last save happened, whether the last BGSAVE worked, how long it took,
 * what the last load found.
 *
 * BGSAVE is a time-sliced Snapshot into `temp-<pid>.rdb`, fsync'ed and renamed over `dbfilename` when complete; a
 * failure or abort removes the temp file and leaves the previous dump untouched.
 */
import { join } from 'node:path';
import { aofFormat } from './aof/aof-format.js';
import type { PersistenceConfig, PersistenceDeps } from './config.js';
import { SaveError } from './errors.js';
import { FileSink, writeFileAtomicSync } from './file-sink.js';
import { RdbEncoder } from './rdb-encoder.js';
import { loadRdbFileSync, type LoadResult } from './rdb-loader.js';
import { writeDataset, type AuxInfo } from './rdb-writer.js';
import { Snapshot, SnapshotAborted, type SnapshotFormat, type SnapshotSink } from './snapshot.js';

interface RunningBgsave {
  readonly snapshot: Snapshot;
  readonly startedAt: number;
  readonly done: Promise<boolean>;
}

export class RdbSaver {
  readonly #config: () => PersistenceConfig;
  readonly #d: PersistenceDeps;
  /** Unix seconds of the last successful save ("At startup we consider the DB saved."). */
  lastSave: number;
  lastBgsaveTry = 0;
  lastBgsaveOk = true;
  /** rdb_last_bgsave_time_sec: -1 before the first BGSAVE. */
  lastBgsaveTimeSec = -1;
  rdbSaves = 0;
  lastLoadLoaded = 0;
  lastLoadExpired = 0;
  /** Longest synchronous slice of the last successful BGSAVE (ms): its contribution to event-loop pauses; and
   *  the same in CPU time when the deps give `cpuMicros`. */
  lastBgsaveMaxSliceMs = 0;
  lastBgsaveMaxSliceCpuMs = 0;
  #bgsave: RunningBgsave | null = null;

  constructor(config: () => PersistenceConfig, deps: PersistenceDeps) {
    this.#config = config;
    this.#d = deps;
    this.lastSave = this.nowS();
  }

  nowS(): number {
    return Math.floor(this.#d.clock.now() / 1000);
  }

  get path(): string {
    const c = this.#config();
    return join(c.dir, c.dbfilename);
  }

  get running(): { readonly snapshot: Snapshot; readonly startedAt: number; readonly done: Promise<boolean> } | null {
    return this.#bgsave;
  }

  /** rdbSaveInfoAuxFields' inputs. An AOF base carries no replication info, as Redis writes it with rsi = NULL. */
  aux(extra: Partial<AuxInfo> = {}): AuxInfo {
    return {
      ctime: this.nowS(),
      usedMem: this.#d.usedMemory?.() ?? process.memoryUsage().heapUsed,
      repl: extra.aofBase === true ? undefined : this.#d.replInfo?.(),
      aofBase: extra.aofBase,
    };
  }

  /** The whole dataset as an RDB, synchronously, into `write`. Returns the number of keys. */
  writeRdbSync(write: (chunk: Buffer) => void, aux: Partial<AuxInfo> = {}): number {
    const c = this.#config();
    const enc = new RdbEncoder(write, { compression: c.rdbcompression, checksum: c.rdbchecksum });
    return writeDataset(enc, this.#d.keyspace.dbs, this.aux(aux), c.limits);
  }

  /** The whole dataset as AOF commands (an AOF base with aof-use-rdb-preamble no). */
  writeAofSync(write: (chunk: Buffer) => void): void {
    const enc = new RdbEncoder(write, { compression: false, checksum: false });
    for (const db of this.#d.keyspace.dbs) {
      if (db.size === 0) continue;
      aofFormat.dbHeader(enc, db.index, db.size, db.expires.size);
      for (const [k, v] of db.dict) aofFormat.entry(enc, k, v, db.expires.size > 0 ? db.expires.get(k) : undefined);
    }
    aofFormat.footer(enc);
  }

  /** A point-in-time snapshot starting now: an RDB (default) or the given format. */
  snapshot(sink: SnapshotSink, aux: Partial<AuxInfo>, format?: SnapshotFormat): Snapshot {
    const c = this.#config();
    const opts = {
      compression: c.rdbcompression,
      checksum: format === undefined ? c.rdbchecksum : false,
      limits: c.limits,
      aux: this.aux(aux),
      clock: this.#d.clock,
      ...(this.#d.cpuMicros !== undefined ? { cpuMicros: this.#d.cpuMicros } : {}),
    };
    return new Snapshot(this.#d.keyspace, sink, format === undefined ? opts : { ...opts, format });
  }

  /** Read an RDB into fresh Maps (not installed); updates rdb_last_load_* on success. */
  load(path: string): LoadResult {
    const c = this.#config();
    const master = this.#d.isMaster?.() ?? true;
    const r = loadRdbFileSync(path, {
      databases: this.#d.keyspace.dbs.length,
      dropExpiredBefore: master ? this.#d.clock.now() : null,
      verifyChecksum: c.rdbchecksum,
    });
    for (const s of r.skipped.slice(0, 10)) {
      this.#d.log.warning(`rdbLoadObject skipping ${s.reason === 'empty' ? 'empty key' : 'stream key (unsupported)'}: ${s.key}`);
    }
    if (r.summary.checksum === 'disabled-in-file') this.#d.log.warning('RDB file was saved with checksum disabled: no check performed.');
    this.lastLoadLoaded = r.keysLoaded;
    this.lastLoadExpired = r.keysExpired;
    return r;
  }

  /** rdbSave: blocking write to a temp file, fsync, rename. Throws SaveError; the old dump stays on failure. */
  save(): void {
    const temp = join(this.#config().dir, `temp-${process.pid}.rdb`);
    try {
      writeFileAtomicSync(this.path, temp, (write) => this.writeRdbSync(write));
    } catch (e) {
      this.#d.log.warning(`Write error saving DB on disk: ${e instanceof Error ? e.message : String(e)}`);
      throw new SaveError('Write error saving DB on disk', { cause: e });
    }
    this.#d.log.notice('DB saved on disk');
    this.rdbSaves++;
    this.#d.keyspace.dirty = 0;
    this.lastSave = this.nowS();
    this.lastBgsaveOk = true;
  }

  /**
   * rdbSaveBackground: start a snapshot now; resolves true when the file is in place. Returns null when it cannot
   * start (temp file not creatable); the failure is recorded as rdb_last_bgsave_status:err.
   */
  startBgsave(): Promise<boolean> | null {
    if (this.#bgsave !== null) return this.#bgsave.done;
    this.rdbSaves++;
    this.lastBgsaveTry = this.nowS();
    let sink: FileSink;
    try {
      sink = new FileSink(join(this.#config().dir, `temp-${process.pid}.rdb`));
    } catch (e) {
      this.lastBgsaveOk = false;
      this.#d.log.warning(`Can't save in background: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
    const snapshot = this.snapshot(sink, {});
    const startedAt = this.nowS();
    const dirtyAtStart = this.#d.keyspace.dirty;
    this.#d.log.notice('Background saving started');
    const done = snapshot
      .run()
      .then(() => sink.commit(this.path))
      .then(
        () => {
          this.lastBgsaveMaxSliceMs = snapshot.maxSliceMs;
          this.lastBgsaveMaxSliceCpuMs = snapshot.maxSliceCpuMs;
          this.#d.log.notice('Background saving terminated with success');
          // backgroundSaveDoneHandlerDisk: only the changes made before the snapshot started are saved
          this.#d.keyspace.dirty -= dirtyAtStart;
          this.lastSave = this.nowS();
          this.lastBgsaveOk = true;
          return true;
        },
        async (e: unknown) => {
          await sink.discard();
          if (e instanceof SnapshotAborted) {
            // killRDBChild uses SIGUSR1, which Redis does not count as a failure
            this.#d.log.warning('Background saving terminated by abort');
          } else {
            this.#d.log.warning(`Background saving error: ${e instanceof Error ? e.message : String(e)}`);
            this.lastBgsaveOk = false;
          }
          return false;
        },
      )
      .finally(() => {
        this.lastBgsaveTimeSec = this.nowS() - startedAt;
        this.#bgsave = null;
      });
    this.#bgsave = { snapshot, startedAt, done };
    return done;
  }

  /** killRDBChild: FLUSHALL, shutdown. Resolves when the temp file is gone. */
  abortBgsave(): Promise<boolean> | null {
    const b = this.#bgsave;
    if (b === null) return null;
    b.snapshot.abort();
    return b.done;
  }
}
