/**
 * HRANDFIELD / SRANDMEMBER / ZRANDMEMBER with a count (t_hash.c hrandfieldWithCountCommand and its siblings):
 * count 0 → empty; negative → |count| picks that may repeat; count ≥ size → everything; else distinct picks.
 */
import type { Random } from '../../common/random.js';
import type { CommandContext } from '../../server/types.js';
import { parseInt64 } from './args.js';
import { ERR } from './errors.js';

const LONG_MAX = 2 ** 63 - 1;
/** Largest |count| accepted for a negative (repeating) count. */
const MAX_REPEATED_PICKS = 2 ** 26;

/** Parse `<count> [WITH…]` (argv[2], argv[3]); null after replying an error. */
export function randomCountArg(ctx: CommandContext, args: readonly string[], withWord: string | null): { n: number; with: boolean } | null {
  const n = parseInt64(args[2]!);
  if (n === null) {
    ctx.reply.error(ERR.NOT_INTEGER);
    return null;
  }
  if (args[2] === '-9223372036854775808') {
    ctx.reply.error(ERR.LONG_RANGE);
    return null;
  }
  let withValues = false;
  if (withWord !== null) {
    if (args.length > 4 || (args.length === 4 && args[3]!.toLowerCase() !== withWord)) {
      ctx.reply.error(ERR.SYNTAX);
      return null;
    }
    if (args.length === 4) {
      withValues = true;
      if (n < -LONG_MAX / 2 || n > LONG_MAX / 2) {
        ctx.reply.error(ERR.HRANDFIELD_RANGE);
        return null;
      }
    }
  } else if (args.length > 3) {
    ctx.reply.error(ERR.SYNTAX);
    return null;
  }
  if (n < -MAX_REPEATED_PICKS) {
    // Redis would build a reply of |count| elements and exhaust memory; we refuse instead of hanging
    ctx.reply.error(ERR.HRANDFIELD_RANGE);
    return null;
  }
  return { n, with: withValues };
}

/** Indexes of the picks for a count (see the module comment). */
export function pickIndexes(random: Random, size: number, n: number): number[] {
  if (n === 0 || size === 0) return [];
  if (n < 0) return Array.from({ length: -n }, () => random.int(size));
  if (n >= size) return Array.from({ length: size }, (_, i) => i);
  // partial Fisher-Yates over an index array for distinct picks
  const idx = Array.from({ length: size }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const j = i + random.int(size - i);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, n);
}

/**
 * Reply the picked entries: keys alone, or key/value pairs (flat in RESP2, 2-element arrays in RESP3).
 * `value` writes one value (a bulk for hashes, a double for sorted sets).
 */
export function writeRandomPairs<V>(
  ctx: CommandContext,
  random: Random,
  entries: readonly (readonly [string, V])[],
  n: number,
  withValues: boolean,
  value: (v: V) => void = (v) => ctx.reply.bulk(String(v)),
): void {
  const picks = pickIndexes(random, entries.length, n);
  const resp3 = ctx.session.proto === 3;
  ctx.reply.array(withValues && !resp3 ? picks.length * 2 : picks.length);
  for (const i of picks) {
    const [k, v] = entries[i]!;
    if (withValues) {
      if (resp3) ctx.reply.array(2);
      ctx.reply.bulk(k);
      value(v);
    } else {
      ctx.reply.bulk(k);
    }
  }
}
