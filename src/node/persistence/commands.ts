/**
 * The persistence command family: DUMP, RESTORE (cluster.c dumpCommand / restoreCommand, Redis 7.0), SAVE,
 * BGSAVE [SCHEDULE], LASTSAVE, BGREWRITEAOF (rdb.c / aof.c). Metadata (arity, flags, ACL categories, key
 * positions) as redis-server 7.0.15's COMMAND INFO reports it.
 */
import type { CommandFlag, CommandSpec, CommandHandler } from '../../server/types.js';
import { parseInt64 } from '../commands/args.js';
import { ERR } from '../commands/errors.js';
import { dbOf, type NodeContext } from '../context.js';
import { typeOfValue } from '../keyspace/database.js';
import { createDumpPayload, readDumpPayload, verifyDumpPayload } from './dump.js';
import type { Persistence } from './persistence.js';

/** RESTORE's error replies (cluster.c restoreCommand). */
export const RESTORE_ERR = {
  BUSYKEY: 'BUSYKEY Target key name already exists.',
  BAD_TTL: 'ERR Invalid TTL value, must be >= 0',
  BAD_IDLETIME: 'ERR Invalid IDLETIME value, must be >= 0',
  BAD_FREQ: 'ERR Invalid FREQ value, must be >= 0 and <= 255',
  BAD_PAYLOAD: 'ERR DUMP payload version or checksum are wrong',
  BAD_FORMAT: 'ERR Bad data format',
} as const;

interface Meta {
  arity: number;
  flags: CommandFlag[];
  categories: string[];
  keys?: { first: number; last: number; step: number };
}

const META: Record<string, Meta> = {
  dump: { arity: 2, flags: ['readonly'], categories: ['keyspace', 'read', 'slow'], keys: { first: 1, last: 1, step: 1 } },
  restore: { arity: -4, flags: ['write', 'denyoom'], categories: ['keyspace', 'write', 'slow', 'dangerous'], keys: { first: 1, last: 1, step: 1 } },
  save: { arity: 1, flags: ['admin', 'noscript', 'no_multi'], categories: ['admin', 'slow', 'dangerous'] },
  bgsave: { arity: -1, flags: ['admin', 'noscript'], categories: ['admin', 'slow', 'dangerous'] },
  bgrewriteaof: { arity: 1, flags: ['admin', 'noscript'], categories: ['admin', 'slow', 'dangerous'] },
  lastsave: { arity: 1, flags: ['loading', 'stale', 'fast'], categories: ['admin', 'fast', 'dangerous'] },
};

function cmd(name: string, handler: CommandHandler): CommandSpec {
  const m = META[name]!;
  return { name, arity: m.arity, flags: m.flags, categories: m.categories, keys: m.keys, handler, group: m.keys ? 'generic' : 'server' };
}

export interface PersistenceCommandOptions {
  /** skip-checksum-validation (a DEBUG switch in Redis); false in normal operation. */
  readonly skipChecksumValidation?: () => boolean;
  /** Whether the node is a replica (RESTORE never treats a TTL as already expired there: checkAlreadyExpired). */
  readonly isReplica?: () => boolean;
}

export function persistenceCommands(node: NodeContext, p: Persistence, opts: PersistenceCommandOptions = {}): CommandSpec[] {
  const { ks } = node;

  const dump = cmd('dump', (ctx, args) => {
    const v = dbOf(node, ctx).lookupRead(args[1]!);
    if (v === undefined) return ctx.reply.nil();
    const payload = createDumpPayload(v, { compression: p.config.rdbcompression, limits: p.config.limits });
    ctx.reply.bulk(payload);
  });

  const restore = cmd('restore', (ctx, args) => {
    const key = args[1]!;
    let replace = false;
    let absttl = false;
    let idle = -1;
    let freq = -1;
    for (let j = 4; j < args.length; j++) {
      const opt = args[j]!.toLowerCase();
      const more = args.length - j - 1;
      if (opt === 'replace') {
        replace = true;
      } else if (opt === 'absttl') {
        absttl = true;
      } else if (opt === 'idletime' && more >= 1 && freq === -1) {
        const v = parseInt64(args[j + 1]!);
        if (v === null) return ctx.reply.error(ERR.NOT_INTEGER);
        if (v < 0) return ctx.reply.error(RESTORE_ERR.BAD_IDLETIME);
        idle = v;
        j++;
      } else if (opt === 'freq' && more >= 1 && idle === -1) {
        const v = parseInt64(args[j + 1]!);
        if (v === null) return ctx.reply.error(ERR.NOT_INTEGER);
        if (v < 0 || v > 255) return ctx.reply.error(RESTORE_ERR.BAD_FREQ);
        freq = v;
        j++;
      } else {
        return ctx.reply.error(ERR.SYNTAX);
      }
    }
    const db = dbOf(node, ctx);
    if (!replace && db.lookupWrite(key) !== undefined) return ctx.reply.error(RESTORE_ERR.BUSYKEY);
    let ttl = parseInt64(args[2]!);
    if (ttl === null) return ctx.reply.error(ERR.NOT_INTEGER);
    if (ttl < 0) return ctx.reply.error(RESTORE_ERR.BAD_TTL);
    const payload = Buffer.from(args[3]!, 'latin1');
    if (!verifyDumpPayload(payload, opts.skipChecksumValidation?.() ?? false)) return ctx.reply.error(RESTORE_ERR.BAD_PAYLOAD);
    const value = readDumpPayload(payload);
    if (value === null) return ctx.reply.error(RESTORE_ERR.BAD_FORMAT);

    const deleted = replace ? db.remove(key) : false;
    const now = ks.now();
    if (ttl !== 0 && !absttl) ttl += now;
    // checkAlreadyExpired: a replica keeps the key (its master decides about expiry)
    if (ttl !== 0 && ttl <= now && !(opts.isReplica?.() ?? false)) {
      if (deleted) {
        node.prop.rewrite([node.settings.lazyfreeLazyUserDel ? 'UNLINK' : 'DEL', key]);
        ks.dirty++;
      }
      return ctx.reply.ok();
    }
    db.set(key, value);
    if (ttl !== 0) {
      db.setExpire(key, ttl);
      // propagate the TTL as an absolute time, so replicas and the AOF restore the same expiry
      if (!absttl) {
        const rewritten = args.slice();
        rewritten[2] = String(ttl);
        rewritten.push('ABSTTL');
        node.prop.rewrite(rewritten);
      }
    }
    // objectSetLRUOrLFU: IDLETIME seeds the key's LRU stamp when an LRU policy keeps them (the stamps are in ms);
    // FREQ is validated only, tredis keeps no LFU counters
    if (idle >= 0 && db.lru !== null && ks.lruClock >= 0) db.lru.set(key, ks.lruClock - idle * 1000);
    const t = typeOfValue(value);
    if (t === 'list' || t === 'zset') node.ready.signalKeyAsReady(ctx.session.db, key);
    ks.dirty++;
    ctx.reply.ok();
  });

  const reply = (ctx: Parameters<CommandHandler>[0], r: ReturnType<Persistence['saveCommand']>): void => {
    if (r.ok) ctx.reply.simple(r.status);
    else ctx.reply.error(r.error);
  };

  const save = cmd('save', (ctx) => reply(ctx, p.saveCommand()));

  const bgsave = cmd('bgsave', (ctx, args) => {
    let schedule = false;
    if (args.length > 1) {
      if (args.length === 2 && args[1]!.toLowerCase() === 'schedule') schedule = true;
      else return ctx.reply.error(ERR.SYNTAX);
    }
    reply(ctx, p.bgsaveCommand(schedule));
  });

  const bgrewriteaof = cmd('bgrewriteaof', (ctx) => reply(ctx, p.bgrewriteaofCommand()));

  const lastsave = cmd('lastsave', (ctx) => ctx.reply.int(p.lastSave));

  return [dump, restore, save, bgsave, bgrewriteaof, lastsave];
}
