/**
 * What tredis's command handlers close over: the keyspace and the node services they call. Built once by the
 * composition root (main.ts); command families are factories `(node: NodeContext) → CommandSpec[]`.
 */
import type { Random } from '../common/random.js';
import type { EncodingTracker } from './keyspace/encoding.js';
import type { Keyspace } from './keyspace/keyspace.js';
import type { Database } from './keyspace/database.js';
import type { PropagationSink } from './propagation.js';
import type { CommandContext } from '../server/types.js';

/** Live settings the handlers consult (CONFIG SET changes them in place). */
export interface NodeSettings {
  /** proto-max-bulk-len: APPEND/SETRANGE may not build longer strings. */
  protoMaxBulkLen: number;
  /** lazyfree-lazy-expire: expiry deletions propagate as UNLINK instead of DEL. */
  lazyfreeLazyExpire: boolean;
  /** lazyfree-lazy-user-del: DEL behaves as UNLINK (GETDEL propagates UNLINK). */
  lazyfreeLazyUserDel: boolean;
  /** lazyfree-lazy-user-flush: FLUSHALL/FLUSHDB without SYNC/ASYNC behave as ASYNC. */
  lazyfreeLazyUserFlush: boolean;
}

export const DEFAULT_NODE_SETTINGS: NodeSettings = {
  protoMaxBulkLen: 512 * 1024 * 1024,
  lazyfreeLazyExpire: false,
  lazyfreeLazyUserDel: false,
  lazyfreeLazyUserFlush: false,
};

/** Blocking operations (BLPOP & co.): what non-blocking writers must tell it. */
export interface ReadySignals {
  /** A list/zset key was created or refilled: blocked clients waiting on it may be served. */
  signalKeyAsReady(db: number, key: string): void;
}

export interface NodeContext {
  readonly ks: Keyspace;
  readonly enc: EncodingTracker;
  readonly prop: PropagationSink;
  readonly settings: NodeSettings;
  readonly random: Random;
  readonly ready: ReadySignals;
  /** True while EXEC runs queued commands (blocking commands then never block, as Redis's CLIENT_MULTI). */
  readonly inExec: () => boolean;
}

/** The database selected by the calling client. */
export function dbOf(node: NodeContext, ctx: CommandContext): Database {
  return node.ks.db(ctx.session.db);
}
