import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { ListValue } from '../../../../src/node/keyspace/list.js';

describe('ListValue', () => {
  it('behaves as a deque at both ends and indexes from either end', () => {
    const l = new ListValue();
    l.pushTail('b');
    l.pushHead('a');
    l.pushTail('c');
    expect([...l]).toEqual(['a', 'b', 'c']);
    expect(l.at(0)).toBe('a');
    expect(l.at(-1)).toBe('c');
    expect(l.at(3)).toBeUndefined();
    expect(l.at(-4)).toBeUndefined();
    expect(l.popHead()).toBe('a');
    expect(l.popTail()).toBe('c');
    expect(l.popTail()).toBe('b');
    expect(l.popTail()).toBeUndefined();
    expect(l.length).toBe(0);
  });

  it('matches an array model under a seeded random mix of operations', () => {
    const seed = 20240611;
    const rnd = seededRandom(seed);
    const l = new ListValue();
    const model: string[] = [];
    for (let step = 0; step < 20000; step++) {
      const op = rnd.int(10);
      const v = `v${rnd.int(50)}`;
      const ctx = `seed ${seed} step ${step} op ${op}`;
      switch (op) {
        case 0: case 1: l.pushTail(v); model.push(v); break;
        case 2: case 3: l.pushHead(v); model.unshift(v); break;
        case 4: expect(l.popHead(), ctx).toBe(model.shift()); break;
        case 5: expect(l.popTail(), ctx).toBe(model.pop()); break;
        case 6: {
          const i = rnd.int(model.length + 1);
          l.insertAt(i, v);
          model.splice(i, 0, v);
          break;
        }
        case 7: {
          const i = rnd.int(model.length + 1);
          expect(l.removeAt(i), ctx).toBe(model.splice(i, 1)[0]);
          break;
        }
        case 8: {
          const i = rnd.int(model.length + 2) - 1;
          expect(l.set(i, v), ctx).toBe(i >= -model.length && i < model.length);
          if (i >= -model.length && i < model.length) model[i < 0 ? i + model.length : i] = v;
          break;
        }
        case 9: {
          if (rnd.int(20) === 0) {
            const limit = rnd.int(3);
            const fromTail = rnd.int(2) === 1;
            const removed = l.removeWhere((x) => x !== v, limit, fromTail);
            let n = 0;
            const idxs = model.map((_, i) => i);
            if (fromTail) idxs.reverse();
            const drop = new Set<number>();
            for (const i of idxs) {
              if (limit !== 0 && n >= limit) break;
              if (model[i] === v) { drop.add(i); n++; }
            }
            const next = model.filter((_, i) => !drop.has(i));
            model.length = 0;
            model.push(...next);
            expect(removed, ctx).toBe(n);
          }
          break;
        }
      }
      expect(l.length, ctx).toBe(model.length);
      if (step % 97 === 0) expect([...l], ctx).toEqual(model);
    }
    expect(l.toArray()).toEqual(model);
    expect([...l.reversed()]).toEqual([...model].reverse());
  });

  it('range and trim take clamped inclusive bounds; clone is independent', () => {
    const l = ListValue.from(['a', 'b', 'c', 'd', 'e']);
    expect(l.range(1, 3)).toEqual(['b', 'c', 'd']);
    const c = l.clone();
    l.trim(1, 2);
    expect(l.toArray()).toEqual(['b', 'c']);
    expect(c.toArray()).toEqual(['a', 'b', 'c', 'd', 'e']);
    l.trim(3, 1);
    expect(l.length).toBe(0);
    expect(c.indexOf('d')).toBe(3);
    expect(c.indexOf('z')).toBe(-1);
  });

  it('shrinks after a large list is drained and still works', () => {
    const l = new ListValue();
    for (let i = 0; i < 100000; i++) l.pushTail(String(i));
    let ok = true;
    for (let i = 0; i < 99990; i++) if (l.popHead() !== String(i)) ok = false;
    expect(ok).toBe(true);
    expect(l.toArray()).toEqual(['99990', '99991', '99992', '99993', '99994', '99995', '99996', '99997', '99998', '99999']);
  });
});
