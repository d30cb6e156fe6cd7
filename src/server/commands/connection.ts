/**
 * Connection commands: PING, ECHO, QUIT, HELLO, AUTH, RESET (networking.c / server.c / acl.c, Redis 7.0.15).
 */
import type { RespServer } from '../server.js';
import { ERR, helloSyntax, wrongArity } from '../replies.js';
import type { ClientSession } from '../session.js';
import type { CommandContext, CommandSpec } from '../types.js';
import { parseInteger, validClientAttr } from './util.js';

const CONN = { group: 'connection' } as const;

export function connectionCommands(server: RespServer): CommandSpec[] {
  const session = (ctx: CommandContext): ClientSession => {
    const s = server.sessionOf(ctx.session);
    if (s === undefined) throw new Error('command run on a session this server does not own');
    return s;
  };

  return [
    {
      name: 'ping',
      arity: -1,
      flags: ['fast', 'sentinel'],
      categories: ['connection'],
      tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
      summary: 'Ping the server',
      since: '1.0.0',
      complexity: 'O(1)',
      ...CONN,
      handler: (ctx, args) => {
        const w = ctx.reply;
        if (args.length > 2) return w.error(wrongArity('ping'));
        const s = session(ctx);
        // a RESP2 subscriber can only receive arrays: pingCommand answers ["pong", arg or ""]
        if (s.isPubsub && s.proto === 2) {
          w.array(2);
          w.bulk('pong');
          w.bulk(args[1] ?? '');
        } else if (args.length === 1) w.simple('PONG');
        else w.bulk(args[1]!);
      },
    },
    {
      name: 'echo',
      arity: 2,
      flags: ['loading', 'stale', 'fast'],
      categories: ['connection'],
      summary: 'Echo the given string',
      since: '1.0.0',
      complexity: 'O(1)',
      ...CONN,
      handler: (ctx, args) => ctx.reply.bulk(args[1]!),
    },
    {
      // answered by the dispatcher before lookup, like 7.0's processCommand; listed for COMMAND and ACL
      name: 'quit',
      arity: -1,
      flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
      categories: ['connection'],
      summary: 'Close the connection',
      since: '1.0.0',
      complexity: 'O(1)',
      ...CONN,
      handler: (ctx) => {
        ctx.reply.ok();
        ctx.session.closeAfterReply();
      },
    },
    {
      name: 'hello',
      arity: -1,
      flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'],
      categories: ['connection'],
      summary: 'Handshake with Redis',
      since: '6.0.0',
      complexity: 'O(1)',
      ...CONN,
      handler: (ctx, args) => hello(server, session(ctx), ctx, args),
    },
    {
      name: 'auth',
      arity: -2,
      flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'],
      categories: ['connection'],
      summary: 'Authenticate to the server',
      since: '1.0.0',
      complexity: 'O(N) where N is the number of passwords defined for the user',
      ...CONN,
      handler: (ctx, args) => {
        const w = ctx.reply;
        if (args.length > 3) return w.error(ERR.SYNTAX);
        let user = 'default';
        let pass: string;
        if (args.length === 2) {
          // the one-argument form keeps the pre-ACL error when no password is configured
          if (server.acl.defaultUser.nopass) return w.error(ERR.AUTH_WITHOUT_PASSWORD);
          pass = args[1]!;
        } else {
          user = args[1]!;
          pass = args[2]!;
        }
        if (server.authenticateSession(session(ctx), user, pass)) w.ok();
        else w.error(ERR.WRONGPASS);
      },
    },
    {
      name: 'reset',
      arity: 1,
      flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
      categories: ['connection'],
      summary: 'Reset the connection',
      since: '6.2.0',
      complexity: 'O(1)',
      ...CONN,
      handler: (ctx) => {
        const s = session(ctx);
        if (s.kind !== 'normal') return ctx.reply.error(ERR.RESET_NOT_NORMAL);
        server.resetSession(s);
        ctx.reply.proto = s.proto;
        ctx.reply.simple('RESET');
      },
    },
  ];
}

/** networking.c helloCommand. */
function hello(server: RespServer, s: ClientSession, ctx: CommandContext, args: string[]): void {
  const w = ctx.reply;
  let ver = 0;
  let next = 1;
  if (args.length >= 2) {
    const v = parseInteger(args[1]!);
    if (v === null) return w.error(ERR.HELLO_PROTO_NOT_INT);
    if (v < 2 || v > 3) return w.error(ERR.NOPROTO);
    ver = v;
    next = 2;
  }
  let user: string | undefined;
  let pass: string | undefined;
  let name: string | undefined;
  for (let j = next; j < args.length; j++) {
    const more = args.length - 1 - j;
    const opt = args[j]!;
    const lower = opt.toLowerCase();
    if (lower === 'auth' && more >= 2) {
      user = args[j + 1]!;
      pass = args[j + 2]!;
      j += 2;
    } else if (lower === 'setname' && more >= 1) {
      name = args[j + 1]!;
      j++;
    } else {
      return w.error(helloSyntax(opt));
    }
  }
  if (user !== undefined && pass !== undefined && !server.authenticateSession(s, user, pass)) {
    return w.error(ERR.WRONGPASS);
  }
  if (!s.authenticated) return w.error(ERR.HELLO_NOAUTH);
  if (name !== undefined) {
    if (!validClientAttr(name)) return w.error(ERR.CLIENT_NAME);
    s.name = name;
  }
  if (ver !== 0) {
    s.proto = ver as 2 | 3;
    w.proto = s.proto;
  }
  const sentinel = server.mode === 'sentinel';
  w.map(sentinel ? 6 : 7);
  w.bulk('server');
  w.bulk('redis');
  w.bulk('version');
  w.bulk(server.serverVersion);
  w.bulk('proto');
  w.int(s.proto);
  w.bulk('id');
  w.int(s.id);
  w.bulk('mode');
  w.bulk(sentinel ? 'sentinel' : 'standalone');
  if (!sentinel) {
    w.bulk('role');
    w.bulk(server.role());
  }
  w.bulk('modules');
  w.array(0);
}
