/**
 * Expiry commands (expire.c): EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with NX|XX|GT|LT, TTL/PTTL,
 * EXPIRETIME/PEXPIRETIME, PERSIST.
 */
import type { CommandContext, CommandSpec } from '../../server/types.js';
import { dbOf, type NodeContext } from '../context.js';
import { LLONG_MAX, parseInt64 } from './args.js';
import { ERR } from './errors.js';
import { spec } from './table.js';

const I64_MAX = Number(LLONG_MAX);

export function expiryCommands(node: NodeContext): CommandSpec[] {
  const { ks } = node;

  /** expireGenericCommand: `base` is 0 for the *AT forms, now otherwise; `seconds` for EXPIRE/EXPIREAT. */
  function expireGeneric(ctx: CommandContext, args: string[], absolute: boolean, seconds: boolean): void {
    const key = args[1]!;
    let nx = false;
    let xx = false;
    let gt = false;
    let lt = false;
    for (let j = 3; j < args.length; j++) {
      const opt = args[j]!.toLowerCase();
      if (opt === 'nx') nx = true;
      else if (opt === 'xx') xx = true;
      else if (opt === 'gt') gt = true;
      else if (opt === 'lt') lt = true;
      else return ctx.reply.error(`ERR Unsupported option ${args[j]!}`);
    }
    if (nx && (xx || gt || lt)) return ctx.reply.error(ERR.EXPIRE_NX_XX_GT_LT);
    if (gt && lt) return ctx.reply.error(ERR.EXPIRE_GT_LT);
    let when = parseInt64(args[2]!);
    if (when === null) return ctx.reply.error(ERR.NOT_INTEGER);
    const cmd = ctx.command.name;
    if (seconds) {
      if (when > I64_MAX / 1000 || when < -I64_MAX / 1000) return ctx.reply.error(ERR.INVALID_EXPIRE(cmd));
      when *= 1000;
    }
    const base = absolute ? 0 : ks.now();
    if (when > I64_MAX - base) return ctx.reply.error(ERR.INVALID_EXPIRE(cmd));
    when += base;
    const db = dbOf(node, ctx);
    if (db.lookupWrite(key) === undefined) return ctx.reply.int(0);
    if (nx || xx || gt || lt) {
      const cur = db.getExpire(key);
      if (nx && cur !== undefined) return ctx.reply.int(0);
      if (xx && cur === undefined) return ctx.reply.int(0);
      if (gt && (cur === undefined || when <= cur)) return ctx.reply.int(0);
      if (lt && cur !== undefined && when >= cur) return ctx.reply.int(0);
    }
    if (when <= ks.now() && ks.deletesExpired) {
      // already in the past: delete now and propagate the deletion (checkAlreadyExpired)
      db.delete(key);
      ks.dirty++;
      node.prop.rewrite([node.settings.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key]);
      return ctx.reply.int(1);
    }
    db.setExpire(key, when);
    ks.dirty++;
    // PEXPIREAT itself is propagated as sent; the others become PEXPIREAT <abs ms> with their flags kept
    if (!(absolute && !seconds)) node.prop.rewrite(['PEXPIREAT', key, String(when), ...args.slice(3)]);
    ctx.reply.int(1);
  }

  /** ttlGenericCommand. */
  function ttl(ctx: CommandContext, key: string, ms: boolean, absolute: boolean): void {
    const db = dbOf(node, ctx);
    if (db.lookupRead(key) === undefined) return ctx.reply.int(-2);
    const expire = db.getExpire(key);
    if (expire === undefined) return ctx.reply.int(-1);
    let t = absolute ? expire : expire - ks.now();
    if (t < 0) t = 0;
    ctx.reply.int(ms ? t : Math.floor((t + 500) / 1000));
  }

  return [
    spec('expire', (ctx, args) => expireGeneric(ctx, args, false, true)),
    spec('pexpire', (ctx, args) => expireGeneric(ctx, args, false, false)),
    spec('expireat', (ctx, args) => expireGeneric(ctx, args, true, true)),
    spec('pexpireat', (ctx, args) => expireGeneric(ctx, args, true, false)),
    spec('ttl', (ctx, args) => ttl(ctx, args[1]!, false, false)),
    spec('pttl', (ctx, args) => ttl(ctx, args[1]!, true, false)),
    spec('expiretime', (ctx, args) => ttl(ctx, args[1]!, false, true)),
    spec('pexpiretime', (ctx, args) => ttl(ctx, args[1]!, true, true)),
    spec('persist', (ctx, args) => {
      const key = args[1]!;
      const db = dbOf(node, ctx);
      if (db.lookupWrite(key) === undefined) return ctx.reply.int(0);
      if (!db.persist(key)) return ctx.reply.int(0);
      ks.dirty++;
      ctx.reply.int(1);
    }),
  ];
}
