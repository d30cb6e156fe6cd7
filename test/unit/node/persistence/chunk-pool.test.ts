import { describe, expect, it } from 'vitest';
import { ChunkPool } from '../../../../src/node/persistence/chunk-pool.js';

describe('ChunkPool', () => {
  it('hands a chunk out again only after it was given back', () => {
    const pool = new ChunkPool(64, 4);
    const a = pool.take();
    const b = pool.take();
    expect(a.length).toBe(64);
    expect(a.buffer).not.toBe(b.buffer);
    pool.give(a.subarray(0, 10)); // a view of the chunk gives back the whole chunk
    expect(pool.freeCount).toBe(1);
    const c = pool.take();
    expect(c.buffer).toBe(a.buffer);
    expect(c.length).toBe(64);
    expect(pool.take().buffer).not.toBe(b.buffer);
  });

  it('ignores buffers it did not hand out, and a chunk given back twice', () => {
    const pool = new ChunkPool(64, 4);
    pool.give(Buffer.alloc(64));
    pool.give(Buffer.from('trailer!'));
    expect(pool.freeCount).toBe(0);
    const a = pool.take();
    pool.give(a);
    pool.give(a);
    expect(pool.freeCount).toBe(1);
    const x = pool.take();
    const y = pool.take();
    expect(x.buffer).not.toBe(y.buffer);
  });

  it('keeps at most maxFree chunks for reuse', () => {
    const pool = new ChunkPool(16, 2);
    const out = [pool.take(), pool.take(), pool.take()];
    for (const c of out) pool.give(c);
    expect(pool.freeCount).toBe(2);
  });
});
