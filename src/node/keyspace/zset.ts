/**
 * ZSetValue: the sorted-set representation. Like Redis's skiplist encoding (t_zset.c) it pairs a dict
 * member → score (O(1) ZSCORE) with an ordered index supporting O(log n) insert/delete/score update, rank
 * lookups (ZRANK) and range starts by rank, score or lex (ZRANGE*, ZCOUNT, ZLEXCOUNT).
 *
 * The ordered index is not a skiplist: in V8 every skiplist step costs several dependent cache misses (node →
 * level array → next node → member string), which made ZADD several times slower than Redis. Instead entries
 * live in sorted blocks of at most B_MAX (score, member) pairs, held in parallel arrays (scores as unboxed
 * doubles); a block is found by binary search over each block's last entry, and ranks come from a Fenwick tree
 * over block sizes. Insert/delete is O(log n + B) with B a small constant (memmove within one block).
 *
 * Ordering is Redis's: by score, then by member bytes (memcmp). Members are byte strings (one char per byte), so
 * JS string comparison is exactly memcmp order.
 *
 * Redis uses the listpack encoding below zset-max-listpack-entries; the observable encoding is tracked separately
 * for OBJECT ENCODING (keyspace/encoding.ts).
 */
import type { ZSetLike } from './types.js';
import {
  gteMin,
  lexGteMin,
  lexLteMax,
  lexRangeNonEmpty,
  lt,
  lteMax,
  scoreRangeNonEmpty,
  type LexRange,
  type ScoreRange,
} from './zset-range.js';

export type { LexBound, LexRange, ScoreRange } from './zset-range.js';

const B_MAX = 256;
const B_MIN = 32;

export type ZEntry = [member: string, score: number];

interface Block {
  readonly s: number[];
  readonly m: string[];
}

export class ZSetValue implements ZSetLike {
  readonly #dict = new Map<string, number>();
  #blocks: Block[] = [];
  /** Last entry of each block, for the block-level binary search. */
  #lastS: number[] = [];
  #lastM: string[] = [];
  /** Fenwick tree (1-based) over block sizes: ranks in O(log blocks). */
  #fen: number[] = [0];

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
      this.#insert(score, member);
      this.#dict.set(member, score);
      return true;
    }
    // zsetAdd compares with `!=`, so 0 and -0 are the same score
    if (cur !== score) {
      this.#delete(cur, member);
      this.#insert(score, member);
      this.#dict.set(member, score);
    }
    return false;
  }

  remove(member: string): boolean {
    const cur = this.#dict.get(member);
    if (cur === undefined) return false;
    this.#delete(cur, member);
    this.#dict.delete(member);
    return true;
  }

  /** 0-based rank in ascending order (descending when `reverse`), or undefined when absent. O(log n). */
  rank(member: string, reverse = false): number | undefined {
    const score = this.#dict.get(member);
    if (score === undefined) return undefined;
    const b = this.#blockFor(score, member);
    const r = this.#prefix(b) + this.#lowerIn(this.#blocks[b]!, score, member);
    return reverse ? this.#dict.size - 1 - r : r;
  }

  /** Entry at 0-based ascending rank, or undefined. O(log n). */
  at(rank: number): ZEntry | undefined {
    if (rank < 0 || rank >= this.#dict.size) return undefined;
    const [b, p] = this.#find(rank);
    const blk = this.#blocks[b]!;
    return [blk.m[p]!, blk.s[p]!];
  }

  /** Ascending ranks start..stop inclusive (clamped by the caller), reversed order when `reverse`
   *  (then start/stop are ranks counted from the highest). O(log n + m). */
  rangeByRank(start: number, stop: number, reverse = false): ZEntry[] {
    const n = this.#dict.size;
    if (start > stop || start >= n) return [];
    stop = Math.min(stop, n - 1);
    return reverse ? this.#collect(n - 1 - start, stop - start + 1, true) : this.#collect(start, stop - start + 1, false);
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

  *[Symbol.iterator](): Iterator<ZEntry> {
    for (const blk of this.#blocks) {
      for (let i = 0; i < blk.s.length; i++) yield [blk.m[i]!, blk.s[i]!];
    }
  }

  /** Descending order. */
  *reversed(): IterableIterator<ZEntry> {
    for (let b = this.#blocks.length - 1; b >= 0; b--) {
      const blk = this.#blocks[b]!;
      for (let i = blk.s.length - 1; i >= 0; i--) yield [blk.m[i]!, blk.s[i]!];
    }
  }

  // ---- the ordered index ----

  /** First block whose last entry is ≥ (score, member); the last block when none is. */
  #blockFor(score: number, member: string): number {
    const ls = this.#lastS;
    const lm = this.#lastM;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (lt(ls[mid]!, lm[mid]!, score, member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first entry of a block that is ≥ (score, member). */
  #lowerIn(blk: Block, score: number, member: string): number {
    const s = blk.s;
    const m = blk.m;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (lt(s[mid]!, m[mid]!, score, member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #insert(score: number, member: string): void {
    if (this.#blocks.length === 0) {
      this.#blocks.push({ s: [score], m: [member] });
      this.#lastS.push(score);
      this.#lastM.push(member);
      this.#rebuild();
      return;
    }
    const b = this.#blockFor(score, member);
    const blk = this.#blocks[b]!;
    const p = this.#lowerIn(blk, score, member);
    blk.s.splice(p, 0, score);
    blk.m.splice(p, 0, member);
    if (p === blk.s.length - 1) {
      this.#lastS[b] = score;
      this.#lastM[b] = member;
    }
    if (blk.s.length > B_MAX) this.#split(b);
    else this.#fenAdd(b, 1);
  }

  #delete(score: number, member: string): void {
    const b = this.#blockFor(score, member);
    const blk = this.#blocks[b]!;
    const p = this.#lowerIn(blk, score, member);
    if (blk.m[p] !== member) throw new Error('ZSetValue: index and dict disagree');
    blk.s.splice(p, 1);
    blk.m.splice(p, 1);
    const n = blk.s.length;
    if (n === 0) {
      this.#blocks.splice(b, 1);
      this.#lastS.splice(b, 1);
      this.#lastM.splice(b, 1);
      this.#rebuild();
      return;
    }
    if (p === n) {
      this.#lastS[b] = blk.s[n - 1]!;
      this.#lastM[b] = blk.m[n - 1]!;
    }
    if (n < B_MIN && this.#blocks.length > 1) this.#mergeAround(b);
    else this.#fenAdd(b, -1);
  }

  #split(b: number): void {
    const blk = this.#blocks[b]!;
    const half = blk.s.length >>> 1;
    const right: Block = { s: blk.s.splice(half), m: blk.m.splice(half) };
    this.#blocks.splice(b + 1, 0, right);
    this.#lastS.splice(b, 1, blk.s[half - 1]!, right.s[right.s.length - 1]!);
    this.#lastM.splice(b, 1, blk.m[half - 1]!, right.m[right.m.length - 1]!);
    this.#rebuild();
  }

  /** Merge a small block into a neighbour when the two fit in one. */
  #mergeAround(b: number): void {
    const blocks = this.#blocks;
    const left = b > 0 && blocks[b - 1]!.s.length + blocks[b]!.s.length <= B_MAX ? b - 1 : -1;
    const right = left < 0 && b + 1 < blocks.length && blocks[b]!.s.length + blocks[b + 1]!.s.length <= B_MAX ? b : -1;
    const at = left >= 0 ? left : right;
    if (at < 0) {
      this.#fenAdd(b, -1);
      return;
    }
    const a = blocks[at]!;
    const c = blocks[at + 1]!;
    for (let i = 0; i < c.s.length; i++) {
      a.s.push(c.s[i]!);
      a.m.push(c.m[i]!);
    }
    blocks.splice(at + 1, 1);
    this.#lastS.splice(at, 2, a.s[a.s.length - 1]!);
    this.#lastM.splice(at, 2, a.m[a.m.length - 1]!);
    this.#rebuild();
  }

  #rebuild(): void {
    const nb = this.#blocks.length;
    const fen = new Array<number>(nb + 1).fill(0);
    for (let i = 1; i <= nb; i++) {
      fen[i]! += this.#blocks[i - 1]!.s.length;
      const j = i + (i & -i);
      if (j <= nb) fen[j]! += fen[i]!;
    }
    this.#fen = fen;
  }

  #fenAdd(b: number, d: number): void {
    const fen = this.#fen;
    const nb = fen.length - 1;
    for (let i = b + 1; i <= nb; i += i & -i) fen[i]! += d;
  }

  /** Entries in blocks [0, b). */
  #prefix(b: number): number {
    const fen = this.#fen;
    let s = 0;
    for (let i = b; i > 0; i -= i & -i) s += fen[i]!;
    return s;
  }

  /** (block, index) of a 0-based rank < size. */
  #find(rank: number): [number, number] {
    const fen = this.#fen;
    const nb = fen.length - 1;
    let pos = 0;
    let rem = rank;
    let step = 1;
    while (step * 2 <= nb) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= nb && fen[next]! <= rem) {
        pos = next;
        rem -= fen[next]!;
      }
    }
    return [pos, rem];
  }

  /** `count` entries from ascending rank `from`, walking down when `reverse`. */
  #collect(from: number, count: number, reverse: boolean): ZEntry[] {
    const out: ZEntry[] = [];
    if (count <= 0 || from < 0 || from >= this.#dict.size) return out;
    let [b, p] = this.#find(from);
    const blocks = this.#blocks;
    while (out.length < count && b >= 0 && b < blocks.length) {
      const blk = blocks[b]!;
      out.push([blk.m[p]!, blk.s[p]!]);
      if (reverse) {
        if (--p < 0) {
          b--;
          if (b >= 0) p = blocks[b]!.s.length - 1;
        }
      } else if (++p >= blk.s.length) {
        b++;
        p = 0;
      }
    }
    return out;
  }

  /** Ranks first..last (inclusive, ascending) windowed by offset/limit in the requested direction. */
  #window(first: number, last: number, reverse: boolean, offset: number, limit: number): ZEntry[] {
    const n = last - first + 1 - offset;
    if (n <= 0) return [];
    const count = limit < 0 ? n : Math.min(limit, n);
    return reverse ? this.#collect(last - offset, count, true) : this.#collect(first + offset, count, false);
  }

  /** Ascending rank of the first entry satisfying a predicate that is false then true along the order, or size. */
  #firstWhere(pred: (score: number, member: string) => boolean): number {
    const ls = this.#lastS;
    const lm = this.#lastM;
    let lo = 0;
    let hi = ls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(ls[mid]!, lm[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === ls.length) return this.#dict.size;
    const blk = this.#blocks[lo]!;
    let a = 0;
    let z = blk.s.length - 1;
    while (a < z) {
      const mid = (a + z) >>> 1;
      if (pred(blk.s[mid]!, blk.m[mid]!)) z = mid;
      else a = mid + 1;
    }
    return this.#prefix(lo) + a;
  }

  #firstInScoreRange(r: ScoreRange): number {
    if (!scoreRangeNonEmpty(r)) return -1;
    const i = this.#firstWhere((s) => gteMin(s, r));
    if (i >= this.#dict.size) return -1;
    const e = this.at(i)!;
    return lteMax(e[1], r) ? i : -1;
  }

  #lastInScoreRange(r: ScoreRange): number {
    if (!scoreRangeNonEmpty(r)) return -1;
    const i = this.#firstWhere((s) => !lteMax(s, r)) - 1;
    if (i < 0) return -1;
    const e = this.at(i)!;
    return gteMin(e[1], r) ? i : -1;
  }

  #firstInLexRange(r: LexRange): number {
    if (!lexRangeNonEmpty(r)) return -1;
    const i = this.#firstWhere((_s, m) => lexGteMin(m, r.min));
    if (i >= this.#dict.size) return -1;
    return lexLteMax(this.at(i)![0], r.max) ? i : -1;
  }

  #lastInLexRange(r: LexRange): number {
    if (!lexRangeNonEmpty(r)) return -1;
    const i = this.#firstWhere((_s, m) => !lexLteMax(m, r.max)) - 1;
    if (i < 0) return -1;
    return lexGteMin(this.at(i)![0], r.min) ? i : -1;
  }
}
