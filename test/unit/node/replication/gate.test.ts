import { describe, expect, it } from 'vitest';
import { replicationGate, type GateState } from '../../../../src/node/replication/gate.js';

const master: GateState = { isReplica: false, linkUp: false, readOnly: true, serveStaleData: true, notEnoughGoodReplicas: false };
const replica: GateState = { ...master, isReplica: true, linkUp: true };

describe('replicationGate (processCommand order)', () => {
  it('-NOREPLICAS for writes (and EXEC of writes) on a master short of good replicas', () => {
    const s = { ...master, notEnoughGoodReplicas: true };
    expect(replicationGate(s, { flags: ['write', 'denyoom'], fromMaster: false })).toBe('NOREPLICAS Not enough good replicas to write.');
    expect(replicationGate(s, { flags: ['readonly'], fromMaster: false })).toBeNull();
    expect(replicationGate(s, { flags: ['noscript', 'loading', 'stale'], queued: [['readonly'], ['write']], fromMaster: false })).toBe(
      'NOREPLICAS Not enough good replicas to write.',
    );
  });

  it('-READONLY for client writes on a read-only replica, never for the master stream', () => {
    expect(replicationGate(replica, { flags: ['write'], fromMaster: false })).toBe("READONLY You can't write against a read only replica.");
    expect(replicationGate(replica, { flags: ['write'], fromMaster: true })).toBeNull();
    expect(replicationGate({ ...replica, readOnly: false }, { flags: ['write'], fromMaster: false })).toBeNull();
  });

  it('-MASTERDOWN for non-stale commands (PING included) while the link is down and serve-stale-data is no', () => {
    const s = { ...replica, linkUp: false, serveStaleData: false };
    const MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
    expect(replicationGate(s, { flags: ['fast'], fromMaster: false })).toBe(MASTERDOWN); // PING
    expect(replicationGate(s, { flags: ['loading', 'stale'], fromMaster: false })).toBeNull(); // INFO
    expect(replicationGate(s, { flags: ['loading', 'stale'], queued: [['readonly', 'fast']], fromMaster: false })).toBe(MASTERDOWN);
    expect(replicationGate({ ...s, serveStaleData: true }, { flags: ['fast'], fromMaster: false })).toBeNull();
    expect(replicationGate({ ...s, linkUp: true }, { flags: ['fast'], fromMaster: false })).toBeNull();
  });

  it("a replica connection may not touch the keyspace (Replica can't interact with the keyspace)", () => {
    const e = "ERR Replica can't interact with the keyspace";
    expect(replicationGate(master, { flags: ['readonly', 'fast'], fromMaster: false, fromReplica: true })).toBe(e);
    expect(replicationGate(master, { flags: ['pubsub', 'may_replicate'], fromMaster: false, fromReplica: true })).toBe(e);
    expect(replicationGate(master, { flags: ['admin', 'noscript', 'loading', 'stale'], fromMaster: false, fromReplica: true })).toBeNull();
  });
});
