import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { parseCursor, parseScanOptions, ScanCursors } from '../../../../src/node/commands/scan.js';

describe('SCAN cursors', () => {
  it('a full iteration returns every element present throughout, despite concurrent inserts and deletes', () => {
    const seed = 7;
    const rnd = seededRandom(seed);
    const m = new Map<string, number>();
    for (let i = 0; i < 5000; i++) m.set(`k${i}`, i);
    const stable = new Set([...m.keys()].filter((_, i) => i % 3 === 0));
    const cursors = new ScanCursors();
    const seen = new Set<string>();
    let cursor = 0;
    let calls = 0;
    do {
      const r = cursors.step(m, () => m.keys(), cursor, 10);
      for (const k of r.items) seen.add(k);
      cursor = r.next;
      // churn: delete non-stable keys, add new ones
      for (let j = 0; j < 5; j++) {
        const victim = `k${rnd.int(5000)}`;
        if (!stable.has(victim)) m.delete(victim);
        m.set(`new${calls}-${j}`, 0);
      }
      calls++;
    } while (cursor !== 0 && calls < 100_000);
    expect(cursor).toBe(0);
    for (const k of stable) expect(seen.has(k), `seed ${seed}: ${k}`).toBe(true);
  });

  it('an unknown cursor restarts and skips the position encoded in it', () => {
    const m = new Map([...Array(100).keys()].map((i) => [`k${i}`, i]));
    const a = new ScanCursors();
    const first = a.step(m, () => m.keys(), 0, 30);
    const b = new ScanCursors(); // e.g. after the live iterator was evicted
    const rest = b.step(m, () => m.keys(), first.next, 1000);
    expect([...first.items, ...rest.items]).toEqual([...m.keys()]);
    expect(rest.next).toBe(0);
  });

  it('parses cursors as strtoul and options as Redis', () => {
    expect(parseCursor('0')).toBe(0);
    expect(parseCursor('+5')).toBe(5);
    expect(parseCursor('-1')).toBe(2 ** 64 - 1);
    expect(parseCursor('abc')).toBe('ERR invalid cursor');
    expect(parseCursor(' 1')).toBe('ERR invalid cursor');
    expect(parseCursor('18446744073709551616')).toBe('ERR invalid cursor');
    expect(parseScanOptions(['SCAN', '0', 'COUNT', '0'], 2, true)).toBe('ERR syntax error');
    expect(parseScanOptions(['SCAN', '0', 'COUNT', 'x'], 2, true)).toBe('ERR value is not an integer or out of range');
    expect(parseScanOptions(['HSCAN', 'h', '0', 'TYPE', 'string'], 3, false)).toBe('ERR syntax error');
    expect(parseScanOptions(['SCAN', '0', 'MATCH', '*', 'COUNT', '5', 'TYPE', 'hash'], 2, true)).toEqual({ count: 5, pattern: null, type: 'hash' });
  });
});
