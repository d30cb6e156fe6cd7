import { describe, expect, it } from 'vitest';
import { RespWriter } from '../../../../src/resp/writer.js';
import { replicationInfoSection, writeRole, type MasterLinkView, type ReplicationView } from '../../../../src/node/replication/info.js';
import { fixture } from './fixtures.js';

const ZERO = '0'.repeat(40);
const MB = 1048576;

function view(over: Partial<ReplicationView>): ReplicationView {
  return {
    master: null,
    priority: 100,
    readOnly: true,
    announced: true,
    replicas: [],
    goodReplicas: null,
    failoverState: 'no-failover',
    history: { replid: ZERO, replid2: ZERO, secondReplOffset: -1, masterReplOffset: 0, backlog: null },
    backlogSize: MB,
    ...over,
  };
}

function role(v: ReplicationView): Buffer {
  const w = new RespWriter();
  writeRole(w, v);
  return w.take()!;
}

const link = (over: Partial<MasterLinkView>): MasterLinkView => ({
  host: '127.0.0.1',
  port: 23100,
  roleState: 'connected',
  lastIoSecondsAgo: 0,
  readOffset: null,
  appliedOffset: null,
  liveOffset: -1,
  transfer: null,
  downSinceSeconds: -1,
  ...over,
});

/** Each view reproduces the state of one capture; the text must match it byte for byte. */
describe('INFO replication and ROLE match Redis 7.0.15 captures', () => {
  it('master with two online replicas', () => {
    const v = view({
      replicas: [
        { ip: '127.0.0.1', port: 23101, state: 'online', ackOffset: 403, lagSeconds: 1 },
        { ip: '127.0.0.1', port: 23102, state: 'online', ackOffset: 403, lagSeconds: 0 },
      ],
      history: {
        replid: '8797831f8590a099c5d79442d4964b730be7d02b',
        replid2: ZERO,
        secondReplOffset: -1,
        masterReplOffset: 403,
        backlog: { firstByteOffset: 1, histlen: 403, size: MB },
      },
    });
    expect(replicationInfoSection(v)).toBe(fixture('info/master-info-replication.txt').toString('latin1'));
    expect(role(v).equals(fixture('info/master-role.resp2.bin'))).toBe(true);
  });

  it('master while its only replica waits for the snapshot: listed in INFO, not in ROLE', () => {
    const v = view({
      replicas: [{ ip: '127.0.0.1', port: 23121, state: 'wait_bgsave', ackOffset: 0, lagSeconds: 7 }],
      history: {
        replid: '29d143a8ed68b19ec45af0b47bbe00ff3eeadf99',
        replid2: ZERO,
        secondReplOffset: -1,
        masterReplOffset: 0,
        backlog: { firstByteOffset: 1, histlen: 0, size: MB },
      },
    });
    expect(replicationInfoSection(v)).toBe(fixture('info/master-syncing-info-replication.txt').toString('latin1'));
    expect(role(v).equals(fixture('info/master-syncing-role.resp2.bin'))).toBe(true);
  });

  it('replica in sync', () => {
    const v = view({
      master: link({ lastIoSecondsAgo: 3, readOffset: 403, appliedOffset: 403, liveOffset: 403 }),
      history: {
        replid: '8797831f8590a099c5d79442d4964b730be7d02b',
        replid2: ZERO,
        secondReplOffset: -1,
        masterReplOffset: 403,
        backlog: { firstByteOffset: 404, histlen: 0, size: MB },
      },
    });
    expect(replicationInfoSection(v)).toBe(fixture('info/replica-info-replication.txt').toString('latin1'));
    expect(role(v).equals(fixture('info/replica-role.resp2.bin'))).toBe(true);
  });

  it('replica whose master is down', () => {
    const v = view({
      master: link({
        port: 23110,
        roleState: 'connect',
        lastIoSecondsAgo: -1,
        readOffset: 102,
        appliedOffset: 102,
        liveOffset: -1,
        downSinceSeconds: 4,
      }),
      history: {
        replid: '1199b1adc093d194e0664c5e730fd6916a0a1a3b',
        replid2: ZERO,
        secondReplOffset: -1,
        masterReplOffset: 102,
        backlog: { firstByteOffset: 103, histlen: 0, size: MB },
      },
    });
    expect(replicationInfoSection(v)).toBe(fixture('info/replica-linkdown-info-replication.txt').toString('latin1'));
    expect(role(v).equals(fixture('info/replica-linkdown-role.resp2.bin'))).toBe(true);
  });

  it('replica during its first full sync (EOF form: total 0, left negative, never up)', () => {
    const v = view({
      master: link({
        port: 23120,
        roleState: 'sync',
        lastIoSecondsAgo: -1,
        transfer: { totalBytes: 0, readBytes: 16338, lastIoSecondsAgo: 1 },
        downSinceSeconds: -1,
      }),
      history: {
        replid: 'bbfb47ab041657b65e352f42b44bc571fae2cd40',
        replid2: ZERO,
        secondReplOffset: -1,
        masterReplOffset: 0,
        backlog: null,
      },
    });
    expect(replicationInfoSection(v)).toBe(fixture('info/replica-syncing-info-replication.txt').toString('latin1'));
    expect(role(v).equals(fixture('info/replica-syncing-role.resp2.bin'))).toBe(true);
  });

  it('adds min_slaves_good_slaves after connected_slaves and prints sizes/percentages like printf', () => {
    const v = view({ goodReplicas: 0, failoverState: 'waiting-for-sync' });
    const text = replicationInfoSection(v);
    expect(text).toContain('connected_slaves:0\r\nmin_slaves_good_slaves:0\r\nmaster_failover_state:waiting-for-sync\r\n');
    const syncing = replicationInfoSection(
      view({ master: link({ roleState: 'sync', transfer: { totalBytes: -1, readBytes: 0, lastIoSecondsAgo: 0 } }) }),
    );
    expect(syncing).toContain('master_sync_total_bytes:-1\r\nmaster_sync_read_bytes:0\r\nmaster_sync_left_bytes:-1\r\nmaster_sync_perc:-0.00\r\n');
    const half = replicationInfoSection(
      view({ master: link({ roleState: 'sync', transfer: { totalBytes: 200, readBytes: 67, lastIoSecondsAgo: 0 } }) }),
    );
    expect(half).toContain('master_sync_perc:33.50\r\n');
  });

  it('lag is reported only for online replicas', () => {
    const text = replicationInfoSection(
      view({ replicas: [{ ip: '10.0.0.1', port: 0, state: 'send_bulk', ackOffset: 0, lagSeconds: 12 }] }),
    );
    expect(text).toContain('slave0:ip=10.0.0.1,port=0,state=send_bulk,offset=0,lag=0\r\n');
  });
});
