/**
 * The ordered index of a sorted set (see zset.ts): (score, member) entries in sorted blocks of at most CAP, a
 * block found by binary search over each block's last entry, ranks from a Fenwick tree over block sizes.
 * Insert/delete is O(log n + CAP) with CAP a small constant (a memmove within one block).
 *
 * Memory layout (ZADD with random scores took ~3 µs per update with one JS object and two arrays per block, most
 * of it cache and TLB misses): every block is a fixed-size slot of two flat stores shared by the whole set —
 * scores in one Float64Array, members in one array — so a block costs two misses, not five. Block order is a
 * separate small array of slot numbers (splits and merges move slot numbers, never entries of other blocks).
 * While the set is one block its slot grows by doubling, so a small set does not pay for CAP entries.
 *
 * Ordering is Redis's: by score, then by member bytes (memcmp). Members are byte strings (one char per byte), so
 * JS string comparison is exactly memcmp order.
 */

/** Entries per block at most. 32, 64 and 128 measured alike on random-score ZADD (bench/zset-index.ts); 256 was
 *  slower (longer moves), and smaller blocks mean more splits, each O(blocks). */
const CAP = 128;
/** A block below this merges with a neighbour when the two fit in one. */
const MIN_FILL = 16;
/** The first slot's size; it doubles up to CAP while the set is one block. */
const FIRST_STRIDE = 4;

export type ZEntry = [member: string, score: number];

export class ZSetIndex {
  #size = 0;
  /** Slot size: entries of slot k live at [k * stride, k * stride + cnt[k]). CAP once there are two blocks. */
  #stride = FIRST_STRIDE;
  #S = new Float64Array(FIRST_STRIDE);
  #M: string[] = emptyMembers(FIRST_STRIDE);
  /** Entries per slot. */
  #cnt = new Int32Array(1);
  /** Slots ever allocated (the stores' length is `#slots * #stride`), and the unused ones among them. */
  #slots = 1;
  #free: number[] = [];
  /** Number of blocks, in order: `#order[b]` is block b's slot, `#lastS/#lastM[b]` its last entry. */
  #nb = 0;
  #order = new Int32Array(1);
  #lastS = new Float64Array(1);
  #lastM: string[] = [''];
  /** Fenwick tree (1-based) over block sizes: ranks in O(log blocks). Rebuilt lazily after a split or merge
   *  (O(blocks)), on the next rank query, so a run of inserts does not pay for it at every split. */
  #fen = new Int32Array(2);
  #fenStale = false;
  /** Offset within the block returned by the last #find (saves a tuple per call). */
  #findRest = 0;

  get size(): number {
    return this.#size;
  }

  /** 0-based ascending rank of an entry that is in the index. */
  rank(score: number, member: string): number {
    const b = this.#blockFor(score, member);
    return this.#prefix(b) + this.#lowerIn(this.#order[b]!, score, member);
  }

  /** Entry at 0-based ascending rank < size. */
  at(rank: number): ZEntry {
    const b = this.#find(rank);
    const i = this.#order[b]! * this.#stride + this.#findRest;
    return [this.#M[i]!, this.#S[i]!];
  }

  *[Symbol.iterator](): Iterator<ZEntry> {
    for (let b = 0; b < this.#nb; b++) {
      const base = this.#order[b]! * this.#stride;
      const end = base + this.#cnt[this.#order[b]!]!;
      for (let i = base; i < end; i++) yield [this.#M[i]!, this.#S[i]!];
    }
  }

  /** Descending order. */
  *reversed(): IterableIterator<ZEntry> {
    for (let b = this.#nb - 1; b >= 0; b--) {
      const base = this.#order[b]! * this.#stride;
      for (let i = base + this.#cnt[this.#order[b]!]! - 1; i >= base; i--) yield [this.#M[i]!, this.#S[i]!];
    }
  }

  /** First block whose last entry is ≥ (score, member); the last block when none is. */
  #blockFor(score: number, member: string): number {
    const ls = this.#lastS;
    const lm = this.#lastM;
    let lo = 0;
    let hi = this.#nb - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = ls[mid]!;
      if (s < score || (s === score && lm[mid]! < member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Offset within slot `slot` of the first entry ≥ (score, member). */
  #lowerIn(slot: number, score: number, member: string): number {
    const S = this.#S;
    const M = this.#M;
    const base = slot * this.#stride;
    let lo = base;
    let hi = base + this.#cnt[slot]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = S[mid]!;
      if (s < score || (s === score && M[mid]! < member)) lo = mid + 1;
      else hi = mid;
    }
    return lo - base;
  }

  /**
   * Offset within slot `slot` of an entry known to be there. A forward scan rather than a binary search: it reads
   * the block's lines in order (prefetched) instead of a chain of dependent misses, and the deletion that usually
   * follows touches the same lines.
   */
  #indexOf(slot: number, score: number, member: string): number {
    const S = this.#S;
    const M = this.#M;
    const base = slot * this.#stride;
    const end = base + this.#cnt[slot]!;
    let i = base;
    while (i < end && S[i]! < score) i++;
    while (i < end && S[i] === score && M[i] !== member) i++;
    if (i === end || M[i] !== member) throw new Error('ZSetValue: index and dict disagree');
    return i - base;
  }

  insert(score: number, member: string): void {
    this.#size++;
    if (this.#nb === 0) {
      // the stores are in their initial (or #reset) shape
      this.#nb = 1;
      this.#order[0] = 0;
      this.#S[0] = score;
      this.#M[0] = member;
      this.#cnt[0] = 1;
      this.#lastS[0] = score;
      this.#lastM[0] = member;
      this.#fen[1] = 1;
      this.#fenStale = false;
      return;
    }
    let b = this.#blockFor(score, member);
    let slot = this.#order[b]!;
    if (this.#cnt[slot]! === this.#stride) {
      if (this.#stride < CAP) {
        this.#growStride();
      } else {
        this.#split(b);
        // the new entry goes right of the split point when it sorts after the left half's last entry
        const s = this.#lastS[b]!;
        if (s < score || (s === score && this.#lastM[b]! < member)) b++;
        slot = this.#order[b]!;
      }
    }
    const base = slot * this.#stride;
    const n = this.#cnt[slot]!;
    const S = this.#S;
    const M = this.#M;
    // insertion-sort step from the block's end: finding the place and making room in one sequential pass (a
    // binary search here was a chain of dependent cache misses, and the memmove touched the same lines again)
    let i = base + n - 1;
    for (; i >= base; i--) {
      const s = S[i]!;
      if (s < score || (s === score && M[i]! < member)) break;
      S[i + 1] = s;
      M[i + 1] = M[i]!;
    }
    S[i + 1] = score;
    M[i + 1] = member;
    this.#cnt[slot] = n + 1;
    if (i + 1 === base + n) {
      this.#lastS[b] = score;
      this.#lastM[b] = member;
    }
    this.#fenAdd(b, 1);
  }

  /**
   * A score change (zslUpdateScore): in place when the entry keeps its position — the neighbours on both sides
   * still bracket the new score — otherwise delete and re-insert.
   */
  move(member: string, from: number, to: number): void {
    const b = this.#blockFor(from, member);
    const slot = this.#order[b]!;
    const base = slot * this.#stride;
    const p = this.#indexOf(slot, from, member);
    const n = this.#cnt[slot]!;
    const S = this.#S;
    const M = this.#M;
    let prevOk: boolean;
    if (p > 0) prevOk = S[base + p - 1]! < to || (S[base + p - 1]! === to && M[base + p - 1]! < member);
    else prevOk = b === 0 || this.#lastS[b - 1]! < to || (this.#lastS[b - 1]! === to && this.#lastM[b - 1]! < member);
    let nextOk = false;
    if (prevOk) {
      if (p < n - 1) nextOk = to < S[base + p + 1]! || (to === S[base + p + 1]! && member < M[base + p + 1]!);
      else if (b === this.#nb - 1) nextOk = true;
      else {
        const nb = this.#order[b + 1]! * this.#stride;
        nextOk = to < S[nb]! || (to === S[nb]! && member < M[nb]!);
      }
    }
    if (nextOk) {
      S[base + p] = to;
      if (p === n - 1) this.#lastS[b] = to;
    } else {
      // re-insert the string the index already holds (the dict's key), not the caller's copy: keeping the
      // request's fresh string alive would cost a promotion per update and a second copy of the member
      const kept = M[base + p]!;
      this.#deleteAt(b, p);
      this.insert(to, kept);
    }
  }

  delete(score: number, member: string): void {
    const b = this.#blockFor(score, member);
    this.#deleteAt(b, this.#indexOf(this.#order[b]!, score, member));
  }

  /** Remove the entry at offset p of block b. */
  #deleteAt(b: number, p: number): void {
    const slot = this.#order[b]!;
    const base = slot * this.#stride;
    const n = this.#cnt[slot]! - 1;
    const S = this.#S;
    const M = this.#M;
    this.#size--;
    if (p < n) {
      S.copyWithin(base + p, base + p + 1, base + n + 1);
      for (let i = base + p; i < base + n; i++) M[i] = M[i + 1]!;
    }
    M[base + n] = ''; // drop the reference
    this.#cnt[slot] = n;
    if (n === 0) {
      this.#removeBlock(b);
      return;
    }
    if (p === n) {
      this.#lastS[b] = S[base + n - 1]!;
      this.#lastM[b] = M[base + n - 1]!;
    }
    if (n < MIN_FILL && this.#nb > 1 && this.#mergeAround(b)) return;
    this.#fenAdd(b, -1);
  }

  /** A fresh single-slot layout (the set was empty). */
  #reset(): void {
    this.#stride = FIRST_STRIDE;
    this.#S = new Float64Array(FIRST_STRIDE);
    this.#M = emptyMembers(FIRST_STRIDE);
    this.#cnt = new Int32Array(1);
    this.#slots = 1;
    this.#free = [];
    this.#order = new Int32Array(1);
    this.#lastS = new Float64Array(1);
    this.#lastM = [''];
    this.#fen = new Int32Array(2);
    this.#fenStale = false;
  }

  /** Double the slot size while the set is a single block (slot 0). */
  #growStride(): void {
    const stride = this.#stride * 2;
    const S = new Float64Array(stride);
    S.set(this.#S.subarray(0, this.#cnt[0]!));
    const M = emptyMembers(stride);
    for (let i = 0; i < this.#cnt[0]!; i++) M[i] = this.#M[i]!;
    this.#S = S;
    this.#M = M;
    this.#stride = stride;
  }

  /** A free slot (reused or appended; the stores double when full). */
  #allocSlot(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    const slot = this.#slots;
    if ((slot + 1) * this.#stride > this.#S.length) {
      const slots = Math.max(2, slot * 2);
      const S = new Float64Array(slots * this.#stride);
      S.set(this.#S);
      this.#S = S;
      const M = this.#M;
      for (let i = M.length; i < slots * this.#stride; i++) M.push('');
      const cnt = new Int32Array(slots);
      cnt.set(this.#cnt);
      this.#cnt = cnt;
    }
    this.#slots = slot + 1;
    return slot;
  }

  /** Make room for one more block at position b (order, last entries, Fenwick capacity). */
  #openBlock(b: number): void {
    const nb = this.#nb;
    if (nb === this.#order.length) {
      const order = new Int32Array(nb * 2);
      order.set(this.#order);
      this.#order = order;
      const lastS = new Float64Array(nb * 2);
      lastS.set(this.#lastS);
      this.#lastS = lastS;
    }
    this.#order.copyWithin(b + 1, b, nb);
    this.#lastS.copyWithin(b + 1, b, nb);
    this.#lastM.splice(b, 0, '');
    this.#nb = nb + 1;
  }

  /** Remove block b from the order and free its slot. */
  #closeBlock(b: number): void {
    const nb = this.#nb;
    this.#free.push(this.#order[b]!);
    this.#order.copyWithin(b, b + 1, nb);
    this.#lastS.copyWithin(b, b + 1, nb);
    this.#lastM.splice(b, 1);
    this.#nb = nb - 1;
  }

  #split(b: number): void {
    const left = this.#order[b]!;
    const right = this.#allocSlot();
    const stride = this.#stride;
    const n = this.#cnt[left]!;
    const half = n >>> 1;
    const from = left * stride;
    const to = right * stride;
    this.#S.copyWithin(to, from + half, from + n);
    const M = this.#M;
    for (let i = half; i < n; i++) {
      M[to + i - half] = M[from + i]!;
      M[from + i] = '';
    }
    this.#cnt[left] = half;
    this.#cnt[right] = n - half;
    this.#openBlock(b + 1);
    this.#order[b + 1] = right;
    this.#lastS[b + 1] = this.#lastS[b]!;
    this.#lastM[b + 1] = this.#lastM[b]!;
    this.#lastS[b] = this.#S[from + half - 1]!;
    this.#lastM[b] = M[from + half - 1]!;
    this.#fenStale = true;
  }

  /** Merge a small block into a neighbour when the two fit in one; false when neither fits. */
  #mergeAround(b: number): boolean {
    const order = this.#order;
    const cnt = this.#cnt;
    const size = cnt[order[b]!]!;
    let at: number;
    if (b > 0 && cnt[order[b - 1]!]! + size <= CAP) at = b - 1;
    else if (b + 1 < this.#nb && size + cnt[order[b + 1]!]! <= CAP) at = b;
    else return false;
    const into = order[at]!;
    const from = order[at + 1]!;
    const stride = this.#stride;
    const a = cnt[into]!;
    const c = cnt[from]!;
    this.#S.copyWithin(into * stride + a, from * stride, from * stride + c);
    const M = this.#M;
    for (let i = 0; i < c; i++) {
      M[into * stride + a + i] = M[from * stride + i]!;
      M[from * stride + i] = '';
    }
    cnt[into] = a + c;
    cnt[from] = 0;
    this.#lastS[at] = this.#lastS[at + 1]!;
    this.#lastM[at] = this.#lastM[at + 1]!;
    this.#closeBlock(at + 1);
    this.#maybeCompact();
    this.#fenStale = true;
    return true;
  }

  #removeBlock(b: number): void {
    this.#closeBlock(b);
    if (this.#nb === 0) this.#reset();
    else this.#maybeCompact();
    this.#fenStale = true;
  }

  /**
   * After a set shrank a lot, copy the live blocks into fresh stores (at most half the slots are in use, so the
   * copy is paid for by the deletions that freed them).
   */
  #maybeCompact(): void {
    const slots = this.#slots;
    if (slots < 8 || this.#nb * 2 > slots) return;
    const stride = this.#stride;
    const nb = this.#nb;
    const cap = Math.max(2, nb * 2);
    const S = new Float64Array(cap * stride);
    const M = emptyMembers(cap * stride);
    const cnt = new Int32Array(cap);
    for (let b = 0; b < nb; b++) {
      const old = this.#order[b]!;
      const n = this.#cnt[old]!;
      S.set(this.#S.subarray(old * stride, old * stride + n), b * stride);
      for (let i = 0; i < n; i++) M[b * stride + i] = this.#M[old * stride + i]!;
      cnt[b] = n;
      this.#order[b] = b;
    }
    this.#S = S;
    this.#M = M;
    this.#cnt = cnt;
    this.#slots = nb;
    this.#free = [];
  }

  #rebuildFen(): void {
    this.#fenStale = false;
    const nb = this.#nb;
    const fen = this.#fen.length > nb ? this.#fen.fill(0) : new Int32Array(Math.max(2, nb * 2));
    const order = this.#order;
    const cnt = this.#cnt;
    for (let i = 1; i <= nb; i++) {
      fen[i]! += cnt[order[i - 1]!]!;
      const j = i + (i & -i);
      if (j <= nb) fen[j]! += fen[i]!;
    }
    this.#fen = fen;
  }

  #fenAdd(b: number, d: number): void {
    if (this.#fenStale) return;
    const fen = this.#fen;
    const nb = this.#nb;
    for (let i = b + 1; i <= nb; i += i & -i) fen[i]! += d;
  }

  /** Entries in blocks [0, b). */
  #prefix(b: number): number {
    if (this.#fenStale) this.#rebuildFen();
    const fen = this.#fen;
    let s = 0;
    for (let i = b; i > 0; i -= i & -i) s += fen[i]!;
    return s;
  }

  /** Block of a 0-based rank < size; the offset within it is left in #findRest. */
  #find(rank: number): number {
    if (this.#fenStale) this.#rebuildFen();
    const fen = this.#fen;
    const nb = this.#nb;
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
    this.#findRest = rem;
    return pos;
  }

  /** `count` entries from ascending rank `from`, walking down when `reverse`. */
  collect(from: number, count: number, reverse: boolean): ZEntry[] {
    const out: ZEntry[] = [];
    if (count <= 0 || from < 0 || from >= this.#size) return out;
    let b = this.#find(from);
    let p = this.#findRest;
    const order = this.#order;
    const cnt = this.#cnt;
    const stride = this.#stride;
    const S = this.#S;
    const M = this.#M;
    while (out.length < count && b >= 0 && b < this.#nb) {
      const i = order[b]! * stride + p;
      out.push([M[i]!, S[i]!]);
      if (reverse) {
        if (--p < 0) {
          b--;
          if (b >= 0) p = cnt[order[b]!]! - 1;
        }
      } else if (++p >= cnt[order[b]!]!) {
        b++;
        p = 0;
      }
    }
    return out;
  }

  /** Ascending rank of the first entry satisfying a predicate that is false then true along the order, or size. */
  firstWhere(pred: (score: number, member: string) => boolean): number {
    const ls = this.#lastS;
    const lm = this.#lastM;
    let lo = 0;
    let hi = this.#nb;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(ls[mid]!, lm[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === this.#nb) return this.#size;
    const slot = this.#order[lo]!;
    const base = slot * this.#stride;
    let a = base;
    let z = base + this.#cnt[slot]! - 1;
    while (a < z) {
      const mid = (a + z) >>> 1;
      if (pred(this.#S[mid]!, this.#M[mid]!)) z = mid;
      else a = mid + 1;
    }
    return this.#prefix(lo) + a - base;
  }
}

/** A members store of `n` empty slots, built by push so V8 keeps it a packed (hole-free) array. */
function emptyMembers(n: number): string[] {
  const a: string[] = [];
  for (let i = 0; i < n; i++) a.push('');
  return a;
}
