import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { ReplicationHistory } from '../../../../src/node/replication/history.js';
import { ReplicaFeeder } from '../../../../src/node/replication/primary/feeder.js';
import { FullSyncs, type ChunkSink, type RunningSnapshot, type SyncConnection } from '../../../../src/node/replication/primary/full-sync.js';
import { emptyReplconf, type ReplconfInfo } from '../../../../src/node/replication/primary/replica-records.js';

class FakeConn implements SyncConnection {
  out: Buffer[] = [];
  closed: string | null = null;
  constructor(
    readonly id: number,
    readonly peerIp = '127.0.0.1',
  ) {}
  write(data: Buffer): void {
    this.out.push(Buffer.from(data));
  }
  close(reason: string): void {
    this.closed = reason;
  }
  backpressure(): Promise<void> | null {
    return null;
  }
  text(): string {
    return Buffer.concat(this.out).toString('latin1');
  }
}

/** A snapshot producer the test completes by hand; it records the aux it was started with. */
class ManualSnapshots {
  runs: { aux: { streamDb: number; replId: string; offset: number }; sink: ChunkSink; finish: () => void; fail: (e: Error) => void }[] = [];
  start(aux: { streamDb: number; replId: string; offset: number }, sink: ChunkSink): RunningSnapshot {
    let finish!: () => void;
    let fail!: (e: Error) => void;
    const done = new Promise<void>((res, rej) => {
      finish = res;
      fail = rej;
    });
    this.runs.push({ aux, sink, finish, fail });
    return { done, abort: () => fail(new Error('aborted')) };
  }
}

function setup(opts: { diskless?: boolean; delay?: number; maxReplicas?: number } = {}) {
  let now = 0;
  const history = new ReplicationHistory(seededRandom(1));
  history.createBacklogForFirstReplica(1 << 20);
  const queue: (() => void)[] = [];
  const feeder = new ReplicaFeeder(history, { schedule: (fn) => queue.push(fn), now: () => now, heldLimit: () => 0 });
  const snaps = new ManualSnapshots();
  let resets = 0;
  const syncs = new FullSyncs({
    feeder,
    snapshots: snaps,
    position: () => ({ replid: history.replid, offset: history.masterReplOffset }),
    streamDb: () => 0,
    resetStreamDb: () => resets++,
    disklessSync: () => opts.diskless ?? false,
    disklessDelaySec: () => opts.delay ?? 0,
    disklessMaxReplicas: () => opts.maxReplicas ?? 0,
    now: () => now,
    random: () => 'm'.repeat(40),
    log: () => {},
  });
  const conf = (eof: boolean): ReplconfInfo => ({ ...emptyReplconf(), listeningPort: 6380, capaEof: eof, capaPsync2: true });
  return {
    history,
    feeder,
    snaps,
    syncs,
    conf,
    resets: () => resets,
    advance: (ms: number) => (now += ms),
    runQueued: () => queue.splice(0).forEach((f) => f()),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('full sync on the master', () => {
  it('disk framing: +FULLRESYNC at snapshot start, keepalives, $len payload, then the stream written meanwhile', async () => {
    const s = setup();
    s.history.append(Buffer.from('x'.repeat(10))); // offset 10 before the replica arrives
    const c = new FakeConn(1);
    s.syncs.begin(c, s.conf(true), { psync: true, rdbOnly: false });
    expect(c.text()).toBe(`+FULLRESYNC ${s.history.replid} 10\r\n`);
    expect(s.snaps.runs[0]!.aux).toEqual({ streamDb: 0, replId: s.history.replid, offset: 10 });
    expect(s.resets()).toBe(1);
    expect(s.feeder.record(1)!.state).toBe('wait_bgsave');
    s.snaps.runs[0]!.sink.write(Buffer.from('REDIS0010'));
    s.feeder.feed(Buffer.from('*1\r\n$4\r\nping\r\n'));
    s.runQueued();
    s.syncs.cron();
    s.snaps.runs[0]!.sink.write(Buffer.from('<rest>'));
    s.snaps.runs[0]!.finish();
    await tick();
    expect(c.text()).toBe(`+FULLRESYNC ${s.history.replid} 10\r\n\n$15\r\nREDIS0010<rest>*1\r\n$4\r\nping\r\n`);
    expect(s.feeder.record(1)!.state).toBe('online');
    s.feeder.feed(Buffer.from('live'));
    s.runQueued();
    expect(c.text().endsWith('live')).toBe(true);
  });

  it('a second replica joins the running snapshot: same offset, stream since then from the backlog', async () => {
    const s = setup();
    const a = new FakeConn(1);
    const b = new FakeConn(2);
    s.syncs.begin(a, s.conf(false), { psync: true, rdbOnly: false });
    s.feeder.feed(Buffer.from('AAA'));
    s.runQueued();
    s.syncs.begin(b, s.conf(false), { psync: true, rdbOnly: false });
    s.feeder.feed(Buffer.from('BBB'));
    s.runQueued();
    expect(s.snaps.runs).toHaveLength(1);
    s.snaps.runs[0]!.sink.write(Buffer.from('RDB'));
    s.snaps.runs[0]!.finish();
    await tick();
    const line = `+FULLRESYNC ${s.history.replid} 0\r\n`;
    expect(a.text()).toBe(`${line}$3\r\nRDBAAABBB`);
    expect(b.text()).toBe(`${line}$3\r\nRDBAAABBB`);
  });

  it('SYNC (no PSYNC) gets no +FULLRESYNC line; rdb-only connections are closed after the payload', async () => {
    const s = setup();
    const c = new FakeConn(1);
    s.syncs.begin(c, s.conf(false), { psync: false, rdbOnly: true });
    s.snaps.runs[0]!.sink.write(Buffer.from('RDB'));
    s.snaps.runs[0]!.finish();
    await tick();
    expect(c.text()).toBe('$3\r\nRDB');
    expect(c.closed).toBe('rdb-only transfer complete');
    expect(s.feeder.count).toBe(0);
  });

  it('diskless: waits the delay with keepalives, streams $EOF framing, holds the stream until the first ACK', async () => {
    const s = setup({ diskless: true, delay: 5 });
    const c = new FakeConn(1);
    s.syncs.begin(c, s.conf(true), { psync: true, rdbOnly: false });
    s.feeder.feed(Buffer.from('before')); // not fed: the snapshot has not started
    s.runQueued();
    for (let i = 0; i < 4; i++) {
      s.advance(1000);
      s.syncs.cron();
    }
    expect(c.text()).toBe('\n\n\n\n');
    expect(s.snaps.runs).toHaveLength(0);
    s.advance(1000);
    s.syncs.cron();
    expect(s.snaps.runs).toHaveLength(1);
    const off = s.history.masterReplOffset;
    expect(c.text()).toBe(`\n\n\n\n\n+FULLRESYNC ${s.history.replid} ${off}\r\n$EOF:${'m'.repeat(40)}\r\n`);
    s.snaps.runs[0]!.sink.write(Buffer.from('RDB'));
    s.feeder.feed(Buffer.from('during'));
    s.runQueued();
    s.snaps.runs[0]!.finish();
    await tick();
    expect(c.text().endsWith(`RDB${'m'.repeat(40)}`)).toBe(true);
    expect(s.feeder.record(1)!.state).toBe('online');
    s.feeder.feed(Buffer.from('after'));
    s.runQueued();
    expect(c.text().endsWith(`RDB${'m'.repeat(40)}`)).toBe(true); // still held
    s.feeder.ack(1, off);
    expect(c.text().endsWith(`RDB${'m'.repeat(40)}duringafter`)).toBe(true);
  });

  it('diskless: any interaction from a waiting replica restarts the delay (a replica ACKing every second never syncs)', () => {
    const s = setup({ diskless: true, delay: 2 });
    const c = new FakeConn(1);
    s.syncs.begin(c, s.conf(true), { psync: true, rdbOnly: false });
    for (let i = 0; i < 5; i++) {
      s.advance(1000);
      s.syncs.interaction(1);
      s.syncs.cron();
    }
    expect(s.snaps.runs).toHaveLength(0);
    s.advance(2000);
    s.syncs.cron();
    expect(s.snaps.runs).toHaveLength(1);
  });

  it('diskless: starts early when max-replicas are waiting; replicas without capa eof get disk framing', () => {
    const s = setup({ diskless: true, delay: 60, maxReplicas: 2 });
    s.syncs.begin(new FakeConn(1), s.conf(true), { psync: true, rdbOnly: false });
    s.syncs.cron();
    expect(s.snaps.runs).toHaveLength(0);
    s.syncs.begin(new FakeConn(2), s.conf(true), { psync: true, rdbOnly: false });
    s.syncs.cron();
    expect(s.snaps.runs).toHaveLength(1);
    const old = new FakeConn(3);
    s.syncs.begin(old, s.conf(false), { psync: true, rdbOnly: false });
    expect(s.snaps.runs).toHaveLength(2);
  });

  it('a failed snapshot drops its replicas; a vanished replica aborts a snapshot nobody needs', async () => {
    const s = setup();
    const c = new FakeConn(1);
    s.syncs.begin(c, s.conf(false), { psync: true, rdbOnly: false });
    s.snaps.runs[0]!.fail(new Error('boom'));
    await tick();
    expect(c.closed).toContain('boom');
    const d = new FakeConn(2);
    s.syncs.begin(d, s.conf(false), { psync: true, rdbOnly: false });
    s.feeder.detach(2);
    s.syncs.forget(2);
    expect(s.syncs.inProgress).toBe(false);
  });
});
