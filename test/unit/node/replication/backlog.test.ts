import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { Backlog } from '../../../../src/node/replication/primary/backlog.js';

/** Slow reference: the whole stream in one buffer. */
class Reference {
  bytes: Buffer = Buffer.alloc(0);
  constructor(
    readonly size: number,
    readonly start: number,
  ) {}
  append(b: Buffer): void {
    this.bytes = Buffer.concat([this.bytes, b]);
  }
  get end(): number {
    return this.start + this.bytes.length;
  }
  get histlen(): number {
    return Math.min(this.size, this.bytes.length);
  }
  get first(): number {
    return this.end - this.histlen + 1;
  }
  from(off: number): Buffer {
    return this.bytes.subarray(off - this.start - 1);
  }
}

describe('Backlog', () => {
  it('starts empty right after the creation offset', () => {
    const b = new Backlog(1024 * 1024, 1467);
    expect(b.firstByteOffset).toBe(1468);
    expect(b.histlen).toBe(0);
    expect(b.endOffset).toBe(1467);
    expect(b.covers(1468)).toBe(true);
    expect(b.covers(1467)).toBe(false);
    expect(b.bytesFrom(1468)).toEqual(Buffer.alloc(0));
  });

  it('serves from any held offset and refuses outside [first, end+1]', () => {
    const b = new Backlog(16, 0);
    b.append(Buffer.from('abcdefghij'));
    expect(b.firstByteOffset).toBe(1);
    expect(b.bytesFrom(1)?.toString()).toBe('abcdefghij');
    expect(b.bytesFrom(8)?.toString()).toBe('hij');
    expect(b.bytesFrom(11)?.toString()).toBe('');
    expect(b.bytesFrom(12)).toBeNull();
    b.append(Buffer.from('klmnopqrst')); // 20 bytes through a 16-byte ring
    expect(b.histlen).toBe(16);
    expect(b.firstByteOffset).toBe(5);
    expect(b.bytesFrom(4)).toBeNull();
    expect(b.bytesFrom(5)?.toString()).toBe('efghijklmnopqrst');
    expect(b.bytesFrom(19)?.toString()).toBe('st');
  });

  it('keeps only the tail of a write larger than the ring', () => {
    const b = new Backlog(4, 100);
    b.append(Buffer.from('0123456789'));
    expect(b.endOffset).toBe(110);
    expect(b.firstByteOffset).toBe(107);
    expect(b.bytesFrom(107)?.toString()).toBe('6789');
  });

  it('matches a reference across growth, wrap-around and resizes (seeded)', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const r = seededRandom(seed);
      let size = 1 + r.int(200_000);
      const start = r.int(1000);
      const b = new Backlog(size, start);
      let ref = new Reference(size, start);
      for (let step = 0; step < 120; step++) {
        if (r.int(40) === 0) {
          size = 1 + r.int(200_000);
          b.resize(size);
          const kept = ref.bytes.subarray(ref.bytes.length - Math.min(ref.histlen, size));
          const nref = new Reference(size, ref.end - kept.length);
          nref.bytes = kept;
          ref = nref;
        }
        const len = r.int(r.int(10) === 0 ? 100_000 : 3000);
        const chunk = Buffer.alloc(len, step & 0xff);
        for (let i = 0; i < len; i += 1 + r.int(64)) chunk[i] = r.int(256);
        b.append(chunk);
        ref.append(chunk);
        expect(b.endOffset, `seed ${seed}`).toBe(ref.end);
        expect(b.histlen, `seed ${seed}`).toBe(ref.histlen);
        expect(b.firstByteOffset, `seed ${seed}`).toBe(ref.first);
        const probe = ref.first + r.int(ref.histlen + 1);
        expect(b.bytesFrom(probe)!.equals(ref.from(probe)), `seed ${seed} step ${step}`).toBe(true);
        expect(b.bytesFrom(ref.first - 1)).toBeNull();
      }
    }
  });
});
