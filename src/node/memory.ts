/**
 * used_memory for a JS process. Redis counts its allocator's live bytes; V8 only reports heap usage, which
 * includes garbage until it is collected. So:
 *
 *   used = V8 heap in use outside the young generation + external memory (Buffers)
 *          − bytes evicted since the last major GC
 *
 * The young generation is left out: it is mostly short-lived request/reply garbage (up to tens of MB between
 * scavenges), while data that lives on is promoted to the old generation within two scavenges.
 * The readings are cached for a millisecond (getHeapStatistics costs ~1 µs, too much per command), major GCs are
 * observed through PerformanceObserver, and the eviction loop reports what it frees (`noteFreed`) so it does not
 * keep evicting while the garbage it made waits for the collector.
 */
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

export interface MemoryReading {
  readonly used: number;
  readonly peak: number;
  readonly rss: number;
  readonly startup: number;
}

export class MemoryMeter {
  readonly #monotonic: () => number;
  #cached = 0;
  #cachedAt = -Infinity;
  #freedSinceGc = 0;
  #peak = 0;
  readonly startup: number;
  #observer: PerformanceObserver | null = null;

  constructor(monotonic: () => number) {
    this.#monotonic = monotonic;
    this.startup = this.#read();
  }

  /** Start watching GCs (call once the node runs; `stop` undoes it). */
  start(): void {
    if (this.#observer !== null) return;
    this.#observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
        if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) {
          this.#freedSinceGc = 0;
          this.#cachedAt = -Infinity;
        }
      }
    });
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  stop(): void {
    this.#observer?.disconnect();
    this.#observer = null;
  }

  #read(): number {
    let used = 0;
    for (const sp of getHeapSpaceStatistics()) if (sp.space_name !== 'new_space') used += sp.space_used_size;
    return used + getHeapStatistics().external_memory;
  }

  /** Current estimate of live bytes (cached up to 1 ms). */
  used(): number {
    const now = this.#monotonic();
    if (now - this.#cachedAt >= 1) {
      this.#cached = this.#read();
      this.#cachedAt = now;
    }
    const u = Math.max(0, this.#cached - this.#freedSinceGc);
    if (u > this.#peak) this.#peak = u;
    return u;
  }

  /** The eviction loop freed roughly this many bytes (they stay in the heap until a major GC). */
  noteFreed(bytes: number): void {
    this.#freedSinceGc += bytes;
  }

  reading(): MemoryReading {
    const used = this.used();
    return { used, peak: Math.max(this.#peak, used), rss: process.memoryUsage.rss(), startup: this.startup };
  }

  resetPeak(): void {
    this.#peak = 0;
  }
}
