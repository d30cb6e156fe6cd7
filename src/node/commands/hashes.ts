/**
 * Hash commands (t_hash.c). Values are Map<field, value>; insertion order matches a listpack hash's order.
 */
import type { CommandContext, CommandSpec } from '../../server/types.js';
import { dbOf, type NodeContext } from '../context.js';
import type { Database } from '../keyspace/database.js';
import { LLONG_MAX, LLONG_MIN, parseInt64, parseInt64Exact } from './args.js';
import { ERR } from './errors.js';
import { addLongDouble, formatLongDoubleHuman, longDoubleFromInt, parseLongDouble } from './long-double.js';
import { asHash } from './lookup.js';
import { randomCountArg, writeRandomPairs } from './random-pick.js';
import { matches, parseCursor, parseScanOptions, ScanCursors } from './scan.js';
import { spec } from './table.js';

export function hashCommands(node: NodeContext): CommandSpec[] {
  const { ks, enc } = node;
  const cursors = new ScanCursors();

  /** hashTypeLookupWriteOrCreate: the hash to modify (barrier already called), or null after WRONGTYPE. */
  function hashForWrite(ctx: CommandContext, db: Database, key: string): Map<string, string> | null {
    const h = asHash(db.lookupWrite(key));
    if (h === null) {
      ctx.reply.error(ERR.WRONGTYPE);
      return null;
    }
    if (h === undefined) {
      const fresh = new Map<string, string>();
      db.set(key, fresh);
      return fresh;
    }
    db.beforeWrite(key);
    return h;
  }

  function hset(ctx: CommandContext, args: string[], multi: boolean): void {
    if (args.length % 2 === 1) return ctx.reply.error(`ERR wrong number of arguments for '${ctx.command.name}' command`);
    const key = args[1]!;
    const db = dbOf(node, ctx);
    const h = hashForWrite(ctx, db, key);
    if (h === null) return;
    let created = 0;
    for (let i = 2; i < args.length; i += 2) {
      const f = args[i]!;
      const v = args[i + 1]!;
      const size = h.size;
      h.set(f, v); // one lookup: the size tells whether the field is new
      if (h.size !== size) created++;
      enc.noteHashWrite(h, f, v);
    }
    ks.dirty += (args.length - 2) / 2;
    if (multi) ctx.reply.ok();
    else ctx.reply.int(created);
  }

  /** Reply HGETALL/HKEYS/HVALS. */
  function getAll(ctx: CommandContext, key: string, keys: boolean, values: boolean): void {
    const h = asHash(dbOf(node, ctx).lookupRead(key));
    if (h === null) return ctx.reply.error(ERR.WRONGTYPE);
    const both = keys && values;
    const size = h === undefined ? 0 : h.size;
    if (both) ctx.reply.map(size);
    else ctx.reply.array(size);
    if (h === undefined) return;
    for (const [f, v] of h) {
      if (keys) ctx.reply.bulk(f);
      if (values) ctx.reply.bulk(v);
    }
  }

  return [
    spec('hset', (ctx, args) => hset(ctx, args, false)),
    spec('hmset', (ctx, args) => hset(ctx, args, true)),

    spec('hsetnx', (ctx, args) => {
      const [, key, f, v] = args as [string, string, string, string];
      const db = dbOf(node, ctx);
      const cur = asHash(db.lookupWrite(key));
      if (cur === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (cur !== undefined && cur.has(f)) return ctx.reply.int(0);
      const h = hashForWrite(ctx, db, key)!;
      h.set(f, v);
      enc.noteHashWrite(h, f, v);
      ks.dirty++;
      ctx.reply.int(1);
    }),

    spec('hget', (ctx, args) => {
      const h = asHash(dbOf(node, ctx).lookupRead(args[1]!));
      if (h === null) return ctx.reply.error(ERR.WRONGTYPE);
      const v = h?.get(args[2]!);
      if (v === undefined) ctx.reply.nil();
      else ctx.reply.bulk(v);
    }),

    spec('hmget', (ctx, args) => {
      const h = asHash(dbOf(node, ctx).lookupRead(args[1]!));
      if (h === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.array(args.length - 2);
      for (let i = 2; i < args.length; i++) {
        const v = h?.get(args[i]!);
        if (v === undefined) ctx.reply.nil();
        else ctx.reply.bulk(v);
      }
    }),

    spec('hdel', (ctx, args) => {
      const key = args[1]!;
      const db = dbOf(node, ctx);
      const h = asHash(db.lookupWrite(key));
      if (h === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (h === undefined) return ctx.reply.int(0);
      let deleted = 0;
      for (let i = 2; i < args.length; i++) {
        if (!h.has(args[i]!)) continue;
        if (deleted === 0) db.beforeWrite(key);
        h.delete(args[i]!);
        deleted++;
        if (h.size === 0) {
          db.delete(key);
          break;
        }
      }
      ks.dirty += deleted;
      ctx.reply.int(deleted);
    }),

    spec('hlen', (ctx, args) => {
      const h = asHash(dbOf(node, ctx).lookupRead(args[1]!));
      if (h === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.int(h?.size ?? 0);
    }),

    spec('hstrlen', (ctx, args) => {
      const h = asHash(dbOf(node, ctx).lookupRead(args[1]!));
      if (h === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.int(h?.get(args[2]!)?.length ?? 0);
    }),

    spec('hexists', (ctx, args) => {
      const h = asHash(dbOf(node, ctx).lookupRead(args[1]!));
      if (h === null) return ctx.reply.error(ERR.WRONGTYPE);
      ctx.reply.int(h?.has(args[2]!) === true ? 1 : 0);
    }),

    spec('hgetall', (ctx, args) => getAll(ctx, args[1]!, true, true)),
    spec('hkeys', (ctx, args) => getAll(ctx, args[1]!, true, false)),
    spec('hvals', (ctx, args) => getAll(ctx, args[1]!, false, true)),

    spec('hincrby', (ctx, args) => {
      const [, key, f] = args as [string, string, string];
      const incr = args[3]!.length <= 15 ? parseInt64(args[3]!) : parseInt64Exact(args[3]!);
      if (incr === null) return ctx.reply.error(ERR.NOT_INTEGER);
      const db = dbOf(node, ctx);
      const cur = asHash(db.lookupWrite(key));
      if (cur === null) return ctx.reply.error(ERR.WRONGTYPE);
      const old = cur?.get(f);
      let value: bigint;
      if (old === undefined) value = 0n;
      else {
        const v = parseInt64Exact(old);
        if (v === null) {
          // hashTypeLookupWriteOrCreate already created the key in Redis; it existed here, nothing to undo
          return ctx.reply.error(ERR.HASH_NOT_INTEGER);
        }
        value = v;
      }
      const next = value + BigInt(incr);
      if (next > LLONG_MAX || next < LLONG_MIN) return ctx.reply.error(ERR.OVERFLOW);
      const h = hashForWrite(ctx, db, key)!;
      const s = next.toString();
      h.set(f, s);
      enc.noteHashWrite(h, f, s);
      ks.dirty++;
      ctx.reply.raw(`:${s}\r\n`);
    }),

    spec('hincrbyfloat', (ctx, args) => {
      const [, key, f] = args as [string, string, string];
      const incr = parseLongDouble(args[3]!);
      if (incr === null) return ctx.reply.error(ERR.NOT_FLOAT);
      if (incr.kind === 'inf') return ctx.reply.error('ERR value is NaN or Infinity');
      const db = dbOf(node, ctx);
      const cur = asHash(db.lookupWrite(key));
      if (cur === null) return ctx.reply.error(ERR.WRONGTYPE);
      const old = cur?.get(f);
      const value = old === undefined ? longDoubleFromInt(0n) : parseLongDouble(old);
      if (value === null) return ctx.reply.error(ERR.HASH_NOT_FLOAT);
      const sum = addLongDouble(value, incr);
      if (sum === null || sum.kind === 'inf') return ctx.reply.error(ERR.NAN_OR_INF);
      const s = formatLongDoubleHuman(sum);
      const h = hashForWrite(ctx, db, key)!;
      h.set(f, s);
      enc.noteHashWrite(h, f, s);
      ks.dirty++;
      ctx.reply.bulk(s);
      node.prop.rewrite(['HSET', key, f, s]);
    }),

    spec('hscan', (ctx, args) => {
      const cursor = parseCursor(args[2]!);
      if (typeof cursor === 'string') return ctx.reply.error(cursor);
      const h = asHash(dbOf(node, ctx).lookupRead(args[1]!));
      if (h === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (h === undefined) return ctx.reply.raw('*2\r\n$1\r\n0\r\n*0\r\n');
      const opts = parseScanOptions(args, 3, false);
      if (typeof opts === 'string') return ctx.reply.error(opts);
      const compact = enc.encodingOf(dbOf(node, ctx), args[1]!, h) === 'listpack';
      const { items, next } = compact
        ? { items: [...h], next: 0 }
        : cursors.step(h, () => h.entries(), cursor, opts.count);
      const out: string[] = [];
      for (const [f, v] of items) if (matches(opts, f)) out.push(f, v);
      ctx.reply.array(2);
      ctx.reply.bulk(String(next));
      ctx.reply.bulkArray(out);
    }),

    spec('hrandfield', (ctx, args) => {
      const db = dbOf(node, ctx);
      if (args.length >= 3) {
        const count = randomCountArg(ctx, args, 'withvalues');
        if (count === null) return;
        const h = asHash(db.lookupRead(args[1]!));
        if (h === null) return ctx.reply.error(ERR.WRONGTYPE);
        if (h === undefined) return ctx.reply.array(0);
        writeRandomPairs(ctx, node.random, [...h], count.n, count.with);
        return;
      }
      const h = asHash(db.lookupRead(args[1]!));
      if (h === null) return ctx.reply.error(ERR.WRONGTYPE);
      if (h === undefined) return ctx.reply.nil();
      let i = node.random.int(h.size);
      for (const f of h.keys()) if (i-- === 0) return ctx.reply.bulk(f);
    }),
  ];
}
