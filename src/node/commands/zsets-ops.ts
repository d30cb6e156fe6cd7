/**
 * Sorted-set pops (ZPOPMIN/ZPOPMAX/ZMPOP and their blocking forms) and set algebra
 * (ZUNION/ZINTER/ZDIFF[STORE], ZUNIONSTORE/ZINTERSTORE, ZINTERCARD) — t_zset.c genericZpopCommand and
 * zunionInterDiffGenericCommand.
 */
import type { CommandContext, CommandSpec } from '../../server/types.js';
import type { BlockingManager } from '../blocking.js';
import { dbOf, type NodeContext } from '../context.js';
import type { Database } from '../keyspace/database.js';
import { ZSetValue, type ZEntry } from '../keyspace/zset.js';
import { parseDouble, parseInt64, parseNonNegative } from './args.js';
import { ERR } from './errors.js';
import { parseTimeout } from './lists-blocking.js';
import { parseMpop } from './lists.js';
import { asZSet } from './lookup.js';
import { spec } from './table.js';
import { replyEntries, storeZsetResult } from './zset-args.js';

type Where = 'min' | 'max';
type Aggregate = 'sum' | 'min' | 'max';
type Op = 'union' | 'inter' | 'diff';

function parseWhere(s: string): Where | null {
  const l = s.toLowerCase();
  return l === 'min' ? 'min' : l === 'max' ? 'max' : null;
}

/** How a pop's reply is shaped (genericZpopCommand's emitkey / use_nested_array). */
interface PopShape {
  readonly emitKey: boolean;
  readonly nested: boolean;
}

export function zsetOpsCommands(node: NodeContext, blocking: BlockingManager): CommandSpec[] {
  const { ks } = node;

  /** Pop up to `count` from a non-empty zset and write the reply; returns the number popped. */
  function popFrom(ctx: CommandContext, db: Database, key: string, z: ZSetValue, where: Where, count: number, shape: PopShape): number {
    db.beforeWrite(key);
    const popped = z.pop(count, where === 'max');
    const n = popped.length;
    if (!shape.nested && !shape.emitKey) ctx.reply.array(n * 2);
    else if (shape.nested && !shape.emitKey) ctx.reply.array(n);
    else if (!shape.nested && shape.emitKey) {
      ctx.reply.array(n * 2 + 1);
      ctx.reply.bulk(key);
    } else {
      ctx.reply.array(2);
      ctx.reply.bulk(key);
      ctx.reply.array(n);
    }
    for (const [m, s] of popped) {
      if (shape.nested) ctx.reply.array(2);
      ctx.reply.bulk(m);
      ctx.reply.double(s);
    }
    ks.dirty += n;
    if (z.size === 0) db.delete(key);
    return n;
  }

  /** The first existing key's zset (WRONGTYPE stops the search), as genericZpopCommand picks its candidate. */
  function candidate(ctx: CommandContext, db: Database, keys: readonly string[]): { key: string; z: ZSetValue } | null | undefined {
    for (const key of keys) {
      const z = asZSet(db.lookupWrite(key));
      if (z === undefined) continue;
      if (z === null) {
        ctx.reply.error(ERR.WRONGTYPE);
        return null;
      }
      return { key, z };
    }
    return undefined;
  }

  function zpop(ctx: CommandContext, args: string[], where: Where): void {
    if (args.length > 3) return ctx.reply.error(ERR.SYNTAX);
    let count = -1;
    if (args.length === 3) {
      const c = parseNonNegative(args[2]!, ERR.OUT_OF_RANGE_POSITIVE);
      if (typeof c === 'string') return ctx.reply.error(c);
      count = c;
    }
    const db = dbOf(node, ctx);
    const c = candidate(ctx, db, [args[1]!]);
    if (c === null) return;
    if (c === undefined || count === 0) return ctx.reply.array(0);
    popFrom(ctx, db, c.key, c.z, where, count === -1 ? 1 : count, { emitKey: false, nested: ctx.session.proto === 3 && count !== -1 });
  }

  /** BZPOPMIN/BZPOPMAX (count -1) and BZMPOP (count ≥ 1, nested reply with key). */
  function blockingZpop(ctx: CommandContext, keys: string[], where: Where, count: number, deadline: number): void | Promise<void> {
    const db = dbOf(node, ctx);
    const mpop = count !== -1;
    const shape: PopShape = { emitKey: true, nested: mpop };
    const cmd = where === 'min' ? 'ZPOPMIN' : 'ZPOPMAX';
    for (const key of keys) {
      const z = asZSet(db.lookupWrite(key));
      if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (z === undefined || z.size === 0) continue;
      const n = popFrom(ctx, db, key, z, where, mpop ? count : 1, shape);
      node.prop.rewrite(mpop ? [cmd, key, String(n)] : [cmd, key]);
      return;
    }
    if (node.inExec()) return ctx.reply.nilArray();
    return blocking.blockForKeys(ctx, db.index, keys, deadline, (key) => {
      const z = asZSet(db.lookupWrite(key));
      if (z === null || z === undefined || z.size === 0) return false;
      const n = popFrom(ctx, db, key, z, where, mpop ? count : 1, shape);
      node.prop.also(db.index, mpop ? [cmd, key, String(n)] : [cmd, key]);
      return true;
    });
  }

  /** zunionInterDiffGenericCommand. `dst` for the STORE forms; `cardOnly` for ZINTERCARD. */
  function algebra(ctx: CommandContext, args: string[], numkeysIdx: number, op: Op, dst: string | null, cardOnly = false): void {
    const setnum = parseInt64(args[numkeysIdx]!);
    if (setnum === null) return ctx.reply.error(ERR.NOT_INTEGER);
    if (setnum < 1) return ctx.reply.error(ERR.AT_LEAST_1_INPUT_KEY(ctx.command.name));
    if (setnum > args.length - (numkeysIdx + 1)) return ctx.reply.error(ERR.SYNTAX);
    const db = dbOf(node, ctx);
    const srcs: (Map<string, number> | undefined)[] = [];
    let j = numkeysIdx + 1;
    for (let i = 0; i < setnum; i++, j++) {
      const v = db.lookupRead(args[j]!);
      if (v === undefined) srcs.push(undefined);
      else if (v instanceof ZSetValue) srcs.push(v.dict as Map<string, number>);
      else if (v instanceof Set) srcs.push(new Map([...v].map((m) => [m, 1])));
      else return ctx.reply.error(ERR.WRONGTYPE);
    }
    const weights = new Array<number>(setnum).fill(1);
    let aggregate: Aggregate = 'sum';
    let withScores = false;
    let limit = 0;
    while (j < args.length) {
      const remaining = args.length - j;
      const opt = args[j]!.toLowerCase();
      if (op !== 'diff' && remaining >= setnum + 1 && opt === 'weights') {
        j++;
        for (let i = 0; i < setnum; i++, j++) {
          const w = parseDouble(args[j]!);
          if (w === null) return ctx.reply.error(ERR.WEIGHT_NOT_FLOAT);
          weights[i] = w;
        }
      } else if (op !== 'diff' && remaining >= 2 && opt === 'aggregate') {
        const a = args[j + 1]!.toLowerCase();
        if (a !== 'sum' && a !== 'min' && a !== 'max') return ctx.reply.error(ERR.SYNTAX);
        aggregate = a;
        j += 2;
      } else if (remaining >= 1 && dst === null && !cardOnly && opt === 'withscores') {
        withScores = true;
        j++;
      } else if (cardOnly && remaining >= 2 && opt === 'limit') {
        const l = parseNonNegative(args[j + 1]!, ERR.LIMIT_NEGATIVE);
        if (typeof l === 'string') return ctx.reply.error(l);
        limit = l;
        j += 2;
      } else return ctx.reply.error(ERR.SYNTAX);
    }
    const result = combine(op, srcs, weights, aggregate);
    if (cardOnly) return ctx.reply.int(limit > 0 ? Math.min(limit, result.size) : result.size);
    const entries = [...ZSetValue.from(result)];
    if (dst === null) return replyEntries(ctx, entries, withScores);
    storeZsetResult(node, ctx, db, dst, entries);
  }

  function timeoutOrReply(ctx: CommandContext, raw: string): number | null {
    const t = parseTimeout(raw, ks.now());
    if (typeof t === 'string') {
      ctx.reply.error(t);
      return null;
    }
    return t;
  }

  function zmpop(ctx: CommandContext, args: string[]): void {
    const p = parseMpop(ctx, args, 1, parseWhere);
    if (p === null) return;
    const db = dbOf(node, ctx);
    const c = candidate(ctx, db, p.keys);
    if (c === null) return;
    if (c === undefined) return ctx.reply.nilArray();
    const n = popFrom(ctx, db, c.key, c.z, p.end, p.count, { emitKey: true, nested: true });
    node.prop.rewrite([p.end === 'min' ? 'ZPOPMIN' : 'ZPOPMAX', c.key, String(n)]);
  }

  return [
    spec('zpopmin', (ctx, args) => zpop(ctx, args, 'min')),
    spec('zpopmax', (ctx, args) => zpop(ctx, args, 'max')),
    spec('zmpop', zmpop),
    ...(['bzpopmin', 'bzpopmax'] as const).map((name) =>
      spec(name, (ctx, args) => {
        const t = timeoutOrReply(ctx, args[args.length - 1]!);
        if (t === null) return;
        return blockingZpop(ctx, args.slice(1, -1), name === 'bzpopmin' ? 'min' : 'max', -1, t);
      }),
    ),
    spec('bzmpop', (ctx, args) => {
      const t = timeoutOrReply(ctx, args[1]!);
      if (t === null) return;
      const p = parseMpop(ctx, args, 2, parseWhere);
      if (p === null) return;
      return blockingZpop(ctx, p.keys, p.end, p.count, t);
    }),
    spec('zunionstore', (ctx, args) => algebra(ctx, args, 2, 'union', args[1]!)),
    spec('zinterstore', (ctx, args) => algebra(ctx, args, 2, 'inter', args[1]!)),
    spec('zdiffstore', (ctx, args) => algebra(ctx, args, 2, 'diff', args[1]!)),
    spec('zunion', (ctx, args) => algebra(ctx, args, 1, 'union', null)),
    spec('zinter', (ctx, args) => algebra(ctx, args, 1, 'inter', null)),
    spec('zdiff', (ctx, args) => algebra(ctx, args, 1, 'diff', null)),
    spec('zintercard', (ctx, args) => algebra(ctx, args, 1, 'inter', null, true)),
  ];
}

/** zunionInterAggregate, with NaN from inf·0 or inf−inf turned into 0 as Redis does. */
function aggregateInto(target: number, val: number, a: Aggregate): number {
  if (a === 'sum') {
    const r = target + val;
    return Number.isNaN(r) ? 0 : r;
  }
  if (a === 'min') return val < target ? val : target;
  return val > target ? val : target;
}

function weighted(score: number, w: number): number {
  const r = score * w;
  return Number.isNaN(r) ? 0 : r;
}

function combine(op: Op, srcs: (Map<string, number> | undefined)[], weights: number[], a: Aggregate): Map<string, number> {
  const out = new Map<string, number>();
  if (op === 'union') {
    srcs.forEach((s, i) => {
      if (s === undefined) return;
      for (const [m, sc] of s) {
        const v = weighted(sc, weights[i]!);
        const cur = out.get(m);
        out.set(m, cur === undefined ? v : aggregateInto(cur, v, a));
      }
    });
    return out;
  }
  if (op === 'inter') {
    if (srcs.some((s) => s === undefined)) return out;
    // iterate the smallest input, as Redis sorts the inputs by cardinality first
    const order = srcs.map((s, i) => ({ s: s!, w: weights[i]! })).sort((x, y) => x.s.size - y.s.size);
    const [first, ...rest] = order;
    outer: for (const [m, sc] of first!.s) {
      let v = weighted(sc, first!.w);
      for (const o of rest) {
        const other = o.s.get(m);
        if (other === undefined) continue outer;
        v = aggregateInto(v, weighted(other, o.w), a);
      }
      out.set(m, v);
    }
    return out;
  }
  const [first, ...rest] = srcs;
  if (first === undefined) return out;
  for (const [m, sc] of first) if (!rest.some((s) => s !== undefined && s.has(m))) out.set(m, sc);
  return out;
}
