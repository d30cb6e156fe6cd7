import { expect } from 'vitest';
import type { SimSentinel, World } from './world.js';

/** Wait until every live sentinel knows `replicas` replicas and all other sentinels. */
export function settle(w: World, replicas = w.opts.replicas, limit = 20_000): void {
  const ok = w.runUntil(
    () =>
      w.sentinels.every((s) => {
        if (!s.alive) return true;
        const m = s.core.state.masters.get('mymaster');
        if (m === undefined || m.replicas.size < replicas) return false;
        return w.sentinels.every((o) => o === s || !o.alive || m.sentinels.has(o.core.state.myid));
      }),
    limit,
  );
  expect(ok, `seed ${w.opts.seed}: discovery did not settle`).toBe(true);
}

export function leaderOf(w: World): SimSentinel[] {
  return w.sentinels.filter((s) => s.events('+elected-leader').length > 0);
}

export function firstTime(s: SimSentinel, type: string, after = -Infinity): number | undefined {
  return s.trace.find((e) => e.type === type && e.t >= after)?.t;
}
