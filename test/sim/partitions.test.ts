import { describe, expect, it } from 'vitest';
import { settle } from './harness/scenarios.js';
import { World } from './harness/world.js';

describe('partitions', () => {
  for (const seed of [101, 102, 103]) {
    it(`seed ${seed}: an isolated sentinel never fails over alone (quorum 2)`, () => {
      const w = new World({ seed });
      settle(w);
      const lonely = w.sentinels[0]!;
      w.isolate(lonely.host);
      w.run(10_000);
      expect(lonely.events('+sdown').length).toBeGreaterThan(0);
      expect(lonely.events('+odown')).toEqual([]);
      expect(lonely.events('+try-failover')).toEqual([]);
      // the majority side sees a healthy master and does nothing
      for (const s of w.sentinels.slice(1)) expect(s.events('+sdown').filter((e) => e.payload.startsWith('master'))).toEqual([]);
      expect(w.allAgree(w.node(0).addr)).toBe(true);
      w.heal();
      w.run(3000);
      expect(lonely.events('-sdown').length).toBeGreaterThan(0);
    });

    it(`seed ${seed}: master + one sentinel on the minority side; the majority fails over, healing converges on the new master`, () => {
      const w = new World({ seed, sentinels: 3 });
      settle(w);
      const old = w.node(0);
      const minority = w.sentinels[0]!;
      // minority side: old master + sentinel 0; majority side: replicas + sentinels 1, 2
      for (const x of [w.node(1), w.node(2), w.sentinels[1]!, w.sentinels[2]!]) {
        w.cut(old.host, x.host);
        w.cut(minority.host, x.host);
      }
      const t0 = w.q.now;
      expect(w.runUntil(() => w.masterAddr(w.sentinels[1]!) !== old.addr && w.masterAddr(w.sentinels[2]!) !== old.addr, 15_000)).toBe(true);
      w.run(5000);
      // the minority sentinel still believes in the old master and never started a failover
      expect(w.masterAddr(minority)).toBe(old.addr);
      expect(minority.events('+try-failover')).toEqual([]);
      const newAddr = w.masterAddr(w.sentinels[1]!);
      expect(old.role).toBe('master'); // split brain until the partition heals
      w.heal();
      const healed = w.runUntil(() => w.allAgree(newAddr) && old.role === 'slave', 20_000);
      expect(healed, `seed ${seed}: converged after ${(w.q.now - t0).toFixed(0)} ms`).toBe(true);
      expect(`${old.masterHost}:${old.masterPort}`).toBe(newAddr);
      expect(minority.events('+config-update-from').length).toBeGreaterThan(0);
      expect(w.violations).toEqual([]);
    });
  }

  it('a lossy network (20% of messages dropped) still fails over and converges', () => {
    const w = new World({ seed: 120 });
    settle(w);
    w.dropP = 0.2;
    const old = w.node(0);
    w.killNode(old);
    expect(w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== old.addr), 60_000)).toBe(true);
    w.dropP = 0;
    w.run(5000);
    const addr = w.masterAddr(w.sentinels[0]!);
    expect(w.allAgree(addr)).toBe(true);
    expect(w.nodeAt(addr)!.role).toBe('master');
    expect(w.nodes.filter((n) => n.alive && n.role === 'master').length).toBe(1);
  });
});
