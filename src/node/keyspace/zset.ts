/**
 * ZSetValue: the sorted-set representation. Like Redis's skiplist encoding (t_zset.c) it pairs a dict
 * member → score (O(1) ZSCORE) with an ordered index supporting O(log n) insert/delete/score update, rank
 * lookups (ZRANK) and range starts by rank, score or lex (ZRANGE*, ZCOUNT, ZLEXCOUNT).
 *
 * The ordered index (zset-index.ts) is not a skiplist: in V8 every skiplist step costs several dependent cache
 * misses (node → level array → next node → member string), which made ZADD several times slower than Redis; it
 * is sorted blocks in flat stores with a Fenwick tree for ranks.
 *
 * Redis uses the listpack encoding below zset-max-listpack-entries; the observable encoding is tracked separately
 * for OBJECT ENCODING (keyspace/encoding.ts).
 */
import type { ZSetLike } from './types.js';
import { ZSetIndex, type ZEntry } from './zset-index.js';
import {
  gteMin,
  lexGteMin,
  lexLteMax,
  lexRangeNonEmpty,
  lteMax,
  scoreRangeNonEmpty,
  type LexRange,
  type ScoreRange,
} from './zset-range.js';

export type { LexBound, LexRange, ScoreRange } from './zset-range.js';
export type { ZEntry } from './zset-index.js';

export class ZSetValue implements ZSetLike {
  readonly #dict = new Map<string, number>();
  readonly #index = new ZSetIndex();

  /** The seed parameter is kept for API compatibility (the skiplist version used it for level draws). */
  constructor(_seed?: number) {}

  static from(entries: Iterable<ZEntry>): ZSetValue {
    const z = new ZSetValue();
    for (const [m, s] of entries) z.add(m, s);
    return z;
  }

  get size(): number {
    return this.#dict.size;
  }

  score(member: string): number | undefined {
    return this.#dict.get(member);
  }

  has(member: string): boolean {
    return this.#dict.has(member);
  }

  /** Insert or update; returns true when the member is new. */
  add(member: string, score: number): boolean {
    const cur = this.#dict.get(member);
    if (cur === undefined) {
      this.#index.insert(score, member);
      this.#dict.set(member, score);
      return true;
    }
    // zsetAdd compares with `!=`, so 0 and -0 are the same score
    if (cur !== score) {
      this.#index.move(member, cur, score);
      this.#dict.set(member, score);
    }
    return false;
  }

  /**
   * `add` for a caller that has just read the member's score with `score()` (ZADD/ZINCRBY): `current` is that
   * score or undefined when absent, which saves the second dict lookup.
   */
  addKnown(member: string, score: number, current: number | undefined): void {
    if (current === undefined) {
      this.#index.insert(score, member);
      this.#dict.set(member, score);
    } else if (current !== score) {
      this.#index.move(member, current, score);
      this.#dict.set(member, score);
    }
  }

  remove(member: string): boolean {
    const cur = this.#dict.get(member);
    if (cur === undefined) return false;
    this.#index.delete(cur, member);
    this.#dict.delete(member);
    return true;
  }

  /** 0-based rank in ascending order (descending when `reverse`), or undefined when absent. O(log n). */
  rank(member: string, reverse = false): number | undefined {
    const score = this.#dict.get(member);
    if (score === undefined) return undefined;
    const r = this.#index.rank(score, member);
    return reverse ? this.#dict.size - 1 - r : r;
  }

  /** Entry at 0-based ascending rank, or undefined. O(log n). */
  at(rank: number): ZEntry | undefined {
    if (rank < 0 || rank >= this.#dict.size) return undefined;
    return this.#index.at(rank);
  }

  /** Ascending ranks start..stop inclusive (clamped by the caller), reversed order when `reverse`
   *  (then start/stop are ranks counted from the highest). O(log n + m). */
  rangeByRank(start: number, stop: number, reverse = false): ZEntry[] {
    const n = this.#dict.size;
    if (start > stop || start >= n) return [];
    stop = Math.min(stop, n - 1);
    return reverse ? this.#index.collect(n - 1 - start, stop - start + 1, true) : this.#index.collect(start, stop - start + 1, false);
  }

  /** Number of members with score in range. O(log n). */
  countInScoreRange(r: ScoreRange): number {
    const first = this.#firstInScoreRange(r);
    if (first < 0) return 0;
    return this.#lastInScoreRange(r) - first + 1;
  }

  countInLexRange(r: LexRange): number {
    const first = this.#firstInLexRange(r);
    if (first < 0) return 0;
    return this.#lastInLexRange(r) - first + 1;
  }

  /**
   * Members in a score range, ascending (or descending when `reverse`), skipping `offset` and returning at most
   * `limit` (negative = all). The start is found in O(log n) and the offset skipped by rank, also O(log n).
   */
  rangeByScore(r: ScoreRange, reverse = false, offset = 0, limit = -1): ZEntry[] {
    if (offset < 0) return [];
    const first = this.#firstInScoreRange(r);
    if (first < 0) return [];
    const last = this.#lastInScoreRange(r);
    return this.#window(first, last, reverse, offset, limit);
  }

  rangeByLex(r: LexRange, reverse = false, offset = 0, limit = -1): ZEntry[] {
    if (offset < 0) return [];
    const first = this.#firstInLexRange(r);
    if (first < 0) return [];
    const last = this.#lastInLexRange(r);
    return this.#window(first, last, reverse, offset, limit);
  }

  /** ZREMRANGEBYRANK: remove ascending ranks start..stop inclusive (clamped by the caller); returns the removed. */
  removeRangeByRank(start: number, stop: number): ZEntry[] {
    const victims = this.rangeByRank(start, stop);
    for (const [m] of victims) this.remove(m);
    return victims;
  }

  removeRangeByScore(r: ScoreRange): ZEntry[] {
    const victims = this.rangeByScore(r);
    for (const [m] of victims) this.remove(m);
    return victims;
  }

  removeRangeByLex(r: LexRange): ZEntry[] {
    const victims = this.rangeByLex(r);
    for (const [m] of victims) this.remove(m);
    return victims;
  }

  /** Remove and return up to `count` lowest (or highest when `max`) entries, in pop order. */
  pop(count: number, max = false): ZEntry[] {
    const out: ZEntry[] = [];
    while (out.length < count && this.#dict.size > 0) {
      const e = this.at(max ? this.#dict.size - 1 : 0)!;
      out.push(e);
      this.remove(e[0]);
    }
    return out;
  }

  /** Members in dict (insertion) order, for SCAN-style iteration that must survive concurrent updates. */
  members(): IterableIterator<string> {
    return this.#dict.keys();
  }

  /** The member → score map, read-only (ZSCAN, random sampling, serialization in any order). */
  get dict(): ReadonlyMap<string, number> {
    return this.#dict;
  }

  clone(): ZSetValue {
    const z = new ZSetValue();
    for (const e of this) z.add(e[0], e[1]);
    return z;
  }

  [Symbol.iterator](): Iterator<ZEntry> {
    return this.#index[Symbol.iterator]();
  }

  /** Descending order. */
  reversed(): IterableIterator<ZEntry> {
    return this.#index.reversed();
  }

  /** Ranks first..last (inclusive, ascending) windowed by offset/limit in the requested direction. */
  #window(first: number, last: number, reverse: boolean, offset: number, limit: number): ZEntry[] {
    const n = last - first + 1 - offset;
    if (n <= 0) return [];
    const count = limit < 0 ? n : Math.min(limit, n);
    return reverse ? this.#index.collect(last - offset, count, true) : this.#index.collect(first + offset, count, false);
  }

  #firstInScoreRange(r: ScoreRange): number {
    if (!scoreRangeNonEmpty(r)) return -1;
    const i = this.#index.firstWhere((s) => gteMin(s, r));
    if (i >= this.#dict.size) return -1;
    const e = this.at(i)!;
    return lteMax(e[1], r) ? i : -1;
  }

  #lastInScoreRange(r: ScoreRange): number {
    if (!scoreRangeNonEmpty(r)) return -1;
    const i = this.#index.firstWhere((s) => !lteMax(s, r)) - 1;
    if (i < 0) return -1;
    const e = this.at(i)!;
    return gteMin(e[1], r) ? i : -1;
  }

  #firstInLexRange(r: LexRange): number {
    if (!lexRangeNonEmpty(r)) return -1;
    const i = this.#index.firstWhere((_s, m) => lexGteMin(m, r.min));
    if (i >= this.#dict.size) return -1;
    return lexLteMax(this.at(i)![0], r.max) ? i : -1;
  }

  #lastInLexRange(r: LexRange): number {
    if (!lexRangeNonEmpty(r)) return -1;
    const i = this.#index.firstWhere((_s, m) => !lexLteMax(m, r.max)) - 1;
    if (i < 0) return -1;
    return lexGteMin(this.at(i)![0], r.min) ? i : -1;
  }
}
