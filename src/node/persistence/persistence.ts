/**
 * tredis persistence as one service (the rdb.c/aof.c parts of server.c's serverCron, saveCommand, bgsaveCommand,
 * bgrewriteaofCommand, loadDataFromDisk and finishShutdown): the composition root creates it with the keyspace,
 * calls `loadAtStartup` before listening, `cron` from its timer, registers `persistenceCommands(...)`, adds
 * `infoSection()` to INFO, asks `writeDenied()` before write commands (MISCONF), calls `afterFlushAll()` after
 * FLUSHALL and `shutdown()` from SHUTDOWN / SIGTERM.
 *
 * There is no child process: a BGSAVE or an AOF rewrite is a time-sliced Snapshot. Redis's "Another child process
 * is active" rule between BGSAVE and BGREWRITEAOF is kept anyway, so the replies are the same.
 */
import { existsSync } from 'node:fs';
import { aofFormat } from './aof/aof-format.js';
import { loadAof, readManifest, type AofReplayer } from './aof/aof-loader.js';
import { AofManager } from './aof/aof-manager.js';
import type { AppendFsync } from './aof/aof-writer.js';
import { emptyManifest } from './aof/manifest.js';
import { REPLY, type BgReply, type PersistenceConfig, type PersistenceDeps } from './config.js';
import { RdbError } from './errors.js';
import { persistenceInfoSection, type PersistenceInfoView } from './info.js';
import type { LoadResult } from './rdb-loader.js';
import { RdbSaver } from './rdb-saver.js';
import { dueSavePoint } from './save-points.js';

export { DEFAULT_PERSISTENCE_CONFIG, REPLY, type BgReply, type PersistenceConfig, type PersistenceDeps, type PersistenceLogger } from './config.js';

export interface StartupLoad {
  readonly source: 'rdb' | 'aof' | 'none';
  readonly rdb: LoadResult | null;
}

export class Persistence {
  config: PersistenceConfig;
  readonly rdb: RdbSaver;
  readonly aof: AofManager;
  readonly #d: PersistenceDeps;
  #bgsaveScheduled = false;
  #pendingEnable = false;
  constructor(config: PersistenceConfig, deps: PersistenceDeps) {
    this.config = config;
    this.#d = deps;
    this.rdb = new RdbSaver(() => this.config, deps);
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
        startSnapshot: (sink, rdbPreamble) => this.rdb.snapshot(sink, { aofBase: true }, rdbPreamble ? undefined : aofFormat),
        writeBaseSync: (write, rdbPreamble) => {
          if (rdbPreamble) this.rdb.writeRdbSync(write, { aofBase: true });
          else this.rdb.writeAofSync(write);
        },
        attach: (w) => deps.propagation.addConsumer(w),
      },
    );
  }

  #nowS(): number {
    return this.rdb.nowS();
  }

  get rdbPath(): string {
    return this.rdb.path;
  }

  get lastSave(): number {
    return this.rdb.lastSave;
  }

  get bgsaveInProgress(): boolean {
    return this.rdb.running !== null;
  }

  /** Any background persistence job (hasActiveChildProcess). */
  get childActive(): boolean {
    return this.rdb.running !== null || this.aof.rewrite.inProgress;
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
        this.rdb.lastLoadLoaded = b.keysLoaded;
        this.rdb.lastLoadExpired = b.keysExpired;
      }
      return { source: loaded ? 'aof' : 'none', rdb: b };
    }
    if (!existsSync(this.rdbPath)) return { source: 'none', rdb: null };
    let r: LoadResult;
    try {
      r = this.loadRdb(this.rdbPath);
    } catch (e) {
      // name the file: start-up prints this and exits non-zero
      if (e instanceof RdbError) throw new RdbError(e.code, `Error loading ${this.rdbPath}: ${e.message}`, undefined, { cause: e });
      throw e;
    }
    ks.replaceAll(r.dbs);
    this.#d.log.notice(`Done loading RDB, keys loaded: ${r.keysLoaded}, keys expired: ${r.keysExpired}.`);
    return { source: 'rdb', rdb: r };
  }

  /** Read an RDB into fresh Maps (not installed). Updates the rdb_last_load_* counters on success. */
  loadRdb(path: string): LoadResult {
    return this.rdb.load(path);
  }

  // ---------------------------------------------------------------- saving

  /** SAVE (rdbSave): blocking write to a temp file, fsync, rename. Throws SaveError. */
  save(): void {
    this.rdb.save();
  }

  /** SAVE command semantics: refused while a BGSAVE runs. */
  saveCommand(): BgReply {
    if (this.rdb.running !== null) return { ok: false, error: REPLY.BGSAVE_IN_PROGRESS };
    try {
      this.save();
      return { ok: true, status: 'OK' };
    } catch {
      return { ok: false, error: REPLY.SAVE_FAILED };
    }
  }

  /** BGSAVE [SCHEDULE] (bgsaveCommand). */
  bgsaveCommand(schedule: boolean): BgReply {
    if (this.rdb.running !== null) return { ok: false, error: REPLY.BGSAVE_IN_PROGRESS };
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

  /** rdbSaveBackground; resolves true when the new dump is in place (see RdbSaver.startBgsave). */
  startBgsave(): Promise<boolean> | null {
    return this.rdb.startBgsave();
  }

  /** Abort a running BGSAVE (killRDBChild): FLUSHALL, shutdown. */
  abortBgsave(): Promise<boolean> | null {
    return this.rdb.abortBgsave();
  }

  /** BGREWRITEAOF (bgrewriteaofCommand). */
  bgrewriteaofCommand(): BgReply {
    if (this.aof.rewrite.inProgress) return { ok: false, error: REPLY.AOFRW_IN_PROGRESS };
    if (this.rdb.running !== null || (this.#d.inExec?.() ?? false)) {
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
    return this.rdb.running?.done ?? null;
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
    if (this.rdb.running !== null) {
      // Redis schedules the rewrite behind the running child; the writer starts with it
      this.aof.rewrite.scheduled = true;
      this.#pendingEnable = true;
      return;
    }
    this.#startRewrite(true);
  }

  /**
   * Install a changed configuration (CONFIG SET): read live from then on; the AOF is started or stopped and the
   * fsync policy switched when those changed. `dir`, `appendfilename` and `appenddirname` take effect at restart.
   */
  reconfigure(next: PersistenceConfig): void {
    const prev = this.config;
    this.config = next;
    if (next.appendfsync !== prev.appendfsync) this.setAppendfsync(next.appendfsync);
    if (next.appendonly !== (this.aof.state !== 'off')) this.setAppendonly(next.appendonly);
    this.aof.settings.useRdbPreamble = next.aofUseRdbPreamble;
  }

  /**
   * A replica replaced its whole dataset from its master (restartAOFAfterSYNC): the AOF describes the old data,
   * so it is closed and started again from a rewrite of the new dataset. No-op with appendonly no.
   */
  restartAofAfterSync(): void {
    if (!this.config.appendonly) return;
    this.aof.stop();
    this.#startRewrite(true);
  }

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
    if (this.config.stopWritesOnBgsaveError && this.config.savePoints.length > 0 && !this.rdb.lastBgsaveOk) return REPLY.MISCONF_RDB;
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
      { dirty: this.#d.keyspace.dirty, lastSave: this.rdb.lastSave, lastBgsaveTry: this.rdb.lastBgsaveTry, lastBgsaveOk: this.rdb.lastBgsaveOk },
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
    const b = this.rdb.running;
    const a = this.aof;
    const w = a.writer;
    return {
      dirty: this.#d.keyspace.dirty,
      bgsaveInProgress: b !== null,
      lastSave: this.rdb.lastSave,
      lastBgsaveOk: this.rdb.lastBgsaveOk,
      lastBgsaveTimeSec: this.rdb.lastBgsaveTimeSec,
      currentBgsaveTimeSec: b !== null ? now - b.startedAt : -1,
      rdbSaves: this.rdb.rdbSaves,
      saveKeysProcessed: b?.snapshot.progress.keysProcessed ?? 0,
      saveKeysTotal: b?.snapshot.progress.keysTotal ?? 0,
      lastLoadKeysExpired: this.rdb.lastLoadExpired,
      lastLoadKeysLoaded: this.rdb.lastLoadLoaded,
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
