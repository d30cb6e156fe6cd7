import { constants } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { atomicWriteFile, FileWriteError, type AtomicFs } from '../../../src/common/atomic-write.js';

/**
 * An in-memory file system with a crash model: file data becomes durable only on fsync(file), and names
 * (create, rename, unlink) only on fsync(directory). `crashView(path)` is what a machine that lost power right
 * now would show after reboot. Every operation is counted so a failure can be injected at any step.
 */
class CrashFs implements AtomicFs {
  private inodes = new Map<number, { data: Buffer; durable: Buffer }>();
  private names = new Map<string, number>();
  private durableNames = new Map<string, number>();
  private fds = new Map<number, { ino: number | 'dir' }>();
  private nextIno = 1;
  private nextFd = 10;
  readonly ops: string[] = [];
  /** Called before each operation; throw from it to inject a failure. */
  beforeOp: (op: string, n: number) => void = () => {};
  /** Called after each operation (to check crash consistency at every point). */
  afterOp: () => void = () => {};

  constructor(files: Record<string, string>) {
    for (const [path, content] of Object.entries(files)) {
      const ino = this.nextIno++;
      this.inodes.set(ino, { data: Buffer.from(content, 'latin1'), durable: Buffer.from(content, 'latin1') });
      this.names.set(path, ino);
      this.durableNames.set(path, ino);
    }
  }

  private op<T>(name: string, f: () => T): T {
    this.beforeOp(name, this.ops.length);
    this.ops.push(name);
    const r = f();
    this.afterOp();
    return r;
  }

  /** Volatile view (what a running process reads). */
  read(path: string): string | undefined {
    const ino = this.names.get(path);
    return ino === undefined ? undefined : this.inodes.get(ino)!.data.toString('latin1');
  }

  crashView(path: string): string | undefined {
    const ino = this.durableNames.get(path);
    return ino === undefined ? undefined : this.inodes.get(ino)!.durable.toString('latin1');
  }

  paths(): string[] {
    return [...this.names.keys()].sort();
  }

  open(path: string, flags: number): number {
    return this.op('open', () => {
      if (path === '/d' && (flags & constants.O_WRONLY) === 0) {
        const fd = this.nextFd++;
        this.fds.set(fd, { ino: 'dir' });
        return fd;
      }
      let ino = this.names.get(path);
      if (ino !== undefined && (flags & constants.O_EXCL) !== 0) throw errno('EEXIST');
      if (ino === undefined) {
        if ((flags & constants.O_CREAT) === 0) throw errno('ENOENT');
        ino = this.nextIno++;
        this.inodes.set(ino, { data: Buffer.alloc(0), durable: Buffer.alloc(0) });
        this.names.set(path, ino);
      }
      const fd = this.nextFd++;
      this.fds.set(fd, { ino });
      return fd;
    });
  }

  write(fd: number, data: Uint8Array, offset: number, length: number, position: number): number {
    return this.op('write', () => {
      const node = this.inode(fd);
      // Short writes happen; write at most 7 bytes per call to exercise the loop.
      const n = Math.min(length, 7);
      const end = position + n;
      if (node.data.length < end) node.data = Buffer.concat([node.data, Buffer.alloc(end - node.data.length)]);
      Buffer.from(data.buffer, data.byteOffset + offset, n).copy(node.data, position);
      return n;
    });
  }

  fsync(fd: number): void {
    this.op('fsync', () => {
      const f = this.fds.get(fd);
      if (f === undefined) throw errno('EBADF');
      if (f.ino === 'dir') this.durableNames = new Map(this.names);
      else this.inodes.get(f.ino)!.durable = Buffer.from(this.inodes.get(f.ino)!.data);
    });
  }

  ftruncate(fd: number, length: number): void {
    this.op('ftruncate', () => {
      const node = this.inode(fd);
      node.data = node.data.subarray(0, length);
    });
  }

  close(fd: number): void {
    this.op('close', () => {
      if (!this.fds.delete(fd)) throw errno('EBADF');
    });
  }

  rename(from: string, to: string): void {
    this.op('rename', () => {
      const ino = this.names.get(from);
      if (ino === undefined) throw errno('ENOENT');
      this.names.delete(from);
      this.names.set(to, ino);
    });
  }

  unlink(path: string): void {
    this.op('unlink', () => {
      if (!this.names.delete(path)) throw errno('ENOENT');
    });
  }

  private inode(fd: number): { data: Buffer; durable: Buffer } {
    const f = this.fds.get(fd);
    if (f === undefined || f.ino === 'dir') throw errno('EBADF');
    return this.inodes.get(f.ino)!;
  }
}

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

const OLD = 'port 6379\n# old version, long enough to span several writes\n';
const NEW = 'port 7000\nsentinel monitor mymaster 10.0.0.1 6379 2\n# new\n';
const TARGET = '/d/sentinel.conf';
const suffix = (): string => 'tmp001';

describe('atomicWriteFile', () => {
  it('replaces the file and leaves no temp file', () => {
    const fs = new CrashFs({ [TARGET]: OLD });
    const r = atomicWriteFile(TARGET, NEW, { fs, tempSuffix: suffix });
    expect(r).toEqual({ mode: 'rename', warnings: [] });
    expect(fs.read(TARGET)).toBe(NEW);
    expect(fs.crashView(TARGET)).toBe(NEW);
    expect(fs.paths()).toEqual([TARGET]);
    // temp → write… → fsync → close → rename → fsync(dir)
    expect(fs.ops.filter((o) => o !== 'write')).toEqual(['open', 'fsync', 'close', 'rename', 'open', 'fsync', 'close']);
  });

  it('a crash after any step leaves the complete old or the complete new file', () => {
    const fs = new CrashFs({ [TARGET]: OLD });
    const seen = new Set<string | undefined>();
    fs.afterOp = () => {
      const v = fs.crashView(TARGET);
      seen.add(v);
      expect([OLD, NEW]).toContain(v);
    };
    atomicWriteFile(TARGET, NEW, { fs, tempSuffix: suffix });
    expect(seen).toEqual(new Set([OLD, NEW]));
  });

  it('the crash model catches a writer that skips fsync before rename (the test can fail)', () => {
    const fs = new CrashFs({ [TARGET]: OLD });
    const views: Array<string | undefined> = [];
    fs.afterOp = () => views.push(fs.crashView(TARGET));
    const fd = fs.open('/d/tmp', constants.O_WRONLY | constants.O_CREAT);
    const buf = Buffer.from(NEW);
    for (let off = 0; off < buf.length; ) off += fs.write(fd, buf, off, buf.length - off, off);
    fs.close(fd);
    fs.rename('/d/tmp', TARGET);
    const dfd = fs.open('/d', constants.O_RDONLY);
    fs.fsync(dfd);
    expect(views.at(-1)).toBe(''); // renamed, but the data never reached the disk: a torn (empty) config
  });

  it('a failure at any step before the rename keeps the old file and removes the temp file', () => {
    const probe = new CrashFs({ [TARGET]: OLD });
    atomicWriteFile(TARGET, NEW, { fs: probe, tempSuffix: suffix });
    const renameAt = probe.ops.indexOf('rename');
    for (let n = 0; n <= renameAt; n++) {
      const fs = new CrashFs({ [TARGET]: OLD });
      let injected = false;
      fs.beforeOp = (_op, i) => {
        if (i === n && !injected) {
          injected = true;
          throw errno('ENOSPC');
        }
      };
      let err: unknown;
      try {
        atomicWriteFile(TARGET, NEW, { fs, tempSuffix: suffix });
      } catch (e) {
        err = e;
      }
      expect(err, `failure at op ${n} (${probe.ops[n]})`).toBeInstanceOf(FileWriteError);
      const fe = err as FileWriteError;
      expect(fe.errno).toBe('ENOSPC');
      expect(fe.path).toBe(TARGET);
      expect(fe.code).toBe('EFILEWRITE');
      expect(fs.read(TARGET)).toBe(OLD);
      expect(fs.crashView(TARGET)).toBe(OLD);
      expect(fs.paths()).toEqual([TARGET]);
    }
  });

  it('names the failed step and errno in the error message', () => {
    const fs = new CrashFs({ [TARGET]: OLD });
    fs.beforeOp = (op) => {
      if (op === 'open') throw errno('EACCES');
    };
    expect(() => atomicWriteFile(TARGET, NEW, { fs, tempSuffix: suffix })).toThrow(
      'Could not write /d/sentinel.conf (open-temp): Permission denied',
    );
    const rofs = new CrashFs({ [TARGET]: OLD });
    rofs.beforeOp = (op) => {
      if (op === 'rename') throw errno('EROFS');
    };
    expect(() => atomicWriteFile(TARGET, NEW, { fs: rofs, tempSuffix: suffix })).toThrow(/\(rename\): Read-only file system/);
  });

  it('a failed directory fsync after the rename is a warning, not an error', () => {
    const fs = new CrashFs({ [TARGET]: OLD });
    let opens = 0;
    fs.beforeOp = (op) => {
      if (op === 'open' && ++opens === 2) throw errno('EINVAL');
    };
    const r = atomicWriteFile(TARGET, NEW, { fs, tempSuffix: suffix });
    expect(r.mode).toBe('rename');
    expect(r.warnings).toEqual(['Could not fsync directory /d: Invalid argument']);
    expect(fs.read(TARGET)).toBe(NEW);
  });

  it('retries the temp name when it already exists', () => {
    const fs = new CrashFs({ [TARGET]: OLD, '/d/sentinel.conf.aaaaaa': 'someone else' });
    const names = ['aaaaaa', 'bbbbbb'];
    atomicWriteFile(TARGET, NEW, { fs, tempSuffix: () => names.shift()! });
    expect(fs.read('/d/sentinel.conf.aaaaaa')).toBe('someone else');
    expect(fs.read(TARGET)).toBe(NEW);
  });

  for (const code of ['EBUSY', 'EXDEV']) {
    it(`falls back to an in-place write when rename fails with ${code} (single-file bind mount)`, () => {
      const longOld = OLD.repeat(5);
      const fs = new CrashFs({ [TARGET]: longOld });
      fs.beforeOp = (op) => {
        if (op === 'rename') throw errno(code);
      };
      const r = atomicWriteFile(TARGET, NEW, { fs, tempSuffix: suffix });
      expect(r).toEqual({ mode: 'in-place', renameError: code, warnings: [] });
      expect(fs.read(TARGET)).toBe(NEW); // truncated to the new length
      expect(fs.crashView(TARGET)).toBe(NEW); // fsynced
      expect(fs.paths()).toEqual([TARGET]);
    });
  }

  it('reports a failing in-place fallback as a FileWriteError at step in-place', () => {
    const fs = new CrashFs({ [TARGET]: OLD });
    fs.beforeOp = (op) => {
      if (op === 'rename') throw errno('EBUSY');
      if (op === 'ftruncate') throw errno('EIO');
    };
    let err: unknown;
    try {
      atomicWriteFile(TARGET, NEW, { fs, tempSuffix: suffix });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FileWriteError);
    expect((err as FileWriteError).step).toBe('in-place');
  });

  it('writes byte strings as bytes (latin1)', () => {
    const fs = new CrashFs({});
    atomicWriteFile('/d/x.conf', 'requirepass "\xff\x00"\n', { fs, tempSuffix: suffix });
    expect(Buffer.from(fs.read('/d/x.conf')!, 'latin1')).toEqual(
      Buffer.from([...Buffer.from('requirepass "'), 0xff, 0x00, ...Buffer.from('"\n')]),
    );
  });
});
