/**
 * The key sets a snapshot keeps per database (see snapshot.ts).
 *
 * VisitedKeys holds every key the snapshot iterator wrote — up to the whole database, one insertion per key. A JS
 * Set costs a hash-table insertion into a table that keeps doubling (and is copied each time, mid-slice) plus the
 * garbage of the old tables; at a million keys that was 60% of a snapshot's CPU time. The number of keys is known
 * when the snapshot starts (nothing visited can be added later), so this is a preallocated open-addressing table of
 * indexes into the recorded keys: no growth, no rehash, nothing for the GC to trace but the keys' blocks.
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

/** Keys per block of VisitedKeys' key store (512 KB of pointers). */
const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK - 1;

/**
 * The memory of a VisitedKeys: its key blocks and hash table, kept for the next snapshot by VisitedKeysPool.
 * Blocks are indexed like the keys they hold (block b holds keys b·BLOCK …); an entry may be a shorter block (the
 * last block of a smaller database), replaced when a larger one is needed.
 */
interface VisitedStore {
  readonly blocks: (string | undefined)[][];
  slots: Int32Array | null;
}

export class VisitedKeys {
  /** Allocated at the first `index` (a snapshot nobody writes to never needs it): 0 = empty, else 1 + key number. */
  #slots: Int32Array | null = null;
  /** A table from a pooled store, used by the first `index` if its size suits this capacity. */
  #spareSlots: Int32Array | null;
  /**
   * The recorded keys, in fixed blocks allocated as they fill. One array grown by push reallocates and copies
   * itself ~30 times on the way to a million keys (24 MB allocated for 8 MB kept, in the old generation): during a
   * BGSAVE that growth was what pushed the heap over V8's limit and started a mark-compact.
   */
  readonly #blocks: (string | undefined)[][];
  #size = 0;
  /** Keys 0 .. #indexed are in the table. */
  #indexed = 0;
  readonly #capacity: number;

  /** `capacity`: the most keys that will ever be added (the database's size when the snapshot started). */
  constructor(capacity: number, store?: VisitedStore) {
    this.#capacity = capacity;
    this.#blocks = store?.blocks ?? [];
    this.#spareSlots = store?.slots ?? null;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Keys recorded. */
  get size(): number {
    return this.#size;
  }

  /** Every recorded key is indexed: `has` is exact. */
  get complete(): boolean {
    return this.#indexed === this.#size;
  }

  /** Record a key known not to be present (the iterator yields each entry once); `index` makes it findable. */
  add(k: string): void {
    const i = this.#size;
    if (i >= this.#capacity) throw new RangeError('VisitedKeys: more keys than the capacity given');
    const b = i >>> BLOCK_BITS;
    // a preallocated (holey) array stays in fast elements mode; only the last block is shorter
    const block = (i & BLOCK_MASK) === 0 ? this.#blockFor(b) : this.#blocks[b]!;
    block[i & BLOCK_MASK] = k;
    this.#size = i + 1;
  }

  /** Block `b`, from the store when it has one long enough. */
  #blockFor(b: number): (string | undefined)[] {
    const need = Math.min(BLOCK, this.#capacity - b * BLOCK);
    const have = this.#blocks[b];
    if (have !== undefined && have.length >= need) return have;
    const block = new Array<string | undefined>(need);
    this.#blocks[b] = block;
    return block;
  }

  /** Table length for this capacity: a power of two, at most half full. */
  #tableLength(): number {
    let n = 16;
    while (n < this.#capacity * 2) n *= 2;
    return n;
  }

  #table(): Int32Array {
    if (this.#slots !== null) return this.#slots;
    const n = this.#tableLength();
    const spare = this.#spareSlots;
    this.#spareSlots = null;
    // a pooled table up to 4x larger serves as well (probing masks by its length); a much larger one would make
    // clearing it cost more than it saves
    return (this.#slots = spare !== null && spare.length >= n && spare.length <= 4 * n ? spare : new Int32Array(n));
  }

  /** Index up to `max` recorded keys not yet indexed; true when every recorded key is indexed. */
  index(max: number): boolean {
    const end = Math.min(this.#size, this.#indexed + max);
    if (end === this.#indexed) return end === this.#size;
    const slots = this.#table();
    const mask = slots.length - 1;
    const blocks = this.#blocks;
    for (let i = this.#indexed; i < end; i++) {
      let h = hashKey(blocks[i >>> BLOCK_BITS]![i & BLOCK_MASK]!) & mask;
      while (slots[h] !== 0) h = (h + 1) & mask;
      slots[h] = i + 1;
    }
    this.#indexed = end;
    return end === this.#size;
  }

  /** Whether `k` is among the indexed keys (among all recorded keys when `complete`). */
  has(k: string): boolean {
    const slots = this.#slots;
    if (slots === null) return false;
    const mask = slots.length - 1;
    const blocks = this.#blocks;
    let h = hashKey(k) & mask;
    for (;;) {
      const s = slots[h]!;
      if (s === 0) return false;
      const i = s - 1;
      if (blocks[i >>> BLOCK_BITS]![i & BLOCK_MASK] === k) return true;
      h = (h + 1) & mask;
    }
  }

  /** Forget every key (the storage is kept, emptied: no key stays reachable from it). */
  clear(): void {
    for (let b = 0; b * BLOCK < this.#size; b++) this.#blocks[b]!.fill(undefined, 0, Math.min(BLOCK, this.#size - b * BLOCK));
    this.#size = 0;
    if (this.#indexed > 0) this.#slots?.fill(0);
    this.#indexed = 0;
  }

  /** Empty this set and hand over its storage (the set must not be used afterwards). */
  release(): VisitedStore {
    this.clear();
    const slots = this.#slots ?? this.#spareSlots;
    this.#slots = null;
    this.#spareSlots = null;
    return { blocks: this.#blocks, slots };
  }
}

/**
 * Emptied VisitedKeys storage kept between snapshots. A 1M-key snapshot records its keys in 16 blocks of 512 KB and
 * hashes them into an 8 MB table; allocated afresh for every BGSAVE, that is 16 MB per BGSAVE for V8 to map
 * (large-object pages, each an mmap on the main thread) and, after the next mark-compact, to unmap. On 2 vCPUs the
 * main thread's mmap waited up to 56 ms for the process's mmap lock behind V8's background unmapper threads
 * (perf sched_switch: down_write_killable in vm_mmap_pgoff from NewLargeObjectSpace::AllocateRaw, while threads in
 * Unmapper::PerformFreeMemoryOnQueuedChunks sat in __vm_munmap), a PING stall with no GC in --trace-gc; and the
 * 8 MB per BGSAVE was most of what the heap grew by during back-to-back BGSAVEs, bringing a mark-compact of the
 * whole dataset closer. Reused, the blocks and table of the previous snapshot cost nothing to map.
 */
export class VisitedKeysPool {
  readonly #spare: VisitedStore[] = [];
  readonly #maxSpare: number;

  /** `maxSpare`: stores kept (snapshots that may run at once: a BGSAVE and a full sync, say); the largest stay. */
  constructor(maxSpare: number) {
    this.#maxSpare = maxSpare;
  }

  /** An empty VisitedKeys for `capacity` keys, on pooled storage when there is some. */
  take(capacity: number): VisitedKeys {
    // the store with the most blocks: a large database reuses the most, a small one only touches what it needs
    let best = -1;
    for (let i = 0; i < this.#spare.length; i++) if (best < 0 || this.#spare[i]!.blocks.length > this.#spare[best]!.blocks.length) best = i;
    const store = best < 0 ? undefined : this.#spare.splice(best, 1)[0];
    return new VisitedKeys(capacity, store);
  }

  /** Take back the storage of a set no longer used (emptied here). */
  give(v: VisitedKeys): void {
    this.#spare.push(v.release());
    if (this.#spare.length > this.#maxSpare) {
      this.#spare.sort((a, b) => b.blocks.length - a.blocks.length);
      this.#spare.length = this.#maxSpare;
    }
  }

  /** Stores kept (for tests and diagnostics). */
  get spareCount(): number {
    return this.#spare.length;
  }
}

/** The pool every snapshot of this process draws from. */
export const visitedKeysPool = new VisitedKeysPool(2);

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
