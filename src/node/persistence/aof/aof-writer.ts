/**
 * Appending propagated commands to the current INCR file (aof.c feedAppendOnlyFile / flushAppendOnlyFile):
 *
 *  - each execution unit is turned into its command sequence (SELECT when the db changes, MULTI/EXEC around
 *    multi-op units) and buffered;
 *  - `appendfsync always`: the buffer is written and fsync'ed before propagate() returns, i.e. before the reply of
 *    the command is sent — an acknowledged write survives kill -9 and power loss;
 *  - `everysec`: written at the end of the event-loop turn, fsync'ed in the background at most once per second;
 *  - `no`: written at the end of the turn, the kernel decides when to flush.
 *
 * A failed write keeps the data buffered and sets aof_last_write_status:err; writes are then refused with MISCONF
 * until a write succeeds again (Redis's AOF error handling for everysec; with `always` Redis exits, we refuse).
 */
import { closeSync, fsync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { Clock } from '../../../common/clock.js';
import { encodeCommand, toCommandSequence, type PropagatedCommand, type PropagationConsumer } from '../../propagation.js';

export type AppendFsync = 'always' | 'everysec' | 'no';

export interface AofWriterStats {
  /** Bytes appended through this writer since it was opened (added to aof_current_size by the owner). */
  bytesWritten: number;
  lastWriteOk: boolean;
  lastWriteError: string | null;
  /** aof_delayed_fsync: times an everysec fsync was still running when the next was due. */
  delayedFsync: number;
}

export class AofWriter implements PropagationConsumer {
  readonly stats: AofWriterStats = { bytesWritten: 0, lastWriteOk: true, lastWriteError: null, delayedFsync: 0 };
  fsyncPolicy: AppendFsync;
  readonly #clock: Clock;
  #fd: number;
  #selectedDb = -1;
  #buf: Buffer[] = [];
  #bufLen = 0;
  #flushScheduled = false;
  #fsyncInFlight = false;
  #lastFsync = 0;
  #unsyncedBytes = 0;
  #closed = false;

  constructor(fd: number, fsyncPolicy: AppendFsync, clock: Clock) {
    this.#fd = fd;
    this.fsyncPolicy = fsyncPolicy;
    this.#clock = clock;
    this.#lastFsync = clock.monotonic();
  }

  /** aof_buffer_length */
  get bufferLength(): number {
    return this.#bufLen;
  }

  /** aof_pending_bio_fsync */
  get fsyncPending(): boolean {
    return this.#fsyncInFlight;
  }

  propagate(unit: readonly PropagatedCommand[]): void {
    if (this.#closed) return;
    const { argvs, selectedDb } = toCommandSequence(unit, this.#selectedDb);
    this.#selectedDb = selectedDb;
    for (const argv of argvs) {
      const b = encodeCommand(argv);
      this.#buf.push(b);
      this.#bufLen += b.length;
    }
    if (this.fsyncPolicy === 'always') {
      this.flush(true);
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        this.flush(false);
      });
    }
  }

  /** Write buffered commands; with `always` (or `force`) also fsync now. Returns false on a write error. */
  flush(syncNow: boolean): boolean {
    if (this.#bufLen > 0 && !this.#closed) {
      const data = this.#buf.length === 1 ? this.#buf[0]! : Buffer.concat(this.#buf, this.#bufLen);
      let off = 0;
      try {
        while (off < data.length) off += writeSync(this.#fd, data, off, data.length - off);
      } catch (e) {
        // keep what was not written for the next attempt (Redis trims the written part of aof_buf)
        const rest = data.subarray(off);
        this.#buf = rest.length > 0 ? [rest] : [];
        this.#bufLen = rest.length;
        this.stats.bytesWritten += off;
        this.stats.lastWriteOk = false;
        this.stats.lastWriteError = e instanceof Error ? e.message : String(e);
        return false;
      }
      this.#buf = [];
      this.#bufLen = 0;
      this.stats.bytesWritten += data.length;
      this.#unsyncedBytes += data.length;
      this.stats.lastWriteOk = true;
      this.stats.lastWriteError = null;
    }
    if (this.#closed || this.#unsyncedBytes === 0) return true;
    if (syncNow || this.fsyncPolicy === 'always') {
      try {
        fsyncSync(this.#fd);
        this.#unsyncedBytes = 0;
        this.#lastFsync = this.#clock.monotonic();
      } catch (e) {
        this.stats.lastWriteOk = false;
        this.stats.lastWriteError = e instanceof Error ? e.message : String(e);
        return false;
      }
    } else if (this.fsyncPolicy === 'everysec') {
      this.#maybeBackgroundFsync();
    }
    return true;
  }

  /** Called from the server cron (and after writes): the everysec background fsync. */
  tick(): void {
    if (this.fsyncPolicy === 'everysec') this.#maybeBackgroundFsync();
  }

  #maybeBackgroundFsync(): void {
    if (this.#unsyncedBytes === 0) return;
    const now = this.#clock.monotonic();
    if (now - this.#lastFsync < 1000) return;
    if (this.#fsyncInFlight) {
      this.stats.delayedFsync++;
      return;
    }
    this.#fsyncInFlight = true;
    this.#unsyncedBytes = 0;
    this.#lastFsync = now;
    fsync(this.#fd, (err) => {
      this.#fsyncInFlight = false;
      if (err !== null) {
        this.stats.lastWriteOk = false;
        this.stats.lastWriteError = err.message;
      }
    });
  }

  /**
   * Switch to another file (a new INCR file at rewrite start): flush and fsync the old one, close it, and force
   * a SELECT as the first command of the new file (rewriteAppendOnlyFileBackground sets aof_selected_db = -1).
   */
  switchTo(fd: number): void {
    this.flush(true);
    const old = this.#fd;
    this.#fd = fd;
    this.#selectedDb = -1;
    this.#unsyncedBytes = 0;
    closeQuietly(old);
  }

  /** Flush, fsync and close (shutdown, appendonly no). */
  close(): void {
    if (this.#closed) return;
    this.flush(true);
    this.#closed = true;
    closeQuietly(this.#fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/** Open an INCR file for appending (O_WRONLY|O_APPEND|O_CREAT). */
export function openAppend(path: string): number {
  return openSync(path, 'a');
}
