/**
 * Reusable output chunks for a snapshot. Redis's fork child writes through one stdio buffer; our encoder hands a
 * 64 KB chunk to the sink every slice, and a fresh Buffer per chunk meant ~700 ArrayBuffers (tens of MB of
 * external memory) per 1M-key BGSAVE. V8 counts external memory towards its GC limits: past 64 MB since the last
 * mark-compact it starts incremental marking and runs marking steps of up to 25 ms on the allocating thread
 * (heap.cc ReportExternalMemoryPressure), which showed up as the longest PINGs during BGSAVE. With a pool the
 * sink gives a chunk back once it is written, and the encoder fills it again.
 *
 * Only chunks this pool handed out are taken back, each once: a view of anything else (a large value passed
 * through uncopied, the CRC trailer) is ignored, so a sink can give back everything it wrote.
 */
export class ChunkPool {
  readonly size: number;
  readonly #maxFree: number;
  readonly #free: Buffer[] = [];
  /** Chunks handed out and not given back, by their memory. */
  readonly #out = new Map<ArrayBufferLike, Buffer>();

  /** `maxFree`: chunks kept for reuse; more given back than that are left to the GC. */
  constructor(size: number, maxFree: number) {
    this.size = size;
    this.#maxFree = maxFree;
  }

  /** A chunk of `size` bytes (contents undefined). */
  take(): Buffer {
    // allocUnsafeSlow: its own ArrayBuffer, never a slice of Node's shared pool, so `buffer` identifies it
    const b = this.#free.pop() ?? Buffer.allocUnsafeSlow(this.size);
    this.#out.set(b.buffer, b);
    return b;
  }

  /** The sink is done with `view` (a chunk or a part of one): its chunk may be reused. */
  give(view: Buffer): void {
    const b = this.#out.get(view.buffer);
    if (b === undefined) return;
    this.#out.delete(view.buffer);
    if (this.#free.length < this.#maxFree) this.#free.push(b);
  }

  /** Chunks ready for reuse (for tests and diagnostics). */
  get freeCount(): number {
    return this.#free.length;
  }
}
