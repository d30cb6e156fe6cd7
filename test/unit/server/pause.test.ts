import { describe, expect, it } from 'vitest';
import { PauseState } from '../../../src/server/pause.js';

describe('client pause (pauseClients / unpauseClients)', () => {
  it('the most restrictive purpose wins; WRITE postpones only write-like commands', () => {
    const p = new PauseState();
    expect(p.mode).toBeNull();
    p.pause('failover', 'write', 1000);
    expect(p.postpones(true)).toBe(true);
    expect(p.postpones(false)).toBe(false);
    p.pause('client-pause', 'all', 500);
    expect(p.mode).toBe('all');
    expect(p.postpones(false)).toBe(true);
    expect(p.nextExpiry).toBe(500);
  });

  it('a purpose keeps its stricter mode and later end when paused again', () => {
    const p = new PauseState();
    p.pause('client-pause', 'all', 100);
    p.pause('client-pause', 'write', 50);
    expect(p.mode).toBe('all');
    expect(p.nextExpiry).toBe(100);
  });

  it('parked clients resume when the pause relaxes, not while it stays as strict', () => {
    const p = new PauseState();
    const resumed: string[] = [];
    p.pause('client-pause', 'all', Infinity);
    p.pause('shutdown', 'all', Infinity);
    p.park(() => resumed.push('a'));
    p.unpause('shutdown');
    expect(resumed).toEqual([]);
    p.pause('failover', 'write', Infinity);
    p.unpause('client-pause');
    expect(resumed).toEqual(['a']);
    expect(p.mode).toBe('write');
  });

  it('expire() drops elapsed pauses', () => {
    const p = new PauseState();
    p.pause('client-pause', 'write', 100);
    expect(p.expire(99)).toBe(false);
    expect(p.expire(100)).toBe(true);
    expect(p.mode).toBeNull();
    expect(p.nextExpiry).toBe(Infinity);
  });
});
