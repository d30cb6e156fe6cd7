/**
 * ListValue: the list type's in-memory representation, a growable ring buffer of byte strings.
 *
 * Redis 7.0 keeps lists in a quicklist (a linked list of listpacks): O(1) push/pop at both ends, O(n) access in
 * the middle. A ring buffer gives the same end costs, O(1) indexed access (LINDEX/LSET/LRANGE start), and far
 * less per-element overhead in V8 than linked nodes. Middle insertions/removals (LINSERT, LREM, LSET never moves)
 * shift the shorter side, as Redis's quicklist is also O(n) there.
 */
import type { ListLike } from './types.js';

const MIN_CAPACITY = 4;

export class ListValue implements ListLike {
  #buf: (string | undefined)[];
  #head = 0;
  #len = 0;
  #mask: number;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.#buf = new Array<string | undefined>(cap);
    this.#mask = cap - 1;
  }

  static from(items: Iterable<string>): ListValue {
    const arr = Array.isArray(items) ? (items as string[]) : [...items];
    const l = new ListValue(arr.length);
    for (let i = 0; i < arr.length; i++) l.#buf[i] = arr[i];
    l.#len = arr.length;
    return l;
  }

  get length(): number {
    return this.#len;
  }

  #grow(): void {
    const old = this.#buf;
    const cap = old.length * 2;
    const next = new Array<string | undefined>(cap);
    for (let i = 0; i < this.#len; i++) next[i] = old[(this.#head + i) & this.#mask];
    this.#buf = next;
    this.#head = 0;
    this.#mask = cap - 1;
  }

  /** Shrink when mostly empty so a list that was once huge does not pin its peak memory. */
  #maybeShrink(): void {
    const cap = this.#buf.length;
    if (cap > 64 && this.#len < cap >>> 2) {
      const nextCap = Math.max(MIN_CAPACITY, cap >>> 1);
      const next = new Array<string | undefined>(nextCap);
      for (let i = 0; i < this.#len; i++) next[i] = this.#buf[(this.#head + i) & this.#mask];
      this.#buf = next;
      this.#head = 0;
      this.#mask = nextCap - 1;
    }
  }

  pushTail(v: string): void {
    if (this.#len === this.#buf.length) this.#grow();
    this.#buf[(this.#head + this.#len) & this.#mask] = v;
    this.#len++;
  }

  pushHead(v: string): void {
    if (this.#len === this.#buf.length) this.#grow();
    this.#head = (this.#head - 1) & this.#mask;
    this.#buf[this.#head] = v;
    this.#len++;
  }

  popHead(): string | undefined {
    if (this.#len === 0) return undefined;
    const v = this.#buf[this.#head];
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#len--;
    this.#maybeShrink();
    return v;
  }

  popTail(): string | undefined {
    if (this.#len === 0) return undefined;
    const idx = (this.#head + this.#len - 1) & this.#mask;
    const v = this.#buf[idx];
    this.#buf[idx] = undefined;
    this.#len--;
    this.#maybeShrink();
    return v;
  }

  /** Element at index i (0-based, negative counts from the tail as in LINDEX), or undefined when out of range. */
  at(i: number): string | undefined {
    if (i < 0) i += this.#len;
    if (i < 0 || i >= this.#len) return undefined;
    return this.#buf[(this.#head + i) & this.#mask];
  }

  /** LSET: replace the element at i (negative from the tail); false when out of range. */
  set(i: number, v: string): boolean {
    if (i < 0) i += this.#len;
    if (i < 0 || i >= this.#len) return false;
    this.#buf[(this.#head + i) & this.#mask] = v;
    return true;
  }

  /** Insert so that the new element ends up at index i (0 ≤ i ≤ length). */
  insertAt(i: number, v: string): void {
    if (i < 0 || i > this.#len) throw new RangeError(`ListValue.insertAt: index ${i} out of range`);
    if (i === 0) return this.pushHead(v);
    if (i === this.#len) return this.pushTail(v);
    if (this.#len === this.#buf.length) this.#grow();
    const m = this.#mask;
    if (i < this.#len >>> 1) {
      // shift the head side one slot left
      this.#head = (this.#head - 1) & m;
      for (let k = 0; k < i; k++) this.#buf[(this.#head + k) & m] = this.#buf[(this.#head + k + 1) & m];
    } else {
      for (let k = this.#len; k > i; k--) this.#buf[(this.#head + k) & m] = this.#buf[(this.#head + k - 1) & m];
    }
    this.#buf[(this.#head + i) & m] = v;
    this.#len++;
  }

  /** Remove and return the element at index i (0 ≤ i < length). */
  removeAt(i: number): string | undefined {
    if (i < 0 || i >= this.#len) return undefined;
    if (i === 0) return this.popHead();
    if (i === this.#len - 1) return this.popTail();
    const m = this.#mask;
    const v = this.#buf[(this.#head + i) & m];
    if (i < this.#len >>> 1) {
      for (let k = i; k > 0; k--) this.#buf[(this.#head + k) & m] = this.#buf[(this.#head + k - 1) & m];
      this.#buf[this.#head] = undefined;
      this.#head = (this.#head + 1) & m;
    } else {
      for (let k = i; k < this.#len - 1; k++) this.#buf[(this.#head + k) & m] = this.#buf[(this.#head + k + 1) & m];
      this.#buf[(this.#head + this.#len - 1) & m] = undefined;
    }
    this.#len--;
    this.#maybeShrink();
    return v;
  }

  /**
   * Keep only the elements for which `keep` returns true, scanning from the head (or the tail when `fromTail`),
   * stopping after `limit` removals (0 = no limit). Returns the number removed. One O(n) pass, as LREM.
   */
  removeWhere(keep: (v: string) => boolean, limit = 0, fromTail = false): number {
    const items = this.toArray();
    const n = items.length;
    let removed = 0;
    const drop = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const idx = fromTail ? n - 1 - k : k;
      if (limit !== 0 && removed >= limit) break;
      if (!keep(items[idx]!)) {
        drop[idx] = 1;
        removed++;
      }
    }
    if (removed === 0) return 0;
    this.#replace(items.filter((_, idx) => drop[idx] === 0));
    return removed;
  }

  /** Elements start..stop inclusive, already clamped by the caller to 0 ≤ start ≤ stop < length. */
  range(start: number, stop: number): string[] {
    const out = new Array<string>(stop - start + 1);
    for (let k = start, j = 0; k <= stop; k++, j++) out[j] = this.#buf[(this.#head + k) & this.#mask] as string;
    return out;
  }

  /** LTRIM: keep start..stop inclusive (clamped by the caller); start > stop empties the list. */
  trim(start: number, stop: number): void {
    if (start > stop || start >= this.#len) {
      this.#replace([]);
      return;
    }
    if (start === 0 && stop >= this.#len - 1) return;
    this.#replace(this.range(start, Math.min(stop, this.#len - 1)));
  }

  /** Index of the first element equal to v scanning from the head, or -1. */
  indexOf(v: string): number {
    for (let k = 0; k < this.#len; k++) if (this.#buf[(this.#head + k) & this.#mask] === v) return k;
    return -1;
  }

  toArray(): string[] {
    return this.#len === 0 ? [] : this.range(0, this.#len - 1);
  }

  /** An independent copy (snapshots copy a value before it is changed in place). */
  clone(): ListValue {
    return ListValue.from(this.toArray());
  }

  #replace(items: string[]): void {
    let cap = MIN_CAPACITY;
    while (cap < items.length) cap *= 2;
    const next = new Array<string | undefined>(cap);
    for (let k = 0; k < items.length; k++) next[k] = items[k];
    this.#buf = next;
    this.#head = 0;
    this.#len = items.length;
    this.#mask = cap - 1;
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let k = 0; k < this.#len; k++) yield this.#buf[(this.#head + k) & this.#mask] as string;
  }

  /** Iterate from the tail towards the head. */
  *reversed(): IterableIterator<string> {
    for (let k = this.#len - 1; k >= 0; k--) yield this.#buf[(this.#head + k) & this.#mask] as string;
  }
}
