/**
 * An in-process server core for tests: the core command families plus a toy keyspace (SET/GET/DEL on a Map, as
 * write/readonly commands with key positions), a toy MULTI/EXEC/DISCARD built on the core's transaction API,
 * and a blocking toy (BLOCKWAIT <ms>) to exercise async handlers. Listens on 127.0.0.1 with an OS-assigned port.
 */
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
      flags: ['noscript', 'loading', 'stale', 'fast', 'no_multi', 'allow_busy'],
      categories: ['transaction'],
      handler: (ctx) => {
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
