import { describe, expect, it } from 'vitest';
import { failover } from '../../src/sentinel/core/admin.js';
import { isMasterDownByAddr, reset } from '../../src/sentinel/core/admin.js';
import { settle } from './harness/scenarios.js';
import { World } from './harness/world.js';

describe('elections', () => {
  it('split votes: isolated candidates abort not-elected, and the retry after 2×failover-timeout elects one leader', () => {
    const seed = 11;
    const w = new World({ seed, quorum: 1, failoverTimeout: 2000 });
    settle(w);
    // sentinels cannot talk to each other: each reaches ODOWN alone (quorum 1) and can only vote for itself
    const [a, b, c] = w.sentinels as [typeof w.sentinels[0], typeof w.sentinels[0], typeof w.sentinels[0]];
    w.cut(a.host, b.host);
    w.cut(b.host, c.host);
    w.cut(a.host, c.host);
    const old = w.node(0);
    w.killNode(old);
    w.run(5000);
    for (const s of w.sentinels) {
      expect(s.events('+try-failover').length, `seed ${seed} sentinel ${s.index}`).toBeGreaterThan(0);
      expect(s.events('+elected-leader')).toEqual([]);
    }
    expect(w.sentinels.some((s) => s.events('-failover-abort-not-elected').length > 0)).toBe(true);
    w.heal();
    const done = w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== old.addr), 20_000);
    expect(done, `seed ${seed}`).toBe(true);
    const epochs = new Set(w.sentinels.map((s) => s.core.state.masters.get('mymaster')!.configEpoch));
    expect(epochs.size).toBe(1);
    expect([...epochs][0]).toBeGreaterThan(1);
    expect(w.violations).toEqual([]);
  });

  it('a proven split vote is retried after a short random back-off, not after 2×failover-timeout', () => {
    let splits = 0;
    for (const seed of [12, 13, 14, 15]) {
      const w = new World({ seed, quorum: 1, failoverTimeout: 10_000, tuning: { electionDesync: 0 } });
      settle(w);
      const old = w.node(0);
      w.killNode(old);
      // all three sentinels stall across their SDOWN deadline, then start an election in the same instant
      w.run(700);
      for (const s of w.sentinels) w.stall(s, 400);
      const t0 = w.q.now;
      expect(w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== old.addr), 15_000), `seed ${seed}`).toBe(true);
      const aborted = w.sentinels.flatMap((s) => s.events('-failover-abort-not-elected'));
      if (aborted.length > 0) {
        splits++;
        expect(w.q.now - t0, `seed ${seed}: retried quickly`).toBeLessThan(2000);
        expect(w.sentinels.some((s) => s.logs.some((l) => l.startsWith('Split vote in epoch')))).toBe(true);
      }
      expect(w.violations).toEqual([]);
    }
    expect(splits).toBeGreaterThan(0);
  });

  it('ghost sentinels raise the majority: 3 live + 3 ghosts (6 voters, 4 needed) never elect', () => {
    const ghosts = ['a', 'b', 'c'].map((x, i) => `sentinel known-sentinel mymaster 10.9.9.${i + 1} 26379 ${x.repeat(40)}`);
    const w = new World({ seed: 21, extraConfig: ghosts, failoverTimeout: 3000 });
    settle(w);
    for (const s of w.sentinels) expect(s.core.state.masters.get('mymaster')!.sentinels.size).toBe(5);
    const old = w.node(0);
    w.killNode(old);
    w.run(5000);
    expect(w.sentinels.flatMap((s) => s.events('+elected-leader'))).toEqual([]);
    expect(w.sentinels.flatMap((s) => s.events('-failover-abort-not-elected')).length).toBeGreaterThan(0);
    expect(w.allAgree(old.addr)).toBe(true);
  });

  it('SENTINEL RESET * on the live sentinels forgets ghosts; live peers and replicas are rediscovered and failover works', () => {
    const ghosts = ['a', 'b', 'c'].map((x, i) => `sentinel known-sentinel mymaster 10.9.9.${i + 1} 26379 ${x.repeat(40)}`);
    const w = new World({ seed: 23, extraConfig: ghosts });
    settle(w);
    for (const s of w.sentinels) {
      const r = reset(s.core, w.q.now, '*');
      expect(r.value).toBe(1);
      w.execEffects(s, r.effects);
      expect(r.effects.some((e) => e.type === 'event' && e.event.type === '+reset-master')).toBe(true);
    }
    settle(w);
    for (const s of w.sentinels) expect(s.core.state.masters.get('mymaster')!.sentinels.size).toBe(2);
    const old = w.node(0);
    w.killNode(old);
    expect(w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== old.addr), 15_000)).toBe(true);
  });

  it('with 2 ghosts (5 voters, 3 needed) the 3 live sentinels still elect a leader', () => {
    const ghosts = ['a', 'b'].map((x, i) => `sentinel known-sentinel mymaster 10.9.9.${i + 1} 26379 ${x.repeat(40)}`);
    const w = new World({ seed: 22, extraConfig: ghosts });
    settle(w);
    const old = w.node(0);
    w.killNode(old);
    expect(w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== old.addr), 15_000)).toBe(true);
  });

  it('a vote survives a restart: after voting in epoch N a restarted sentinel grants no second vote in N', () => {
    const w = new World({ seed: 31 });
    settle(w);
    const [voter] = w.sentinels as [typeof w.sentinels[0]];
    // master looks down to nobody; vote requests are granted regardless of the down state
    const m = voter.core.state.masters.get('mymaster')!;
    const cand1 = 'c'.repeat(40);
    const cand2 = 'd'.repeat(40);
    const r1 = isMasterDownByAddr(voter.core, w.q.now, m.addr.ip, String(m.addr.port), '7', cand1);
    w.execEffects(voter, r1.effects);
    expect(r1.value).toEqual({ down: false, leader: cand1, leaderEpoch: 7 });
    // the persist effect precedes any reply: the vote is on disk
    const persistAt = r1.effects.findIndex((e) => e.type === 'persist');
    expect(persistAt).toBeGreaterThanOrEqual(0);
    expect(voter.disk).toMatch(/sentinel leader-epoch mymaster 7/);
    expect(voter.disk).toMatch(/sentinel current-epoch 7/);
    w.killSentinel(voter);
    w.restartSentinel(voter);
    // Only the leader epoch is persisted (as in the reference), so after a restart the answer in epoch 7 names no
    // leader — but it must not grant a second vote in an epoch it already voted in.
    const r2 = isMasterDownByAddr(voter.core, w.q.now, m.addr.ip, String(m.addr.port), '7', cand2);
    expect(r2.value).toEqual({ down: false, leader: null, leaderEpoch: 7 });
    expect(r2.effects.some((e) => e.type === 'event' && e.event.type === '+vote-for-leader')).toBe(false);
    const r3 = isMasterDownByAddr(voter.core, w.q.now, m.addr.ip, String(m.addr.port), '8', cand2);
    w.execEffects(voter, r3.effects);
    expect(r3.value).toEqual({ down: false, leader: cand2, leaderEpoch: 8 });
    expect(voter.disk).toMatch(/sentinel leader-epoch mymaster 8/);
  });

  it('epochs propagate by hellos: after a forced failover every sentinel has the same current and config epoch', () => {
    const w = new World({ seed: 41 });
    settle(w);
    const leader = w.sentinels[1]!;
    const r = failover(leader.core, w.q.now, 'mymaster', false);
    expect(r.error).toBeUndefined();
    w.execEffects(leader, r.effects);
    const old = w.node(0).addr;
    expect(w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== old), 10_000)).toBe(true);
    w.run(3000);
    const cur = new Set(w.sentinels.map((s) => s.core.state.currentEpoch));
    const cfg = new Set(w.sentinels.map((s) => s.core.state.masters.get('mymaster')!.configEpoch));
    expect([...cur]).toEqual([1]);
    expect([...cfg]).toEqual([1]);
    for (const s of w.sentinels) expect(s.disk).toMatch(/sentinel config-epoch mymaster 1/);
  });
});
