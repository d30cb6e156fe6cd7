/**
 * The commands that behave differently in sentinel mode (server.c with `server.sentinel_mode`): INFO with only the
 * server, clients, stats, cpu and sentinel sections, ROLE, PUBLISH that only takes hellos, and SHUTDOWN.
 */
import type { CommandSpec } from '../../server/types.js';
import * as admin from '../core/admin.js';
import { SENTINEL_ERR } from '../protocol/error-text.js';
import { sentinelInfoSection } from '../protocol/info-section.js';
import { HELLO_CHANNEL } from '../protocol/wire-names.js';
import type { SentinelService } from './service.js';

const SECTIONS = ['server', 'clients', 'stats', 'cpu', 'sentinel'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * INFO [section ...]: no argument, `default`, `all` and `everything` give all five sections in the order
 * Server, Clients, Stats, CPU, Sentinel; unknown section names are silently skipped (so `INFO replication` is
 * an empty string). Always a plain bulk string, also under RESP3 (observed on redis-sentinel 7.0.15).
 */
export function renderSentinelInfo(svc: SentinelService, args: readonly string[]): string {
  const asked = args.map((a) => a.toLowerCase());
  const all = asked.length === 0 || asked.some((a) => a === 'default' || a === 'all' || a === 'everything');
  const parts: string[] = [];
  for (const s of SECTIONS) {
    if (!all && !asked.includes(s)) continue;
    const text = s === 'sentinel' ? sentinelInfoSection(svc.core.state, svc.now(), svc.scripts()) : svc.infoSection(s as Exclude<Section, 'sentinel'>);
    if (text !== '') parts.push(text);
  }
  return parts.join('\r\n');
}

export function sentinelModeCommands(svc: SentinelService): CommandSpec[] {
  return [
    {
      name: 'info',
      arity: -1,
      flags: ['loading', 'stale', 'sentinel'],
      categories: ['slow', 'dangerous'],
      summary: 'Get information and statistics about the server',
      since: '1.0.0',
      group: 'server',
      handler: (ctx, a) => ctx.reply.bulk(renderSentinelInfo(svc, a.slice(1))),
    },
    {
      name: 'role',
      arity: 1,
      flags: ['noscript', 'loading', 'stale', 'fast', 'sentinel'],
      categories: ['admin', 'fast', 'dangerous'],
      summary: 'Return the role of the instance in the context of replication',
      since: '2.8.12',
      group: 'server',
      handler: (ctx) => {
        const names = [...svc.core.state.masters.keys()];
        ctx.reply.array(2);
        ctx.reply.bulk('sentinel');
        ctx.reply.bulkArray(names);
      },
    },
    {
      name: 'publish',
      arity: 3,
      flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate', 'sentinel'],
      categories: ['pubsub', 'fast'],
      summary: 'Post a message to a channel',
      since: '2.0.0',
      group: 'pubsub',
      channels: { first: 1, last: 1, step: 1 },
      handler: (ctx, a) => {
        if (a[1] !== HELLO_CHANNEL) return ctx.reply.error(SENTINEL_ERR.onlyHello);
        const r = admin.publishHello(svc.core, svc.now(), a[2]!);
        svc.execute(r.effects);
        ctx.reply.int(1);
      },
    },
    {
      name: 'shutdown',
      arity: -1,
      flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'sentinel', 'allow_busy'],
      categories: ['admin', 'slow', 'dangerous'],
      summary: 'Synchronously save the dataset to disk and then shut down the server',
      since: '1.0.0',
      group: 'server',
      handler: (ctx, a) => {
        const opts = a.slice(1).map((x) => x.toLowerCase());
        const known = ['nosave', 'save', 'now', 'force', 'abort'];
        if (opts.some((o) => !known.includes(o))) return ctx.reply.error('ERR syntax error');
        if (opts.includes('abort')) return ctx.reply.error('ERR No shutdown in progress.');
        // A sentinel has no dataset: it flushes its config and exits, like redis-sentinel's prepareForShutdown.
        svc.flush();
        ctx.session.closeAfterReply();
        svc.shutdown();
      },
    },
  ];
}
