/**
 * The connections behind the core's links: one ioredis client per (link, cmd|pubsub), created and closed only when
 * the core says so (ioredis's own reconnect, offline queue, ready check and client-info handshake are all off, so
 * every byte on the wire is one the core decided to send, as with sentinel.c's hiredis contexts). Replies are
 * turned into the core's `Reply` shape; anything a client library could throw — protocol garbage, resets, a
 * reply to a closed connection — ends as a `down` or `closed`, never as an exception in the daemon.
 */
import { Redis } from 'ioredis';
import type { Reply } from '../protocol/reply.js';
import type { ConnKind } from '../core/io.js';

export interface LinkEvents {
  up(link: number, conn: ConnKind, localIp: string | null): void;
  down(link: number, conn: ConnKind, reason: string): void;
  reply(link: number, conn: ConnKind, req: number, reply: Reply): void;
  message(link: number, channel: string, payload: string): void;
}

export interface LinkPoolOptions {
  /** Give up on a connect attempt after this long (sentinel.c has the kernel's timeout; we bound it). */
  readonly connectTimeout?: number;
}

interface Conn {
  readonly client: Redis;
  closed: boolean;
  subscribed: boolean;
}

/** Convert whatever ioredis resolved with into a Reply (Buffers are byte strings). */
export function toReply(v: unknown): Reply {
  if (v === null || v === undefined) return { kind: 'nil' };
  if (Buffer.isBuffer(v)) return { kind: 'string', value: v.toString('latin1') };
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (typeof v === 'number') return { kind: 'int', value: v };
  if (typeof v === 'bigint') return { kind: 'int', value: Number(v) };
  if (Array.isArray(v)) return { kind: 'array', items: v.map(toReply) };
  if (v instanceof Error) return { kind: 'error', message: v.message };
  return { kind: 'nil' };
}

/** A rejected command: a server error reply, or the connection went away first. */
export function errorToReply(e: unknown): Reply {
  if (e instanceof Error && e.name === 'ReplyError') return { kind: 'error', message: e.message };
  return { kind: 'closed' };
}

export class LinkPool {
  readonly #conns = new Map<string, Conn>();
  readonly #events: LinkEvents;
  readonly #opts: LinkPoolOptions;

  constructor(events: LinkEvents, opts: LinkPoolOptions = {}) {
    this.#events = events;
    this.#opts = opts;
  }

  get size(): number {
    return this.#conns.size;
  }

  connect(link: number, conn: ConnKind, host: string, port: number): void {
    const key = `${link}:${conn}`;
    this.#drop(key);
    const client = new Redis({
      host,
      port,
      lazyConnect: true,
      enableReadyCheck: false,
      enableOfflineQueue: false,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      retryStrategy: () => null,
      reconnectOnError: () => false,
      maxRetriesPerRequest: 0,
      protocol: 2,
      disableClientInfo: true,
      connectTimeout: this.#opts.connectTimeout ?? 3000,
    });
    const c: Conn = { client, closed: false, subscribed: false };
    this.#conns.set(key, c);
    let announcedUp = false;
    let lastError = '';
    client.on('error', (e: Error) => {
      lastError = e.message; // 'close' follows and reports it
    });
    client.on('close', () => {
      if (c.closed) return;
      c.closed = true;
      if (this.#conns.get(key) === c) this.#conns.delete(key);
      const what = announcedUp ? 'connection closed' : 'connection failed';
      this.#events.down(link, conn, lastError === '' ? what : `${what}: ${lastError}`);
    });
    if (conn === 'pubsub') {
      client.on('messageBuffer', (channel: Buffer, message: Buffer) => {
        if (!c.closed) this.#events.message(link, channel.toString('latin1'), message.toString('latin1'));
      });
    }
    client.connect().then(
      () => {
        if (c.closed) return;
        announcedUp = true;
        this.#events.up(link, conn, client.stream?.localAddress ?? null);
      },
      () => {
        // the 'close' handler reports the failure
      },
    );
  }

  disconnect(link: number, conn: ConnKind): void {
    this.#drop(`${link}:${conn}`);
  }

  send(link: number, conn: ConnKind, req: number, args: readonly string[]): void {
    const c = this.#conns.get(`${link}:${conn}`);
    if (c === undefined || c.closed) {
      if (req !== 0) setImmediate(() => this.#events.reply(link, conn, req, { kind: 'closed' }));
      return;
    }
    const [name, ...rest] = args;
    if (name === undefined) return;
    const buffers = rest.map((a) => Buffer.from(a, 'latin1'));
    let p: Promise<unknown>;
    try {
      // ioredis must know about SUBSCRIBE to enter subscriber mode and route pushes to 'messageBuffer'.
      if (conn === 'pubsub' && name.toUpperCase() === 'SUBSCRIBE' && !c.subscribed) {
        c.subscribed = true;
        p = c.client.subscribe(...rest);
      } else {
        p = c.client.callBuffer(name, ...buffers);
      }
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (v) => {
        if (!c.closed && req !== 0) this.#events.reply(link, conn, req, toReply(v));
      },
      (e: unknown) => {
        if (c.closed || req === 0) return;
        const r = errorToReply(e);
        // A client-side rejection (connection unusable) is delivered on the next turn: a chain of instant failures
        // must never starve the event loop (timers, the API server).
        if (r.kind === 'closed') setImmediate(() => this.#events.reply(link, conn, req, r));
        else this.#events.reply(link, conn, req, r);
      },
    );
  }

  #drop(key: string): void {
    const c = this.#conns.get(key);
    if (c === undefined) return;
    this.#conns.delete(key);
    c.closed = true;
    c.client.disconnect();
  }

  closeAll(): void {
    for (const key of [...this.#conns.keys()]) this.#drop(key);
  }
}
