import { describe, expect, it } from 'vitest';
import {
  allReplicasAt,
  countAcked,
  countGoodReplicas,
  emptyReplconf,
  findReplica,
  minReplicasActive,
  normalizePeerIp,
  recordAck,
  replicaViews,
  timedOutReplicas,
  type ReplicaRecord,
} from '../../../../src/node/replication/primary/replica-records.js';

function rec(id: number, over: Partial<ReplicaRecord> = {}, port = 7000 + id): ReplicaRecord {
  return {
    id,
    peerIp: '127.0.0.1',
    conf: { ...emptyReplconf(), listeningPort: port },
    state: 'online',
    ackOffset: 0,
    ackTime: 0,
    preSync: false,
    ...over,
  };
}

describe('replica bookkeeping on the master', () => {
  it('strips the IPv4-mapped prefix Node reports on dual-stack sockets', () => {
    expect(normalizePeerIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizePeerIp('::1')).toBe('::1');
    expect(normalizePeerIp('10.1.2.3')).toBe('10.1.2.3');
  });

  it('ACKs keep the largest offset and always refresh the time', () => {
    const r = rec(1);
    recordAck(r, 100, 5000);
    recordAck(r, 90, 6000);
    expect(r.ackOffset).toBe(100);
    expect(r.ackTime).toBe(6000);
  });

  it('good replicas: online and acked within max-lag seconds; active only with both settings non-zero', () => {
    const rs = [rec(1, { ackTime: 0 }), rec(2, { ackTime: 9_000 }), rec(3, { state: 'wait_bgsave', ackTime: 20_000 })];
    expect(countGoodReplicas(rs, 19_999, 10)).toBe(1);
    expect(countGoodReplicas(rs, 20_000, 10)).toBe(0);
    expect(countGoodReplicas(rs, 10_999, 10)).toBe(2);
    expect(minReplicasActive(1, 10)).toBe(true);
    expect(minReplicasActive(0, 10)).toBe(false);
    expect(minReplicasActive(1, 0)).toBe(false);
  });

  it('WAIT counts online replicas at or past the offset', () => {
    const rs = [rec(1, { ackOffset: 50 }), rec(2, { ackOffset: 100 }), rec(3, { ackOffset: 500, state: 'send_bulk' })];
    expect(countAcked(rs, 0)).toBe(2);
    expect(countAcked(rs, 60)).toBe(1);
    expect(countAcked(rs, 101)).toBe(0);
  });

  it('times out only online PSYNC replicas silent for more than repl-timeout', () => {
    const rs = [rec(1, { ackTime: 0 }), rec(2, { ackTime: 0, preSync: true }), rec(3, { ackTime: 0, state: 'wait_bgsave' }), rec(4, { ackTime: 30_000 })];
    expect(timedOutReplicas(rs, 60_000, 60).map((r) => r.id)).toEqual([]);
    expect(timedOutReplicas(rs, 60_001, 60).map((r) => r.id)).toEqual([1]);
  });

  it('finds replicas by announced ip (else peer ip) and listening port', () => {
    const a = rec(1, { conf: { ...emptyReplconf(), listeningPort: 6380, announcedIp: '10.0.0.5' } });
    const b = rec(2, {}, 6381);
    expect(findReplica([a, b], '10.0.0.5', 6380)).toBe(a);
    expect(findReplica([a, b], '127.0.0.1', 6380)).toBeNull();
    expect(findReplica([a, b], '127.0.0.1', 6381)).toBe(b);
    expect(replicaViews([a, b], 2500).map((v) => `${v.ip}:${v.port}:${v.lagSeconds}`)).toEqual(['10.0.0.5:6380:2', '127.0.0.1:6381:2']);
  });

  it('SHUTDOWN/FAILOVER readiness needs every replica exactly at the offset', () => {
    expect(allReplicasAt([rec(1, { ackOffset: 10 }), rec(2, { ackOffset: 10 })], 10)).toBe(true);
    expect(allReplicasAt([rec(1, { ackOffset: 10 }), rec(2, { ackOffset: 11 })], 10)).toBe(false);
    expect(allReplicasAt([], 10)).toBe(true);
  });
});
