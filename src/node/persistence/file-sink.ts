/**
 * Writing persistence files safely, as rdb.c rdbSave does: write a temp file in the same directory, fsync it,
 * rename it over the target, fsync the directory (7.0 fsyncFileDir), so a crash leaves either the old file or the
 * complete new one, never a torn file.
 *
 * FileSink is the asynchronous form used by BGSAVE (chunks queue up and are written with writev while the event
 * loop keeps serving); writeFileAtomicSync is the blocking form used by SAVE and shutdown.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SnapshotSink } from './snapshot.js';

const HIGH_WATER = 8 * 1024 * 1024;
const LOW_WATER = 2 * 1024 * 1024;

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

export class FileSink implements SnapshotSink {
  readonly path: string;
  readonly #fh: FileHandle;
  #queue: Buffer[] = [];
  #queued = 0;
  #writing: Promise<void> | null = null;
  #error: unknown = null;
  #waiters: (() => void)[] = [];
  #written = 0;

  private constructor(path: string, fh: FileHandle) {
    this.path = path;
    this.#fh = fh;
  }

  static async create(path: string): Promise<FileSink> {
    return new FileSink(path, await open(path, 'w'));
  }

  get bytesWritten(): number {
    return this.#written;
  }

  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
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
          const { bytesWritten } = await this.#fh.writev(bufs);
          this.#written += bytesWritten;
          this.#queued -= bytesWritten;
          bufs = skipBytes(bufs, bytesWritten);
        }
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

  /** Wait for every queued byte, fsync, close; then rename onto `target` and fsync the directory. */
  async commit(target: string): Promise<void> {
    while (this.#writing !== null) await this.#writing;
    if (this.#queue.length > 0) await (this.#writing = this.#drain());
    if (this.#error !== null) throw this.#error;
    await this.#fh.sync();
    await this.#fh.close();
    await rename(this.path, target);
    fsyncDirSync(dirname(target));
  }

  /** Give up: close and remove the temp file (rdbRemoveTempFile). */
  async discard(): Promise<void> {
    this.#error ??= new Error('discarded');
    while (this.#writing !== null) await this.#writing.catch(() => undefined);
    await this.#fh.close().catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }
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
