/**
 * List commands (t_list.c), non-blocking half; the blocking forms are in lists-blocking.ts.
 */
import type { CommandContext, CommandSpec } from '../../server/types.js';
import { dbOf, type NodeContext } from '../context.js';
import type { Database } from '../keyspace/database.js';
import { ListValue } from '../keyspace/list.js';
import { parseInt64, parseNonNegative } from './args.js';
import { ERR } from './errors.js';
import { asList, clampRange } from './lookup.js';
import { spec } from './table.js';

export type End = 'left' | 'right';

/** getListPositionFromObjectOrReply. */
export function parseEnd(s: string): End | null {
  const l = s.toLowerCase();
  return l === 'left' ? 'left' : l === 'right' ? 'right' : null;
}

/** Shared list operations the blocking commands reuse. */
export interface ListOps {
  /** Push onto dst (creating it), return the new length; the caller checked dst's type. */
  push(db: Database, key: string, list: ListValue | undefined, value: string, end: End): number;
  /** After removing elements: count them dirty and delete an emptied list. */
  removed(db: Database, key: string, list: ListValue, count: number): void;
  /** LMOVE's core: pop from src (non-empty), push to dst, reply the element. */
  move(ctx: CommandContext, db: Database, src: string, srcList: ListValue, dst: string, from: End, to: End): boolean;
  /** Reply `[key, [popped...]]` popping up to count from one end (LMPOP/BLMPOP); returns the popped count. */
  popRangeWithKey(ctx: CommandContext, db: Database, key: string, list: ListValue, end: End, count: number): number;
}

export function listOps(node: NodeContext): ListOps {
  const { ks } = node;
  const ops: ListOps = {
    push(db, key, list, value, end) {
      if (list === undefined) {
        list = new ListValue();
        db.set(key, list);
        node.ready.signalKeyAsReady(db.index, key);
      } else {
        db.beforeWrite(key);
      }
      if (end === 'left') list.pushHead(value);
      else list.pushTail(value);
      return list.length;
    },
    removed(db, key, list, count) {
      ks.dirty += count;
      if (list.length === 0) db.delete(key);
    },
    move(ctx, db, src, srcList, dst, from, to) {
      const d = asList(db.lookupWrite(dst));
      if (d === null) {
        ctx.reply.error(ERR.WRONGTYPE);
        return false;
      }
      db.beforeWrite(src);
      const v = (from === 'left' ? srcList.popHead() : srcList.popTail())!;
      // same key: the pushed element goes back onto the (now shorter) source list
      ops.push(db, dst, src === dst ? srcList : d, v, to);
      ctx.reply.bulk(v);
      if (srcList.length === 0) db.delete(src);
      ks.dirty++;
      return true;
    },
    popRangeWithKey(ctx, db, key, list, end, count) {
      const n = Math.min(count, list.length);
      db.beforeWrite(key);
      ctx.reply.array(2);
      ctx.reply.bulk(key);
      ctx.reply.array(n);
      for (let i = 0; i < n; i++) ctx.reply.bulk((end === 'left' ? list.popHead() : list.popTail())!);
      ops.removed(db, key, list, n);
      return n;
    },
  };
  return ops;
}

export function listCommands(node: NodeContext): CommandSpec[] {
  const { ks } = node;
  const ops = listOps(node);

  function push(ctx: CommandContext, args: string[], end: End, onlyExisting: boolean): void {
    const key = args[1]!;
    const db = dbOf(node, ctx);
    const list = asList(db.lookupWrite(key));
    if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
    if (list === undefined && onlyExisting) return ctx.reply.int(0);
    let target = list;
    for (let i = 2; i < args.length; i++) {
      ops.push(db, key, target, args[i]!, end);
      target ??= db.dict.get(key) as ListValue;
    }
    ks.dirty += args.length - 2;
    ctx.reply.int(target!.length);
  }

  function pop(ctx: CommandContext, args: string[], end: End): void {
    if (args.length > 3) return ctx.reply.error(`ERR wrong number of arguments for '${ctx.command.name}' command`);
    const hasCount = args.length === 3;
    let count = 0;
    if (hasCount) {
      const n = parseNonNegative(args[2]!, ERR.OUT_OF_RANGE_POSITIVE);
      if (typeof n === 'string') return ctx.reply.error(n);
      count = n;
    }
    const key = args[1]!;
    const db = dbOf(node, ctx);
    const list = asList(db.lookupWrite(key));
    if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
    if (list === undefined) return hasCount ? ctx.reply.nilArray() : ctx.reply.nil();
    if (hasCount && count === 0) return ctx.reply.array(0);
    db.beforeWrite(key);
    if (!hasCount) {
      ctx.reply.bulk((end === 'left' ? list.popHead() : list.popTail())!);
      ops.removed(db, key, list, 1);
      return;
    }
    const n = Math.min(count, list.length);
    ctx.reply.array(n);
    for (let i = 0; i < n; i++) ctx.reply.bulk((end === 'left' ? list.popHead() : list.popTail())!);
    ops.removed(db, key, list, n);
  }

  return [
    spec('lpush', (ctx, args) => push(ctx, args, 'left', false)),
    spec('rpush', (ctx, args) => push(ctx, args, 'right', false)),
    spec('lpushx', (ctx, args) => push(ctx, args, 'left', true)),
    spec('rpushx', (ctx, args) => push(ctx, args, 'right', true)),
    spec('lpop', (ctx, args) => pop(ctx, args, 'left')),
    spec('rpop', (ctx, args) => pop(ctx, args, 'right')),

    spec('llen', (ctx, args) => {
      const list = asList(dbOf(node, ctx).lookupRead(args[1]!));
      if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.int(list?.length ?? 0);
    }),

    spec('lindex', (ctx, args) => {
      const list = asList(dbOf(node, ctx).lookupRead(args[1]!));
      if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (list === undefined) return ctx.reply.nil();
      const i = parseInt64(args[2]!);
      if (i === null) return ctx.reply.error(ERR.NOT_INTEGER);
      const v = list.at(i);
      if (v === undefined) ctx.reply.nil();
      else ctx.reply.bulk(v);
    }),

    spec('lset', (ctx, args) => {
      const key = args[1]!;
      const db = dbOf(node, ctx);
      const list = asList(db.lookupWrite(key));
      if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (list === undefined) return ctx.reply.error(ERR.NO_SUCH_KEY);
      const i = parseInt64(args[2]!);
      if (i === null) return ctx.reply.error(ERR.NOT_INTEGER);
      if (list.at(i) === undefined) return ctx.reply.error(ERR.INDEX_OUT_OF_RANGE);
      db.beforeWrite(key);
      list.set(i, args[3]!);
      ks.dirty++;
      ctx.reply.ok();
    }),

    spec('lrange', (ctx, args) => {
      const start = parseInt64(args[2]!);
      const end = parseInt64(args[3]!);
      if (start === null || end === null) return ctx.reply.error(ERR.NOT_INTEGER);
      const list = asList(dbOf(node, ctx).lookupRead(args[1]!));
      if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
      const r = list === undefined ? null : clampRange(start, end, list.length);
      if (r === null) return ctx.reply.array(0);
      ctx.reply.bulkArray(list!.range(r[0], r[1]));
    }),

    spec('ltrim', (ctx, args) => {
      const key = args[1]!;
      let start = parseInt64(args[2]!);
      let end = parseInt64(args[3]!);
      if (start === null || end === null) return ctx.reply.error(ERR.NOT_INTEGER);
      const db = dbOf(node, ctx);
      const list = asList(db.lookupWrite(key));
      if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (list === undefined) return ctx.reply.ok();
      const len = list.length;
      if (start < 0) start = len + start;
      if (end < 0) end = len + end;
      if (start < 0) start = 0;
      db.beforeWrite(key);
      let removed: number;
      if (start > end || start >= len) {
        removed = len;
        list.trim(1, 0);
      } else {
        if (end >= len) end = len - 1;
        removed = start + (len - end - 1);
        list.trim(start, end);
      }
      ops.removed(db, key, list, removed);
      ctx.reply.ok();
    }),

    spec('lrem', (ctx, args) => {
      const key = args[1]!;
      const count = parseInt64(args[2]!);
      if (count === null) return ctx.reply.error(ERR.NOT_INTEGER);
      const db = dbOf(node, ctx);
      const list = asList(db.lookupWrite(key));
      if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (list === undefined) return ctx.reply.int(0);
      const el = args[3]!;
      if (list.indexOf(el) < 0) return ctx.reply.int(0);
      db.beforeWrite(key);
      const removed = list.removeWhere((v) => v !== el, Math.abs(count), count < 0);
      ops.removed(db, key, list, removed);
      ctx.reply.int(removed);
    }),

    spec('linsert', (ctx, args) => {
      const key = args[1]!;
      const where = args[2]!.toLowerCase();
      if (where !== 'before' && where !== 'after') return ctx.reply.error(ERR.SYNTAX);
      const db = dbOf(node, ctx);
      const list = asList(db.lookupWrite(key));
      if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (list === undefined) return ctx.reply.int(0);
      const i = list.indexOf(args[3]!);
      if (i < 0) return ctx.reply.int(-1);
      db.beforeWrite(key);
      list.insertAt(where === 'before' ? i : i + 1, args[4]!);
      ks.dirty++;
      ctx.reply.int(list.length);
    }),

    spec('lpos', (ctx, args) => {
      let rank = 1;
      let count = -1;
      let maxlen = 0;
      for (let j = 3; j < args.length; j++) {
        const opt = args[j]!.toUpperCase();
        const more = args.length - 1 - j > 0;
        if (opt === 'RANK' && more) {
          const r = parseInt64(args[++j]!);
          if (r === null) return ctx.reply.error(ERR.NOT_INTEGER);
          if (r === 0) return ctx.reply.error(ERR.LPOS_RANK_ZERO);
          rank = r;
        } else if (opt === 'COUNT' && more) {
          const c = parseNonNegative(args[++j]!, ERR.LPOS_COUNT_NEGATIVE);
          if (typeof c === 'string') return ctx.reply.error(c);
          count = c;
        } else if (opt === 'MAXLEN' && more) {
          const m = parseNonNegative(args[++j]!, ERR.LPOS_MAXLEN_NEGATIVE);
          if (typeof m === 'string') return ctx.reply.error(m);
          maxlen = m;
        } else return ctx.reply.error(ERR.SYNTAX);
      }
      // rank LONG_MIN cannot be negated in C: it stays negative, so every match satisfies `matches >= rank`
      const fromTail = rank < 0;
      if (rank < 0) rank = rank <= -(2 ** 63) ? -Infinity : -rank;
      const list = asList(dbOf(node, ctx).lookupRead(args[1]!));
      if (list === undefined) return count !== -1 ? ctx.reply.array(0) : ctx.reply.nil();
      if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
      const el = args[2]!;
      const len = list.length;
      const found: number[] = [];
      let matches = 0;
      for (let index = 0; index < len && (maxlen === 0 || index < maxlen); index++) {
        const pos = fromTail ? len - 1 - index : index;
        if (list.at(pos) !== el) continue;
        matches++;
        if (matches >= rank) {
          found.push(pos);
          if (count === -1) break;
          if (count !== 0 && matches - (rank === -Infinity ? 1 : rank) + 1 >= count) break;
        }
      }
      if (count !== -1) {
        ctx.reply.array(found.length);
        for (const f of found) ctx.reply.int(f);
      } else if (found.length > 0) ctx.reply.int(found[0]!);
      else ctx.reply.nil();
    }),

    spec('lmove', (ctx, args) => {
      const from = parseEnd(args[3]!);
      const to = from === null ? null : parseEnd(args[4]!);
      if (from === null || to === null) return ctx.reply.error(ERR.SYNTAX);
      lmove(ctx, args[1]!, args[2]!, from, to);
    }),

    spec('rpoplpush', (ctx, args) => lmove(ctx, args[1]!, args[2]!, 'right', 'left')),

    spec('lmpop', (ctx, args) => {
      const parsed = parseMpop(ctx, args, 1, parseEnd);
      if (parsed === null) return;
      const db = dbOf(node, ctx);
      for (const key of parsed.keys) {
        const list = asList(db.lookupWrite(key));
        if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
        if (list === undefined || list.length === 0) continue;
        const n = ops.popRangeWithKey(ctx, db, key, list, parsed.end, parsed.count);
        node.prop.rewrite([parsed.end === 'left' ? 'LPOP' : 'RPOP', key, String(n)]);
        return;
      }
      ctx.reply.nilArray();
    }),
  ];

  function lmove(ctx: CommandContext, src: string, dst: string, from: End, to: End): void {
    const db = dbOf(node, ctx);
    const s = asList(db.lookupWrite(src));
    if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
    if (s === undefined || s.length === 0) return ctx.reply.nil();
    ops.move(ctx, db, src, s, dst, from, to);
  }
}

/** LMPOP/BLMPOP/ZMPOP/BZMPOP: `numkeys key… <end> [COUNT n]` from args[numkeysIdx]. */
export function parseMpop<E extends string>(
  ctx: CommandContext,
  args: readonly string[],
  numkeysIdx: number,
  parseWhere: (s: string) => E | null,
): { keys: string[]; end: E; count: number } | null {
  const numkeys = parseInt64(args[numkeysIdx]!);
  if (numkeys === null || numkeys < 1) {
    ctx.reply.error('ERR numkeys should be greater than 0');
    return null;
  }
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= args.length) {
    ctx.reply.error(ERR.SYNTAX);
    return null;
  }
  const end = parseWhere(args[whereIdx]!);
  if (end === null) {
    ctx.reply.error(ERR.SYNTAX);
    return null;
  }
  let count = -1;
  for (let j = whereIdx + 1; j < args.length; j++) {
    const more = args.length - 1 - j > 0;
    if (count === -1 && args[j]!.toUpperCase() === 'COUNT' && more) {
      const c = parseInt64(args[++j]!);
      if (c === null || c < 1) {
        ctx.reply.error(ERR.COUNT_POSITIVE);
        return null;
      }
      count = c;
    } else {
      ctx.reply.error(ERR.SYNTAX);
      return null;
    }
  }
  return { keys: args.slice(numkeysIdx + 1, whereIdx), end, count: count === -1 ? 1 : count };
}
