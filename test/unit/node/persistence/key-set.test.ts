import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { TouchedKeys, VisitedKeys, VisitedKeysPool } from '../../../../src/node/persistence/key-set.js';

describe('VisitedKeys', () => {
  it('answers membership exactly for random byte-string keys (including equal hashes by construction)', () => {
    const r = seededRandom(5);
    const keys = new Set<string>();
    while (keys.size < 5000) keys.add(Array.from({ length: r.int(12) }, () => String.fromCharCode(r.int(256))).join(''));
    const all = [...keys];
    const v = new VisitedKeys(all.length);
    const inserted = all.filter((_, i) => i % 2 === 0);
    for (const k of inserted) v.add(k);
    expect(v.size).toBe(inserted.length);
    expect(v.complete).toBe(false);
    expect(v.index(Infinity)).toBe(true);
    all.forEach((k, i) => expect(v.has(k), JSON.stringify(k)).toBe(i % 2 === 0));
    // a key equal in content but a different string object is found
    expect(v.has(inserted[3]!.split('').join(''))).toBe(true);
  });

  it('keeps keys across its storage blocks (65,536 keys each) and finds them after partial index steps', () => {
    const n = 200_003;
    const v = new VisitedKeys(n);
    for (let i = 0; i < n; i++) v.add(`key:${i}`);
    expect(v.has('key:0')).toBe(false); // nothing indexed yet
    expect(v.index(65_537)).toBe(false);
    expect(v.has('key:65536')).toBe(true);
    expect(v.has('key:65537')).toBe(false);
    expect(v.index(Infinity)).toBe(true);
    for (const i of [0, 65_535, 65_536, 131_071, 131_072, 196_608, n - 1]) expect(v.has(`key:${i}`)).toBe(true);
    expect(v.has(`key:${n}`)).toBe(false);
    expect(() => v.add('one more')).toThrow(RangeError);
  });

  it('refuses to grow past its capacity (the snapshot never adds more keys than the database had)', () => {
    const v = new VisitedKeys(2);
    v.add('a');
    v.add('b');
    expect(() => v.add('c')).toThrow(RangeError);
    v.index(2);
    v.clear();
    expect(v.has('a')).toBe(false);
    expect(v.complete).toBe(true);
  });

  it('finds exactly the indexed keys while adds and partial index steps interleave (model: array prefix)', () => {
    const r = seededRandom(9);
    const keys = Array.from(new Set(Array.from({ length: 3000 }, () => `k${r.int(100000)}`)));
    const v = new VisitedKeys(keys.length);
    let added = 0;
    let indexed = 0;
    while (added < keys.length || indexed < added) {
      if (added < keys.length && r.int(3) !== 0) {
        v.add(keys[added++]!);
      } else {
        const step = r.int(50);
        const done = v.index(step);
        indexed = Math.min(added, indexed + step);
        expect(done).toBe(indexed === added);
      }
      expect(v.complete).toBe(indexed === added);
      expect(v.size).toBe(added);
      // probe: an indexed key, a recorded-not-indexed key, a key never added
      const i = r.int(keys.length);
      expect(v.has(keys[i]!)).toBe(i < indexed);
    }
  });
});

describe('VisitedKeysPool', () => {
  const fill = (v: VisitedKeys, prefix: string, n: number): void => {
    for (let i = 0; i < n; i++) v.add(`${prefix}${i}`);
  };

  it('a set on reused storage knows only its own keys, whether the earlier set was larger or smaller', () => {
    const pool = new VisitedKeysPool(2);
    const sizes = [150_000, 70_000, 200_001, 5, 140_000];
    sizes.forEach((n, round) => {
      const v = pool.take(n);
      expect(v.size).toBe(0);
      expect(v.has('a0')).toBe(false);
      const prefix = `r${round}:`;
      fill(v, prefix, n);
      // half indexed, then all: the partial state must not see leftovers of an earlier table
      v.index(Math.floor(n / 2));
      expect(v.has(`${prefix}${n - 1}`)).toBe(n === 1);
      expect(v.index(Infinity)).toBe(true);
      for (const i of [0, 1, Math.floor(n / 2), n - 1]) expect(v.has(`${prefix}${i}`)).toBe(true);
      expect(v.has(`${prefix}${n}`)).toBe(false);
      if (round > 0) {
        const prev = sizes[round - 1]!;
        for (const i of [0, Math.min(prev, n) - 1, prev - 1]) expect(v.has(`r${round - 1}:${i}`)).toBe(false);
      }
      expect(() => v.add('one more')).toThrow(RangeError);
      pool.give(v);
      expect(pool.spareCount).toBe(1);
    });
  });

  it('keeps at most maxSpare stores, the largest ones, and never hands one store out twice', () => {
    const pool = new VisitedKeysPool(2);
    const a = pool.take(10);
    const b = pool.take(200_000);
    const c = pool.take(70_000);
    for (const v of [a, b, c]) fill(v, 'k', v.capacity);
    pool.give(a);
    pool.give(b);
    pool.give(c);
    expect(pool.spareCount).toBe(2);
    const x = pool.take(200_000);
    const y = pool.take(200_000);
    expect(pool.spareCount).toBe(0);
    fill(x, 'x', 200_000);
    fill(y, 'y', 200_000);
    x.index(Infinity);
    y.index(Infinity);
    expect(x.has('x199999')).toBe(true);
    expect(x.has('y199999')).toBe(false);
    expect(y.has('y0')).toBe(true);
    expect(y.has('x0')).toBe(false);
  });
});

describe('TouchedKeys', () => {
  it('addIfAbsent reports first insertions only', () => {
    const t = new TouchedKeys();
    expect(t.has('x')).toBe(false);
    expect(t.addIfAbsent('x')).toBe(true);
    expect(t.addIfAbsent('x')).toBe(false);
    expect(t.addIfAbsent('')).toBe(true);
    expect(t.size).toBe(2);
    expect(t.has('x')).toBe(true);
    t.clear();
    expect(t.has('x')).toBe(false);
  });
});
