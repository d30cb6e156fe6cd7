import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { ReplicationHistory } from '../../../../src/node/replication/history.js';

const ZERO = '0'.repeat(40);

describe('ReplicationHistory', () => {
  it('starts with a random 40-hex id, no replid2, offset 0, no backlog; nothing is counted without a backlog', () => {
    const h = new ReplicationHistory(seededRandom(7));
    expect(h.replid).toMatch(/^[0-9a-f]{40}$/);
    expect(h.replid2).toBe(ZERO);
    expect(h.secondReplOffset).toBe(-1);
    expect(h.append(Buffer.from('xyz'))).toBe(false);
    expect(h.masterReplOffset).toBe(0);
  });

  it('first replica: new id, backlog right after the current offset (offset not reset)', () => {
    const h = new ReplicationHistory(seededRandom(7));
    h.masterReplOffset = 50;
    const before = h.replid;
    h.createBacklogForFirstReplica(1 << 20);
    expect(h.replid).not.toBe(before);
    expect(h.snapshot().backlog).toEqual({ firstByteOffset: 51, histlen: 0, size: 1 << 20 });
    h.append(Buffer.from('*1\r\n$4\r\nping\r\n'));
    expect(h.masterReplOffset).toBe(64);
    expect(h.snapshot().backlog?.histlen).toBe(14);
  });

  it('promotion shifts the id and keeps the offset (observed: second_repl_offset = offset + 1)', () => {
    const h = new ReplicationHistory(seededRandom(9));
    h.createBacklog(1 << 20);
    h.append(Buffer.alloc(1899));
    const old = h.replid;
    h.shiftReplid();
    expect(h.replid2).toBe(old);
    expect(h.secondReplOffset).toBe(1900);
    expect(h.masterReplOffset).toBe(1899);
    expect(h.replid).not.toBe(old);
  });

  it('a replica adopts the master history after a full sync with a fresh empty backlog', () => {
    const h = new ReplicationHistory(seededRandom(9));
    h.replid2 = 'c'.repeat(40);
    h.secondReplOffset = 5;
    h.adoptMasterHistory('b'.repeat(40), 1467, 1 << 20);
    expect(h.snapshot()).toEqual({
      replid: 'b'.repeat(40),
      replid2: ZERO,
      secondReplOffset: -1,
      masterReplOffset: 1467,
      backlog: { firstByteOffset: 1468, histlen: 0, size: 1 << 20 },
    });
  });

  it('+CONTINUE with a new id keeps the old one as replid2 up to offset + 1', () => {
    const h = new ReplicationHistory(seededRandom(9));
    h.adoptMasterHistory('a'.repeat(40), 1184, 1 << 20);
    h.switchToMasterReplid('b'.repeat(40));
    expect(h.replid).toBe('b'.repeat(40));
    expect(h.replid2).toBe('a'.repeat(40));
    expect(h.secondReplOffset).toBe(1185);
  });

  it('restart as master from an RDB with repl info keeps the saved id servable', () => {
    const h = new ReplicationHistory(seededRandom(3));
    h.restoreAsMaster('a'.repeat(40), 700, 1 << 20);
    expect(h.replid).not.toBe('a'.repeat(40));
    expect(h.replid2).toBe('a'.repeat(40));
    expect(h.secondReplOffset).toBe(701);
    expect(h.snapshot().backlog).toEqual({ firstByteOffset: 701, histlen: 0, size: 1 << 20 });
  });

  it('backlog TTL expiry frees the backlog and changes the id', () => {
    const h = new ReplicationHistory(seededRandom(3));
    h.createBacklog(1 << 20);
    h.shiftReplid();
    const id = h.replid;
    h.expireBacklog();
    expect(h.backlog).toBeNull();
    expect(h.replid).not.toBe(id);
    expect(h.replid2).toBe(ZERO);
  });
});
