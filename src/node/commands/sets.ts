/**
 * Set commands (t_set.c). Values are Set<member>. A set Redis would keep as an intset lists its members in
 * ascending integer order (SMEMBERS, SSCAN, SPOP of all), so those replies are sorted the same way.
 */
import type { CommandContext, CommandSpec } from '../../server/types.js';
import { dbOf, type NodeContext } from '../context.js';
import type { Database } from '../keyspace/database.js';
import { parseInt64, parseNonNegative } from './args.js';
import { ERR } from './errors.js';
import { asSet } from './lookup.js';
import { pickIndexes, randomCountArg } from './random-pick.js';
import { matches, parseCursor, parseScanOptions, ScanCursors } from './scan.js';
import { spec } from './table.js';

type SetOp = 'inter' | 'union' | 'diff';

export function setCommands(node: NodeContext): CommandSpec[] {
  const { ks, enc } = node;
  const cursors = new ScanCursors();

  /** Members in the order Redis would produce them (intsets are sorted numerically). */
  function ordered(s: Set<string>): string[] {
    const arr = [...s];
    if (enc.isIntset(s)) {
      arr.sort((a, b) => {
        const x = BigInt(a);
        const y = BigInt(b);
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }
    return arr;
  }

  function replySet(ctx: CommandContext, members: readonly string[]): void {
    ctx.reply.set(members.length);
    for (const m of members) ctx.reply.bulk(m);
  }

  /** Look up all sets; null after WRONGTYPE. Missing keys are undefined. */
  function lookupSets(ctx: CommandContext, db: Database, keys: readonly string[]): (Set<string> | undefined)[] | null {
    const out: (Set<string> | undefined)[] = [];
    for (const k of keys) {
      const s = asSet(db.lookupRead(k));
      if (s === null) {
        ctx.reply.error(ERR.WRONGTYPE);
        return null;
      }
      out.push(s);
    }
    return out;
  }

  function compute(op: SetOp, sets: (Set<string> | undefined)[]): Set<string> {
    if (op === 'inter') {
      if (sets.some((s) => s === undefined)) return new Set();
      const sorted = [...(sets as Set<string>[])].sort((a, b) => a.size - b.size);
      const [first, ...rest] = sorted;
      const out = new Set<string>();
      for (const m of first!) if (rest.every((s) => s.has(m))) out.add(m);
      return out;
    }
    if (op === 'union') {
      const out = new Set<string>();
      for (const s of sets) if (s !== undefined) for (const m of s) out.add(m);
      return out;
    }
    const [first, ...rest] = sets;
    const out = new Set<string>();
    if (first === undefined) return out;
    for (const m of first) if (!rest.some((s) => s !== undefined && s.has(m))) out.add(m);
    return out;
  }

  function setOp(ctx: CommandContext, op: SetOp, keys: string[], dst: string | null): void {
    const db = dbOf(node, ctx);
    const sets = lookupSets(ctx, db, keys);
    if (sets === null) return;
    const result = compute(op, sets);
    if (dst === null) return replySet(ctx, ordered(result));
    if (result.size > 0) {
      db.set(dst, result);
      ks.dirty++;
      ctx.reply.int(result.size);
    } else {
      ctx.reply.int(0);
      if (db.remove(dst)) ks.dirty++;
    }
  }

  function randomMember(s: Set<string>): string {
    let i = node.random.int(s.size);
    for (const m of s) if (i-- === 0) return m;
    throw new Error('unreachable: empty set');
  }

  return [
    spec('sadd', (ctx, args) => {
      const key = args[1]!;
      const db = dbOf(node, ctx);
      let s = asSet(db.lookupWrite(key));
      if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
      let added = 0;
      if (s === undefined) {
        s = new Set<string>();
        db.set(key, s);
        added = -1; // barrier done
      }
      let n = 0;
      for (let i = 2; i < args.length; i++) {
        const m = args[i]!;
        if (s.has(m)) continue;
        if (added === 0) db.beforeWrite(key);
        added = 1;
        s.add(m);
        enc.noteSetAdd(s, m);
        n++;
      }
      ks.dirty += n;
      ctx.reply.int(n);
    }),

    spec('srem', (ctx, args) => {
      const key = args[1]!;
      const db = dbOf(node, ctx);
      const s = asSet(db.lookupWrite(key));
      if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (s === undefined) return ctx.reply.int(0);
      let n = 0;
      for (let i = 2; i < args.length; i++) {
        if (!s.has(args[i]!)) continue;
        if (n === 0) db.beforeWrite(key);
        s.delete(args[i]!);
        n++;
        if (s.size === 0) {
          db.delete(key);
          break;
        }
      }
      ks.dirty += n;
      ctx.reply.int(n);
    }),

    spec('smove', (ctx, args) => {
      const [, src, dst, m] = args as [string, string, string, string];
      const db = dbOf(node, ctx);
      const s = asSet(db.lookupWrite(src));
      const d = asSet(db.lookupWrite(dst));
      if (s === undefined) return ctx.reply.int(0);
      if (s === null || d === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (s === d) return ctx.reply.int(s.has(m) ? 1 : 0);
      if (!s.has(m)) return ctx.reply.int(0);
      db.beforeWrite(src);
      s.delete(m);
      if (s.size === 0) db.delete(src);
      ks.dirty++;
      let target = d;
      if (target === undefined) {
        target = new Set<string>();
        db.set(dst, target);
      }
      if (!target.has(m)) {
        if (d !== undefined) db.beforeWrite(dst);
        target.add(m);
        enc.noteSetAdd(target, m);
        ks.dirty++;
      }
      ctx.reply.int(1);
    }),

    spec('sismember', (ctx, args) => {
      const s = asSet(dbOf(node, ctx).lookupRead(args[1]!));
      if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.int(s?.has(args[2]!) === true ? 1 : 0);
    }),

    spec('smismember', (ctx, args) => {
      const s = asSet(dbOf(node, ctx).lookupRead(args[1]!));
      if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.array(args.length - 2);
      for (let i = 2; i < args.length; i++) ctx.reply.int(s?.has(args[i]!) === true ? 1 : 0);
    }),

    spec('scard', (ctx, args) => {
      const s = asSet(dbOf(node, ctx).lookupRead(args[1]!));
      if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.int(s?.size ?? 0);
    }),

    spec('smembers', (ctx, args) => {
      const s = asSet(dbOf(node, ctx).lookupRead(args[1]!));
      if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
      replySet(ctx, s === undefined ? [] : ordered(s));
    }),

    spec('spop', (ctx, args) => {
      const key = args[1]!;
      const db = dbOf(node, ctx);
      if (args.length > 3) return ctx.reply.error(ERR.SYNTAX);
      if (args.length === 3) {
        const count = parseNonNegative(args[2]!, ERR.OUT_OF_RANGE_POSITIVE);
        if (typeof count === 'string') return ctx.reply.error(count);
        const s = asSet(db.lookupWrite(key));
        if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
        if (s === undefined || count === 0) return ctx.reply.set(0);
        if (count >= s.size) {
          replySet(ctx, ordered(s));
          ks.dirty += s.size;
          db.delete(key);
          node.prop.rewrite(['DEL', key]);
          return;
        }
        const members = [...s];
        const picks = pickIndexes(node.random, members.length, count).map((i) => members[i]!);
        db.beforeWrite(key);
        ctx.reply.set(picks.length);
        for (const m of picks) {
          s.delete(m);
          ctx.reply.bulk(m);
          node.prop.also(db.index, ['SREM', key, m]);
        }
        ks.dirty += picks.length;
        node.prop.prevent();
        return;
      }
      const s = asSet(db.lookupWrite(key));
      if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (s === undefined) return ctx.reply.nil();
      const m = randomMember(s);
      db.beforeWrite(key);
      s.delete(m);
      ctx.reply.bulk(m);
      if (s.size === 0) db.delete(key);
      ks.dirty++;
      node.prop.rewrite(['SREM', key, m]);
    }),

    spec('srandmember', (ctx, args) => {
      const db = dbOf(node, ctx);
      if (args.length >= 3) {
        const c = randomCountArg(ctx, args, null);
        if (c === null) return;
        const s = asSet(db.lookupRead(args[1]!));
        if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
        if (s === undefined || c.n === 0) return ctx.reply.array(0);
        // srandmemberWithCountCommand answers an array even when it returns the whole set
        if (c.n >= s.size) return ctx.reply.bulkArray(ordered(s));
        const members = [...s];
        ctx.reply.bulkArray(pickIndexes(node.random, members.length, c.n).map((i) => members[i]!));
        return;
      }
      const s = asSet(db.lookupRead(args[1]!));
      if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (s === undefined) return ctx.reply.nil();
      ctx.reply.bulk(randomMember(s));
    }),

    spec('sinter', (ctx, args) => setOp(ctx, 'inter', args.slice(1), null)),
    spec('sunion', (ctx, args) => setOp(ctx, 'union', args.slice(1), null)),
    spec('sdiff', (ctx, args) => setOp(ctx, 'diff', args.slice(1), null)),
    spec('sinterstore', (ctx, args) => setOp(ctx, 'inter', args.slice(2), args[1]!)),
    spec('sunionstore', (ctx, args) => setOp(ctx, 'union', args.slice(2), args[1]!)),
    spec('sdiffstore', (ctx, args) => setOp(ctx, 'diff', args.slice(2), args[1]!)),

    spec('sintercard', (ctx, args) => {
      const numkeys = parseInt64(args[1]!);
      if (numkeys === null || numkeys < 1) return ctx.reply.error('ERR numkeys should be greater than 0');
      if (numkeys > args.length - 2) return ctx.reply.error(ERR.NUMKEYS_TOO_MANY);
      let limit = 0;
      for (let i = 2 + numkeys; i < args.length; i++) {
        if (args[i]!.toUpperCase() === 'LIMIT' && args.length - 1 - i > 0) {
          const l = parseNonNegative(args[++i]!, ERR.LIMIT_NEGATIVE);
          if (typeof l === 'string') return ctx.reply.error(l);
          limit = l;
        } else return ctx.reply.error(ERR.SYNTAX);
      }
      const sets = lookupSets(ctx, dbOf(node, ctx), args.slice(2, 2 + numkeys));
      if (sets === null) return;
      const n = compute('inter', sets).size;
      ctx.reply.int(limit > 0 ? Math.min(limit, n) : n);
    }),

    spec('sscan', (ctx, args) => {
      const cursor = parseCursor(args[2]!);
      if (typeof cursor === 'string') return ctx.reply.error(cursor);
      const s = asSet(dbOf(node, ctx).lookupRead(args[1]!));
      if (s === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (s === undefined) return ctx.reply.raw('*2\r\n$1\r\n0\r\n*0\r\n');
      const opts = parseScanOptions(args, 3, false);
      if (typeof opts === 'string') return ctx.reply.error(opts);
      const { items, next } = enc.isIntset(s)
        ? { items: ordered(s), next: 0 }
        : cursors.step(s, () => s.values(), cursor, opts.count);
      ctx.reply.array(2);
      ctx.reply.bulk(String(next));
      ctx.reply.bulkArray(items.filter((m) => matches(opts, m)));
    }),
  ];
}
