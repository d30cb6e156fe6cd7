/**
 * String commands (t_string.c): GET/SET and variants, MGET/MSET, APPEND, ranges, counters.
 */
import type { CommandContext, CommandSpec } from '../../server/types.js';
import { dbOf, type NodeContext } from '../context.js';
import { parseInt64, parseInt64Exact, LLONG_MAX, LLONG_MIN } from './args.js';
import { ERR } from './errors.js';
import { addLongDouble, formatLongDoubleHuman, longDoubleFromInt, parseLongDouble } from './long-double.js';
import { asString } from './lookup.js';
import { spec } from './table.js';
import { parseSetOptions, type ExpireUnit } from './set-options.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** V8's longest string (2^29 − 24 chars): a string value cannot grow past it, whatever proto-max-bulk-len says. */
const MAX_STRING = 2 ** 29 - 24;
const I64_MAX = Number(LLONG_MAX);

/** Absolute expiry (ms) for EX/PX/EXAT/PXAT, or an error reply (getExpireMillisecondsOrReply). */
export function expireMillis(raw: string, unit: ExpireUnit, now: number, cmd: string): number | string {
  const v = parseInt64(raw);
  if (v === null) return ERR.NOT_INTEGER;
  const seconds = unit === 'EX' || unit === 'EXAT';
  if (v <= 0 || (seconds && v > I64_MAX / 1000)) return ERR.INVALID_EXPIRE(cmd);
  let ms = seconds ? v * 1000 : v;
  if (unit === 'EX' || unit === 'PX') ms += now;
  if (ms <= 0 || ms > I64_MAX) return ERR.INVALID_EXPIRE(cmd);
  return ms;
}

export function stringCommands(node: NodeContext): CommandSpec[] {
  const { ks } = node;

  /** getGenericCommand: reply the value (or nil); false after replying WRONGTYPE. */
  function replyGet(ctx: CommandContext, key: string): boolean {
    const v = asString(dbOf(node, ctx).lookupRead(key));
    if (v === null) {
      ctx.reply.error(ERR.WRONGTYPE);
      return false;
    }
    if (v === undefined) ctx.reply.nil();
    else ctx.reply.bulk(v);
    return true;
  }

  /**
   * setGenericCommand. `expire` is the raw EX/PX/EXAT/PXAT argument; replies as SET unless `replies` overrides
   * (SETNX's :1/:0).
   */
  function setGeneric(
    ctx: CommandContext,
    args: string[],
    key: string,
    value: string,
    o: { nx?: boolean; xx?: boolean; get?: boolean; keepTtl?: boolean; unit?: ExpireUnit; expire?: string },
    replies?: { ok: () => void; abort: () => void },
  ): void {
    const db = dbOf(node, ctx);
    let when = 0;
    if (o.expire !== undefined) {
      const r = expireMillis(o.expire, o.unit!, ks.now(), ctx.command.name);
      if (typeof r === 'string') return ctx.reply.error(r);
      when = r;
    }
    if (o.get === true && !replyGet(ctx, key)) return;
    if (o.nx === true || o.xx === true) {
      const found = db.lookupWrite(key) !== undefined;
      if ((o.nx === true && found) || (o.xx === true && !found)) {
        if (o.get !== true) {
          if (replies !== undefined) replies.abort();
          else ctx.reply.nil();
        }
        return;
      }
    } else {
      db.expireIfNeeded(key);
    }
    db.set(key, value, o.keepTtl === true);
    ks.dirty++;
    if (o.expire !== undefined) {
      db.setExpire(key, when);
      node.prop.rewrite(['SET', key, value, 'PXAT', String(when)]);
    } else if (o.get === true) {
      // propagate without the GET token(s)
      node.prop.rewrite(args.filter((a, i) => i < 3 || a.length !== 3 || a.toUpperCase() !== 'GET'));
    }
    if (o.get !== true) {
      if (replies !== undefined) replies.ok();
      else ctx.reply.ok();
    }
  }

  function incrDecr(ctx: CommandContext, key: string, incr: number | bigint): void {
    const db = dbOf(node, ctx);
    const cur = asString(db.lookupWrite(key));
    if (cur === null) return ctx.reply.error(ERR.WRONGTYPE);
    let next: string;
    if (cur === undefined || cur.length <= 15) {
      const v = cur === undefined ? 0 : parseInt64(cur);
      if (v === null) return ctx.reply.error(ERR.NOT_INTEGER);
      if (typeof incr === 'number' && Math.abs(incr) <= MAX_SAFE && Math.abs(v + incr) <= MAX_SAFE) {
        next = String(v + incr);
      } else {
        const r = BigInt(v) + BigInt(incr);
        if (r > LLONG_MAX || r < LLONG_MIN) return ctx.reply.error(ERR.OVERFLOW);
        next = r.toString();
      }
    } else {
      const v = parseInt64Exact(cur);
      if (v === null) return ctx.reply.error(ERR.NOT_INTEGER);
      const r = v + BigInt(incr);
      if (r > LLONG_MAX || r < LLONG_MIN) return ctx.reply.error(ERR.OVERFLOW);
      next = r.toString();
    }
    db.set(key, next, true);
    ks.dirty++;
    ctx.reply.raw(`:${next}\r\n`);
  }

  /** The increment argument of INCRBY/DECRBY as an exact int64 (number when safely representable). */
  function parseIncr(s: string): number | bigint | null {
    if (s.length <= 15) return parseInt64(s);
    return parseInt64Exact(s);
  }

  function checkLength(ctx: CommandContext, size: number): boolean {
    if ((size > node.settings.protoMaxBulkLen && !ks.fromMaster) || size > MAX_STRING) {
      ctx.reply.error(ERR.STRING_TOO_LONG);
      return false;
    }
    return true;
  }

  return [
    spec('get', (ctx, args) => {
      replyGet(ctx, args[1]!);
    }),

    spec('set', (ctx, args) => {
      if (args.length === 3) {
        // plain SET: the hot path (no options to parse, no lookup beyond lazy expiry)
        const key = args[1]!;
        const db = dbOf(node, ctx);
        db.expireIfNeeded(key);
        db.set(key, args[2]!);
        ks.dirty++;
        return ctx.reply.ok();
      }
      const o = parseSetOptions(args, 3, 'set');
      if (o === null) return ctx.reply.error(ERR.SYNTAX);
      setGeneric(ctx, args, args[1]!, args[2]!, o);
    }),

    spec('setnx', (ctx, args) => {
      setGeneric(ctx, args, args[1]!, args[2]!, { nx: true }, { ok: () => ctx.reply.int(1), abort: () => ctx.reply.int(0) });
    }),

    spec('setex', (ctx, args) => {
      setGeneric(ctx, args, args[1]!, args[3]!, { unit: 'EX', expire: args[2]! });
    }),

    spec('psetex', (ctx, args) => {
      setGeneric(ctx, args, args[1]!, args[3]!, { unit: 'PX', expire: args[2]! });
    }),

    spec('getset', (ctx, args) => {
      const key = args[1]!;
      if (!replyGet(ctx, key)) return;
      const db = dbOf(node, ctx);
      db.set(key, args[2]!);
      ks.dirty++;
      node.prop.rewrite(['SET', key, args[2]!]);
    }),

    spec('getdel', (ctx, args) => {
      const key = args[1]!;
      const db = dbOf(node, ctx);
      const v = asString(db.lookupRead(key));
      if (v === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (v === undefined) return ctx.reply.nil();
      ctx.reply.bulk(v);
      db.delete(key);
      ks.dirty++;
      node.prop.rewrite([node.settings.lazyfreeLazyUserDel ? 'UNLINK' : 'DEL', key]);
    }),

    spec('getex', (ctx, args) => {
      const key = args[1]!;
      const o = parseSetOptions(args, 2, 'get');
      if (o === null) return ctx.reply.error(ERR.SYNTAX);
      const db = dbOf(node, ctx);
      let when = 0;
      if (o.expire !== undefined) {
        const r = expireMillis(o.expire, o.unit!, ks.now(), 'getex');
        if (typeof r === 'string') return ctx.reply.error(r);
        when = r;
      }
      const v = asString(db.lookupRead(key));
      if (v === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (v === undefined) return ctx.reply.nil();
      ctx.reply.bulk(v);
      const absolute = o.unit === 'EXAT' || o.unit === 'PXAT';
      if (o.expire !== undefined && absolute && when <= ks.now() && ks.deletesExpired) {
        // an absolute time already in the past deletes the key (checkAlreadyExpired)
        db.delete(key);
        ks.dirty++;
        node.prop.rewrite([node.settings.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key]);
      } else if (o.expire !== undefined) {
        db.setExpire(key, when);
        ks.dirty++;
        if (o.unit !== 'PXAT') node.prop.rewrite(['PEXPIREAT', key, String(when)]);
      } else if (o.persist === true) {
        if (db.persist(key)) {
          ks.dirty++;
          node.prop.rewrite(['PERSIST', key]);
        }
      }
    }),

    spec('mget', (ctx, args) => {
      const db = dbOf(node, ctx);
      ctx.reply.array(args.length - 1);
      for (let i = 1; i < args.length; i++) {
        const v = db.lookupRead(args[i]!);
        if (typeof v === 'string') ctx.reply.bulk(v);
        else ctx.reply.nil();
      }
    }),

    spec('mset', (ctx, args) => {
      if (args.length % 2 === 0) return ctx.reply.error(`ERR wrong number of arguments for 'mset' command`);
      const db = dbOf(node, ctx);
      for (let i = 1; i < args.length; i += 2) {
        db.expireIfNeeded(args[i]!);
        db.set(args[i]!, args[i + 1]!);
      }
      ks.dirty += (args.length - 1) / 2;
      ctx.reply.ok();
    }),

    spec('msetnx', (ctx, args) => {
      if (args.length % 2 === 0) return ctx.reply.error(`ERR wrong number of arguments for 'msetnx' command`);
      const db = dbOf(node, ctx);
      for (let i = 1; i < args.length; i += 2) {
        if (db.lookupWrite(args[i]!) !== undefined) return ctx.reply.int(0);
      }
      for (let i = 1; i < args.length; i += 2) db.set(args[i]!, args[i + 1]!);
      ks.dirty += (args.length - 1) / 2;
      ctx.reply.int(1);
    }),

    spec('append', (ctx, args) => {
      const key = args[1]!;
      const add = args[2]!;
      const db = dbOf(node, ctx);
      const cur = asString(db.lookupWrite(key));
      if (cur === null) return ctx.reply.error(ERR.WRONGTYPE);
      let len: number;
      if (cur === undefined) {
        db.set(key, add);
        len = add.length;
      } else {
        len = cur.length + add.length;
        if (!checkLength(ctx, len)) return;
        db.set(key, cur + add, true);
        db.forceEncoding(key, 'raw');
      }
      ks.dirty++;
      ctx.reply.int(len);
    }),

    spec('strlen', (ctx, args) => {
      const v = asString(dbOf(node, ctx).lookupRead(args[1]!));
      if (v === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.int(v === undefined ? 0 : v.length);
    }),

    ...(['getrange', 'substr'] as const).map((name) =>
      spec(name, (ctx, args) => {
        let start = parseInt64(args[2]!);
        let end = parseInt64(args[3]!);
        if (start === null || end === null) return ctx.reply.error(ERR.NOT_INTEGER);
        const v = asString(dbOf(node, ctx).lookupRead(args[1]!));
        if (v === null) return ctx.reply.error(ERR.WRONGTYPE);
        if (v === undefined) return ctx.reply.bulk('');
        const len = v.length;
        if (start < 0 && end < 0 && start > end) return ctx.reply.bulk('');
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len) end = len - 1;
        if (start > end || len === 0) return ctx.reply.bulk('');
        ctx.reply.bulk(v.slice(start, end + 1));
      }),
    ),

    spec('setrange', (ctx, args) => {
      const key = args[1]!;
      const value = args[3]!;
      const offset = parseInt64(args[2]!);
      if (offset === null) return ctx.reply.error(ERR.NOT_INTEGER);
      if (offset < 0) return ctx.reply.error(ERR.OFFSET_OUT_OF_RANGE);
      const db = dbOf(node, ctx);
      const cur = asString(db.lookupWrite(key));
      if (cur === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (cur === undefined) {
        if (value.length === 0) return ctx.reply.int(0);
        if (!checkLength(ctx, offset + value.length)) return;
        db.set(key, '\0'.repeat(offset) + value);
      } else {
        if (value.length === 0) return ctx.reply.int(cur.length);
        if (!checkLength(ctx, offset + value.length)) return;
        const padded = cur.length < offset ? cur + '\0'.repeat(offset - cur.length) : cur;
        db.set(key, padded.slice(0, offset) + value + padded.slice(offset + value.length), true);
      }
      db.forceEncoding(key, 'raw');
      ks.dirty++;
      ctx.reply.int(Math.max(cur?.length ?? 0, offset + value.length));
    }),

    spec('incr', (ctx, args) => incrDecr(ctx, args[1]!, 1)),
    spec('decr', (ctx, args) => incrDecr(ctx, args[1]!, -1)),
    spec('incrby', (ctx, args) => {
      const incr = parseIncr(args[2]!);
      if (incr === null) return ctx.reply.error(ERR.NOT_INTEGER);
      incrDecr(ctx, args[1]!, incr);
    }),
    spec('decrby', (ctx, args) => {
      const incr = parseIncr(args[2]!);
      if (incr === null) return ctx.reply.error(ERR.NOT_INTEGER);
      if (typeof incr === 'bigint' && incr === LLONG_MIN) return ctx.reply.error(ERR.DECREMENT_OVERFLOW);
      incrDecr(ctx, args[1]!, typeof incr === 'bigint' ? -incr : -incr);
    }),

    spec('incrbyfloat', (ctx, args) => {
      const key = args[1]!;
      const db = dbOf(node, ctx);
      const cur = asString(db.lookupWrite(key));
      if (cur === null) return ctx.reply.error(ERR.WRONGTYPE);
      const value = cur === undefined ? longDoubleFromInt(0n) : parseLongDouble(cur);
      if (value === null) return ctx.reply.error(ERR.NOT_FLOAT);
      const incr = parseLongDouble(args[2]!);
      if (incr === null) return ctx.reply.error(ERR.NOT_FLOAT);
      const sum = addLongDouble(value, incr);
      if (sum === null || sum.kind === 'inf') return ctx.reply.error(ERR.NAN_OR_INF);
      const next = formatLongDoubleHuman(sum);
      db.set(key, next, true);
      db.forceEncoding(key, next.length <= 44 ? 'embstr' : 'raw');
      ks.dirty++;
      ctx.reply.bulk(next);
      node.prop.rewrite(['SET', key, next, 'KEEPTTL']);
    }),
  ];
}
