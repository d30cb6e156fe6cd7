import { describe, expect, it } from 'vitest';
import { isMasterDownByAddr } from '../../src/sentinel/core/admin.js';
import { settle } from './harness/scenarios.js';
import { types, World } from './harness/world.js';

describe('TILT', () => {
  it('a 3 s stall enters TILT; in TILT the sentinel neither declares SDOWN nor answers down=1, and exits after tilt-period', () => {
    const w = new World({ seed: 201, timing: { tiltPeriod: 5000 } });
    settle(w);
    const s = w.sentinels[0]!;
    w.stall(s, 3000);
    w.run(3100);
    expect(types(s.trace)).toContain('+tilt');
    expect(s.core.state.tilt).toBe(true);
    expect(s.logs.some((l) => l.startsWith('TILT:'))).toBe(true);
    // the master dies while s is in TILT
    const old = w.node(0);
    w.killNode(old);
    w.run(1500);
    expect(s.events('+sdown')).toEqual([]);
    const ask = isMasterDownByAddr(s.core, w.q.now, old.host, String(old.port), '0', '*');
    expect(ask.value?.down).toBe(false);
    expect(s.events('+try-failover')).toEqual([]);
    // the two others still reach ODOWN (2 of them, quorum 2) and fail over
    expect(w.runUntil(() => w.masterAddr(w.sentinels[1]!) !== old.addr, 10_000)).toBe(true);
    // the tilted sentinel still processes hellos: it learns the new master while in TILT
    expect(w.runUntil(() => w.masterAddr(s) !== old.addr, 5000)).toBe(true);
    w.run(6000);
    expect(types(s.trace)).toContain('-tilt');
    expect(s.core.state.tilt).toBe(false);
  });
});
