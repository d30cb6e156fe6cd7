/**
 * CLIENT and its subcommands (networking.c clientCommand, Redis 7.0.15; SETINFO as 7.2 added it, since clients
 * send it on every connection).
 */
import { clientClass, clientClassByName, type ClientClass } from '../client-info.js';
import {
  ERR,
  noSuchUser,
  setinfoInvalid,
  setinfoUnknown,
  subcommandSyntax,
  unknownClientType,
} from '../replies.js';
import type { RespServer } from '../server.js';
import type { ClientSession } from '../session.js';
import type { CommandContext, CommandFlag, CommandHandler, CommandSpec } from '../types.js';
import { parseInteger, replyHelp, validClientAttr } from './util.js';

const HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

const BASE: readonly CommandFlag[] = ['noscript', 'loading', 'stale'];
const ADMIN: readonly CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];

function sub(
  name: string,
  arity: number,
  flags: readonly CommandFlag[],
  doc: { summary: string; since: string; complexity: string },
  handler: CommandHandler,
  extra: Partial<CommandSpec> = {},
): CommandSpec {
  return { name, arity, flags: [...flags, 'sentinel'], categories: ['connection'], group: 'connection', ...doc, ...extra, handler };
}

export function clientCommands(server: RespServer): CommandSpec[] {
  const me = (ctx: CommandContext): ClientSession => {
    const s = server.sessionOf(ctx.session);
    if (s === undefined) throw new Error('command run on a session this server does not own');
    return s;
  };

  const list: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    let type: ClientClass | null = null;
    let ids: number[] | null = null;
    if (args.length === 4 && args[2]!.toLowerCase() === 'type') {
      type = clientClassByName(args[3]!);
      if (type === null) return w.error(unknownClientType(args[3]!));
    } else if (args.length > 3 && args[2]!.toLowerCase() === 'id') {
      ids = [];
      for (let j = 3; j < args.length; j++) {
        const id = parseInteger(args[j]!);
        if (id === null) return w.error(ERR.INVALID_CLIENT_ID);
        ids.push(id);
      }
    } else if (args.length !== 2) {
      return w.error(ERR.SYNTAX);
    }
    let out = '';
    if (ids !== null) {
      for (const id of ids) {
        const c = server.clientById(id);
        if (c !== undefined) out += server.clientInfo(c) + '\n';
      }
    } else {
      for (const c of server.clients()) {
        if (type !== null && clientClass(c) !== type) continue;
        out += server.clientInfo(c) + '\n';
      }
    }
    w.verbatim(out);
  };

  const kill: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    const self = me(ctx);
    let addr: string | null = null;
    let laddr: string | null = null;
    let user: string | null = null;
    let type: ClientClass | null = null;
    let id = 0;
    let skipme = true;
    if (args.length === 3) {
      // old form: CLIENT KILL ip:port, which may kill the caller itself
      addr = args[2]!;
      skipme = false;
    } else {
      for (let i = 2; i < args.length; i += 2) {
        const opt = args[i]!.toLowerCase();
        const val = args[i + 1];
        if (val === undefined) return w.error(ERR.SYNTAX);
        if (opt === 'id') {
          const n = parseInteger(val);
          if (n === null || n < 1) return w.error(ERR.CLIENT_ID_NOT_POSITIVE);
          id = n;
        } else if (opt === 'type') {
          type = clientClassByName(val);
          if (type === null) return w.error(unknownClientType(val));
        } else if (opt === 'addr') addr = val;
        else if (opt === 'laddr') laddr = val;
        else if (opt === 'user') {
          if (server.acl.get(val) === undefined) return w.error(noSuchUser(val));
          user = val;
        } else if (opt === 'skipme') {
          const v = val.toLowerCase();
          if (v === 'yes') skipme = true;
          else if (v === 'no') skipme = false;
          else return w.error(ERR.SYNTAX);
        } else return w.error(ERR.SYNTAX);
      }
    }
    let killed = 0;
    let killSelf = false;
    for (const c of [...server.clients()]) {
      if (addr !== null && c.addr !== addr) continue;
      if (laddr !== null && c.laddr !== laddr) continue;
      if (type !== null && clientClass(c) !== type) continue;
      if (id !== 0 && c.id !== id) continue;
      if (user !== null && c.aclUser.name !== user) continue;
      if (c === self && skipme) continue;
      if (c === self) killSelf = true;
      else server.killClient(c, 'CLIENT KILL');
      killed++;
    }
    if (args.length === 3) {
      if (killed === 0) w.error(ERR.NO_SUCH_CLIENT);
      else w.ok();
    } else w.int(killed);
    if (killSelf) self.closeAfterReply();
  };

  const pause: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    let mode: 'write' | 'all' = 'all';
    if (args.length === 4) {
      const m = args[3]!.toLowerCase();
      if (m === 'write') mode = 'write';
      else if (m !== 'all') return w.error(ERR.PAUSE_MODE);
    } else if (args.length !== 3) return w.error(subcommandSyntax(args[1]!, 'client'));
    const ms = parseInteger(args[2]!);
    if (ms === null) return w.error(ERR.TIMEOUT_NOT_INT);
    if (ms < 0) return w.error(ERR.TIMEOUT_NEGATIVE);
    server.pauseClients('client-pause', mode, server.clock.monotonic() + ms);
    w.ok();
  };

  const reply: CommandHandler = (ctx, args) => {
    const s = me(ctx);
    const v = args[2]!.toLowerCase();
    if (v === 'on') {
      s.replyMode = 'on';
      ctx.reply.ok();
    } else if (v === 'off') s.replyMode = 'off';
    else if (v === 'skip') {
      if (s.replyMode !== 'off') s.replyMode = 'skip-next';
    } else ctx.reply.error(ERR.SYNTAX);
  };

  const setinfo: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    const attr = args[2]!;
    const val = args[3]!;
    const a = attr.toLowerCase();
    if (a !== 'lib-name' && a !== 'lib-ver') return w.error(setinfoUnknown(attr));
    if (!validClientAttr(val)) return w.error(setinfoInvalid(attr));
    if (a === 'lib-name') ctx.session.libName = val;
    else ctx.session.libVer = val;
    w.ok();
  };

  const unblock: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    let reason: 'timeout' | 'error' = 'timeout';
    if (args.length === 4) {
      const r = args[3]!.toLowerCase();
      if (r === 'error') reason = 'error';
      else if (r !== 'timeout') return w.error(ERR.UNBLOCK_REASON);
    } else if (args.length !== 3) return w.error(subcommandSyntax(args[1]!, 'client'));
    const id = parseInteger(args[2]!);
    if (id === null) return w.error(ERR.NOT_INTEGER);
    w.int(server.unblockClient(id, reason) ? 1 : 0);
  };

  const subcommands: CommandSpec[] = [
    sub('id', 2, BASE, { summary: 'Returns the client ID for the current connection', since: '5.0.0', complexity: 'O(1)' }, (ctx) =>
      ctx.reply.int(ctx.session.id),
    ),
    sub('getname', 2, BASE, { summary: 'Get the current connection name', since: '2.6.9', complexity: 'O(1)' }, (ctx) => {
      if (ctx.session.name === '') ctx.reply.nil();
      else ctx.reply.bulk(ctx.session.name);
    }),
    sub('setname', 3, BASE, { summary: 'Set the current connection name', since: '2.6.9', complexity: 'O(1)' }, (ctx, args) => {
      const name = args[2]!;
      if (!validClientAttr(name)) return ctx.reply.error(ERR.CLIENT_NAME);
      ctx.session.name = name;
      ctx.reply.ok();
    }),
    sub('setinfo', 4, BASE, { summary: 'Set client or connection specific info', since: '7.2.0', complexity: 'O(1)' }, setinfo),
    sub(
      'list',
      -2,
      ADMIN,
      { summary: 'Get the list of client connections', since: '2.4.0', complexity: 'O(N) where N is the number of client connections' },
      list,
      { tips: ['nondeterministic_output'] },
    ),
    sub(
      'info',
      2,
      BASE,
      { summary: 'Returns information about the current client connection.', since: '6.2.0', complexity: 'O(1)' },
      (ctx) => ctx.reply.verbatim(server.clientInfo(me(ctx)) + '\n'),
      { tips: ['nondeterministic_output'] },
    ),
    sub(
      'kill',
      -3,
      ADMIN,
      { summary: 'Kill the connection of a client', since: '2.4.0', complexity: 'O(N) where N is the number of client connections' },
      kill,
    ),
    sub('pause', -3, ADMIN, { summary: 'Stop processing commands from clients for some time', since: '2.9.50', complexity: 'O(1)' }, pause),
    sub(
      'unpause',
      2,
      ADMIN,
      { summary: 'Resume processing of clients that were paused', since: '6.2.0', complexity: 'O(N) Where N is the number of paused clients' },
      (ctx) => {
        server.unpauseClients('client-pause');
        ctx.reply.ok();
      },
    ),
    sub('no-evict', 3, ADMIN, { summary: 'Set client eviction mode for the current connection', since: '7.0.0', complexity: 'O(1)' }, (ctx, args) => {
      const v = args[2]!.toLowerCase();
      if (v !== 'on' && v !== 'off') return ctx.reply.error(ERR.SYNTAX);
      me(ctx).noEvict = v === 'on';
      ctx.reply.ok();
    }),
    sub('reply', 3, BASE, { summary: 'Instruct the server whether to reply to commands', since: '3.2.0', complexity: 'O(1)' }, reply),
    sub(
      'unblock',
      -3,
      ADMIN,
      {
        summary: 'Unblock a client blocked in a blocking command from a different connection',
        since: '5.0.0',
        complexity: 'O(log N) where N is the number of client connections',
      },
      unblock,
    ),
    sub('getredir', 2, BASE, { summary: 'Get tracking notifications redirection client ID if any', since: '6.0.0', complexity: 'O(1)' }, (ctx) =>
      ctx.reply.int(-1),
    ),
    sub(
      'trackinginfo',
      2,
      BASE,
      {
        summary: 'Return information about server assisted client side caching for the current connection',
        since: '6.2.0',
        complexity: 'O(1)',
      },
      (ctx) => {
        // tracking is not implemented: always the "off" report
        const w = ctx.reply;
        w.map(3);
        w.bulk('flags');
        w.set(1);
        w.bulk('off');
        w.bulk('redirect');
        w.int(-1);
        w.bulk('prefixes');
        w.array(0);
      },
    ),
    sub('help', 2, ['loading', 'stale'], { summary: 'Show helpful text about the different subcommands', since: '5.0.0', complexity: 'O(1)' }, (ctx) =>
      replyHelp(ctx.reply, 'CLIENT', HELP),
    ),
  ];

  return [
    {
      name: 'client',
      arity: -2,
      flags: ['sentinel'],
      categories: [],
      summary: 'A container for client connection commands',
      since: '2.4.0',
      group: 'connection',
      complexity: 'Depends on subcommand.',
      subcommands,
    },
  ];
}
