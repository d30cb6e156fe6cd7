/**
 * Writing persistence files safely, as rdb.c rdbSave does: write a temp file in the same directory, fsync it,
 * rename it over the target, fsync the directory (7.0 fsyncFileDir), so a crash leaves either the old file or the
 * complete new one, never a torn file.
 *
 * FileSink is the asynchronous form used by BGSAVE (chunks queue up and are written with writev while the event
 * loop keeps serving); writeFileAtomicSync is the blocking form used by SAVE and shutdown.
 */
import { closeSync, fsync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, writev } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ChunkPool } from './chunk-pool.js';
import { DEFAULT_CHUNK_SIZE } from './rdb-encoder.js';
import type { SnapshotSink } from './snapshot.js';

const HIGH_WATER = 8 * 1024 * 1024;
const LOW_WATER = 2 * 1024 * 1024;
/** Written chunks kept for the encoder to refill: a few slices' worth in flight (more wait in the queue only under
 *  backpressure, and those are left to the GC once written). */
const POOL_KEEP = 16;

/** fsync a directory so a rename in it is durable (a no-op where directories cannot be opened, e.g. Windows). */
export function fsyncDirSync(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // some filesystems refuse fsync on directories; the rename itself has happened
  } finally {
    closeSync(fd);
  }
}

/**
 * fsyncDirSync off the event loop, for BGSAVE's commit: on this VM's ext4 the directory fsync flushes the device
 * cache (blkdev_issue_flush), 0.2-5.3 ms on the main thread in a perf sched_switch trace of back-to-back BGSAVEs,
 * more under others' I/O. Redis does it in the fork child (rdbSave's fsyncFileDir), never in the server.
 */
async function fsyncDir(dir: string): Promise<void> {
  let h;
  try {
    h = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await h.sync();
  } catch {
    // some filesystems refuse fsync on directories; the rename itself has happened
  } finally {
    await h.close().catch(() => undefined);
  }
}

export class FileSink implements SnapshotSink {
  readonly path: string;
  /** Chunks from this pool are given back once written (see chunk-pool.ts). */
  readonly chunkPool = new ChunkPool(DEFAULT_CHUNK_SIZE, POOL_KEEP);
  readonly #fd: number;
  #queue: Buffer[] = [];
  #queued = 0;
  #writing: Promise<void> | null = null;
  #error: unknown = null;
  #waiters: (() => void)[] = [];
  #written = 0;
  #closed = false;

  /** Opens (truncates) the temp file synchronously, so a snapshot can start in the same event-loop turn. */
  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'w');
  }

  get bytesWritten(): number {
    return this.#written;
  }

  write(chunk: Buffer): void {
    if (chunk.length === 0 || this.#closed) return;
    this.#queue.push(chunk);
    this.#queued += chunk.length;
    this.#writing ??= this.#drain();
  }

  backpressure(): Promise<void> | null {
    if (this.#error !== null) return Promise.reject(this.#error);
    if (this.#queued < HIGH_WATER) return null;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0 && this.#error === null) {
        const batch = this.#queue;
        this.#queue = [];
        let bufs = batch;
        while (bufs.length > 0) {
          const n = await writevAsync(this.#fd, bufs);
          this.#written += n;
          this.#queued -= n;
          bufs = skipBytes(bufs, n);
        }
        for (const b of batch) this.chunkPool.give(b);
        if (this.#queued < LOW_WATER) this.#wake();
      }
    } catch (e) {
      this.#error = e;
      this.#wake();
    } finally {
      this.#writing = null;
    }
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  async #settle(): Promise<void> {
    while (this.#writing !== null) await this.#writing;
    if (this.#queue.length > 0 && this.#error === null) await (this.#writing = this.#drain());
  }

  /** Wait for every queued byte, fsync, close; then rename onto `target` and fsync the directory. */
  async commit(target: string): Promise<void> {
    try {
      await this.#settle();
      if (this.#error !== null) throw this.#error;
      await new Promise<void>((res, rej) => fsync(this.#fd, (e) => (e ? rej(e) : res())));
    } catch (e) {
      await this.discard();
      throw e;
    }
    this.#closed = true;
    closeSync(this.#fd);
    try {
      await rename(this.path, target);
    } catch (e) {
      await unlink(this.path).catch(() => undefined);
      throw e;
    }
    await fsyncDir(dirname(target));
  }

  /** Give up: close and remove the temp file (rdbRemoveTempFile). */
  async discard(): Promise<void> {
    this.#error ??= new Error('discarded');
    await this.#settle().catch(() => undefined);
    if (!this.#closed) {
      this.#closed = true;
      try {
        closeSync(this.#fd);
      } catch {
        // already closed
      }
    }
    await unlink(this.path).catch(() => undefined);
  }
}

function writevAsync(fd: number, bufs: Buffer[]): Promise<number> {
  return new Promise((res, rej) => writev(fd, bufs, (e, n) => (e ? rej(e) : res(n))));
}

function skipBytes(bufs: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < bufs.length && n >= bufs[i]!.length) {
    n -= bufs[i]!.length;
    i++;
  }
  if (i >= bufs.length) return [];
  const rest = bufs.slice(i);
  if (n > 0) rest[0] = rest[0]!.subarray(n);
  return rest;
}

/**
 * Blocking atomic write: `produce` receives a write function and emits the content in chunks. On any failure the
 * temp file is removed and the error rethrown; the target is untouched.
 */
export function writeFileAtomicSync(target: string, temp: string, produce: (write: (chunk: Buffer) => void) => void): number {
  const fd = openSync(temp, 'w');
  let total = 0;
  try {
    produce((chunk) => {
      let off = 0;
      while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
      total += chunk.length;
    });
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(temp);
    } catch {
      // never created or already gone
    }
    throw e;
  }
  try {
    renameSync(temp, target);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // gone
    }
    throw e;
  }
  fsyncDirSync(dirname(target));
  return total;
}
