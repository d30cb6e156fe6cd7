/**
 * Keyspace commands (db.c, object.c): DEL/UNLINK/EXISTS/TYPE/RENAME/COPY/MOVE/KEYS/SCAN/RANDOMKEY/DBSIZE/TOUCH,
 * OBJECT, SELECT/SWAPDB/FLUSHDB/FLUSHALL.
 */
import { stringMatch } from '../../common/glob.js';
import type { CommandContext, CommandSpec } from '../../server/types.js';
import { dbOf, type NodeContext } from '../context.js';
import { cloneValue, typeOfValue, type Database } from '../keyspace/database.js';
import type { Value } from '../keyspace/types.js';
import { parseInt64 } from './args.js';
import { ERR } from './errors.js';
import { matches, parseCursor, parseScanOptions, ScanCursors } from './scan.js';
import { container, spec } from './table.js';

/** Hooks the composition root provides for whole-dataset commands. */
export interface KeysHooks {
  /** FLUSHALL with save points configured saves an empty RDB (flushAllDataAndResetRDB). */
  afterFlushAll?(): void;
  /** The maxmemory policy: OBJECT IDLETIME/FREQ answer according to LRU vs LFU. */
  maxmemoryPolicy?(): string;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** getIntFromObjectOrReply: string2ll within int range. */
function parseInt32(s: string): number | null {
  const v = parseInt64(s);
  return v === null || v > INT_MAX || v < INT_MIN ? null : v;
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

export function keyCommands(node: NodeContext, hooks: KeysHooks = {}): CommandSpec[] {
  const { ks } = node;
  const cursors = new ScanCursors();
  const rolling: Rolling = new WeakMap();

  function del(ctx: CommandContext, args: string[]): void {
    const db = dbOf(node, ctx);
    let n = 0;
    for (let i = 1; i < args.length; i++) if (db.remove(args[i]!)) n++;
    ks.dirty += n;
    ctx.reply.int(n);
  }

  function selectDbOrReply(ctx: CommandContext, raw: string): Database | null {
    const id = parseInt32(raw);
    if (id === null) {
      ctx.reply.error(ERR.NOT_INTEGER);
      return null;
    }
    if (id < 0 || id >= ks.dbs.length) {
      ctx.reply.error(ERR.DB_OUT_OF_RANGE);
      return null;
    }
    return ks.db(id);
  }

  function rename(ctx: CommandContext, args: string[], nx: boolean): void {
    const [, src, dst] = args as [string, string, string];
    const db = dbOf(node, ctx);
    const v = db.lookupWrite(src);
    if (v === undefined) return ctx.reply.error(ERR.NO_SUCH_KEY);
    if (src === dst) return nx ? ctx.reply.int(0) : ctx.reply.ok();
    const expire = db.getExpire(src);
    const enc = db.forcedEncoding?.get(src);
    if (db.lookupWrite(dst) !== undefined) {
      if (nx) return ctx.reply.int(0);
      db.delete(dst);
    }
    db.set(dst, v);
    // the encoding belongs to the value object in Redis, so it travels with it (raw strings stay raw)
    if (enc !== undefined) db.forceEncoding(dst, enc);
    if (expire !== undefined) db.setExpire(dst, expire);
    db.delete(src);
    signalIfBlockingType(db, dst, v);
    ks.dirty++;
    if (nx) ctx.reply.int(1);
    else ctx.reply.ok();
  }

  function signalIfBlockingType(db: Database, key: string, v: Value): void {
    const t = typeOfValue(v);
    if (t === 'list' || t === 'zset') node.ready.signalKeyAsReady(db.index, key);
  }

  /** FLUSHDB/FLUSHALL's optional ASYNC|SYNC; null after replying a syntax error. */
  function flushFlags(ctx: CommandContext, args: string[]): boolean {
    if (args.length > 2) {
      ctx.reply.error(ERR.SYNTAX);
      return false;
    }
    if (args.length === 2) {
      const f = args[1]!.toLowerCase();
      if (f !== 'sync' && f !== 'async') {
        ctx.reply.error(ERR.SYNTAX);
        return false;
      }
    }
    return true;
  }

  function objectLookup(ctx: CommandContext, key: string): Value | undefined {
    const v = dbOf(node, ctx).peek(key);
    if (v === undefined) ctx.reply.nil();
    return v;
  }

  return [
    spec('del', del),
    spec('unlink', del),

    spec('exists', (ctx, args) => {
      const db = dbOf(node, ctx);
      let n = 0;
      for (let i = 1; i < args.length; i++) if (db.lookupRead(args[i]!) !== undefined) n++;
      ctx.reply.int(n);
    }),

    spec('type', (ctx, args) => {
      const v = dbOf(node, ctx).lookupRead(args[1]!);
      ctx.reply.simple(v === undefined ? 'none' : typeOfValue(v));
    }),

    spec('rename', (ctx, args) => rename(ctx, args, false)),
    spec('renamenx', (ctx, args) => rename(ctx, args, true)),

    spec('copy', (ctx, args) => {
      const [, src, dst] = args as [string, string, string];
      const db = dbOf(node, ctx);
      let target = db;
      let replace = false;
      for (let j = 3; j < args.length; j++) {
        const opt = args[j]!.toLowerCase();
        if (opt === 'replace') replace = true;
        else if (opt === 'db' && args.length > j + 1) {
          const t = selectDbOrReply(ctx, args[++j]!);
          if (t === null) return;
          target = t;
        } else return ctx.reply.error(ERR.SYNTAX);
      }
      if (target === db && src === dst) return ctx.reply.error(ERR.SAME_OBJECT);
      const v = db.lookupRead(src);
      if (v === undefined) return ctx.reply.int(0);
      const expire = db.getExpire(src);
      if (target.lookupWrite(dst) !== undefined) {
        if (!replace) return ctx.reply.int(0);
        target.delete(dst);
      }
      const copy = cloneValue(v);
      const enc = db.forcedEncoding?.get(src);
      target.set(dst, copy);
      if (enc !== undefined) target.forceEncoding(dst, enc);
      if (expire !== undefined) target.setExpire(dst, expire);
      signalIfBlockingType(target, dst, copy);
      ks.dirty++;
      ctx.reply.int(1);
    }),

    spec('move', (ctx, args) => {
      const key = args[1]!;
      const db = dbOf(node, ctx);
      const target = selectDbOrReply(ctx, args[2]!);
      if (target === null) return;
      if (target === db) return ctx.reply.error(ERR.SAME_OBJECT);
      const v = db.lookupWrite(key);
      if (v === undefined) return ctx.reply.int(0);
      const expire = db.getExpire(key);
      if (target.lookupWrite(key) !== undefined) return ctx.reply.int(0);
      const enc = db.forcedEncoding?.get(key);
      target.set(key, v);
      if (enc !== undefined) target.forceEncoding(key, enc);
      if (expire !== undefined) target.setExpire(key, expire);
      db.delete(key);
      signalIfBlockingType(target, key, v);
      ks.dirty++;
      ctx.reply.int(1);
    }),

    spec('keys', (ctx, args) => {
      const db = dbOf(node, ctx);
      const pattern = args[1]!;
      const all = pattern === '*';
      const now = ks.now();
      const out: string[] = [];
      const expires = db.expires;
      for (const key of db.dict.keys()) {
        if (!all && !stringMatch(pattern, key)) continue;
        if (expires.size !== 0) {
          const when = expires.get(key);
          if (when !== undefined && when <= now) continue;
        }
        out.push(key);
      }
      ctx.reply.bulkArray(out);
    }),

    spec('scan', (ctx, args) => {
      const cursor = parseCursor(args[1]!);
      if (typeof cursor === 'string') return ctx.reply.error(cursor);
      const opts = parseScanOptions(args, 2, true);
      if (typeof opts === 'string') return ctx.reply.error(opts);
      const db = dbOf(node, ctx);
      const dict = db.dict;
      const { items, next } = cursors.step(dict, () => dict.keys(), cursor, opts.count);
      const out: string[] = [];
      for (const key of items) {
        if (!matches(opts, key)) continue;
        const v = db.peek(key); // expires (and drops) stale keys as Redis's scan filter does
        if (v === undefined) continue;
        if (opts.type !== null && typeOfValue(v) !== opts.type.toLowerCase()) continue;
        out.push(key);
      }
      ctx.reply.array(2);
      ctx.reply.bulk(String(next));
      ctx.reply.bulkArray(out);
    }),

    spec('randomkey', (ctx) => {
      const db = dbOf(node, ctx);
      for (let tries = 0; tries < 100 && db.size > 0; tries++) {
        const key = randomKey(rolling, db, node.random.int(Math.min(db.size, 64)));
        if (key === undefined) break;
        if (db.peek(key) !== undefined) return ctx.reply.bulk(key);
      }
      ctx.reply.nil();
    }),

    spec('dbsize', (ctx) => {
      ctx.reply.int(dbOf(node, ctx).size);
    }),

    spec('touch', (ctx, args) => {
      const db = dbOf(node, ctx);
      let n = 0;
      for (let i = 1; i < args.length; i++) if (db.lookupRead(args[i]!) !== undefined) n++;
      ctx.reply.int(n);
    }),

    container('object', [
      spec('object|encoding', (ctx, args) => {
        const v = objectLookup(ctx, args[2]!);
        if (v !== undefined) ctx.reply.bulk(node.enc.encodingOf(dbOf(node, ctx), args[2]!, v));
      }),
      spec('object|refcount', (ctx, args) => {
        const v = objectLookup(ctx, args[2]!);
        // shared integers (OBJ_SHARED_INTEGERS, values 0..9999) report INT_MAX, everything else 1
        if (v !== undefined) {
          const n = typeof v === 'string' && v.length <= 20 ? parseInt64(v) : null;
          ctx.reply.int(n !== null && n >= 0 && n < 10000 ? INT_MAX : 1);
        }
      }),
      spec('object|idletime', (ctx, args) => {
        const db = dbOf(node, ctx);
        const v = objectLookup(ctx, args[2]!);
        if (v === undefined) return;
        if (hooks.maxmemoryPolicy?.().includes('lfu') === true) return ctx.reply.error(ERR.LFU_SELECTED);
        const stamp = db.lru?.get(args[2]!);
        // stamps are monotonic ms; Redis reports whole seconds
        ctx.reply.int(stamp === undefined || ks.lruClock < 0 ? 0 : Math.floor(Math.max(0, ks.lruClock - stamp) / 1000));
      }),
      spec('object|freq', (ctx, args) => {
        const v = objectLookup(ctx, args[2]!);
        if (v !== undefined) ctx.reply.error(ERR.LFU_NOT_SELECTED);
      }),
      spec('object|help', (ctx) => {
        ctx.reply.array(OBJECT_HELP.length);
        for (const l of OBJECT_HELP) ctx.reply.simple(l);
      }),
    ]),

    spec('select', (ctx, args) => {
      const id = parseInt32(args[1]!);
      if (id === null) return ctx.reply.error(ERR.NOT_INTEGER);
      if (id < 0 || id >= ks.dbs.length) return ctx.reply.error(ERR.DB_OUT_OF_RANGE);
      ctx.session.db = id;
      ctx.reply.ok();
    }),

    spec('swapdb', (ctx, args) => {
      const a = parseInt32(args[1]!);
      if (a === null) return ctx.reply.error(ERR.INVALID_FIRST_DB);
      const b = parseInt32(args[2]!);
      if (b === null) return ctx.reply.error(ERR.INVALID_SECOND_DB);
      if (a < 0 || a >= ks.dbs.length || b < 0 || b >= ks.dbs.length) return ctx.reply.error(ERR.DB_OUT_OF_RANGE);
      ks.swapDb(a, b);
      // lists/zsets now visible under a db with blocked clients may serve them (scanDatabaseForReadyKeys)
      for (const id of [a, b]) {
        const db = ks.db(id);
        for (const [key, v] of db.dict) signalIfBlockingType(db, key, v);
      }
      ks.dirty++;
      ctx.reply.ok();
    }),

    spec('flushdb', (ctx, args) => {
      if (!flushFlags(ctx, args)) return;
      ks.dirty += ks.flushDb(ctx.session.db);
      node.prop.force();
      ctx.reply.ok();
    }),

    spec('flushall', (ctx, args) => {
      if (!flushFlags(ctx, args)) return;
      ks.dirty += ks.flushAll();
      hooks.afterFlushAll?.();
      ks.dirty++;
      node.prop.force();
      ctx.reply.ok();
    }),
  ];
}

type Rolling = WeakMap<Map<string, Value>, Iterator<string>>;

/** A pseudo-random key: `skip` entries past a rolling start point (Maps have no random access). */
function randomKey(rolling: Rolling, db: Database, skip: number): string | undefined {
  let it = rolling.get(db.dict);
  if (it === undefined) {
    it = db.dict.keys();
    rolling.set(db.dict, it);
  }
  let key: string | undefined;
  for (let i = 0; i <= skip; i++) {
    let r = it.next();
    if (r.done === true) {
      it = db.dict.keys();
      rolling.set(db.dict, it);
      r = it.next();
      if (r.done === true) return undefined;
    }
    key = r.value;
  }
  return key;
}
