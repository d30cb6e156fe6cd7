import { describe, expect, it } from 'vitest';
import { failover } from '../../src/sentinel/core/admin.js';
import { settle } from './harness/scenarios.js';
import { World } from './harness/world.js';

describe('replica selection', () => {
  for (const seed of [401, 402, 403]) {
    it(`seed ${seed}: a replica with replica-priority 0 is never promoted`, () => {
      const w = new World({ seed });
      w.node(1).priority = 0;
      settle(w);
      w.run(11_000); // let a periodic INFO carry the priority
      const old = w.node(0);
      w.killNode(old);
      expect(w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== old.addr), 15_000)).toBe(true);
      expect(w.masterAddr(w.sentinels[0]!)).toBe(w.node(2).addr);
    });
  }

  it('only priority-0 replicas: -failover-abort-no-good-slave and SENTINEL FAILOVER says NOGOODSLAVE', () => {
    const w = new World({ seed: 410, replicas: 1 });
    w.node(1).priority = 0;
    settle(w, 1);
    w.run(11_000);
    const s = w.sentinels[0]!;
    const r = failover(s.core, w.q.now, 'mymaster', false);
    expect(r.error).toBe('NOGOODSLAVE No suitable replica to promote');
    const old = w.node(0);
    w.killNode(old);
    w.run(5000);
    expect(w.sentinels.flatMap((x) => x.events('-failover-abort-no-good-slave')).length).toBeGreaterThan(0);
    expect(w.allAgree(old.addr)).toBe(true);
  });

  it('a write acknowledged by one replica (WAIT 1) survives: ranking uses fresh offsets, not the last periodic INFO', () => {
    // redis/redis#13483: sentinels lose the master (partition) while the replicas still replicate from it. The
    // last INFO the sentinels saw has b ahead of a; then a catches up and acknowledges a write that b never gets.
    const run = (fresh: boolean): boolean => {
      const w = new World({ seed: 420, tuning: { enabled: fresh } });
      settle(w);
      const [m, a, b] = w.nodes as [typeof w.nodes[0], typeof w.nodes[0], typeof w.nodes[0]];
      a.lagging = true;
      for (let i = 0; i < 5; i++) w.write(m.addr, i);
      w.run(11_000);
      for (const s of w.sentinels) w.cut(m.host, s.host);
      expect(w.runUntil(() => w.sentinels.some((s) => s.events('+odown').length > 0), 10_000)).toBe(true);
      a.lagging = false;
      a.offset = m.offset;
      b.lagging = true;
      expect(w.write(m.addr, 100)).toBe(true);
      const acked = m.writes.get(100)!;
      expect(a.offset).toBe(acked);
      expect(b.offset).toBeLessThan(acked);
      expect(w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== m.addr), 20_000)).toBe(true);
      const promoted = w.nodeAt(w.masterAddr(w.sentinels[0]!))!;
      return promoted.offset >= acked;
    };
    expect(run(true)).toBe(true);
    expect(run(false)).toBe(false); // the reference ranks on the older INFO, promotes b and loses the write
  });

  it('SENTINEL FAILOVER COORDINATED hands over with FAILOVER TO: no write accepted by the old master is lost', () => {
    const w = new World({ seed: 430 });
    settle(w);
    const [m] = w.nodes as [typeof w.nodes[0]];
    for (let i = 0; i < 3; i++) w.write(m.addr, i);
    const s = w.sentinels[2]!;
    const r = failover(s.core, w.q.now, 'mymaster', true);
    expect(r.error).toBeUndefined();
    w.execEffects(s, r.effects);
    // writes keep arriving at the old master until it hands over
    let id = 10;
    const accepted: number[] = [];
    const ok = w.runUntil(() => {
      if (w.write(m.addr, id)) accepted.push(id);
      id++;
      return w.allAgree(w.masterAddr(s)) && w.masterAddr(s) !== m.addr;
    }, 10_000);
    expect(ok).toBe(true);
    const nm = w.nodeAt(w.masterAddr(s))!;
    expect(m.role).toBe('slave');
    for (const wid of accepted) expect(nm.offset).toBeGreaterThanOrEqual(m.writes.get(wid)!);
    expect(s.events('+promoted-slave').length).toBe(1);
    expect(w.nodes.filter((n) => n.role === 'master').length).toBe(1);
  });
});
