/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH and PUBSUB (pubsub.c, Redis 7.0.15). Confirmations are
 * `subscribe`/`unsubscribe`… arrays in RESP2 and push frames in RESP3; the count is the client's channels plus
 * patterns. Sharded pub/sub (SSUBSCRIBE…) is not implemented; PUBSUB SHARD* report nothing.
 */
import type { RespWriter } from '../../resp/writer.js';
import { subcommandSyntax } from '../replies.js';
import type { RespServer } from '../server.js';
import type { ClientSession } from '../session.js';
import type { CommandContext, CommandFlag, CommandSpec } from '../types.js';
import { replyHelp } from './util.js';

const HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

/** addReplyPubsub(Un)Subscribed / PatSubscribed: `[kind, name-or-nil, count]`. */
function confirm(w: RespWriter, kind: string, name: string | null, s: ClientSession): void {
  w.push(3);
  w.bulk(kind);
  if (name === null) w.nil();
  else w.bulk(name);
  w.int(s.channels.size + s.patterns.size);
}

const SUB_FLAGS: readonly CommandFlag[] = ['pubsub', 'noscript', 'loading', 'stale', 'sentinel'];

export function pubsubCommands(server: RespServer): CommandSpec[] {
  const ps = server.pubsub;
  const me = (ctx: CommandContext): ClientSession => {
    const s = server.sessionOf(ctx.session);
    if (s === undefined) throw new Error('command run on a session this server does not own');
    return s;
  };

  const doc = (summary: string, since: string, complexity: string) => ({ summary, since, complexity, group: 'pubsub' });

  const pubsubSub = (name: string, arity: number, d: ReturnType<typeof doc>, handler: CommandSpec['handler']): CommandSpec => ({
    name,
    arity,
    flags: ['pubsub', 'loading', 'stale'],
    categories: [],
    ...d,
    handler,
  });

  return [
    {
      name: 'subscribe',
      arity: -2,
      flags: SUB_FLAGS,
      categories: [],
      channels: { first: 1, last: -1, step: 1 },
      ...doc('Listen for messages published to the given channels', '2.0.0', 'O(N) where N is the number of channels to subscribe to.'),
      handler: (ctx, args) => {
        const s = me(ctx);
        for (let i = 1; i < args.length; i++) {
          ps.subscribe(s, args[i]!);
          confirm(ctx.reply, 'subscribe', args[i]!, s);
        }
      },
    },
    {
      name: 'unsubscribe',
      arity: -1,
      flags: SUB_FLAGS,
      categories: [],
      ...doc(
        'Stop listening for messages posted to the given channels',
        '2.0.0',
        'O(N) where N is the number of clients already subscribed to a channel.',
      ),
      handler: (ctx, args) => {
        const s = me(ctx);
        if (args.length === 1) {
          if (s.channels.size === 0) return confirm(ctx.reply, 'unsubscribe', null, s);
          for (const ch of [...s.channels]) {
            ps.unsubscribe(s, ch);
            confirm(ctx.reply, 'unsubscribe', ch, s);
          }
          return;
        }
        for (let i = 1; i < args.length; i++) {
          ps.unsubscribe(s, args[i]!);
          confirm(ctx.reply, 'unsubscribe', args[i]!, s);
        }
      },
    },
    {
      name: 'psubscribe',
      arity: -2,
      flags: SUB_FLAGS,
      categories: [],
      channels: { first: 1, last: -1, step: 1, patterns: true },
      ...doc(
        'Listen for messages published to channels matching the given patterns',
        '2.0.0',
        'O(N) where N is the number of patterns the client is already subscribed to.',
      ),
      handler: (ctx, args) => {
        const s = me(ctx);
        for (let i = 1; i < args.length; i++) {
          ps.psubscribe(s, args[i]!);
          confirm(ctx.reply, 'psubscribe', args[i]!, s);
        }
      },
    },
    {
      name: 'punsubscribe',
      arity: -1,
      flags: SUB_FLAGS,
      categories: [],
      ...doc(
        'Stop listening for messages posted to channels matching the given patterns',
        '2.0.0',
        'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
      ),
      handler: (ctx, args) => {
        const s = me(ctx);
        if (args.length === 1) {
          if (s.patterns.size === 0) return confirm(ctx.reply, 'punsubscribe', null, s);
          for (const p of [...s.patterns]) {
            ps.punsubscribe(s, p);
            confirm(ctx.reply, 'punsubscribe', p, s);
          }
          return;
        }
        for (let i = 1; i < args.length; i++) {
          ps.punsubscribe(s, args[i]!);
          confirm(ctx.reply, 'punsubscribe', args[i]!, s);
        }
      },
    },
    {
      name: 'publish',
      arity: 3,
      flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate', 'sentinel'],
      categories: [],
      channels: { first: 1, last: 1, step: 1 },
      ...doc(
        'Post a message to a channel',
        '2.0.0',
        'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
      ),
      handler: (ctx, args) => ctx.reply.int(ps.publish(args[1]!, args[2]!)),
    },
    {
      name: 'pubsub',
      arity: -2,
      flags: [],
      categories: [],
      ...doc('A container for Pub/Sub commands', '2.8.0', 'Depends on subcommand.'),
      subcommands: [
        pubsubSub(
          'channels',
          -2,
          doc(
            'List active channels',
            '2.8.0',
            'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
          ),
          (ctx, args) => {
            if (args.length > 3) return ctx.reply.error(subcommandSyntax(args[1]!, 'pubsub'));
            ctx.reply.bulkArray(ps.channels(args[2]));
          },
        ),
        pubsubSub(
          'numsub',
          -2,
          doc(
            'Get the count of subscribers for channels',
            '2.8.0',
            'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
          ),
          (ctx, args) => {
            const w = ctx.reply;
            w.array((args.length - 2) * 2);
            for (let i = 2; i < args.length; i++) {
              w.bulk(args[i]!);
              w.int(ps.numsub(args[i]!));
            }
          },
        ),
        pubsubSub('numpat', 2, doc('Get the count of unique patterns pattern subscriptions', '2.8.0', 'O(1)'), (ctx) =>
          ctx.reply.int(ps.patternCount),
        ),
        pubsubSub(
          'shardchannels',
          -2,
          doc(
            'List active shard channels',
            '7.0.0',
            'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
          ),
          (ctx, args) => {
            if (args.length > 3) return ctx.reply.error(subcommandSyntax(args[1]!, 'pubsub'));
            ctx.reply.array(0);
          },
        ),
        pubsubSub(
          'shardnumsub',
          -2,
          doc(
            'Get the count of subscribers for shard channels',
            '7.0.0',
            'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
          ),
          (ctx, args) => {
            const w = ctx.reply;
            w.array((args.length - 2) * 2);
            for (let i = 2; i < args.length; i++) {
              w.bulk(args[i]!);
              w.int(0);
            }
          },
        ),
        {
          name: 'help',
          arity: 2,
          flags: ['loading', 'stale'],
          categories: [],
          ...doc('Show helpful text about the different subcommands', '6.2.0', 'O(1)'),
          handler: (ctx) => replyHelp(ctx.reply, 'PUBSUB', HELP),
        },
      ],
    },
  ];
}
