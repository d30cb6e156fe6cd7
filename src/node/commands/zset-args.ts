/**
 * Sorted-set argument parsing and reply helpers shared by the zset families (t_zset.c zslParseRange,
 * zslParseLexRange, zrangeResultBeginClient…).
 */
import type { CommandContext } from '../../server/types.js';
import type { NodeContext } from '../context.js';
import type { Database } from '../keyspace/database.js';
import { ZSetValue, type LexBound, type LexRange, type ScoreRange, type ZEntry } from '../keyspace/zset.js';
import { parseLooseDouble } from './args.js';

/** zslParseRange: `(x` exclusive, otherwise inclusive; strtod rules (see parseLooseDouble). */
export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const a = parseScoreBound(min);
  const b = parseScoreBound(max);
  if (a === null || b === null) return null;
  return { min: a.v, minex: a.ex, max: b.v, maxex: b.ex };
}

function parseScoreBound(s: string): { v: number; ex: boolean } | null {
  const ex = s.charCodeAt(0) === 40; /* '(' */
  const v = parseLooseDouble(ex ? s.slice(1) : s);
  return v === null ? null : { v, ex };
}

/** zslParseLexRangeItem: `-`, `+`, `[x`, `(x`. */
export function parseLexBound(s: string): LexBound | null {
  const c = s[0];
  if (c === '+' && s.length === 1) return '+';
  if (c === '-' && s.length === 1) return '-';
  if (c === '(') return { value: s.slice(1), exclusive: true };
  if (c === '[') return { value: s.slice(1), exclusive: false };
  return null;
}

export function parseLexRange(min: string, max: string): LexRange | null {
  const a = parseLexBound(min);
  const b = parseLexBound(max);
  return a === null || b === null ? null : { min: a, max: b };
}

/**
 * Reply a list of entries: members only, or member/score pairs (flat in RESP2, [member, score] arrays in RESP3),
 * as zrangeResultBeginClient / zrangeResultEmitCBufferToClient.
 */
export function replyEntries(ctx: CommandContext, entries: readonly ZEntry[], withScores: boolean): void {
  const resp3 = ctx.session.proto === 3;
  ctx.reply.array(withScores && !resp3 ? entries.length * 2 : entries.length);
  for (const [m, s] of entries) {
    if (withScores && resp3) ctx.reply.array(2);
    ctx.reply.bulk(m);
    if (withScores) ctx.reply.double(s);
  }
}

/** The STORE forms (ZRANGESTORE, ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE): a non-empty result replaces dst, an empty one
 *  deletes it (zrangeResultFinalizeStore, zunionInterDiffGenericCommand); reply the cardinality. */
export function storeZsetResult(node: NodeContext, ctx: CommandContext, db: Database, dst: string, entries: readonly ZEntry[]): void {
  if (entries.length > 0) {
    db.set(dst, ZSetValue.from(entries));
    node.ks.dirty++;
    node.ready.signalKeyAsReady(db.index, dst);
  } else if (db.remove(dst)) {
    node.ks.dirty++;
  }
  ctx.reply.int(entries.length);
}
