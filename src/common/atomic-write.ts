/**
 * Replacing a file so that a crash at any point leaves either the complete old or the complete new content
 * (config.c rewriteConfigOverwriteFile + fsyncFileDir, as sentinelFlushConfig relies on):
 *
 *   temp file in the same directory (O_EXCL) → write all → fsync → close → rename over the target → fsync dir.
 *
 * The fsync before rename matters: without it a crash can leave the renamed file empty or partial (the data is
 * not on disk yet while the rename is). The directory fsync makes the rename itself durable.
 *
 * When the target is a single-file bind mount (Docker/Kubernetes `-v host.conf:/etc/sentinel.conf`), rename()
 * fails with EBUSY (or EXDEV), which made Redis sentinels fail every flush (redis/docker-library-redis#287). Then
 * we fall back to rewriting the file in place: open without truncation, write from offset 0, truncate to the new
 * length, fsync. That write is NOT atomic — a crash in the middle can leave a mix — so the result says
 * `mode: 'in-place'` and the caller logs a warning and counts it in a metric.
 *
 * Failures before the rename leave the target untouched and remove the temp file; they throw FileWriteError
 * with the path, the step and the errno code (EACCES, ENOSPC, EROFS, …).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  ftruncateSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TsentinelError } from './errors.js';
import { errnoCode, strerror } from './config/os-errors.js';

/** The file-system calls an atomic write makes; a narrow port so tests can fail or "crash" at every step. */
export interface AtomicFs {
  open(path: string, flags: number, mode?: number): number;
  /** Writes `length` bytes of `data` from `offset` at file `position`; returns bytes written (may be short). */
  write(fd: number, data: Uint8Array, offset: number, length: number, position: number): number;
  fsync(fd: number): void;
  ftruncate(fd: number, length: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
}

export const nodeAtomicFs: AtomicFs = {
  open: (path, flags, mode) => openSync(path, flags, mode),
  write: (fd, data, offset, length, position) => writeSync(fd, data, offset, length, position),
  fsync: (fd) => fsyncSync(fd),
  ftruncate: (fd, length) => ftruncateSync(fd, length),
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => unlinkSync(path),
};

export type WriteStep = 'open-temp' | 'write' | 'fsync' | 'close' | 'rename' | 'in-place' | 'fsync-dir';

export interface AtomicWriteResult {
  /** `rename`: atomic replace. `in-place`: rename was impossible (EBUSY/EXDEV) and the file was overwritten. */
  readonly mode: 'rename' | 'in-place';
  /** The errno of the failed rename that caused the in-place fallback. */
  readonly renameError?: string;
  /** Non-fatal problems after the new content was in place (a directory fsync some file systems refuse). */
  readonly warnings: readonly string[];
}

/** Writing a file failed; the old content is intact unless `step` is `in-place`. */
export class FileWriteError extends TsentinelError {
  readonly path: string;
  readonly step: WriteStep;
  /** The errno code (`EACCES`, `ENOSPC`, `EROFS`, …) when the cause was a system error. */
  readonly errno: string | undefined;

  constructor(path: string, step: WriteStep, cause: unknown) {
    super('EFILEWRITE', `Could not write ${path} (${step}): ${strerror(cause)}`, { cause });
    this.path = path;
    this.step = step;
    this.errno = errnoCode(cause);
  }
}

export interface AtomicWriteOptions {
  readonly fs?: AtomicFs;
  /** Temp-file suffix generator (tests make it deterministic); default 6 random hex chars, like mkstemp's XXXXXX. */
  readonly tempSuffix?: () => string;
  /** Mode for a newly created file, before umask (Redis: 0644). */
  readonly mode?: number;
}

const RENAME_FALLBACK = new Set(['EBUSY', 'EXDEV']);
const TEMP_ATTEMPTS = 8;

/** Replaces `path` with `data` (see the header for the guarantees). Synchronous: callers persist before they speak. */
export function atomicWriteFile(path: string, data: Uint8Array | string, opts: AtomicWriteOptions = {}): AtomicWriteResult {
  const fs = opts.fs ?? nodeAtomicFs;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const mode = opts.mode ?? 0o644;
  const suffix = opts.tempSuffix ?? (() => randomBytes(3).toString('hex'));
  const dir = dirname(path);

  let tmp = '';
  let fd = -1;
  for (let attempt = 0; fd < 0; attempt++) {
    tmp = join(dir, `${basename(path)}.${suffix()}`);
    try {
      fd = fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    } catch (err) {
      if (errnoCode(err) === 'EEXIST' && attempt + 1 < TEMP_ATTEMPTS) continue;
      throw new FileWriteError(path, 'open-temp', err);
    }
  }

  let step: WriteStep = 'write';
  try {
    writeAll(fs, fd, bytes);
    step = 'fsync';
    fs.fsync(fd);
  } catch (err) {
    closeQuietly(fs, fd);
    unlinkQuietly(fs, tmp);
    throw new FileWriteError(path, step, err);
  }
  try {
    fs.close(fd);
  } catch (err) {
    unlinkQuietly(fs, tmp);
    throw new FileWriteError(path, 'close', err);
  }

  try {
    fs.rename(tmp, path);
  } catch (err) {
    unlinkQuietly(fs, tmp);
    const code = errnoCode(err);
    if (code === undefined || !RENAME_FALLBACK.has(code)) throw new FileWriteError(path, 'rename', err);
    writeInPlace(fs, path, bytes, mode);
    return { mode: 'in-place', renameError: code, warnings: [] };
  }

  const warnings: string[] = [];
  try {
    fsyncDir(fs, dir);
  } catch (err) {
    warnings.push(`Could not fsync directory ${dir}: ${strerror(err)}`);
  }
  return { mode: 'rename', warnings };
}

function writeAll(fs: AtomicFs, fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    const n = fs.write(fd, bytes, off, bytes.length - off, off);
    if (n <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    off += n;
  }
}

/** The EBUSY/EXDEV fallback: the file keeps its inode (and bind mount), so no rename is needed. */
function writeInPlace(fs: AtomicFs, path: string, bytes: Uint8Array, mode: number): void {
  let fd: number;
  try {
    fd = fs.open(path, constants.O_WRONLY | constants.O_CREAT, mode);
  } catch (err) {
    throw new FileWriteError(path, 'in-place', err);
  }
  try {
    writeAll(fs, fd, bytes);
    fs.ftruncate(fd, bytes.length);
    fs.fsync(fd);
  } catch (err) {
    closeQuietly(fs, fd);
    throw new FileWriteError(path, 'in-place', err);
  }
  try {
    fs.close(fd);
  } catch (err) {
    throw new FileWriteError(path, 'in-place', err);
  }
}

function fsyncDir(fs: AtomicFs, dir: string): void {
  const fd = fs.open(dir, constants.O_RDONLY);
  try {
    fs.fsync(fd);
  } finally {
    closeQuietly(fs, fd);
  }
}

function closeQuietly(fs: AtomicFs, fd: number): void {
  try {
    fs.close(fd);
  } catch {
    // already failing; the original error is the one worth reporting
  }
}

function unlinkQuietly(fs: AtomicFs, path: string): void {
  try {
    fs.unlink(path);
  } catch {
    // a leftover temp file is harmless; the original error is the one worth reporting
  }
}
