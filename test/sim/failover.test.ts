import { describe, expect, it } from 'vitest';
import { types, World } from './harness/world.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

function settled(w: World): void {
  // discovery: every sentinel knows the 2 replicas and the 2 other sentinels
  const ok = w.runUntil(
    () => w.sentinels.every((s) => {
      const m = s.core.state.masters.get('mymaster')!;
      return m.replicas.size === 2 && m.sentinels.size === 2;
    }),
    20_000,
  );
  expect(ok, 'discovery').toBe(true);
}

describe('crash failover (3 sentinels, quorum 2, down-after 1000)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: kill -9 of the master ends with every sentinel on one promoted replica`, () => {
      const w = new World({ seed });
      settled(w);
      w.run(2000);
      const old = w.node(0);
      const t0 = w.q.now;
      w.killNode(old);
      const switched = w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== old.addr), 15_000);
      expect(switched, `seed ${seed}: master switched`).toBe(true);
      const elapsed = w.q.now - t0;
      const newAddr = w.masterAddr(w.sentinels[0]!);
      expect(w.allAgree(newAddr)).toBe(true);
      expect(w.nodeAt(newAddr)!.role).toBe('master');
      // event-driven: within 250 ms beyond down-after in the simulation
      expect(elapsed, `seed ${seed}: switch after ${elapsed.toFixed(0)} ms`).toBeLessThan(1000 + 250);

      // exactly one leader, with the reference's ordered trace
      const leaders = w.sentinels.filter((s) => s.events('+elected-leader').length > 0);
      expect(leaders.length, `seed ${seed}`).toBe(1);
      const leader = leaders[0]!;
      w.runUntil(() => leader.events('+switch-master').length > 0, 10_000);
      const order = types(leader.trace, [
        '+sdown', '+odown', '+try-failover', '+vote-for-leader', '+elected-leader', '+failover-state-select-slave',
        '+selected-slave', '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion', '+promoted-slave',
        '+failover-state-reconf-slaves', '+slave-reconf-sent', '+slave-reconf-inprog', '+slave-reconf-done', '+failover-end', '+switch-master',
      ]).filter((t, i, a) => a.indexOf(t) === i);
      expect(order).toEqual([
        '+sdown', '+odown', '+try-failover', '+vote-for-leader', '+elected-leader', '+failover-state-select-slave',
        '+selected-slave', '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion', '+promoted-slave',
        '+failover-state-reconf-slaves', '+slave-reconf-sent', '+slave-reconf-inprog', '+slave-reconf-done', '+failover-end', '+switch-master',
      ]);
      // the other replica follows the new master
      w.run(2000);
      const other = w.nodes.find((n) => n !== old && n.addr !== newAddr)!;
      expect(other.role).toBe('slave');
      expect(`${other.masterHost}:${other.masterPort}`).toBe(newAddr);
      // observers learned it from hellos
      for (const s of w.sentinels.filter((x) => x !== leader)) {
        expect(s.events('+config-update-from').length + s.events('+switch-master').length).toBeGreaterThan(0);
      }
      expect(w.violations).toEqual([]);
    });
  }
});
