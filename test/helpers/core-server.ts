/**
 * An in-process server core for tests: the core command families plus a toy keyspace (SET/GET/DEL on a Map, as
 * write/readonly commands with key positions), a toy MULTI/EXEC/DISCARD built on the core's transaction API,
 * a minimal INFO (for clients' ready checks) and a blocking toy (BLOCKWAIT <ms>) to exercise async handlers. Listens on 127.0.0.1 with an OS-assigned port.
 */
import { createConnection, type Socket } from 'node:net';
import pino, { type Logger } from 'pino';
import { RespServer, type RespServerOptions } from '../../src/server/server.js';
import { coreCommands } from '../../src/server/commands/index.js';
import { serverSettings, type ServerSettings } from '../../src/server/settings.js';
import type { CommandSpec } from '../../src/server/types.js';

export interface CoreServerOptions {
  settings?: Partial<ServerSettings>;
  mode?: 'standalone' | 'sentinel';
  logger?: Logger;
  extra?: (server: RespServer) => CommandSpec[];
  options?: Partial<RespServerOptions>;
}

export interface CoreServer {
  readonly server: RespServer;
  readonly port: number;
  readonly data: Map<string, string>;
  close(): Promise<void>;
}

export function toyCommands(server: RespServer, data: Map<string, string>): CommandSpec[] {
  return [
    {
      name: 'set',
      arity: 3,
      flags: ['write', 'denyoom'],
      categories: ['string'],
      keys: { first: 1, last: 1, step: 1 },
      handler: (ctx, args) => {
        data.set(args[1]!, args[2]!);
        ctx.reply.ok();
      },
    },
    {
      name: 'get',
      arity: 2,
      flags: ['readonly', 'fast'],
      categories: ['string'],
      keys: { first: 1, last: 1, step: 1 },
      handler: (ctx, args) => {
        const v = data.get(args[1]!);
        if (v === undefined) ctx.reply.nil();
        else ctx.reply.bulk(v);
      },
    },
    {
      name: 'del',
      arity: -2,
      flags: ['write'],
      categories: ['keyspace'],
      keys: { first: 1, last: -1, step: 1 },
      handler: (ctx, args) => {
        let n = 0;
        for (let i = 1; i < args.length; i++) if (data.delete(args[i]!)) n++;
        ctx.reply.int(n);
      },
    },
    {
      name: 'multi',
      arity: 1,
      flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
      categories: ['transaction'],
      handler: (ctx) => {
        if (ctx.session.inMulti) return ctx.reply.error('ERR MULTI calls can not be nested');
        ctx.session.inMulti = true;
        ctx.reply.ok();
      },
    },
    {
      name: 'discard',
      arity: 1,
      flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
      categories: ['transaction'],
      handler: (ctx) => {
        if (!ctx.session.inMulti) return ctx.reply.error('ERR DISCARD without MULTI');
        server.discardTransaction(ctx.session);
        ctx.reply.ok();
      },
    },
    {
      name: 'exec',
      arity: 1,
      flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
      categories: ['transaction'],
      handler: async (ctx) => {
        const s = ctx.session;
        if (!s.inMulti) return ctx.reply.error('ERR EXEC without MULTI');
        if (s.multiDirty) {
          server.discardTransaction(s);
          return ctx.reply.error('EXECABORT Transaction discarded because of previous errors.');
        }
        const queue = [...(s.multiQueue ?? [])];
        server.discardTransaction(s);
        ctx.reply.array(queue.length);
        for (const q of queue) await server.runQueued(s, q, ctx.reply);
      },
    },
    {
      // what client ready checks read (ioredis parses loading/role); the real INFO is the applications'
      name: 'info',
      arity: -1,
      flags: ['loading', 'stale'],
      categories: ['dangerous'],
      handler: (ctx) =>
        ctx.reply.verbatim(
          '# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n\r\n# Persistence\r\nloading:0\r\n\r\n# Replication\r\nrole:master\r\n',
        ),
    },
    {
      name: 'blockwait',
      arity: 2,
      flags: ['blocking'],
      categories: ['connection'],
      handler: (ctx, args) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            ctx.reply.simple('WOKE');
            resolve();
          }, Number(args[1]));
          ctx.setUnblockHandler?.((reason) => {
            clearTimeout(timer);
            if (reason === 'error') ctx.reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK');
            else ctx.reply.nil();
            resolve();
          });
        }),
    },
  ];
}

export async function startCoreServer(opts: CoreServerOptions = {}): Promise<CoreServer> {
  const settings = serverSettings({ bind: ['127.0.0.1'], port: 0, ...opts.settings });
  const logger = opts.logger ?? pino({ level: 'silent' });
  const server = new RespServer({ logger, settings, mode: opts.mode ?? 'standalone', ephemeralPort: true, ...opts.options });
  const data = new Map<string, string>();
  server.register(...coreCommands(server), ...toyCommands(server, data));
  if (opts.extra !== undefined) server.register(...opts.extra(server));
  await server.listen();
  return { server, port: server.port, data, close: () => server.close() };
}

/** A raw TCP client for byte-exact protocol tests: everything received is kept as latin1 text. */
export class RawClient {
  readonly socket: Socket;
  data = '';
  ended = false;
  readonly #waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.data += d.toString('latin1');
      this.#wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.#wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ port, host }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  send(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Resolve once `pred(data)` holds or the connection ended; reject after `ms`. */
  async until(pred: (data: string) => boolean, ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!pred(this.data) && !this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting; received so far: ${JSON.stringify(this.data.slice(-500))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.data;
  }

  /** Wait until the peer closes the connection. */
  closed(ms = 10_000): Promise<string> {
    return this.until(() => false, ms).catch((e: unknown) => {
      if (this.ended) return this.data;
      throw e;
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

const MARK = '@@END@@';
const MARK_CMD = `*2\r\n$4\r\nPING\r\n$${MARK.length}\r\n${MARK}\r\n`;

/**
 * Send `input` on a fresh connection followed by `PING @@END@@`, and return everything received up to that
 * reply (or up to the close, when the server hangs up first). The marker reply itself is cut off.
 */
export async function exchange(port: number, input: string, opts: { marker?: boolean } = {}): Promise<string> {
  const c = await RawClient.connect(port);
  try {
    const marker = opts.marker ?? true;
    c.send(marker ? input + MARK_CMD : input);
    const data = marker ? await c.until((d) => d.includes(`${MARK}\r\n`)) : await c.closed();
    if (c.ended && !data.includes(MARK)) return data + '<EOF>';
    const i = data.lastIndexOf(MARK);
    // cut the marker reply: a bulk `$7\r\n@@END@@\r\n` or, subscribed, `*2\r\n$4\r\npong\r\n$7\r\n@@END@@\r\n`
    const start = data.lastIndexOf(data.includes('*2\r\n$4\r\npong\r\n$7\r\n' + MARK) ? '*2\r\n$4\r\npong' : `$${MARK.length}\r\n${MARK}`, i);
    return data.slice(0, start);
  } finally {
    c.close();
  }
}

export type Reply = string | number | null | Reply[] | { error: string } | { push: Reply[] } | { map: [Reply, Reply][] };

/**
 * A small RESP2/RESP3 reply parser for structural assertions (text is latin1). Returns the replies found;
 * throws on malformed or incomplete input unless `partialTail` allows an incomplete last reply.
 */
export function parseReplies(text: string, opts: { partialTail?: boolean } = {}): Reply[] {
  let i = 0;
  const line = (): string => {
    const j = text.indexOf('\r\n', i);
    if (j < 0) throw new Error('incomplete reply');
    const l = text.slice(i, j);
    i = j + 2;
    return l;
  };
  const one = (): Reply => {
    const t = text[i++];
    const l = line();
    switch (t) {
      case '+':
        return l;
      case '-':
        return { error: l };
      case ':':
        return Number(l);
      case '$':
      case '=': {
        const n = Number(l);
        if (n < 0) return null;
        const s = text.slice(i, i + n);
        i += n + 2;
        return t === '=' ? s.slice(4) : s;
      }
      case '_':
        return null;
      case '#':
        return l === 't' ? 1 : 0;
      case ',':
        return l;
      case '*':
      case '~':
      case '>': {
        const n = Number(l);
        if (n < 0) return null;
        const items: Reply[] = [];
        for (let k = 0; k < n; k++) items.push(one());
        return t === '>' ? { push: items } : items;
      }
      case '%': {
        const pairs: [Reply, Reply][] = [];
        for (let k = 0; k < Number(l); k++) pairs.push([one(), one()]);
        return { map: pairs };
      }
      default:
        throw new Error(`unknown reply type ${JSON.stringify(t)}`);
    }
  };
  const out: Reply[] = [];
  while (i < text.length) {
    const at = i;
    try {
      out.push(one());
    } catch (err) {
      if (opts.partialTail === true && err instanceof Error && err.message === 'incomplete reply') {
        i = at;
        break;
      }
      throw err;
    }
    if (i > text.length) {
      if (opts.partialTail === true) break;
      throw new Error('incomplete reply');
    }
  }
  return out;
}
