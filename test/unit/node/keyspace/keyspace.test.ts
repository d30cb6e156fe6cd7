import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/common/clock.js';
import { ActiveExpire } from '../../../../src/node/keyspace/active-expire.js';
import { Keyspace } from '../../../../src/node/keyspace/keyspace.js';

function make() {
  const clock = new ManualClock();
  const ks = new Keyspace({ databases: 16, clock });
  return { clock, ks };
}

describe('Database / Keyspace', () => {
  it('expires lazily on access on a master: deletes, counts, notifies', () => {
    const { clock, ks } = make();
    const db = ks.db(0);
    const expired: string[] = [];
    ks.addExpiredListener((d, k) => expired.push(`${d.index}:${k}`));
    db.set('a', '1');
    db.setExpire('a', clock.now() + 100);
    expect(db.lookupRead('a')).toBe('1');
    clock.advance(100);
    expect(db.lookupRead('a')).toBeUndefined();
    expect(db.dict.has('a')).toBe(false);
    expect(expired).toEqual(['0:a']);
    expect(ks.stats.expiredKeys).toBe(1);
    expect(ks.stats.keyspaceHits).toBe(1);
    expect(ks.stats.keyspaceMisses).toBe(1);
  });

  it('on a replica hides expired keys without deleting them, except from the master', () => {
    const { clock, ks } = make();
    const db = ks.db(0);
    db.set('a', '1');
    db.setExpire('a', clock.now() + 10);
    clock.advance(20);
    ks.deletesExpired = false;
    expect(db.lookupRead('a')).toBeUndefined();
    expect(db.dict.has('a')).toBe(true);
    ks.fromMaster = true;
    expect(db.lookupWrite('a')).toBe('1');
  });

  it('calls the barrier before each change, while the old value and TTL are still in place', () => {
    const { clock, ks } = make();
    const db = ks.db(3);
    const seen: [number, string, unknown, number | undefined][] = [];
    ks.addWriteListener((d, k) => seen.push([d.index, k, d.dict.get(k), d.expires.get(k)]));
    db.set('k', 'v1');
    db.setExpire('k', clock.now() + 1000);
    db.set('k', 'v2', true);
    db.persist('k');
    db.persist('k'); // no TTL: no change, no barrier
    db.delete('k');
    db.delete('k'); // absent: no barrier
    expect(seen).toEqual([
      [3, 'k', undefined, undefined],
      [3, 'k', 'v1', undefined],
      [3, 'k', 'v1', clock.now() + 1000],
      [3, 'k', 'v2', clock.now() + 1000],
      [3, 'k', 'v2', undefined],
    ]);
  });

  it('whole-db operations install new Maps and leave the old ones intact', () => {
    const { ks } = make();
    ks.db(0).set('a', '1');
    ks.db(1).set('b', '2');
    const old0 = ks.db(0).dict;
    const old1 = ks.db(1).dict;
    const changes: string[] = [];
    ks.addDbChangeListener((e) => changes.push(e.kind));
    ks.swapDb(0, 1);
    expect(ks.db(0).dict).toBe(old1);
    expect(ks.db(1).dict).toBe(old0);
    expect(ks.flushDb(0)).toBe(1);
    expect(old1.get('b')).toBe('2');
    expect(ks.db(0).size).toBe(0);
    expect(ks.flushAll()).toBe(1);
    expect(old0.get('a')).toBe('1');
    expect(ks.totalKeys()).toBe(0);
    expect(changes).toEqual(['swap', 'flush', 'flush']);
  });

  it('freezes time inside withFrozenTime', () => {
    const { clock, ks } = make();
    const t = ks.withFrozenTime(() => {
      const a = ks.now();
      clock.advance(50);
      return [a, ks.now()];
    });
    expect(t[0]).toBe(t[1]);
    expect(ks.now()).toBe(t[0]! + 50);
  });
});

describe('ActiveExpire', () => {
  it('removes expired keys nobody touches, across databases, and leaves live ones', () => {
    const { clock, ks } = make();
    const ae = new ActiveExpire(ks);
    for (let d = 0; d < 3; d++) {
      const db = ks.db(d);
      for (let i = 0; i < 500; i++) {
        db.set(`k${i}`, 'v');
        db.setExpire(`k${i}`, clock.now() + (i % 2 === 0 ? 100 : 100_000));
      }
      db.set('forever', 'v');
    }
    clock.advance(200);
    let total = 0;
    for (let i = 0; i < 200 && ks.totalKeys() > 753; i++) total += ae.run('slow', 10);
    expect(total).toBe(750);
    for (let d = 0; d < 3; d++) {
      expect(ks.db(d).size).toBe(251);
      expect(ks.db(d).has('forever')).toBe(true);
      expect(ks.db(d).has('k1')).toBe(true);
    }
    expect(ks.stats.expiredKeys).toBe(750);
  });

  it('does nothing on a replica or when disabled', () => {
    const { clock, ks } = make();
    const ae = new ActiveExpire(ks);
    ks.db(0).set('a', 'v');
    ks.db(0).setExpire('a', clock.now() + 1);
    clock.advance(5);
    ks.deletesExpired = false;
    expect(ae.run('slow', 10)).toBe(0);
    ks.deletesExpired = true;
    ae.enabled = false;
    expect(ae.run('slow', 10)).toBe(0);
    ae.enabled = true;
    expect(ae.run('slow', 10)).toBe(1);
  });
});
