/**
 * Sorted-set range predicates (t_zset.c zslValueGteMin/LteMax, zslLexValueGteMin/LteMax,
 * zslIsInRange/zslIsInLexRange's emptiness tests), shared by the index in zset.ts.
 */

/** A score interval as ZRANGEBYSCORE parses it (`(1` is exclusive). */
export interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minex: boolean;
  readonly maxex: boolean;
}

/** A lex bound as ZRANGEBYLEX parses it: `-`, `+`, `[x` (inclusive) or `(x` (exclusive). */
export type LexBound = '-' | '+' | { readonly value: string; readonly exclusive: boolean };

export interface LexRange {
  readonly min: LexBound;
  readonly max: LexBound;
}

export function gteMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}

export function lteMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}

/** zslIsInRange: false when the interval is empty. */
export function scoreRangeNonEmpty(r: ScoreRange): boolean {
  return !(r.min > r.max || (r.min === r.max && (r.minex || r.maxex)));
}

export function lexGteMin(member: string, b: LexBound): boolean {
  if (b === '-') return true;
  if (b === '+') return false;
  return b.exclusive ? member > b.value : member >= b.value;
}

export function lexLteMax(member: string, b: LexBound): boolean {
  if (b === '+') return true;
  if (b === '-') return false;
  return b.exclusive ? member < b.value : member <= b.value;
}

/** zslIsInLexRange's emptiness test. */
export function lexRangeNonEmpty(r: LexRange): boolean {
  const { min, max } = r;
  if (min === '+' || max === '-') return false;
  if (min === '-' || max === '+') return true;
  if (min.value > max.value) return false;
  if (min.value === max.value && (min.exclusive || max.exclusive)) return false;
  return true;
}
