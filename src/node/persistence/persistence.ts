/**
 * tredis persistence as one service (the rdb.c/aof.c parts of server.c's serverCron, saveCommand, bgsaveCommand,
 * bgrewriteaofCommand, loadDataFromDisk and finishShutdown): the composition root creates it with the keyspace,
 * calls `loadAtStartup` before listening, `cron` from its timer, registers `persistenceCommands(...)`, adds
 * `persistenceInfoSection(p.infoView())` to INFO, asks `writeDenied()` before write commands (MISCONF), and calls
 * `shutdown()` from SHUTDOWN / SIGTERM.
 *
 * A BGSAVE is a time-sliced Snapshot into a temp file renamed over `dbfilename`; there is no child process, so
 * Redis's "Another child process is active" rule is kept between BGSAVE and BGREWRITEAOF for identical replies.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../common/clock.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { PropagationConsumer } from '../propagation.js';
import { loadAof, readManifest, type AofReplayer } from './aof/aof-loader.js';
import { AofManager } from './aof/aof-manager.js';
import type { AppendFsync } from './aof/aof-writer.js';
import { emptyManifest } from './aof/manifest.js';
import { RdbError, SaveError } from './errors.js';
import { FileSink, writeFileAtomicSync } from './file-sink.js';
import { persistenceInfoSection, type PersistenceInfoView } from './info.js';
import { DEFAULT_ENCODING_LIMITS, type EncodingLimits } from './rdb-constants.js';
import { RdbEncoder } from './rdb-encoder.js';
import { loadRdbFileSync, type LoadResult } from './rdb-loader.js';
import { writeDataset, type AuxInfo } from './rdb-writer.js';
import { dueSavePoint, type SavePoint, DEFAULT_SAVE_POINTS } from './save-points.js';
import { Snapshot, SnapshotAborted, type SnapshotFormat, type SnapshotSink } from './snapshot.js';
import { aofFormat } from './aof/aof-format.js';

export interface PersistenceConfig {
  dir: string;
  dbfilename: string;
  rdbcompression: boolean;
  rdbchecksum: boolean;
  savePoints: SavePoint[];
  stopWritesOnBgsaveError: boolean;
  appendonly: boolean;
  appendfilename: string;
  appenddirname: string;
  appendfsync: AppendFsync;
  aofLoadTruncated: boolean;
  aofUseRdbPreamble: boolean;
  autoAofRewritePercentage: number;
  autoAofRewriteMinSize: number;
  limits: EncodingLimits;
}

export const DEFAULT_PERSISTENCE_CONFIG: PersistenceConfig = {
  dir: '.',
  dbfilename: 'dump.rdb',
  rdbcompression: true,
  rdbchecksum: true,
  savePoints: [...DEFAULT_SAVE_POINTS],
  stopWritesOnBgsaveError: true,
  appendonly: false,
  appendfilename: 'appendonly.aof',
  appenddirname: 'appendonlydir',
  appendfsync: 'everysec',
  aofLoadTruncated: true,
  aofUseRdbPreamble: true,
  autoAofRewritePercentage: 100,
  autoAofRewriteMinSize: 64 * 1024 * 1024,
  limits: DEFAULT_ENCODING_LIMITS,
};

export interface PersistenceLogger {
  notice(msg: string): void;
  warning(msg: string): void;
}

export interface PersistenceDeps {
  readonly keyspace: Keyspace;
  readonly clock: Clock;
  readonly log: PersistenceLogger;
  /** Where the AOF writer attaches (the node's Propagator). */
  readonly propagation: { addConsumer(c: PropagationConsumer): () => void };
  /** rdbPopulateSaveInfo: replication state to store in RDB aux fields, when the node has any. */
  readonly replInfo?: () => AuxInfo['repl'];
  readonly usedMemory?: () => number;
  /** A master drops already-expired keys when loading an RDB; a replica keeps them. */
  readonly isMaster?: () => boolean;
  /** Whether EXEC is running (BGSAVE/BGREWRITEAOF inside MULTI are scheduled, as Redis does). */
  readonly inExec?: () => boolean;
}

/** Replies of the persistence commands (Redis 7.0.15 texts), kept in one table. */
export const REPLY = {
  BGSAVE_STARTED: 'Background saving started',
  BGSAVE_SCHEDULED: 'Background saving scheduled',
  BGSAVE_IN_PROGRESS: 'ERR Background save already in progress',
  BGSAVE_OTHER_CHILD:
    'ERR Another child process is active (AOF?): can\'t BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.',
  SAVE_FAILED: 'ERR',
  AOFRW_STARTED: 'Background append only file rewriting started',
  AOFRW_SCHEDULED: 'Background append only file rewriting scheduled',
  AOFRW_IN_PROGRESS: 'ERR Background append only file rewriting already in progress',
  AOFRW_FAILED: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
  MISCONF_RDB:
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  MISCONF_AOF: (err: string) => `MISCONF Errors writing to the AOF file: ${err}`,
  SHUTDOWN_FAILED: 'ERR Errors trying to SHUTDOWN. Check logs.',
} as const;

export type BgReply = { ok: true; status: string } | { ok: false; error: string };

interface RunningBgsave {
  readonly snapshot: Snapshot;
  readonly sink: FileSink;
  readonly startedAt: number;
  readonly dirtyAtStart: number;
  readonly done: Promise<boolean>;
}

export interface StartupLoad {
  readonly source: 'rdb' | 'aof' | 'none';
  readonly rdb: LoadResult | null;
}

export class Persistence {
  config: PersistenceConfig;
  readonly aof: AofManager;
  readonly #d: PersistenceDeps;
  #lastSave: number;
  #lastBgsaveTry = 0;
  #lastBgsaveOk = true;
  #lastBgsaveTimeSec = -1;
  #rdbSaves = 0;
  #bgsave: RunningBgsave | null = null;
  #bgsaveScheduled = false;
  #lastLoadLoaded = 0;
  #lastLoadExpired = 0;
  /** Longest synchronous slice of the last successful BGSAVE (ms): its contribution to event-loop pauses. */
  lastBgsaveMaxSliceMs = 0;

  constructor(config: PersistenceConfig, deps: PersistenceDeps) {
    this.config = config;
    this.#d = deps;
    this.#lastSave = this.#nowS(); // "At startup we consider the DB saved."
    this.aof = new AofManager(
      {
        dir: config.dir,
        dirname: config.appenddirname,
        filename: config.appendfilename,
        fsync: config.appendfsync,
        useRdbPreamble: config.aofUseRdbPreamble,
      },
      {
        clock: deps.clock,
        log: deps.log,
        startSnapshot: (sink, rdbPreamble) => this.#newSnapshot(sink, { aofBase: true }, rdbPreamble ? undefined : aofFormat),
        writeBaseSync: (write, rdbPreamble) => {
          if (rdbPreamble) this.#writeRdbSync(write, { aofBase: true });
          else this.#writeAofSync(write);
        },
        attach: (w) => deps.propagation.addConsumer(w),
      },
    );
  }

  #nowS(): number {
    return Math.floor(this.#d.clock.now() / 1000);
  }

  get rdbPath(): string {
    return join(this.config.dir, this.config.dbfilename);
  }

  get lastSave(): number {
    return this.#lastSave;
  }

  get bgsaveInProgress(): boolean {
    return this.#bgsave !== null;
  }

  /** Any background persistence job (hasActiveChildProcess). */
  get childActive(): boolean {
    return this.#bgsave !== null || this.aof.rewrite.inProgress;
  }

  #aux(extra: Partial<AuxInfo> = {}): AuxInfo {
    return {
      ctime: this.#nowS(),
      usedMem: this.#d.usedMemory?.() ?? process.memoryUsage().heapUsed,
      repl: extra.aofBase === true ? undefined : this.#d.replInfo?.(),
      aofBase: extra.aofBase,
    };
  }

  #writeRdbSync(write: (chunk: Buffer) => void, aux: Partial<AuxInfo> = {}): number {
    const enc = new RdbEncoder(write, { compression: this.config.rdbcompression, checksum: this.config.rdbchecksum });
    return writeDataset(enc, this.#d.keyspace.dbs, this.#aux(aux), this.config.limits);
  }

  /** An AOF-format base of the whole dataset (aof-use-rdb-preamble no). */
  #writeAofSync(write: (chunk: Buffer) => void): void {
    const enc = new RdbEncoder(write, { compression: false, checksum: false });
    for (const db of this.#d.keyspace.dbs) {
      if (db.size === 0) continue;
      aofFormat.dbHeader(enc, db.index, db.size, db.expires.size);
      for (const [k, v] of db.dict) aofFormat.entry(enc, k, v, db.expires.size > 0 ? db.expires.get(k) : undefined);
    }
    aofFormat.footer(enc);
  }

  #newSnapshot(sink: SnapshotSink, aux: Partial<AuxInfo>, format?: SnapshotFormat): Snapshot {
    const opts = {
      compression: this.config.rdbcompression,
      checksum: format === undefined ? this.config.rdbchecksum : false,
      limits: this.config.limits,
      aux: this.#aux(aux),
      clock: this.#d.clock,
    };
    return new Snapshot(this.#d.keyspace, sink, format === undefined ? opts : { ...opts, format });
  }

  // ---------------------------------------------------------------- loading

  /**
   * loadDataFromDisk: the AOF when appendonly is on (the RDB is then ignored, as in Redis 7.0), else the RDB file
   * if present. Throws RdbError/AofError on a corrupt or truncated file: the caller logs it and exits non-zero;
   * nothing was installed and no file was modified (except the documented aof-load-truncated repair).
   */
  loadAtStartup(replayer: Pick<AofReplayer, 'apply'>): StartupLoad {
    const ks = this.#d.keyspace;
    if (this.config.appendonly) {
      const opts = {
        dir: this.config.dir,
        dirname: this.config.appenddirname,
        filename: this.config.appendfilename,
        databases: ks.dbs.length,
        loadTruncated: this.config.aofLoadTruncated,
      };
      let manifest = readManifest(opts);
      manifest = this.aof.upgradeIfNeeded(manifest);
      let base: LoadResult | null = null;
      let total = 0;
      let baseSize = 0;
      let loaded = false;
      if (manifest !== null) {
        const r = loadAof(
          opts,
          manifest,
          {
            installBase: (dbs, result) => {
              ks.replaceAll(dbs);
              base = result;
            },
            apply: (argv) => replayer.apply(argv),
          },
          this.#d.log,
        );
        total = r.totalSize;
        baseSize = r.baseSize;
        loaded = r.status === 'loaded';
        if (loaded) this.#d.log.notice('DB loaded from append only file');
      }
      this.aof.openOnStart(manifest ?? emptyManifest(), total, baseSize);
      const b = base as LoadResult | null;
      if (b !== null) {
        this.#lastLoadLoaded = b.keysLoaded;
        this.#lastLoadExpired = b.keysExpired;
      }
      return { source: loaded ? 'aof' : 'none', rdb: b };
    }
    if (!existsSync(this.rdbPath)) return { source: 'none', rdb: null };
    const r = this.loadRdb(this.rdbPath);
    ks.replaceAll(r.dbs);
    this.#d.log.notice(`Done loading RDB, keys loaded: ${r.keysLoaded}, keys expired: ${r.keysExpired}.`);
    return { source: 'rdb', rdb: r };
  }

  /** Read an RDB into fresh Maps (not installed). Updates the rdb_last_load_* counters on success. */
  loadRdb(path: string): LoadResult {
    const master = this.#d.isMaster?.() ?? true;
    const r = loadRdbFileSync(path, {
      databases: this.#d.keyspace.dbs.length,
      dropExpiredBefore: master ? this.#d.clock.now() : null,
      verifyChecksum: this.config.rdbchecksum,
    });
    for (const s of r.skipped.slice(0, 10)) {
      this.#d.log.warning(`rdbLoadObject skipping ${s.reason === 'empty' ? 'empty key' : 'stream key (unsupported)'}: ${s.key}`);
    }
    if (r.summary.checksum === 'disabled-in-file') this.#d.log.warning('RDB file was saved with checksum disabled: no check performed.');
    this.#lastLoadLoaded = r.keysLoaded;
    this.#lastLoadExpired = r.keysExpired;
    return r;
  }

  // ---------------------------------------------------------------- saving

  /** SAVE (rdbSave): blocking write to a temp file, fsync, rename. Throws SaveError. */
  save(): void {
    const temp = join(this.config.dir, `temp-${process.pid}.rdb`);
    try {
      writeFileAtomicSync(this.rdbPath, temp, (write) => this.#writeRdbSync(write));
    } catch (e) {
      this.#d.log.warning(`Write error saving DB on disk: ${e instanceof Error ? e.message : String(e)}`);
      throw new SaveError(`Write error saving DB on disk`, { cause: e });
    }
    this.#d.log.notice('DB saved on disk');
    this.#rdbSaves++;
    this.#d.keyspace.dirty = 0;
    this.#lastSave = this.#nowS();
    this.#lastBgsaveOk = true;
  }

  /** SAVE command semantics: refused while a BGSAVE runs. */
  saveCommand(): BgReply {
    if (this.#bgsave !== null) return { ok: false, error: REPLY.BGSAVE_IN_PROGRESS };
    try {
      this.save();
      return { ok: true, status: 'OK' };
    } catch {
      return { ok: false, error: REPLY.SAVE_FAILED };
    }
  }

  /** BGSAVE [SCHEDULE] (bgsaveCommand). */
  bgsaveCommand(schedule: boolean): BgReply {
    if (this.#bgsave !== null) return { ok: false, error: REPLY.BGSAVE_IN_PROGRESS };
    if (this.aof.rewrite.inProgress || (this.#d.inExec?.() ?? false)) {
      if (schedule || (this.#d.inExec?.() ?? false)) {
        this.#bgsaveScheduled = true;
        return { ok: true, status: REPLY.BGSAVE_SCHEDULED };
      }
      return { ok: false, error: REPLY.BGSAVE_OTHER_CHILD };
    }
    if (this.startBgsave() === null) return { ok: false, error: REPLY.SAVE_FAILED };
    return { ok: true, status: REPLY.BGSAVE_STARTED };
  }

  /**
   * rdbSaveBackground: start a snapshot now; resolves true when the file is in place. Returns null when it cannot
   * start (temp file not creatable); the failure is recorded as rdb_last_bgsave_status:err.
   */
  startBgsave(): Promise<boolean> | null {
    if (this.#bgsave !== null) return this.#bgsave.done;
    this.#rdbSaves++;
    this.#lastBgsaveTry = this.#nowS();
    let sink: FileSink;
    try {
      sink = new FileSink(join(this.config.dir, `temp-${process.pid}.rdb`));
    } catch (e) {
      this.#lastBgsaveOk = false;
      this.#d.log.warning(`Can't save in background: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
    const snapshot = this.#newSnapshot(sink, {});
    const startedAt = this.#nowS();
    const dirtyAtStart = this.#d.keyspace.dirty;
    this.#d.log.notice('Background saving started');
    const done = snapshot
      .run()
      .then(() => sink.commit(this.rdbPath))
      .then(
        () => {
          this.lastBgsaveMaxSliceMs = snapshot.maxSliceMs;
          this.#d.log.notice('Background saving terminated with success');
          this.#d.keyspace.dirty -= dirtyAtStart;
          this.#lastSave = this.#nowS();
          this.#lastBgsaveOk = true;
          return true;
        },
        async (e: unknown) => {
          await sink.discard();
          if (e instanceof SnapshotAborted) {
            this.#d.log.warning('Background saving terminated by abort');
          } else {
            this.#d.log.warning(`Background saving error: ${e instanceof Error ? e.message : String(e)}`);
            this.#lastBgsaveOk = false;
          }
          return false;
        },
      )
      .finally(() => {
        this.#lastBgsaveTimeSec = this.#nowS() - startedAt;
        this.#bgsave = null;
      });
    this.#bgsave = { snapshot, sink, startedAt, dirtyAtStart, done };
    return done;
  }

  /** Abort a running BGSAVE (killRDBChild): FLUSHALL, shutdown, DEBUG RELOAD. */
  abortBgsave(): Promise<boolean> | null {
    const b = this.#bgsave;
    if (b === null) return null;
    b.snapshot.abort();
    return b.done;
  }

  /** BGREWRITEAOF (bgrewriteaofCommand). */
  bgrewriteaofCommand(): BgReply {
    if (this.aof.rewrite.inProgress) return { ok: false, error: REPLY.AOFRW_IN_PROGRESS };
    if (this.#bgsave !== null || (this.#d.inExec?.() ?? false)) {
      this.aof.rewrite.scheduled = true;
      return { ok: true, status: REPLY.AOFRW_SCHEDULED };
    }
    try {
      this.#startRewrite();
    } catch (e) {
      this.#d.log.warning(`Can't rewrite append only file in background: ${e instanceof Error ? e.message : String(e)}`);
      return { ok: false, error: REPLY.AOFRW_FAILED };
    }
    return { ok: true, status: REPLY.AOFRW_STARTED };
  }

  #startRewrite(enabling = false): Promise<void> {
    const p = this.aof.startRewrite(this.#nowS(), enabling);
    p.catch(() => undefined); // failures are recorded in the rewrite stats and logged
    return p;
  }

  /** The running AOF rewrite's completion, settled either way (tests, shutdown). */
  rewriteDone(): Promise<void> | null {
    const p = this.aof.running;
    return p === null ? null : p.catch(() => undefined);
  }

  /** The running BGSAVE's completion: true when the file is in place. */
  bgsaveDone(): Promise<boolean> | null {
    return this.#bgsave?.done ?? null;
  }

  /** CONFIG SET appendonly yes|no (startAppendOnly / stopAppendOnly). */
  setAppendonly(on: boolean): void {
    if (on === (this.aof.state !== 'off')) {
      this.config.appendonly = on;
      return;
    }
    this.config.appendonly = on;
    if (!on) {
      this.aof.stop();
      return;
    }
    if (this.#bgsave !== null) {
      // Redis schedules the rewrite behind the running child; the writer starts with it
      this.aof.rewrite.scheduled = true;
      this.#pendingEnable = true;
      return;
    }
    this.#startRewrite(true);
  }

  #pendingEnable = false;

  /** CONFIG SET appendfsync */
  setAppendfsync(policy: AppendFsync): void {
    this.config.appendfsync = policy;
    this.aof.settings.fsync = policy;
    if (this.aof.writer !== null) this.aof.writer.fsyncPolicy = policy;
  }

  /**
   * writeCommandsDeniedByDiskError: the reason write commands must be refused (MISCONF), or null. Redis checks
   * this only on a master (replicas always accept their master's stream).
   */
  writeDenied(): string | null {
    if (this.config.stopWritesOnBgsaveError && this.config.savePoints.length > 0 && !this.#lastBgsaveOk) return REPLY.MISCONF_RDB;
    const w = this.aof.writer;
    if (this.aof.state !== 'off' && w !== null && !w.stats.lastWriteOk) return REPLY.MISCONF_AOF(w.stats.lastWriteError ?? 'unknown error');
    return null;
  }

  /**
   * serverCron's persistence duties (call about every 100 ms): start a due save point's BGSAVE, run scheduled
   * BGSAVE/BGREWRITEAOF jobs, the everysec fsync, and auto-aof-rewrite.
   */
  cron(): void {
    const now = this.#nowS();
    this.aof.writer?.tick();
    if (this.childActive) return;
    if (this.#pendingEnable) {
      this.#pendingEnable = false;
      this.#startRewrite(true);
      return;
    }
    if (this.aof.rewrite.scheduled) {
      try {
        this.#startRewrite();
      } catch (e) {
        this.#d.log.warning(`Can't rewrite append only file in background: ${String(e)}`);
      }
      return;
    }
    if (this.#bgsaveScheduled) {
      this.#bgsaveScheduled = false;
      this.startBgsave();
      return;
    }
    const sp = dueSavePoint(
      this.config.savePoints,
      { dirty: this.#d.keyspace.dirty, lastSave: this.#lastSave, lastBgsaveTry: this.#lastBgsaveTry, lastBgsaveOk: this.#lastBgsaveOk },
      now,
    );
    if (sp !== null) {
      this.#d.log.notice(`${sp.changes} changes in ${sp.seconds} seconds. Saving...`);
      this.startBgsave();
      return;
    }
    const a = this.aof;
    if (a.state === 'on' && this.config.autoAofRewritePercentage > 0 && a.size > this.config.autoAofRewriteMinSize) {
      const base = a.baseSize > 0 ? a.baseSize : 1;
      const growth = ((a.size * 100) / base) - 100;
      if (growth >= this.config.autoAofRewritePercentage) {
        this.#d.log.notice(`Starting automatic rewriting of AOF on ${Math.floor(growth)}% growth`);
        try {
          this.#startRewrite();
        } catch (e) {
          this.#d.log.warning(`Can't rewrite append only file in background: ${String(e)}`);
        }
      }
    }
  }

  /**
   * FLUSHALL's persistence part (flushAllDataAndResetRDB): abort a running BGSAVE, and with save points
   * configured save the (now empty) dataset at once, keeping `dirty` so the FLUSHALL is still propagated.
   */
  afterFlushAll(): void {
    this.abortBgsave();
    if (this.config.savePoints.length > 0) {
      const dirty = this.#d.keyspace.dirty;
      try {
        this.save();
      } catch {
        // logged by save(); FLUSHALL itself succeeded
      }
      this.#d.keyspace.dirty = dirty;
    }
  }

  /**
   * finishShutdown's persistence part. `save`/`nosave` are SHUTDOWN's flags; returns null when the node may exit,
   * else the error reply (the save failed and FORCE was not given).
   */
  async shutdown(opts: { save?: boolean; nosave?: boolean; force?: boolean } = {}): Promise<string | null> {
    const bg = this.abortBgsave();
    if (bg !== null) {
      this.#d.log.warning('There is a child saving an .rdb. Killing it!');
      await bg;
    }
    if (this.aof.rewrite.inProgress) {
      this.#d.log.warning('There is a child rewriting the AOF. Killing it!');
      this.aof.abortRewrite();
    }
    if (this.aof.state === 'wait-rewrite' && opts.force !== true) {
      this.#d.log.warning('Writing initial AOF, can\'t exit.');
      return REPLY.SHUTDOWN_FAILED;
    }
    if (this.aof.state !== 'off') {
      this.#d.log.notice('Calling fsync() on the AOF file.');
      this.aof.writer?.flush(true);
    }
    if ((this.config.savePoints.length > 0 && opts.nosave !== true) || opts.save === true) {
      this.#d.log.notice('Saving the final RDB snapshot before exiting.');
      try {
        this.save();
      } catch {
        if (opts.force !== true) {
          this.#d.log.warning('Error trying to save the DB, can\'t exit.');
          return REPLY.SHUTDOWN_FAILED;
        }
        this.#d.log.warning('Error trying to save the DB. Exit anyway.');
      }
    }
    this.aof.stop();
    return null;
  }

  /**
   * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] (debug.c): save the dataset (unless NOSAVE), then load the RDB back.
   * By default the loaded dataset replaces the current one; with MERGE the loaded keys are added to the current
   * ones, replacing keys of the same name (RDBFLAGS_ALLOW_DUP). Unlike Redis, the current dataset is kept when
   * the file cannot be loaded. Returns null (reply +OK) or the error reply.
   */
  debugReload(opts: { nosave?: boolean; merge?: boolean } = {}): string | null {
    if (opts.nosave !== true) {
      try {
        this.save();
      } catch {
        return REPLY.SAVE_FAILED;
      }
    }
    let r: LoadResult;
    try {
      r = this.loadRdb(this.rdbPath);
    } catch {
      return 'ERR Error trying to load the RDB dump';
    }
    const ks = this.#d.keyspace;
    if (opts.merge === true) {
      r.dbs.forEach((d, i) => {
        const db = ks.db(i);
        for (const [k, v] of d.dict) {
          db.set(k, v);
          const e = d.expires.get(k);
          if (e !== undefined) db.setExpire(k, e);
        }
      });
    } else {
      ks.replaceAll(r.dbs);
    }
    this.#d.log.warning('DB reloaded by DEBUG RELOAD');
    return null;
  }

  // ---------------------------------------------------------------- INFO

  infoView(): PersistenceInfoView {
    const now = this.#nowS();
    const b = this.#bgsave;
    const a = this.aof;
    const w = a.writer;
    return {
      dirty: this.#d.keyspace.dirty,
      bgsaveInProgress: b !== null,
      lastSave: this.#lastSave,
      lastBgsaveOk: this.#lastBgsaveOk,
      lastBgsaveTimeSec: this.#lastBgsaveTimeSec,
      currentBgsaveTimeSec: b !== null ? now - b.startedAt : -1,
      rdbSaves: this.#rdbSaves,
      saveKeysProcessed: b?.snapshot.progress.keysProcessed ?? 0,
      saveKeysTotal: b?.snapshot.progress.keysTotal ?? 0,
      lastLoadKeysExpired: this.#lastLoadExpired,
      lastLoadKeysLoaded: this.#lastLoadLoaded,
      aof: {
        enabled: a.state !== 'off',
        rewriteInProgress: a.rewrite.inProgress,
        rewriteScheduled: a.rewrite.scheduled,
        lastRewriteTimeSec: a.rewrite.lastTimeSec,
        currentRewriteTimeSec: a.rewrite.inProgress ? now - a.rewrite.startedAt : -1,
        lastBgrewriteOk: a.rewrite.lastOk,
        rewrites: a.rewrite.rewrites,
        rewritesConsecutiveFailures: a.rewrite.consecutiveFailures,
        lastWriteOk: w?.stats.lastWriteOk ?? true,
        currentSize: a.size,
        baseSize: a.baseSize,
        pendingRewrite: a.rewrite.scheduled,
        bufferLength: w?.bufferLength ?? 0,
        pendingBioFsync: w?.fsyncPending ?? false,
        delayedFsync: w?.stats.delayedFsync ?? 0,
      },
    };
  }

  infoSection(): string {
    return persistenceInfoSection(this.infoView());
  }
}
