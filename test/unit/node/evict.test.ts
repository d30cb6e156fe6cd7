import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/clock.js';
import { seededRandom } from '../../../src/common/random.js';
import { DEFAULT_NODE_OWN_CONFIG, type NodeOwnConfig } from '../../../src/node/config/node-config.js';
import { estimateBytes, Evictor } from '../../../src/node/evict.js';
import { Keyspace } from '../../../src/node/keyspace/keyspace.js';

/** A gauge whose usage is the sum of estimated key sizes (what the evictor frees is exactly what it counts). */
function setup(policy: NodeOwnConfig['maxmemoryPolicy'], keys: number) {
  const clock = new ManualClock();
  const ks = new Keyspace({ databases: 2, clock });
  ks.setLruTracking(true);
  const cfg: NodeOwnConfig = { ...DEFAULT_NODE_OWN_CONFIG, maxmemoryPolicy: policy, maxmemorySamples: 10 };
  let used = 0;
  const emitted: string[] = [];
  for (let i = 0; i < keys; i++) {
    const db = ks.db(i % 2);
    ks.lruClock = i; // key i last used at time i
    db.set(`k${i}`, 'v'.repeat(100));
    used += estimateBytes(`k${i}`, 'v'.repeat(100));
    if (i % 4 === 0) db.setExpire(`k${i}`, clock.now() + 1_000_000 + i);
  }
  ks.lruClock = keys;
  const ev = new Evictor({
    ks,
    random: seededRandom(3),
    config: () => cfg,
    meter: { used: () => used, noteFreed: (b) => (used -= b) },
    emit: (db, argv) => emitted.push(`${db} ${argv.join(' ')}`),
    monotonic: () => clock.monotonic(),
  });
  return { ks, cfg, ev, emitted, used: () => used };
}

describe('Evictor', () => {
  it('does nothing under the limit; noeviction fails above it', () => {
    const s = setup('noeviction', 100);
    s.cfg.maxmemory = s.used() + 1;
    expect(s.ev.perform()).toBe('ok');
    s.cfg.maxmemory = s.used() - 1000;
    expect(s.ev.perform()).toBe('fail');
    expect(s.ks.totalKeys()).toBe(100);
  });

  it('allkeys-lru evicts until under the limit, oldest-used keys first, each propagated as DEL', () => {
    const s = setup('allkeys-lru', 2000);
    s.cfg.maxmemory = Math.floor(s.used() * 0.75);
    expect(s.ev.perform()).toBe('ok');
    expect(s.used()).toBeLessThanOrEqual(s.cfg.maxmemory);
    const evicted = s.emitted.length;
    expect(evicted).toBeGreaterThan(0);
    expect(s.ks.stats.evictedKeys).toBe(evicted);
    expect(s.emitted.every((e) => / DEL k\d+$/.test(e))).toBe(true);
    // sampled LRU: the evicted keys are mostly from the older part of the key space
    const ages = s.emitted.map((e) => Number(/k(\d+)$/.exec(e)![1]));
    const mean = ages.reduce((a, b) => a + b, 0) / ages.length;
    expect(mean).toBeLessThan(1000);
  });

  it('volatile-ttl evicts only keys with a TTL, nearest expiry first; fails when none is left', () => {
    const s = setup('volatile-ttl', 400);
    s.cfg.maxmemory = s.used() - 2000;
    expect(s.ev.perform()).toBe('ok');
    expect(s.emitted.every((e) => Number(/k(\d+)$/.exec(e)![1]) % 4 === 0)).toBe(true);
    s.cfg.maxmemory = 0.5;
    expect(s.ev.perform()).toBe('running');
    expect(s.ks.dbs.every((d) => d.expires.size === 0)).toBe(true);
    expect(s.ev.perform()).toBe('fail');
  });

  it('allkeys-random and lazyfree-lazy-eviction (UNLINK)', () => {
    const s = setup('allkeys-random', 300);
    s.cfg.lazyfreeLazyEviction = true;
    s.cfg.maxmemory = s.used() / 2;
    expect(s.ev.perform()).toBe('ok');
    expect(s.emitted.every((e) => e.includes(' UNLINK '))).toBe(true);
  });
});
