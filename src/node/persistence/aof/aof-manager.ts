/**
 * The multi-part AOF's life cycle (aof.c, Redis 7.0): opening it at start-up, switching INCR files, the
 * background rewrite, history clean-up, and enabling/disabling at runtime.
 *
 * Rewrite (BGREWRITEAOF, rewriteAppendOnlyFileBackground + backgroundRewriteDoneHandler), fork-free:
 *  1. open a new INCR file and persist a manifest listing it, switch the writer to it;
 *  2. in the same event-loop turn, start a point-in-time Snapshot (the cut between base and INCR is exact);
 *  3. when the snapshot is on disk (temp file, fsync), rename it to the next BASE name, mark the old base and the
 *     older INCR files as history, persist the manifest, then delete the history files.
 * A crash at any point leaves a manifest that lists a complete, consistent set of files.
 *
 * Enabling AOF at runtime (CONFIG SET appendonly yes, startAppendOnly) uses the same cut: the new INCR file
 * starts receiving writes at once, and the manifest naming it is only written once its base exists.
 */
import { closeSync, existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../../common/clock.js';
import { FileSink, writeFileAtomicSync } from '../file-sink.js';
import { SnapshotAborted, type Snapshot } from '../snapshot.js';
import { AofWriter, openAppend, type AppendFsync } from './aof-writer.js';
import {
  cloneManifest,
  emptyManifest,
  formatManifest,
  manifestName,
  markIncrAsHistory,
  newBase,
  newIncr,
  type AofInfo,
  type AofManifest,
} from './manifest.js';

export interface AofSettings {
  dir: string;
  dirname: string;
  filename: string;
  fsync: AppendFsync;
  useRdbPreamble: boolean;
}

export interface AofManagerDeps {
  readonly clock: Clock;
  readonly log: { notice(msg: string): void; warning(msg: string): void };
  /** A point-in-time snapshot of the dataset as an AOF base, started now: an RDB with aux aof-base 1 when
   *  `rdbPreamble`, else AOF commands. */
  readonly startSnapshot: (sink: FileSink, rdbPreamble: boolean) => Snapshot;
  /** Write the whole dataset synchronously as an AOF base (at start-up, when there is no AOF yet). */
  readonly writeBaseSync: (write: (chunk: Buffer) => void, rdbPreamble: boolean) => void;
  /** Attach/detach the writer to the propagation stream. */
  readonly attach: (w: AofWriter) => () => void;
}

export type AofState = 'off' | 'on' | 'wait-rewrite';

export interface RewriteStats {
  inProgress: boolean;
  scheduled: boolean;
  lastOk: boolean;
  rewrites: number;
  consecutiveFailures: number;
  /** aof_last_rewrite_time_sec (-1 before the first) */
  lastTimeSec: number;
  /** Unix seconds when the running rewrite started. */
  startedAt: number;
}

export class AofManager {
  settings: AofSettings;
  manifest: AofManifest = emptyManifest();
  state: AofState = 'off';
  writer: AofWriter | null = null;
  readonly rewrite: RewriteStats = {
    inProgress: false,
    scheduled: false,
    lastOk: true,
    rewrites: 0,
    consecutiveFailures: 0,
    lastTimeSec: -1,
    startedAt: 0,
  };
  /** aof_current_size / aof_base_size (aof_rewrite_base_size). */
  currentSize = 0;
  baseSize = 0;
  readonly #deps: AofManagerDeps;
  #detach: (() => void) | null = null;
  #incr: AofInfo | null = null;
  #running: { snapshot: Snapshot; sink: FileSink } | null = null;
  #sizeAtWriterStart = 0;

  constructor(settings: AofSettings, deps: AofManagerDeps) {
    this.settings = settings;
    this.#deps = deps;
  }

  get dirPath(): string {
    return join(this.settings.dir, this.settings.dirname);
  }

  #path(name: string): string {
    return join(this.dirPath, name);
  }

  /** aof_current_size including what the writer appended. */
  get size(): number {
    return this.currentSize + (this.writer !== null ? this.writer.stats.bytesWritten - this.#sizeAtWriterStart : 0);
  }

  #persistManifest(m: AofManifest): void {
    const body = Buffer.from(formatManifest(m), 'latin1');
    const target = this.#path(manifestName(this.settings.filename));
    const temp = this.#path(`temp-${manifestName(this.settings.filename)}`);
    writeFileAtomicSync(target, temp, (write) => write(body));
  }

  #startWriter(fd: number): void {
    const w = new AofWriter(fd, this.settings.fsync, this.#deps.clock);
    this.writer = w;
    this.#sizeAtWriterStart = 0;
    this.#detach = this.#deps.attach(w);
  }

  /**
   * Old-style single-file AOF (`appendfilename` in `dir`, Redis < 7.0) next to no manifest: move it into the AOF
   * directory as the BASE and write a manifest (aofUpgradePrepare), so it loads like a 7.0 layout.
   */
  upgradeIfNeeded(loaded: AofManifest | null): AofManifest | null {
    const old = join(this.settings.dir, this.settings.filename);
    if (!existsSync(old)) return loaded;
    const m = loaded ?? emptyManifest();
    const single = m.base !== null && m.incr.length === 0 && m.base.name === this.settings.filename && !existsSync(this.#path(this.settings.filename));
    if (!existsSync(this.dirPath) || (m.base === null && m.incr.length === 0) || single) {
      mkdirSync(this.dirPath, { recursive: true });
      const up = emptyManifest();
      up.base = { name: this.settings.filename, seq: 1, type: 'b' };
      up.baseSeq = 1;
      this.#persistManifest(up);
      // rename last: a crash before it leaves the old file where it was and the upgrade is retried
      renameInto(old, this.#path(this.settings.filename));
      this.#deps.log.notice(
        `Successfully migrated an old-style AOF file (${this.settings.filename}) into the AOF directory (${this.settings.dirname}).`,
      );
      return up;
    }
    return loaded;
  }

  /**
   * aofOpenIfNeededOnServerStart: with an empty manifest create a BASE from the (empty or RDB-loaded) dataset,
   * open the last INCR file for appending (or create one), persist the manifest.
   */
  openOnStart(m: AofManifest, loadedSize: number, baseSize: number): void {
    mkdirSync(this.dirPath, { recursive: true });
    this.manifest = m;
    if (m.base === null && m.incr.length === 0) {
      const pre = this.settings.useRdbPreamble;
      const base = newBase(m, this.settings.filename, pre);
      writeFileAtomicSync(this.#path(base.name), this.#path(`temp-${base.name}`), (write) => this.#deps.writeBaseSync(write, pre));
      this.#deps.log.notice(`Creating AOF base file ${base.name} on server start`);
    }
    const existing = m.incr.length > 0;
    const incr = existing ? m.incr[m.incr.length - 1]! : newIncr(m, this.settings.filename);
    const fd = openAppend(this.#path(incr.name));
    this.#incr = incr;
    this.#persistManifest(m);
    this.currentSize = loadedSize;
    this.baseSize = baseSize;
    this.state = 'on';
    this.#startWriter(fd);
    this.#deps.log.notice(`${existing ? 'Opening' : 'Creating'} AOF incr file ${incr.name} on server start`);
  }

  /**
   * BGREWRITEAOF, or (with `enabling`) CONFIG SET appendonly yes. Switches INCR files and starts the snapshot in
   * this same turn; resolves when the new base is in the manifest. Throws synchronously when the new INCR file
   * or the manifest cannot be written (nothing changed then).
   */
  startRewrite(nowS: number, enabling = false): Promise<void> {
    mkdirSync(this.dirPath, { recursive: true });
    const temp = cloneManifest(this.manifest);
    if (this.state === 'on' || enabling) {
      const incr = newIncr(temp, this.settings.filename);
      const fd = openAppend(this.#path(incr.name));
      if (enabling) {
        // the manifest naming this INCR is written only once its base exists (AOF_WAIT_REWRITE)
        this.state = 'wait-rewrite';
        this.currentSize = 0;
        this.#startWriter(fd);
      } else {
        try {
          this.#persistManifest(temp); // the manifest names the new INCR before anything goes into it
        } catch (e) {
          closeQuietly(fd);
          unlinkQuietly(this.#path(incr.name));
          throw e;
        }
        this.currentSize = this.size;
        this.writer!.switchTo(fd);
        this.#sizeAtWriterStart = this.writer!.stats.bytesWritten;
      }
      this.manifest = temp;
      this.#incr = incr;
      this.#deps.log.notice(`Creating AOF incr file ${incr.name} on background rewrite`);
    }
    const sink = new FileSink(this.#path(`temp-rewriteaof-bg-${process.pid}.aof`));
    const preamble = this.settings.useRdbPreamble;
    const snapshot = this.#deps.startSnapshot(sink, preamble);
    this.#running = { snapshot, sink };
    this.rewrite.inProgress = true;
    this.rewrite.scheduled = false;
    this.rewrite.startedAt = nowS;
    this.#deps.log.notice('Background append only file rewriting started');
    const done = snapshot.run().then(
      () => this.#finish(sink, preamble),
      async (e: unknown) => {
        await sink.discard();
        this.#failed(e);
        throw e;
      },
    );
    this.#done = done;
    return done;
  }

  /** The running rewrite's completion, or null. */
  get running(): Promise<void> | null {
    return this.#running !== null ? this.#done : null;
  }

  #done: Promise<void> | null = null;

  async #finish(sink: FileSink, rdbPreamble: boolean): Promise<void> {
    const m = cloneManifest(this.manifest);
    const base = newBase(m, this.settings.filename, rdbPreamble);
    markIncrAsHistory(m, this.state === 'off' ? null : this.#incr);
    const basePath = this.#path(base.name);
    try {
      await sink.commit(basePath);
      this.#persistManifest(m);
    } catch (e) {
      unlinkQuietly(basePath);
      this.#failed(e);
      throw e;
    }
    this.manifest = m;
    if (this.state === 'wait-rewrite') this.state = 'on';
    const now = Math.floor(this.#deps.clock.now() / 1000);
    this.rewrite.inProgress = false;
    this.rewrite.lastOk = true;
    this.rewrite.rewrites++;
    this.rewrite.consecutiveFailures = 0;
    this.rewrite.lastTimeSec = now - this.rewrite.startedAt;
    this.#running = null;
    this.baseSize = fileSize(basePath) + (this.writer !== null ? this.writer.stats.bytesWritten - this.#sizeAtWriterStart : 0);
    this.currentSize = this.baseSize;
    if (this.writer !== null) this.#sizeAtWriterStart = this.writer.stats.bytesWritten;
    this.#deps.log.notice('Background AOF rewrite finished successfully');
    this.#deleteHistory();
  }

  #failed(e: unknown): void {
    this.rewrite.inProgress = false;
    this.rewrite.lastTimeSec = Math.floor(this.#deps.clock.now() / 1000) - this.rewrite.startedAt;
    this.#running = null;
    if (e instanceof SnapshotAborted) {
      // killAppendOnlyChild uses SIGUSR1, which Redis does not count as a failed rewrite
      this.#deps.log.warning('Background AOF rewrite terminated by abort');
    } else {
      this.rewrite.lastOk = false;
      this.rewrite.consecutiveFailures++;
      this.#deps.log.warning(`Background AOF rewrite failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (this.state === 'wait-rewrite') {
      // enabling failed: back to off, the half-started INCR is not in any manifest on disk
      this.#stopWriter();
      this.state = 'off';
    }
  }

  /** aofDelHistoryFiles */
  #deleteHistory(): void {
    if (this.manifest.history.length === 0) return;
    for (const h of this.manifest.history) {
      this.#deps.log.notice(`Removing the history file ${h.name} in the background`);
      unlinkQuietly(this.#path(h.name));
    }
    this.manifest = { ...cloneManifest(this.manifest), history: [] };
    try {
      this.#persistManifest(this.manifest);
    } catch (e) {
      this.#deps.log.warning(`Failed to persist the AOF manifest after removing history files: ${String(e)}`);
    }
  }

  /** Abort a running rewrite (appendonly no, FLUSHALL in Redis kills the child, shutdown). */
  abortRewrite(): void {
    const r = this.#running;
    if (r === null) return;
    r.snapshot.abort();
  }

  #stopWriter(): void {
    this.#detach?.();
    this.#detach = null;
    this.writer?.close();
    this.writer = null;
  }

  /** stopAppendOnly: flush, fsync and close the INCR file; the files and manifest stay. */
  stop(): void {
    this.abortRewrite();
    this.currentSize = this.size;
    this.#stopWriter();
    this.state = 'off';
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

function renameInto(from: string, to: string): void {
  renameSync(from, to);
}


export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
