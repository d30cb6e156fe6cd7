import { describe, expect, it } from 'vitest';
import { failover } from '../../src/sentinel/core/admin.js';
import { firstTime, settle } from './harness/scenarios.js';
import { World } from './harness/world.js';

function crashFailover(w: World): { oldAddr: string; newAddr: string } {
  const old = w.node(0);
  w.killNode(old);
  expect(w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== old.addr), 15_000)).toBe(true);
  w.run(3000);
  return { oldAddr: old.addr, newAddr: w.masterAddr(w.sentinels[0]!) };
}

describe('returning old master', () => {
  for (const seed of [301, 302, 303, 304, 305]) {
    it(`seed ${seed}: is converted to a replica within 1.5 s of answering again`, () => {
      const w = new World({ seed });
      settle(w);
      const { oldAddr, newAddr } = crashFailover(w);
      const old = w.nodeAt(oldAddr)!;
      const tBack = w.q.now;
      w.restartNode(old); // comes back as a master (no CONFIG REWRITE ever reached it)
      expect(old.role).toBe('master');
      const converted = w.runUntil(() => old.role === 'slave', 10_000);
      const took = w.q.now - tBack;
      expect(converted).toBe(true);
      expect(took, `seed ${seed}: converted after ${took.toFixed(0)} ms`).toBeLessThan(1500);
      expect(`${old.masterHost}:${old.masterPort}`).toBe(newAddr);
      expect(w.sentinels.some((s) => (firstTime(s, '+convert-to-slave', tBack) ?? Infinity) < Infinity)).toBe(true);
    });
  }

  it('reference tuning keeps the reference timing (several seconds), for comparison', () => {
    const w = new World({ seed: 310, tuning: { enabled: false } });
    settle(w);
    const { oldAddr } = crashFailover(w);
    const old = w.nodeAt(oldAddr)!;
    const tBack = w.q.now;
    w.restartNode(old);
    expect(w.runUntil(() => old.role === 'slave', 30_000)).toBe(true);
    expect(w.q.now - tBack).toBeGreaterThan(8000);
  });

  it('a flapping old master is not fenced early: the fast rule needs it continuously up', () => {
    const w = new World({ seed: 320 });
    settle(w);
    const { oldAddr } = crashFailover(w);
    const old = w.nodeAt(oldAddr)!;
    // up 600 ms, down 400 ms, repeatedly: never continuously available for the fence delay
    for (let i = 0; i < 6; i++) {
      w.restartNode(old);
      w.run(600);
      expect(old.role, `cycle ${i}`).toBe('master');
      w.killNode(old);
      w.run(400);
    }
    w.restartNode(old);
    expect(w.runUntil(() => old.role === 'slave', 5000)).toBe(true);
  });

  it('a replica promoted by a newer failover we have not heard of is not converted back early (replid2 evidence)', () => {
    const w = new World({ seed: 330 });
    settle(w);
    const [deaf, , leader] = w.sentinels as [typeof w.sentinels[0], typeof w.sentinels[0], typeof w.sentinels[0]];
    // `deaf` hears no hellos at all, so it cannot learn about the failover below
    w.helloFilter = (to) => to !== deaf;
    const r = failover(leader.core, w.q.now, 'mymaster', false);
    w.execEffects(leader, r.effects);
    const promoted = () => w.nodes.find((n) => n.role === 'master' && n !== w.node(0));
    expect(w.runUntil(() => promoted() !== undefined, 5000)).toBe(true);
    const p = promoted()!;
    // the deaf sentinel sees a replica that reports role:master whose replid2 is its master's replid: it waits
    w.run(4000);
    expect(deaf.events('+convert-to-slave').filter((e) => e.payload.includes(p.addr))).toEqual([]);
    expect(p.role).toBe('master');
    w.helloFilter = null;
    expect(w.runUntil(() => w.allAgree(p.addr), 10_000)).toBe(true);
  });

  it('SENTINEL FAILOVER: the old master (still up) is demoted quickly, not ~10 s later', () => {
    const w = new World({ seed: 340 });
    settle(w);
    const s = w.sentinels[0]!;
    const old = w.node(0);
    const t0 = w.q.now;
    const r = failover(s.core, t0, 'mymaster', false);
    expect(r.error).toBeUndefined();
    w.execEffects(s, r.effects);
    expect(w.runUntil(() => w.masterAddr(s) !== old.addr, 5000)).toBe(true);
    const tSwitch = w.q.now;
    expect(w.runUntil(() => old.role === 'slave', 10_000)).toBe(true);
    expect(w.q.now - tSwitch).toBeLessThan(2000);
    expect(w.nodes.filter((n) => n.role === 'master').length).toBe(1);
    expect(s.events('+elected-leader').length).toBe(1);
  });
});
