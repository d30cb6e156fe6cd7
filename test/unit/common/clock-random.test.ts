import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../../src/common/clock.js';
import { seededRandom, systemRandom, type Random } from '../../../src/common/random.js';

describe('ManualClock', () => {
  it('starts where told and advances both readings together', () => {
    const c = new ManualClock(1_000, 50);
    expect([c.now(), c.monotonic()]).toEqual([1_000, 50]);
    c.advance(250);
    expect([c.now(), c.monotonic()]).toEqual([1_250, 300]);
    c.advance(0);
    expect(c.monotonic()).toBe(300);
  });

  it('jumps only the wall clock (NTP step, VM resume), in both directions', () => {
    const c = new ManualClock(10_000, 0);
    c.jumpWall(-5_000);
    expect([c.now(), c.monotonic()]).toEqual([5_000, 0]);
    c.jumpWall(60_000);
    expect([c.now(), c.monotonic()]).toEqual([65_000, 0]);
  });

  it('refuses to move monotonic time backwards', () => {
    expect(() => new ManualClock().advance(-1)).toThrow(RangeError);
  });
});

describe('systemClock', () => {
  it('reads wall time in ms and a non-decreasing monotonic time', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now - before).toBeLessThan(1_000);
    let last = systemClock.monotonic();
    for (let i = 0; i < 1000; i++) {
      const m = systemClock.monotonic();
      expect(m).toBeGreaterThanOrEqual(last);
      last = m;
    }
  });
});

function sample(r: Random, n: number): number[] {
  return Array.from({ length: n }, () => r.next());
}

describe('seededRandom', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(sample(seededRandom(42), 100)).toEqual(sample(seededRandom(42), 100));
    expect(sample(seededRandom(42), 100)).not.toEqual(sample(seededRandom(43), 100));
    expect(seededRandom(0).hex(40)).toBe(seededRandom(0).hex(40));
  });

  it('is xoshiro128** seeded by splitmix32 (outputs match an independent implementation)', () => {
    // Reference values from a separate Python implementation of splitmix32 + xoshiro128**.
    const u32 = (r: Random, n: number): number[] => Array.from({ length: n }, () => r.next() * 2 ** 32);
    expect(u32(seededRandom(1), 4)).toEqual([2442144158, 3238099751, 3819917871, 2104621829]);
    expect(u32(seededRandom(42), 2)).toEqual([2837322924, 544945897]);
  });

  it('stays in range: next() in [0, 1), int(n) in [0, n), hex of the requested length', () => {
    const r = seededRandom(7);
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      const k = r.int(13);
      expect(Number.isInteger(k) && k >= 0 && k < 13).toBe(true);
    }
    expect(r.hex(40)).toMatch(/^[0-9a-f]{40}$/);
    expect(r.hex(0)).toBe('');
    expect(r.hex(7)).toMatch(/^[0-9a-f]{7}$/);
  });

  it('is roughly uniform (chi-square over 16 buckets, and every hex digit appears)', () => {
    for (const seed of [1, 2, 3, 0xdeadbeef]) {
      const r = seededRandom(seed);
      const counts = new Array<number>(16).fill(0);
      const n = 64_000;
      for (let i = 0; i < n; i++) counts[r.int(16)]!++;
      const expected = n / 16;
      const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
      // 15 degrees of freedom: p = 0.001 at 37.7. A broken generator is far beyond that.
      expect(chi2, `seed ${seed}`).toBeLessThan(37.7);
      expect(new Set(r.hex(400)).size).toBe(16);
    }
  });

  it('has no short cycle and low serial correlation', () => {
    const r = seededRandom(99);
    const xs = sample(r, 20_000);
    expect(new Set(xs).size).toBeGreaterThan(19_990);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < xs.length - 1; i++) {
      num += (xs[i]! - mean) * (xs[i + 1]! - mean);
      den += (xs[i]! - mean) ** 2;
    }
    expect(Math.abs(num / den)).toBeLessThan(0.03);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it('treats seeds as 32-bit (a printed seed reproduces the run)', () => {
    expect(sample(seededRandom(2 ** 32 + 5), 10)).toEqual(sample(seededRandom(5), 10));
    expect(sample(seededRandom(-1), 10)).toEqual(sample(seededRandom(0xffffffff), 10));
  });
});

describe('systemRandom', () => {
  it('stays in range and produces 40-char run ids', () => {
    for (let i = 0; i < 1000; i++) {
      const x = systemRandom.next();
      expect(x >= 0 && x < 1).toBe(true);
      const k = systemRandom.int(5);
      expect(k >= 0 && k < 5).toBe(true);
    }
    const id = systemRandom.hex(40);
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(systemRandom.hex(40)).not.toBe(id);
    expect(systemRandom.hex(7)).toMatch(/^[0-9a-f]{7}$/);
  });
});
