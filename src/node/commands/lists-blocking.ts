/**
 * Blocking list commands (t_list.c blockingPopGenericCommand, blmoveGenericCommand, blocked.c): BLPOP, BRPOP,
 * BLMOVE, BRPOPLPUSH, BLMPOP. Served immediately when a key has elements (propagated as the non-blocking form),
 * otherwise the handler's promise settles when BlockingManager serves or times it out. Inside EXEC they never
 * block: they answer as on a timeout (CLIENT_DENY_BLOCKING).
 */
import type { CommandContext, CommandSpec } from '../../server/types.js';
import type { BlockingManager } from '../blocking.js';
import { dbOf, type NodeContext } from '../context.js';
import { ERR } from './errors.js';
import { parseLongDouble } from './long-double.js';
import { asList } from './lookup.js';
import { listOps, parseEnd, parseMpop, type End } from './lists.js';
import { spec } from './table.js';

const TWO63 = 2 ** 63;

/**
 * getTimeoutFromObjectOrReply (seconds, as a long double): absolute deadline in wall ms, 0 for "forever", or the
 * error text. A timeout too large for long long converts to LLONG_MIN on x86-64 and is reported as negative.
 */
export function parseTimeout(s: string, now: number): number | string {
  const ld = parseLongDouble(s);
  if (ld === null) return 'ERR timeout is not a float or out of range';
  let ms: number;
  if (ld.kind === 'inf') ms = -TWO63;
  else {
    const v = Number(ld.m) * 2 ** ld.e * 1000;
    ms = Math.abs(v) >= TWO63 ? -TWO63 : Math.trunc(ld.neg ? -v : v);
  }
  if (ms < 0) return 'ERR timeout is negative';
  if (ms === 0) return 0;
  if (ms > TWO63 - 1 - now) return 'ERR timeout is out of range';
  return ms + now;
}

export function blockingListCommands(node: NodeContext, blocking: BlockingManager): CommandSpec[] {
  const { ks } = node;
  const ops = listOps(node);

  /** BLPOP/BRPOP/BLMPOP. `count` -1 for the BLPOP reply shape. */
  function blockingPop(ctx: CommandContext, keys: string[], end: End, count: number, deadline: number): void | Promise<void> {
    const db = dbOf(node, ctx);
    for (const key of keys) {
      const list = asList(db.lookupWrite(key));
      if (list === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (list === undefined || list.length === 0) continue;
      popOne(ctx, key, end, count, true);
      return;
    }
    if (node.inExec()) return ctx.reply.nilArray();
    return blocking.blockForKeys(ctx, db.index, keys, deadline, (key) => popOne(ctx, key, end, count, false));
  }

  /** Pop from `key` if it holds a non-empty list; reply and propagate. */
  function popOne(ctx: CommandContext, key: string, end: End, count: number, inCommand: boolean): boolean {
    const db = dbOf(node, ctx);
    const list = asList(db.lookupWrite(key));
    if (list === null || list === undefined || list.length === 0) return false;
    const cmd = end === 'left' ? 'LPOP' : 'RPOP';
    let argv: string[];
    if (count === -1) {
      db.beforeWrite(key);
      const v = (end === 'left' ? list.popHead() : list.popTail())!;
      ctx.reply.array(2);
      ctx.reply.bulk(key);
      ctx.reply.bulk(v);
      ops.removed(db, key, list, 1);
      argv = [cmd, key];
    } else {
      const n = ops.popRangeWithKey(ctx, db, key, list, end, count);
      argv = [cmd, key, String(n)];
    }
    if (inCommand) node.prop.rewrite(argv);
    else node.prop.also(db.index, argv);
    return true;
  }

  function blmove(ctx: CommandContext, src: string, dst: string, from: End, to: End, deadline: number, rewrite: string[]): void | Promise<void> {
    const db = dbOf(node, ctx);
    const s = asList(db.lookupWrite(src));
    if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
    if (s !== undefined && s.length > 0) {
      if (ops.move(ctx, db, src, s, dst, from, to)) node.prop.rewrite(rewrite);
      return;
    }
    if (node.inExec()) return ctx.reply.nil();
    return blocking.blockForKeys(ctx, db.index, [src], deadline, () => {
      const list = asList(db.lookupWrite(src));
      if (list === null || list === undefined || list.length === 0) return false;
      // a wrong-typed destination answers the waiter with WRONGTYPE and unblocks it (checkType on receiver)
      if (ops.move(ctx, db, src, list, dst, from, to)) node.prop.also(db.index, rewrite);
      return true;
    });
  }

  function timeoutOrReply(ctx: CommandContext, raw: string): number | null {
    const t = parseTimeout(raw, ks.now());
    if (typeof t === 'string') {
      ctx.reply.error(t);
      return null;
    }
    return t;
  }

  return [
    spec('blpop', (ctx, args) => {
      const t = timeoutOrReply(ctx, args[args.length - 1]!);
      if (t === null) return;
      return blockingPop(ctx, args.slice(1, -1), 'left', -1, t);
    }),
    spec('brpop', (ctx, args) => {
      const t = timeoutOrReply(ctx, args[args.length - 1]!);
      if (t === null) return;
      return blockingPop(ctx, args.slice(1, -1), 'right', -1, t);
    }),
    spec('blmpop', (ctx, args) => {
      const t = timeoutOrReply(ctx, args[1]!);
      if (t === null) return;
      const p = parseMpop(ctx, args, 2, parseEnd);
      if (p === null) return;
      return blockingPop(ctx, p.keys, p.end, p.count, t);
    }),
    spec('blmove', (ctx, args) => {
      const from = parseEnd(args[3]!);
      const to = from === null ? null : parseEnd(args[4]!);
      if (from === null || to === null) return ctx.reply.error(ERR.SYNTAX);
      const t = timeoutOrReply(ctx, args[5]!);
      if (t === null) return;
      return blmove(ctx, args[1]!, args[2]!, from, to, t, ['LMOVE', args[1]!, args[2]!, args[3]!, args[4]!]);
    }),
    spec('brpoplpush', (ctx, args) => {
      const t = timeoutOrReply(ctx, args[3]!);
      if (t === null) return;
      return blmove(ctx, args[1]!, args[2]!, 'right', 'left', t, ['RPOPLPUSH', args[1]!, args[2]!]);
    }),
  ];
}
