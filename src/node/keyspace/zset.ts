/**
 * ZSetValue: the sorted-set representation, mirroring Redis's skiplist encoding (t_zset.c): a dict member → score
 * for O(1) ZSCORE, plus a skiplist ordered by (score, member) whose forward pointers carry spans, so rank lookups
 * (ZRANK), rank ranges (ZRANGE) and score/lex range starts (ZRANGEBYSCORE, ZCOUNT, ZRANGEBYLEX) are O(log n).
 *
 * Ordering is Redis's: by score, then by member bytes (memcmp). Members are byte strings (one char per byte), so
 * JS string comparison is exactly memcmp order.
 *
 * Redis uses the listpack encoding below zset-max-listpack-entries; we always use the skiplist (the observable
 * encoding is tracked separately for OBJECT ENCODING, see keyspace/encoding.ts).
 */
import type { ZSetLike } from './types.js';

const MAX_LEVEL = 32; // ZSKIPLIST_MAXLEVEL
const P_THRESHOLD = 0xffff * 0.25; // ZSKIPLIST_P = 0.25 (zslRandomLevel)

class ZNode {
  member: string;
  score: number;
  backward: ZNode | null = null;
  readonly next: (ZNode | null)[];
  readonly span: number[];

  constructor(level: number, member: string, score: number) {
    this.member = member;
    this.score = score;
    const next: (ZNode | null)[] = [];
    const span: number[] = [];
    for (let i = 0; i < level; i++) {
      next.push(null);
      span.push(0);
    }
    this.next = next;
    this.span = span;
  }
}

/**
 * Scratch space for insert/delete (zslInsert's update[] and rank[] on the C stack). Operations never nest and JS
 * is single-threaded, so one pair serves every skiplist without allocating per call.
 */
const UPDATE: ZNode[] = [];
const RANK: number[] = new Array<number>(MAX_LEVEL).fill(0);

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

export type ZEntry = [member: string, score: number];

function lt(aScore: number, aMember: string, bScore: number, bMember: string): boolean {
  return aScore < bScore || (aScore === bScore && aMember < bMember);
}

function gteMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}

function lteMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}

/** zslIsInRange: false when the interval is empty. */
function scoreRangeNonEmpty(r: ScoreRange): boolean {
  return !(r.min > r.max || (r.min === r.max && (r.minex || r.maxex)));
}

function lexGteMin(member: string, b: LexBound): boolean {
  if (b === '-') return true;
  if (b === '+') return false;
  return b.exclusive ? member > b.value : member >= b.value;
}

function lexLteMax(member: string, b: LexBound): boolean {
  if (b === '+') return true;
  if (b === '-') return false;
  return b.exclusive ? member < b.value : member <= b.value;
}

/** zslIsInLexRange's emptiness test. */
function lexRangeNonEmpty(r: LexRange): boolean {
  const { min, max } = r;
  if (min === '+' || max === '-') return false;
  if (min === '-' || max === '+') return true;
  if (min.value > max.value) return false;
  if (min.value === max.value && (min.exclusive || max.exclusive)) return false;
  return true;
}

export class ZSetValue implements ZSetLike {
  readonly #dict = new Map<string, number>();
  readonly #header = new ZNode(MAX_LEVEL, '', 0);
  #tail: ZNode | null = null;
  #level = 1;
  #rng: number;

  constructor(seed = 0x2545f491) {
    this.#rng = seed | 1;
  }

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
      this.#updateScore(member, cur, score);
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
    let rank = 0;
    let x = this.#header;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && (lt(n.score, n.member, score, member) || (n.score === score && n.member === member))) {
        rank += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      if (x !== this.#header && x.member === member) break;
    }
    // rank is 1-based here (zslGetRank)
    return reverse ? this.#dict.size - rank : rank - 1;
  }

  /** Entry at 0-based ascending rank, or undefined. O(log n). */
  at(rank: number): ZEntry | undefined {
    const n = this.#nodeByRank(rank + 1);
    return n === null ? undefined : [n.member, n.score];
  }

  /** Ascending ranks start..stop inclusive (clamped by the caller), reversed order when `reverse`
   *  (then start/stop are ranks counted from the highest). O(log n + m). */
  rangeByRank(start: number, stop: number, reverse = false): ZEntry[] {
    const out: ZEntry[] = [];
    if (start > stop || start >= this.#dict.size) return out;
    const len = this.#dict.size;
    if (!reverse) {
      let n = this.#nodeByRank(start + 1);
      for (let k = start; k <= stop && n !== null; k++) {
        out.push([n.member, n.score]);
        n = n.next[0]!;
      }
    } else {
      let n = this.#nodeByRank(len - start);
      for (let k = start; k <= stop && n !== null; k++) {
        out.push([n.member, n.score]);
        n = n.backward;
      }
    }
    return out;
  }

  /** Number of members with score in range. O(log n). */
  countInScoreRange(r: ScoreRange): number {
    const first = this.#firstInScoreRange(r);
    if (first === null) return 0;
    const last = this.#lastInScoreRange(r)!;
    return this.#rankOfNode(last) - this.#rankOfNode(first) + 1;
  }

  countInLexRange(r: LexRange): number {
    const first = this.#firstInLexRange(r);
    if (first === null) return 0;
    const last = this.#lastInLexRange(r)!;
    return this.#rankOfNode(last) - this.#rankOfNode(first) + 1;
  }

  /**
   * Members in a score range, ascending (or descending when `reverse`), skipping `offset` and returning at most
   * `limit` (negative = all). The start is found in O(log n) and the offset skipped by rank, also O(log n).
   */
  rangeByScore(r: ScoreRange, reverse = false, offset = 0, limit = -1): ZEntry[] {
    const out: ZEntry[] = [];
    if (offset < 0) return out;
    let n = reverse ? this.#lastInScoreRange(r) : this.#firstInScoreRange(r);
    if (n !== null && offset > 0) n = this.#skip(n, offset, reverse);
    while (n !== null && limit !== 0) {
      if (reverse ? !gteMin(n.score, r) : !lteMax(n.score, r)) break;
      out.push([n.member, n.score]);
      limit--;
      n = reverse ? n.backward : n.next[0]!;
    }
    return out;
  }

  rangeByLex(r: LexRange, reverse = false, offset = 0, limit = -1): ZEntry[] {
    const out: ZEntry[] = [];
    if (offset < 0) return out;
    let n = reverse ? this.#lastInLexRange(r) : this.#firstInLexRange(r);
    if (n !== null && offset > 0) n = this.#skip(n, offset, reverse);
    while (n !== null && limit !== 0) {
      if (reverse ? !lexGteMin(n.member, r.min) : !lexLteMax(n.member, r.max)) break;
      out.push([n.member, n.score]);
      limit--;
      n = reverse ? n.backward : n.next[0]!;
    }
    return out;
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
    while (out.length < count) {
      const n = max ? this.#tail : this.#header.next[0]!;
      if (n === null) break;
      out.push([n.member, n.score]);
      this.remove(n.member);
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
    let n = this.#header.next[0]!;
    while (n !== null) {
      yield [n.member, n.score];
      n = n.next[0]!;
    }
  }

  /** Descending order. */
  *reversed(): IterableIterator<ZEntry> {
    let n = this.#tail;
    while (n !== null) {
      yield [n.member, n.score];
      n = n.backward;
    }
  }

  // ---- skiplist internals (t_zset.c zslInsert / zslDeleteNode / zslUpdateScore / zslGetElementByRank) ----

  #randomLevel(): number {
    let level = 1;
    for (;;) {
      // xorshift32: cheap, and level distribution only needs to be geometric, not secure
      let x = this.#rng;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.#rng = x;
      if ((x & 0xffff) < P_THRESHOLD && level < MAX_LEVEL) level++;
      else return level;
    }
  }

  #insert(score: number, member: string): ZNode {
    const update = UPDATE;
    const rank = RANK;
    let x = this.#header;
    for (let i = this.#level - 1; i >= 0; i--) {
      rank[i] = i === this.#level - 1 ? 0 : rank[i + 1]!;
      let n = x.next[i]!;
      while (n !== null && lt(n.score, n.member, score, member)) {
        rank[i]! += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      update[i] = x;
    }
    const level = this.#randomLevel();
    const len = this.#dict.size;
    if (level > this.#level) {
      for (let i = this.#level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.#header;
        this.#header.span[i] = len;
      }
      this.#level = level;
    }
    const node = new ZNode(level, member, score);
    for (let i = 0; i < level; i++) {
      const u = update[i]!;
      node.next[i] = u.next[i]!;
      u.next[i] = node;
      node.span[i] = u.span[i]! - (rank[0]! - rank[i]!);
      u.span[i] = rank[0]! - rank[i]! + 1;
    }
    for (let i = level; i < this.#level; i++) update[i]!.span[i]!++;
    node.backward = update[0] === this.#header ? null : update[0]!;
    const after = node.next[0]!;
    if (after !== null) after.backward = node;
    else this.#tail = node;
    return node;
  }

  #delete(score: number, member: string): void {
    const update = UPDATE;
    let x = this.#header;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && lt(n.score, n.member, score, member)) {
        x = n;
        n = x.next[i]!;
      }
      update[i] = x;
    }
    const node = x.next[0]!;
    if (node === null || node.member !== member) throw new Error('ZSetValue: skiplist and dict disagree');
    this.#unlink(node, update);
  }

  #unlink(node: ZNode, update: ZNode[]): void {
    for (let i = 0; i < this.#level; i++) {
      const u = update[i]!;
      if (u.next[i] === node) {
        u.span[i]! += node.span[i]! - 1;
        u.next[i] = node.next[i]!;
      } else {
        u.span[i]!--;
      }
    }
    const after = node.next[0]!;
    if (after !== null) after.backward = node.backward;
    else this.#tail = node.backward;
    while (this.#level > 1 && this.#header.next[this.#level - 1] === null) this.#level--;
  }

  #updateScore(member: string, cur: number, score: number): void {
    const update = UPDATE;
    let x = this.#header;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && lt(n.score, n.member, cur, member)) {
        x = n;
        n = x.next[i]!;
      }
      update[i] = x;
    }
    const node = x.next[0]!;
    if (node === null || node.member !== member) throw new Error('ZSetValue: skiplist and dict disagree');
    // Same position after the change: update in place (zslUpdateScore's fast path).
    const prev = node.backward;
    const after = node.next[0]!;
    if ((prev === null || lt(prev.score, prev.member, score, member)) && (after === null || lt(score, member, after.score, after.member))) {
      node.score = score;
      return;
    }
    this.#unlink(node, update);
    this.#insert(score, member);
  }

  #nodeByRank(rank: number): ZNode | null {
    if (rank < 1 || rank > this.#dict.size) return null;
    let traversed = 0;
    let x = this.#header;
    for (let i = this.#level - 1; i >= 0; i--) {
      while (x.next[i] !== null && traversed + x.span[i]! <= rank) {
        traversed += x.span[i]!;
        x = x.next[i]!;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /** 1-based rank of a node known to be in the list. */
  #rankOfNode(node: ZNode): number {
    let rank = 0;
    let x = this.#header;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && (lt(n.score, n.member, node.score, node.member) || n === node)) {
        rank += x.span[i]!;
        x = n;
        if (x === node) return rank;
        n = x.next[i]!;
      }
    }
    return rank;
  }

  #skip(n: ZNode, offset: number, reverse: boolean): ZNode | null {
    const r = this.#rankOfNode(n);
    return this.#nodeByRank(reverse ? r - offset : r + offset);
  }

  #firstInScoreRange(r: ScoreRange): ZNode | null {
    if (!scoreRangeNonEmpty(r)) return null;
    let x = this.#header;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && !gteMin(n.score, r)) {
        x = n;
        n = x.next[i]!;
      }
    }
    const n = x.next[0]!;
    return n !== null && lteMax(n.score, r) ? n : null;
  }

  #lastInScoreRange(r: ScoreRange): ZNode | null {
    if (!scoreRangeNonEmpty(r)) return null;
    let x = this.#header;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && lteMax(n.score, r)) {
        x = n;
        n = x.next[i]!;
      }
    }
    return x !== this.#header && gteMin(x.score, r) ? x : null;
  }

  #firstInLexRange(r: LexRange): ZNode | null {
    if (!lexRangeNonEmpty(r)) return null;
    let x = this.#header;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && !lexGteMin(n.member, r.min)) {
        x = n;
        n = x.next[i]!;
      }
    }
    const n = x.next[0]!;
    return n !== null && lexLteMax(n.member, r.max) ? n : null;
  }

  #lastInLexRange(r: LexRange): ZNode | null {
    if (!lexRangeNonEmpty(r)) return null;
    let x = this.#header;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && lexLteMax(n.member, r.max)) {
        x = n;
        n = x.next[i]!;
      }
    }
    return x !== this.#header && lexGteMin(x.member, r.min) ? x : null;
  }
}
