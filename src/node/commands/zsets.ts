/**
 * Sorted-set commands (t_zset.c): ZADD/ZINCRBY, membership and counts, the ZRANGE family, ranks, removal by
 * range, ZSCAN, ZRANDMEMBER. Pops, blocking pops and the set-algebra commands are in zsets-ops.ts.
 */
import { formatDouble } from '../../resp/double.js';
import type { CommandContext, CommandSpec } from '../../server/types.js';
import { dbOf, type NodeContext } from '../context.js';
import { ZSetValue, type ZEntry } from '../keyspace/zset.js';
import { parseDouble, parseInt64 } from './args.js';
import { ERR } from './errors.js';
import { asZSet, clampRange } from './lookup.js';
import { randomCountArg, writeRandomPairs } from './random-pick.js';
import { matches, parseCursor, parseScanOptions, ScanCursors } from './scan.js';
import { spec } from './table.js';
import { parseLexRange, parseScoreRange, replyEntries, storeZsetResult } from './zset-args.js';

type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

export function zsetCommands(node: NodeContext): CommandSpec[] {
  const { ks, enc } = node;
  const cursors = new ScanCursors();

  /** zaddGenericCommand (ZADD and ZINCRBY). */
  function zadd(ctx: CommandContext, args: string[], incrCommand: boolean): void {
    const key = args[1]!;
    let nx = false;
    let xx = false;
    let gt = false;
    let lt = false;
    let ch = false;
    let incr = incrCommand;
    let i = 2;
    for (; i < args.length; i++) {
      const a = args[i]!;
      const c = a.charCodeAt(0) | 0x20;
      if (c < 0x61 || c > 0x7a) break; // options start with a letter; a score ('12', '-1.5', '+inf') ends them
      const o = a.toLowerCase();
      if (o === 'nx') nx = true;
      else if (o === 'xx') xx = true;
      else if (o === 'ch') ch = true;
      else if (o === 'incr') incr = true;
      else if (o === 'gt') gt = true;
      else if (o === 'lt') lt = true;
      else break;
    }
    const rest = args.length - i;
    if (rest % 2 !== 0 || rest === 0) return ctx.reply.error(ERR.SYNTAX);
    const n = rest / 2;
    if (nx && xx) return ctx.reply.error(ERR.ZADD_XX_NX);
    if ((gt && nx) || (lt && nx) || (gt && lt)) return ctx.reply.error(ERR.ZADD_GT_LT_NX);
    if (incr && n > 1) return ctx.reply.error(ERR.ZADD_INCR_PAIR);
    const scores: number[] = [];
    for (let j = 0; j < n; j++) {
      const s = parseDouble(args[i + j * 2]!);
      if (s === null) return ctx.reply.error(ERR.NOT_FLOAT);
      scores.push(s);
    }
    const db = dbOf(node, ctx);
    let z = asZSet(db.lookupWrite(key));
    if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
    let added = 0;
    let updated = 0;
    let processed = 0;
    let score = 0;
    let touched = false;
    if (z === undefined && !xx) {
      z = new ZSetValue();
      let maxLen = 0;
      for (let j = 0; j < n; j++) maxLen = Math.max(maxLen, args[i + j * 2 + 1]!.length);
      // zsetTypeCreate picks the skiplist up front for large ZADDs
      if (n > enc.limits.zsetMaxListpackEntries || maxLen > enc.limits.zsetMaxListpackValue) enc.markConverted(z);
      db.set(key, z);
      node.ready.signalKeyAsReady(db.index, key);
      touched = true;
    }
    if (z !== undefined) {
      for (let j = 0; j < n; j++) {
        const m = args[i + j * 2 + 1]!;
        let s = scores[j]!;
        const cur = z.score(m);
        if (cur !== undefined) {
          if (nx) continue;
          if (incr) {
            s += cur;
            if (Number.isNaN(s)) {
              ks.dirty += added + updated;
              return ctx.reply.error(ERR.SCORE_NAN);
            }
          }
          if ((lt && s >= cur) || (gt && s <= cur)) continue;
          score = s;
          processed++;
          if (s !== cur) {
            if (!touched) db.beforeWrite(key);
            touched = true;
            z.addKnown(m, s, cur);
            updated++;
          }
        } else if (!xx) {
          if (!touched) db.beforeWrite(key);
          touched = true;
          z.addKnown(m, s, undefined);
          enc.noteZsetAdd(z, m);
          added++;
          processed++;
          score = s;
        }
      }
    }
    ks.dirty += added + updated;
    if (incr) {
      if (processed > 0) ctx.reply.double(score);
      else ctx.reply.nil();
    } else ctx.reply.int(ch ? added + updated : added);
  }

  /** zrangeGenericCommand: args from `from` are `<key> <min> <max> [options]`; `dst` for ZRANGESTORE. */
  function zrange(ctx: CommandContext, args: string[], from: number, dst: string | null, type0: RangeType, dir0: Direction): void {
    let type = type0;
    let dir = dir0;
    let withScores = false;
    let offset = 0;
    let limit = -1;
    for (let j = from + 3; j < args.length; j++) {
      const o = args[j]!.toLowerCase();
      const left = args.length - j - 1;
      if (dst === null && o === 'withscores') withScores = true;
      else if (o === 'limit' && left >= 2) {
        const a = parseInt64(args[j + 1]!);
        const b = a === null ? null : parseInt64(args[j + 2]!);
        if (a === null || b === null) return ctx.reply.error(ERR.NOT_INTEGER);
        offset = a;
        limit = b;
        j += 2;
      } else if (dir === 'auto' && o === 'rev') dir = 'reverse';
      else if (type === 'auto' && o === 'bylex') type = 'lex';
      else if (type === 'auto' && o === 'byscore') type = 'score';
      else return ctx.reply.error(ERR.SYNTAX);
    }
    if (dir === 'auto') dir = 'forward';
    if (type === 'auto') type = 'rank';
    if (limit !== -1 && type === 'rank') return ctx.reply.error(ERR.LIMIT_NEEDS_BY);
    if (withScores && type === 'lex') return ctx.reply.error(ERR.WITHSCORES_LIMIT_BYLEX);
    const reverse = dir === 'reverse';
    let minArg = args[from + 1]!;
    let maxArg = args[from + 2]!;
    if (reverse && type !== 'rank') [minArg, maxArg] = [maxArg, minArg];
    const key = args[from]!;
    let result: (z: ZSetValue) => ZEntry[];
    if (type === 'rank') {
      const start = parseInt64(minArg);
      const end = start === null ? null : parseInt64(maxArg);
      if (start === null || end === null) return ctx.reply.error(ERR.NOT_INTEGER);
      result = (z) => {
        const r = clampRange(start, end, z.size);
        return r === null ? [] : z.rangeByRank(r[0], r[1], reverse);
      };
    } else if (type === 'score') {
      const range = parseScoreRange(minArg, maxArg);
      if (range === null) return ctx.reply.error(ERR.MIN_MAX_NOT_FLOAT);
      result = (z) => z.rangeByScore(range, reverse, offset, limit);
    } else {
      const range = parseLexRange(minArg, maxArg);
      if (range === null) return ctx.reply.error(ERR.MIN_MAX_NOT_LEX);
      result = (z) => z.rangeByLex(range, reverse, offset, limit);
    }
    const db = dbOf(node, ctx);
    const z = asZSet(db.lookupRead(key));
    if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
    const entries = z === undefined ? [] : result(z);
    if (dst === null) return replyEntries(ctx, entries, withScores);
    storeZsetResult(node, ctx, db, dst, entries);
  }

  return [
    spec('zadd', (ctx, args) => zadd(ctx, args, false)),
    spec('zincrby', (ctx, args) => zadd(ctx, args, true)),

    spec('zrem', (ctx, args) => {
      const key = args[1]!;
      const db = dbOf(node, ctx);
      const z = asZSet(db.lookupWrite(key));
      if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (z === undefined) return ctx.reply.int(0);
      let n = 0;
      for (let i = 2; i < args.length; i++) {
        if (!z.has(args[i]!)) continue;
        if (n === 0) db.beforeWrite(key);
        z.remove(args[i]!);
        n++;
        if (z.size === 0) {
          db.delete(key);
          break;
        }
      }
      ks.dirty += n;
      ctx.reply.int(n);
    }),

    spec('zscore', (ctx, args) => {
      const z = asZSet(dbOf(node, ctx).lookupRead(args[1]!));
      if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
      const s = z?.score(args[2]!);
      if (s === undefined) ctx.reply.nil();
      else ctx.reply.double(s);
    }),

    spec('zmscore', (ctx, args) => {
      const z = asZSet(dbOf(node, ctx).lookupRead(args[1]!));
      if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.array(args.length - 2);
      for (let i = 2; i < args.length; i++) {
        const s = z?.score(args[i]!);
        if (s === undefined) ctx.reply.nil();
        else ctx.reply.double(s);
      }
    }),

    spec('zcard', (ctx, args) => {
      const z = asZSet(dbOf(node, ctx).lookupRead(args[1]!));
      if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.int(z?.size ?? 0);
    }),

    spec('zcount', (ctx, args) => {
      const r = parseScoreRange(args[2]!, args[3]!);
      if (r === null) return ctx.reply.error(ERR.MIN_MAX_NOT_FLOAT);
      const z = asZSet(dbOf(node, ctx).lookupRead(args[1]!));
      if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.int(z === undefined ? 0 : z.countInScoreRange(r));
    }),

    spec('zlexcount', (ctx, args) => {
      const r = parseLexRange(args[2]!, args[3]!);
      if (r === null) return ctx.reply.error(ERR.MIN_MAX_NOT_LEX);
      const z = asZSet(dbOf(node, ctx).lookupRead(args[1]!));
      if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.int(z === undefined ? 0 : z.countInLexRange(r));
    }),

    spec('zrange', (ctx, args) => zrange(ctx, args, 1, null, 'auto', 'auto')),
    spec('zrangestore', (ctx, args) => zrange(ctx, args, 2, args[1]!, 'auto', 'auto')),
    spec('zrevrange', (ctx, args) => zrange(ctx, args, 1, null, 'rank', 'reverse')),
    spec('zrangebyscore', (ctx, args) => zrange(ctx, args, 1, null, 'score', 'forward')),
    spec('zrevrangebyscore', (ctx, args) => zrange(ctx, args, 1, null, 'score', 'reverse')),
    spec('zrangebylex', (ctx, args) => zrange(ctx, args, 1, null, 'lex', 'forward')),
    spec('zrevrangebylex', (ctx, args) => zrange(ctx, args, 1, null, 'lex', 'reverse')),

    ...(['zrank', 'zrevrank'] as const).map((name) =>
      spec(name, (ctx, args) => {
        const z = asZSet(dbOf(node, ctx).lookupRead(args[1]!));
        if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
        const r = z?.rank(args[2]!, name === 'zrevrank');
        if (r === undefined) ctx.reply.nil();
        else ctx.reply.int(r);
      }),
    ),

    spec('zremrangebyrank', (ctx, args) =>
      removeRange(ctx, args, () => {
        const start = parseInt64(args[2]!);
        const end = start === null ? null : parseInt64(args[3]!);
        if (start === null || end === null) return ERR.NOT_INTEGER;
        return (z) => {
          const r = clampRange(start, end, z.size);
          return r === null ? [] : z.rangeByRank(r[0], r[1]);
        };
      }),
    ),
    spec('zremrangebyscore', (ctx, args) =>
      removeRange(ctx, args, () => {
        const r = parseScoreRange(args[2]!, args[3]!);
        return r === null ? ERR.MIN_MAX_NOT_FLOAT : (z) => z.rangeByScore(r);
      }),
    ),
    spec('zremrangebylex', (ctx, args) =>
      removeRange(ctx, args, () => {
        const r = parseLexRange(args[2]!, args[3]!);
        return r === null ? ERR.MIN_MAX_NOT_LEX : (z) => z.rangeByLex(r);
      }),
    ),

    spec('zscan', (ctx, args) => {
      const cursor = parseCursor(args[2]!);
      if (typeof cursor === 'string') return ctx.reply.error(cursor);
      const db = dbOf(node, ctx);
      const z = asZSet(db.lookupRead(args[1]!));
      if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (z === undefined) return ctx.reply.raw('*2\r\n$1\r\n0\r\n*0\r\n');
      const opts = parseScanOptions(args, 3, false);
      if (typeof opts === 'string') return ctx.reply.error(opts);
      const compact = enc.encodingOf(db, args[1]!, z) === 'listpack';
      const { items, next } = compact
        ? { items: [...z], next: 0 }
        : cursors.step(z, () => z.dict.entries(), cursor, opts.count);
      const out: ZEntry[] = items.filter(([m]) => matches(opts, m));
      ctx.reply.array(2);
      ctx.reply.bulk(String(next));
      ctx.reply.array(out.length * 2);
      for (const [m, s] of out) {
        ctx.reply.bulk(m);
        ctx.reply.bulk(formatDouble(s)); // d2string, i.e. %.17g
      }
    }),

    spec('zrandmember', (ctx, args) => {
      const db = dbOf(node, ctx);
      if (args.length >= 3) {
        const c = randomCountArg(ctx, args, 'withscores');
        if (c === null) return;
        const z = asZSet(db.lookupRead(args[1]!));
        if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
        if (z === undefined) return ctx.reply.array(0);
        writeRandomPairs(ctx, node.random, [...z], c.n, c.with, (s) => ctx.reply.double(s));
        return;
      }
      const z = asZSet(db.lookupRead(args[1]!));
      if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (z === undefined) return ctx.reply.nil();
      ctx.reply.bulk(z.at(node.random.int(z.size))![0]);
    }),
  ];

  /** zremrangeGenericCommand: parse (error text or victim finder), then look up and remove. */
  function removeRange(ctx: CommandContext, args: string[], parse: () => string | ((z: ZSetValue) => ZEntry[])): void {
    const find = parse();
    if (typeof find === 'string') return ctx.reply.error(find);
    const key = args[1]!;
    const db = dbOf(node, ctx);
    const z = asZSet(db.lookupWrite(key));
    if (z === null) return ctx.reply.error(ERR.WRONGTYPE);
    if (z === undefined) return ctx.reply.int(0);
    const victims = find(z);
    if (victims.length > 0) {
      db.beforeWrite(key);
      for (const [m] of victims) z.remove(m);
      if (z.size === 0) db.delete(key);
      ks.dirty += victims.length;
    }
    ctx.reply.int(victims.length);
  }
}
