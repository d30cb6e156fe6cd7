/**
 * SCAN-family cursors.
 *
 * Redis's cursor is a reverse-binary bucket index into its hash table, so a full iteration returns every element
 * present from start to end, possibly some twice, with no server state. JS Maps and Sets expose no buckets, but
 * their iterators stay valid across inserts and deletes (entries added during iteration are visited, removed ones
 * skipped), which gives the same guarantee. So a cursor names a live iterator kept here: `id · 2^24 + position`.
 * If the iterator is gone (evicted from the bounded table, or a cursor from another server), iteration restarts
 * and skips `position` entries — still complete when nothing was deleted meanwhile. A Map holds at most 2^24
 * entries in V8, so the position always fits.
 *
 * Compact encodings (listpack/intset) return everything in one call with cursor 0, as Redis does.
 */
import { parseInt64 } from './args.js';
import { ERR } from './errors.js';
import { stringMatch } from '../../common/glob.js';

const POS_SPAN = 2 ** 24;
const MAX_LIVE = 4096;

interface Live {
  readonly source: object;
  readonly it: Iterator<unknown>;
  pos: number;
}

export interface ScanOptions {
  readonly count: number;
  /** null when there is no MATCH or it is `*`. */
  readonly pattern: string | null;
  readonly type: string | null;
}

/** Parse `cursor` as strtoul does (parseScanCursorOrReply): error text or the cursor number. */
export function parseCursor(s: string): number | string {
  if (s.length === 0 || !/^[+-]?[0-9]+$/.test(s)) return ERR.INVALID_CURSOR;
  const neg = s[0] === '-';
  let v = BigInt(neg || s[0] === '+' ? s.slice(1) : s);
  if (v > 2n ** 64n - 1n) return ERR.INVALID_CURSOR;
  if (neg && v !== 0n) v = 2n ** 64n - v; // strtoul negates in unsigned arithmetic
  return Number(v);
}

/** SCAN options from args[from..]: COUNT n, MATCH p, TYPE t (TYPE only for SCAN itself). */
export function parseScanOptions(args: readonly string[], from: number, allowType: boolean): ScanOptions | string {
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = from; i < args.length; i += 2) {
    const opt = args[i]!.toLowerCase();
    const remaining = args.length - i;
    if (opt === 'count' && remaining >= 2) {
      const n = parseInt64(args[i + 1]!);
      if (n === null) return ERR.NOT_INTEGER;
      if (n < 1) return ERR.SYNTAX;
      count = n;
    } else if (opt === 'match' && remaining >= 2) {
      const p = args[i + 1]!;
      pattern = p === '*' ? null : p;
    } else if (opt === 'type' && allowType && remaining >= 2) {
      type = args[i + 1]!;
    } else {
      return ERR.SYNTAX;
    }
  }
  return { count, pattern, type };
}

export function matches(opts: ScanOptions, s: string): boolean {
  return opts.pattern === null || stringMatch(opts.pattern, s);
}

export class ScanCursors {
  readonly #live = new Map<number, Live>();
  #nextId = 1;

  /**
   * Take up to `count` entries from `source` starting at `cursor`. Returns the entries and the next cursor
   * (0 when the iteration is complete).
   */
  step<T>(source: object, iterate: () => Iterator<T>, cursor: number, count: number): { items: T[]; next: number } {
    let live: Live | undefined;
    let id = Math.floor(cursor / POS_SPAN);
    if (cursor !== 0) {
      live = this.#live.get(id);
      if (live !== undefined && (live.source !== source || live.pos !== cursor % POS_SPAN)) live = undefined;
      this.#live.delete(id);
    }
    if (live === undefined) {
      const it = iterate();
      const skip = cursor === 0 ? 0 : cursor % POS_SPAN;
      for (let i = 0; i < skip; i++) if (it.next().done === true) break;
      live = { source, it, pos: skip };
      id = this.#nextId++;
      if (this.#nextId >= 2 ** 29) this.#nextId = 1;
    }
    const items: T[] = [];
    let done = false;
    while (items.length < count) {
      const r = live.it.next();
      if (r.done === true) {
        done = true;
        break;
      }
      items.push(r.value as T);
      live.pos++;
    }
    if (done || live.pos >= POS_SPAN) return { items, next: 0 };
    this.#live.set(id, live);
    if (this.#live.size > MAX_LIVE) this.#live.delete(this.#live.keys().next().value!);
    return { items, next: id * POS_SPAN + live.pos };
  }
}
