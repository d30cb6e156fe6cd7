import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { ZSetValue, type LexBound, type ScoreRange, type ZEntry } from '../../../../src/node/keyspace/zset.js';

function sorted(m: Map<string, number>): ZEntry[] {
  return [...m].sort((a, b) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const inScore = (s: number, r: ScoreRange) => (r.minex ? s > r.min : s >= r.min) && (r.maxex ? s < r.max : s <= r.max);
const geLex = (m: string, b: LexBound) => (b === '-' ? true : b === '+' ? false : b.exclusive ? m > b.value : m >= b.value);
const leLex = (m: string, b: LexBound) => (b === '+' ? true : b === '-' ? false : b.exclusive ? m < b.value : m <= b.value);

describe('ZSetValue', () => {
  it('orders by score then member bytes and answers rank both ways', () => {
    const z = new ZSetValue();
    expect(z.add('b', 1)).toBe(true);
    expect(z.add('a', 1)).toBe(true);
    expect(z.add('c', 0)).toBe(true);
    expect(z.add('\xff', 1)).toBe(true);
    expect(z.add('a', 1)).toBe(false);
    expect([...z]).toEqual([['c', 0], ['a', 1], ['b', 1], ['\xff', 1]]);
    expect(z.rank('a')).toBe(1);
    expect(z.rank('a', true)).toBe(2);
    expect(z.rank('zz')).toBeUndefined();
    expect(z.at(3)).toEqual(['\xff', 1]);
    expect(z.at(4)).toBeUndefined();
    expect(z.add('c', 5)).toBe(false);
    expect([...z.reversed()].map((e) => e[0])).toEqual(['c', '\xff', 'b', 'a']);
    expect(z.remove('b')).toBe(true);
    expect(z.remove('b')).toBe(false);
    expect(z.size).toBe(3);
    expect(z.pop(2)).toEqual([['a', 1], ['\xff', 1]]);
    expect(z.pop(5, true)).toEqual([['c', 5]]);
    expect(z.size).toBe(0);
  });

  it('handles infinities and empty ranges', () => {
    const z = ZSetValue.from([['n', -Infinity], ['p', Infinity], ['z', 0]]);
    expect(z.countInScoreRange({ min: -Infinity, max: Infinity, minex: false, maxex: false })).toBe(3);
    expect(z.countInScoreRange({ min: -Infinity, max: Infinity, minex: true, maxex: true })).toBe(1);
    expect(z.countInScoreRange({ min: 1, max: 1, minex: true, maxex: false })).toBe(0);
    expect(z.rangeByScore({ min: 5, max: 1, minex: false, maxex: false })).toEqual([]);
    expect(z.rangeByLex({ min: '+', max: '-' })).toEqual([]);
  });

  it('matches a sorted-array model under seeded random operations', () => {
    const seed = 424242;
    const rnd = seededRandom(seed);
    const z = new ZSetValue(seed);
    const model = new Map<string, number>();
    const score = () => (rnd.int(10) === 0 ? [Infinity, -Infinity][rnd.int(2)]! : rnd.int(40) - 20 + (rnd.int(3) === 0 ? 0.5 : 0));
    const member = () => 'm' + String.fromCharCode(97 + rnd.int(26)) + String.fromCharCode(rnd.int(256)) ;
    for (let step = 0; step < 6000; step++) {
      const ctx = `seed ${seed} step ${step}`;
      const op = rnd.int(8);
      if (op < 4) {
        const m = member();
        const s = score();
        expect(z.add(m, s), ctx).toBe(!model.has(m));
        model.set(m, s);
      } else if (op === 4) {
        const m = member();
        expect(z.remove(m), ctx).toBe(model.delete(m));
      } else if (op === 5 && model.size > 0) {
        const ref = sorted(model);
        const r = rnd.int(ref.length);
        const [m] = ref[r]!;
        expect(z.rank(m), ctx).toBe(r);
        expect(z.rank(m, true), ctx).toBe(ref.length - 1 - r);
        expect(z.at(r), ctx).toEqual(ref[r]);
        const a = rnd.int(ref.length);
        const b = a + rnd.int(ref.length - a);
        expect(z.rangeByRank(a, b), ctx).toEqual(ref.slice(a, b + 1));
        const rev = [...ref].reverse();
        expect(z.rangeByRank(a, b, true), ctx).toEqual(rev.slice(a, b + 1));
      } else if (op === 6) {
        const lo = rnd.int(44) - 22;
        const r: ScoreRange = { min: lo, max: lo + rnd.int(20) - 2, minex: rnd.int(2) === 1, maxex: rnd.int(2) === 1 };
        const ref = sorted(model).filter(([, s]) => inScore(s, r));
        expect(z.countInScoreRange(r), ctx).toBe(ref.length);
        const off = rnd.int(4);
        const lim = rnd.int(6) - 1;
        const cut = (a: ZEntry[]) => a.slice(off, lim < 0 ? undefined : off + lim);
        expect(z.rangeByScore(r, false, off, lim), ctx).toEqual(cut(ref));
        expect(z.rangeByScore(r, true, off, lim), ctx).toEqual(cut([...ref].reverse()));
      } else if (op === 7) {
        // lex ranges are meaningful when all scores are equal: check on a same-score copy
        const same = new ZSetValue();
        for (const m of model.keys()) same.add(m, 0);
        const bound = (): LexBound => {
          const k = rnd.int(6);
          if (k === 0) return '-';
          if (k === 1) return '+';
          return { value: member(), exclusive: rnd.int(2) === 1 };
        };
        const r = { min: bound(), max: bound() };
        const ref = [...model.keys()].sort().filter((m) => geLex(m, r.min) && leLex(m, r.max));
        expect(same.countInLexRange(r), ctx).toBe(ref.length);
        expect(same.rangeByLex(r).map((e) => e[0]), ctx).toEqual(ref);
        expect(same.rangeByLex(r, true, 1, 3).map((e) => e[0]), ctx).toEqual([...ref].reverse().slice(1, 4));
      }
      expect(z.size, ctx).toBe(model.size);
    }
    expect([...z]).toEqual(sorted(model));
    expect([...z.clone()]).toEqual(sorted(model));
  });

  it('removes ranges and keeps spans consistent afterwards', () => {
    const z = new ZSetValue();
    for (let i = 0; i < 1000; i++) z.add(`m${i}`, i % 100);
    expect(z.removeRangeByScore({ min: 10, max: 19, minex: false, maxex: false }).length).toBe(100);
    expect(z.removeRangeByRank(0, 99).length).toBe(100);
    expect(z.size).toBe(800);
    const all = [...z];
    for (let i = 0; i < all.length; i += 37) expect(z.rank(all[i]![0])).toBe(i);
    expect(all[0]![1]).toBe(20);
  });

  it('keeps ranks exact at scale (200k members, shuffled scores)', () => {
    const z = new ZSetValue();
    const n = 200_000;
    for (let i = 0; i < n; i++) z.add(`member:${i}`, (i * 7919) % n);
    // score (i*7919) % n is a permutation of 0..n-1, so the rank of member i is its score
    for (let i = 0; i < n; i += 997) expect(z.rank(`member:${i}`)).toBe((i * 7919) % n);
    expect(z.size).toBe(n);
  });

  it('stays consistent through block splits and merges (grow to 20k, shrink to 50, regrow)', () => {
    const seed = 99;
    const rnd = seededRandom(seed);
    const z = new ZSetValue();
    const model = new Map<string, number>();
    const check = (ctx: string) => {
      const ref = sorted(model);
      expect(z.size, ctx).toBe(ref.length);
      for (let k = 0; k < 40 && ref.length > 0; k++) {
        const r = rnd.int(ref.length);
        expect(z.at(r), ctx).toEqual(ref[r]);
        expect(z.rank(ref[r]![0]), ctx).toBe(r);
      }
      expect([...z], ctx).toEqual(ref);
    };
    for (let i = 0; i < 20000; i++) {
      const m = `k${rnd.int(1_000_000)}`;
      const sc = rnd.int(1000);
      z.add(m, sc);
      model.set(m, sc);
    }
    check(`seed ${seed} grown`);
    for (const m of [...model.keys()]) {
      if (model.size <= 50) break;
      if (rnd.int(10) < 9) {
        z.remove(m);
        model.delete(m);
      } else {
        const sc = rnd.int(1000);
        z.add(m, sc);
        model.set(m, sc);
      }
    }
    check(`seed ${seed} shrunk`);
    expect(z.pop(10)).toEqual(sorted(model).slice(0, 10));
    for (const [m] of sorted(model).slice(0, 10)) model.delete(m);
    for (let i = 0; i < 3000; i++) {
      const m = `n${i}`;
      z.add(m, 5);
      model.set(m, 5);
    }
    check(`seed ${seed} regrown`);
  });

  it('addKnown, in-place score moves and block edges match the model (sequential and tied scores)', () => {
    // scores drawn from a narrow band so moves often stay between the same neighbours (the in-place path) and
    // often cross a block edge; ties force the member-order comparisons
    for (const seed of [1, 2, 3]) {
      const rnd = seededRandom(seed);
      const z = new ZSetValue();
      const model = new Map<string, number>();
      for (let step = 0; step < 30000; step++) {
        const ctx = `seed ${seed} step ${step}`;
        const m = `k${rnd.int(3000)}`;
        const op = rnd.int(9);
        if (op < 7) {
          const cur = model.get(m);
          // half the moves are tiny (usually in place), half jump anywhere
          const s = cur !== undefined && rnd.int(2) === 0 ? cur + (rnd.int(3) - 1) * 0.25 : rnd.int(400);
          expect(z.score(m), ctx).toBe(cur);
          z.addKnown(m, s, cur);
          model.set(m, s);
        } else {
          expect(z.remove(m), ctx).toBe(model.delete(m));
        }
        if (step % 200 === 199 && model.size > 0) {
          const ref = sorted(model);
          for (let k = 0; k < 5; k++) {
            const r = rnd.int(ref.length);
            expect(z.at(r), ctx).toEqual(ref[r]);
            expect(z.rank(ref[r]![0]), ctx).toBe(r);
          }
        }
        if (step % 5000 === 4999) expect([...z], ctx).toEqual(sorted(model));
      }
      expect([...z]).toEqual(sorted(model));
      expect([...z.reversed()]).toEqual(sorted(model).reverse());
    }
  });

  it('empties completely and regrows (single growing block, then many blocks, then compaction)', () => {
    const z = new ZSetValue();
    for (let cycle = 0; cycle < 3; cycle++) {
      const n = [3, 500, 5000][cycle]!;
      // descending inserts: every insert lands at the very front (the RDB loader's order for ZSET_2)
      for (let i = n - 1; i >= 0; i--) z.add(`m${i}`, i);
      expect(z.size).toBe(n);
      expect([...z].map((e) => e[1])).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(z.rangeByRank(n - 2, n - 1)).toEqual([[`m${n - 2}`, n - 2], [`m${n - 1}`, n - 1]]);
      // remove from the middle outwards so blocks drain unevenly and merge
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(a - n / 2) - Math.abs(b - n / 2));
      for (const [k, i] of order.entries()) {
        expect(z.remove(`m${i}`)).toBe(true);
        if (k % 97 === 0 && z.size > 0) {
          const rest = order.slice(k + 1).sort((a, b) => a - b);
          expect(z.at(0)).toEqual([`m${rest[0]}`, rest[0]]);
          expect(z.rank(`m${rest[rest.length - 1]}`)).toBe(rest.length - 1);
        }
      }
      expect(z.size).toBe(0);
      expect([...z]).toEqual([]);
      expect(z.at(0)).toBeUndefined();
      expect(z.rangeByScore({ min: -Infinity, max: Infinity, minex: false, maxex: false })).toEqual([]);
    }
  });
});
