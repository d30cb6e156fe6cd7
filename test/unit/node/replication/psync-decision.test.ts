import { describe, expect, it } from 'vitest';
import type { HistorySnapshot } from '../../../../src/node/replication/history.js';
import { continueLine, decidePsync, fullResyncLine } from '../../../../src/node/replication/primary/psync-decision.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);

function hist(over: Partial<HistorySnapshot> = {}): HistorySnapshot {
  return {
    replid: A,
    replid2: Z,
    secondReplOffset: -1,
    masterReplOffset: 1000,
    backlog: { firstByteOffset: 1, histlen: 1000, size: 1 << 20 },
    ...over,
  };
}

describe('decidePsync (masterTryPartialResynchronization)', () => {
  it('continues on our replid anywhere inside the backlog, through end+1 (nothing missing)', () => {
    expect(decidePsync(A, 1, hist())).toEqual({ kind: 'continue', fromOffset: 1, bytes: 1000 });
    expect(decidePsync(A, 990, hist())).toEqual({ kind: 'continue', fromOffset: 990, bytes: 11 });
    expect(decidePsync(A, 1001, hist())).toEqual({ kind: 'continue', fromOffset: 1001, bytes: 0 });
  });

  it('is case-insensitive on ids', () => {
    expect(decidePsync(A.toUpperCase(), 5, hist()).kind).toBe('continue');
  });

  it('full-syncs past the end (observed: off = master_offset + 100) and before the backlog', () => {
    expect(decidePsync(A, 1002, hist())).toEqual({ kind: 'full', reason: 'out-of-range' });
    expect(decidePsync(A, 1100, hist()).kind).toBe('full');
    const h = hist({ backlog: { firstByteOffset: 500, histlen: 501, size: 501 } });
    expect(decidePsync(A, 499, h)).toEqual({ kind: 'full', reason: 'out-of-range' });
    expect(decidePsync(A, 500, h).kind).toBe('continue');
  });

  it('never matches "?" and needs a backlog', () => {
    expect(decidePsync('?', -1, hist())).toEqual({ kind: 'full', reason: 'history' });
    expect(decidePsync(A, 1, hist({ backlog: null }))).toEqual({ kind: 'full', reason: 'no-backlog' });
  });

  it('serves replid2 only up to second_repl_offset', () => {
    const h = hist({ replid: B, replid2: A, secondReplOffset: 900 });
    expect(decidePsync(A, 900, h)).toEqual({ kind: 'continue', fromOffset: 900, bytes: 101 });
    expect(decidePsync(A, 901, h)).toEqual({ kind: 'full', reason: 'history' });
    expect(decidePsync(B, 1001, h).kind).toBe('continue');
    // an all-zero replid2 is not a wildcard for a zero id either, when second offset is -1
    expect(decidePsync(Z, 0, hist()).kind).toBe('full');
  });

  it('formats the reply lines', () => {
    expect(continueLine(A, true)).toBe(`+CONTINUE ${A}\r\n`);
    expect(continueLine(A, false)).toBe('+CONTINUE\r\n');
    expect(fullResyncLine(A, 1467)).toBe(`+FULLRESYNC ${A} 1467\r\n`);
  });
});
