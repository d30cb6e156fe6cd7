/**
 * Reads and writes of one client socket. Two ways, the same behaviour:
 *
 * - `stream`: net.Socket's `data` events and `write()`.
 * - `handle`: the socket's libuv handle directly — its `onread` hook and `writeBuffer` — skipping the Readable and
 *   Writable state machines. Unpipelined, a request costs a Node server one read and one write; the stream
 *   machinery around them was ~2 µs of CPU per request of a bare server's ~7 µs of user time (measured with
 *   /proc CPU times under `redis-benchmark -c 50 -P 1`, bench/node-floor-server.ts against the same server on the
 *   handle), a large part of tredis's gap to redis-server at `-P 1` (BENCHMARKS.md, tredis).
 *
 * The handle path relies on Node internals: `socket._handle`, its `onread`/`writeBuffer`, and
 * `process.binding('stream_wrap')` (WriteWrap and the shared streamBaseState that carries nread and the write
 * result). Everything is checked once at start-up and per socket; if anything is missing or shaped differently (a
 * Node version that changed them), or `TREDIS_SOCKET_IO=stream` is set, every connection uses the stream path.
 *
 * The stream stays the owner of the socket's life: end of file, read errors, `end()`, `destroy()` and `close` go
 * through net.Socket exactly as before (the hook hands everything but data to Node's own onread). A write goes on
 * the handle unless the stream still holds bytes libuv has not seen (then it queues behind them in the stream); a
 * handle write the kernel did not take at once is finished by libuv, and libuv keeps one write queue per handle,
 * so replies never reorder.
 */
import type { Socket } from 'node:net';

export interface SocketIo {
  /** `stream` or `handle` (CLIENT LIST does not show it; tests and benches do). */
  readonly kind: 'stream' | 'handle';
  /** Hand bytes to the socket; the caller must not modify `buf` afterwards. */
  write(buf: Buffer): void;
  /** Bytes handed over and not yet taken by the kernel (output buffer limits, replication backpressure). */
  readonly pending: number;
  /** A promise resolved once everything pending was written or the socket closed; null if nothing is pending
   *  above `threshold` already. */
  drained(threshold: number): Promise<void> | null;
}

interface WriteReq {
  handle: unknown;
  oncomplete: (this: WriteReq, status: number) => void;
  async: boolean;
  bytes: number;
  buffer: Buffer | null;
  io: HandleIo | null;
}

interface StreamBinding {
  readonly WriteWrap: new () => WriteReq;
  readonly streamBaseState: Int32Array;
  readonly kReadBytesOrError: number;
  readonly kArrayBufferOffset: number;
  readonly kLastWriteWasAsync: number;
}

interface LibuvHandle {
  onread: (this: LibuvHandle, ab: ArrayBuffer) => unknown;
  writeBuffer(req: WriteReq, buf: Buffer): number;
}

/** The stream_wrap binding if it has the shape the handle path needs, else why not. */
function loadBinding(): StreamBinding | string {
  try {
    const get = (process as unknown as { binding?: (name: string) => unknown }).binding;
    if (typeof get !== 'function') return 'process.binding is not available';
    const b = get.call(process, 'stream_wrap') as Partial<Record<keyof StreamBinding, unknown>> | undefined;
    if (b === undefined || b === null) return 'no stream_wrap binding';
    const fields = [b.kReadBytesOrError, b.kArrayBufferOffset, b.kLastWriteWasAsync];
    if (typeof b.WriteWrap !== 'function' || !(b.streamBaseState instanceof Int32Array)) {
      return 'stream_wrap has no WriteWrap/streamBaseState';
    }
    if (!fields.every((f) => typeof f === 'number' && f >= 0 && f < (b.streamBaseState as Int32Array).length)) {
      return 'stream_wrap state fields changed';
    }
    return b as StreamBinding;
  } catch (err) {
    return `process.binding('stream_wrap') failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const LOADED = loadBinding();
const BINDING = typeof LOADED === 'string' ? null : LOADED;

/**
 * The path new connections take (`TREDIS_SOCKET_IO=stream` forces the stream), and why when it is the stream: the
 * server logs it at start-up, so a Node upgrade that removes the internals shows up as a log line, not only as a
 * slower server.
 */
export const SOCKET_IO: { readonly kind: 'handle' | 'stream'; readonly reason: string } =
  process.env['TREDIS_SOCKET_IO'] === 'stream'
    ? { kind: 'stream', reason: 'TREDIS_SOCKET_IO=stream' }
    : BINDING === null
      ? { kind: 'stream', reason: LOADED as string }
      : { kind: 'handle', reason: '' };

/** net.Socket's handle (`_handle`, a Node internal), or null when it has none or Node hides it. */
function rawHandle(socket: Socket): object | null {
  const h: unknown = (socket as unknown as { _handle?: unknown })._handle;
  return typeof h === 'object' && h !== null ? h : null;
}

function libuvHandle(socket: Socket): LibuvHandle | null {
  const c = rawHandle(socket) as Partial<LibuvHandle> | null;
  return c !== null && typeof c.onread === 'function' && typeof c.writeBuffer === 'function' ? (c as LibuvHandle) : null;
}

/** The OS file descriptor behind a socket (CLIENT LIST fd=), -1 when Node does not expose it. */
export function socketFd(socket: Socket): number {
  const fd: unknown = (rawHandle(socket) as { fd?: unknown } | null)?.fd;
  return typeof fd === 'number' ? fd : -1;
}

/**
 * Serve `socket` through its handle when `prefer` (default: SOCKET_IO.kind) says so and the socket has one of the
 * expected shape, else through the stream; `onData` gets every chunk read.
 */
export function socketIo(socket: Socket, onData: (chunk: Buffer) => void, prefer = SOCKET_IO.kind): SocketIo {
  socket.on('data', onData); // the stream path; with the hook installed it only sees data read before it
  const h = BINDING === null || prefer === 'stream' ? null : libuvHandle(socket);
  return h === null || BINDING === null ? new StreamIo(socket) : new HandleIo(socket, h, BINDING, onData);
}

/** Waiters for "everything written": woken by write completions on either path and by close. */
abstract class Drainable {
  protected readonly socket: Socket;
  readonly #waiters: (() => void)[] = [];
  /** Passed to socket.write: the stream finished one write. */
  protected readonly streamWritten = (): void => this.wake();

  constructor(socket: Socket) {
    this.socket = socket;
  }

  abstract get pending(): number;

  protected wake(): void {
    if (this.#waiters.length !== 0 && (this.pending === 0 || this.socket.destroyed)) {
      for (const w of this.#waiters.splice(0)) w();
    }
  }

  drained(threshold: number): Promise<void> | null {
    const sock = this.socket;
    if (this.pending < threshold || sock.destroyed) return null;
    return new Promise((resolve) => {
      const done = (): void => {
        sock.off('close', done);
        resolve();
      };
      sock.on('close', done);
      this.#waiters.push(done);
    });
  }
}

class StreamIo extends Drainable implements SocketIo {
  readonly kind = 'stream';

  write(buf: Buffer): void {
    this.socket.write(buf, this.streamWritten);
  }

  get pending(): number {
    return this.socket.writableLength;
  }
}

class HandleIo extends Drainable implements SocketIo {
  readonly kind = 'handle';
  readonly #handle: LibuvHandle;
  readonly #b: StreamBinding;
  /** Bytes of handle writes the kernel has not taken yet (libuv finishes them, in order). */
  #async = 0;

  constructor(socket: Socket, handle: LibuvHandle, b: StreamBinding, onData: (chunk: Buffer) => void) {
    super(socket);
    this.#handle = handle;
    this.#b = b;
    const nodeOnread = handle.onread;
    const state = b.streamBaseState;
    const kNread = b.kReadBytesOrError;
    const kOffset = b.kArrayBufferOffset;
    handle.onread = function onread(this: LibuvHandle, ab: ArrayBuffer): unknown {
      const nread = state[kNread]!;
      // data while the socket lives: ours; EOF, errors and anything after destroy(): Node's, unchanged
      if (nread > 0 && !socket.destroyed) {
        onData(Buffer.from(ab, state[kOffset]!, nread));
        return undefined;
      }
      return nodeOnread.call(this, ab);
    };
  }

  write(buf: Buffer): void {
    const sock = this.socket;
    if (sock.writableLength !== 0 || sock.destroyed) {
      // the stream holds bytes libuv has not seen yet (or the socket is gone): queue behind them, as before
      sock.write(buf, this.streamWritten);
      return;
    }
    // libuv keeps one write queue per handle: while earlier handle writes are unfinished this one queues behind.
    // A write the kernel takes at once never touches its request object (StreamBase::Write binds one only when
    // the write goes async), so one spare serves every such write.
    const req = spareReq ?? newReq(this.#b);
    spareReq = null;
    const err = this.#handle.writeBuffer(req, buf);
    if (err !== 0) {
      sock.destroy(writeError(err)); // as net.Socket does with a failed write; req may be bound: not reused
      return;
    }
    if (this.#b.streamBaseState[this.#b.kLastWriteWasAsync] === 0) {
      spareReq = req;
      return;
    }
    // libuv now owns req and points into buf until oncomplete
    req.handle = this.#handle;
    req.buffer = buf;
    req.io = this;
    this.#async += buf.length;
  }

  /** libuv finished a write the kernel did not take at once. */
  completed(bytes: number, status: number): void {
    this.#async -= bytes;
    if (status < 0 && !this.socket.destroyed) this.socket.destroy(writeError(status));
    this.wake();
  }

  get pending(): number {
    return this.#async + this.socket.writableLength;
  }
}

/** The request object for the next handle write (none bound to a pending write). */
let spareReq: WriteReq | null = null;

function newReq(b: StreamBinding): WriteReq {
  const req = new b.WriteWrap();
  req.handle = null;
  req.oncomplete = onHandleWriteDone;
  req.async = false;
  req.bytes = 0;
  req.buffer = null;
  req.io = null;
  return req;
}

function onHandleWriteDone(this: WriteReq, status: number): void {
  const io = this.io;
  const bytes = this.buffer?.length ?? 0;
  this.buffer = null;
  this.io = null;
  io?.completed(bytes, status);
}

function writeError(status: number): Error {
  return Object.assign(new Error(`write failed (libuv status ${status})`), { code: 'EWRITE', errno: status });
}
