/**
 * The key sets a snapshot keeps per database (see snapshot.ts).
 *
 * VisitedKeys holds every key the snapshot iterator wrote — up to the whole database, one insertion per key. A JS
 * Set costs a hash-table insertion into a table that keeps doubling (and is copied each time, mid-slice) plus the
 * garbage of the old tables; at a million keys that was 60% of a snapshot's CPU time. The number of keys is known
 * when the snapshot starts (nothing visited can be added later), so this is a preallocated open-addressing table of
 * indexes into an array of the keys: no growth, no rehash, nothing for the GC to trace but one array.
 * Recording a key (`add`) only appends it; hashing it into the table (`index`) is a separate step the snapshot
 * runs only once a write reached the database: a snapshot nobody writes to (a full sync of a quiet master) never
 * hashes at all — that hashing was 12% of a 1M-key snapshot's CPU in the tredis daemon.
 *
 * TouchedKeys holds the keys the write barrier has seen — as many as there were distinct keys written during the
 * snapshot — and may grow without bound, so it is a set of 16 JS Sets: each rehashes a sixteenth of the keys.
 */

/** FNV-1a over the key's bytes (chars 0..255). */
function hashKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class VisitedKeys {
  readonly #slots: Int32Array;
  readonly #mask: number;
  #keys: string[] = [];
  /** #keys[0 .. #indexed) are in the table. */
  #indexed = 0;
  readonly #capacity: number;

  /** `capacity`: the most keys that will ever be added (the database's size when the snapshot started). */
  constructor(capacity: number) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.#slots = new Int32Array(n); // 0 = empty, else 1 + index into #keys
    this.#mask = n - 1;
    this.#capacity = capacity;
  }

  /** Keys recorded. */
  get size(): number {
    return this.#keys.length;
  }

  /** Every recorded key is indexed: `has` is exact. */
  get complete(): boolean {
    return this.#indexed === this.#keys.length;
  }

  /** Record a key known not to be present (the iterator yields each entry once); `index` makes it findable. */
  add(k: string): void {
    if (this.#keys.length >= this.#capacity) throw new RangeError('VisitedKeys: more keys than the capacity given');
    this.#keys.push(k);
  }

  /** Index up to `max` recorded keys not yet indexed; true when every recorded key is indexed. */
  index(max: number): boolean {
    const slots = this.#slots;
    const mask = this.#mask;
    const keys = this.#keys;
    const end = Math.min(keys.length, this.#indexed + max);
    for (let i = this.#indexed; i < end; i++) {
      let h = hashKey(keys[i]!) & mask;
      while (slots[h] !== 0) h = (h + 1) & mask;
      slots[h] = i + 1;
    }
    this.#indexed = end;
    return end === keys.length;
  }

  /** Whether `k` is among the indexed keys (among all recorded keys when `complete`). */
  has(k: string): boolean {
    const slots = this.#slots;
    const mask = this.#mask;
    const keys = this.#keys;
    let h = hashKey(k) & mask;
    for (;;) {
      const s = slots[h]!;
      if (s === 0) return false;
      if (keys[s - 1] === k) return true;
      h = (h + 1) & mask;
    }
  }

  /** Drop the contents (the table itself goes with the snapshot). */
  clear(): void {
    this.#keys = [];
    this.#indexed = 0;
    this.#slots.fill(0);
  }
}

const SHARDS = 16;

export class TouchedKeys {
  #shards: Set<string>[] = Array.from({ length: SHARDS }, () => new Set<string>());
  #size = 0;

  get size(): number {
    return this.#size;
  }

  #shard(k: string): Set<string> {
    const n = k.length;
    if (n === 0) return this.#shards[0]!;
    const h = n * 7 + k.charCodeAt(n - 1) * 31 + (n > 1 ? k.charCodeAt(n - 2) * 17 : 0) + k.charCodeAt(n >>> 1);
    return this.#shards[h & (SHARDS - 1)]!;
  }

  has(k: string): boolean {
    return this.#size !== 0 && this.#shard(k).has(k);
  }

  /** Add; false when the key was already there (one hash lookup instead of has + add). */
  addIfAbsent(k: string): boolean {
    const s = this.#shard(k);
    const n = s.size;
    s.add(k);
    if (s.size === n) return false;
    this.#size++;
    return true;
  }

  clear(): void {
    this.#shards = Array.from({ length: SHARDS }, () => new Set<string>());
    this.#size = 0;
  }
}
