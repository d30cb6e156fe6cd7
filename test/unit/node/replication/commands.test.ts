/**
 * The replication commands over the service with fake ports: exact replies and errors of REPLCONF, PSYNC/SYNC,
 * REPLICAOF, WAIT, ROLE, FAILOVER; what the raw connection receives; and the master-side state they leave.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/common/clock.js';
import { seededRandom } from '../../../../src/common/random.js';
import { replicationCommands, type RawConnectionPort } from '../../../../src/node/replication/commands.js';
import { DEFAULT_REPLICATION_CONFIG, type ReplicationConfig } from '../../../../src/node/replication/config.js';
import type { ChunkSink, RunningSnapshot } from '../../../../src/node/replication/primary/full-sync.js';
import { ReplicationService } from '../../../../src/node/replication/service.js';
import { RespWriter } from '../../../../src/resp/writer.js';
import type { CommandContext, CommandSpec, Session } from '../../../../src/server/types.js';
import { fakeSession } from '../harness.js';

function setup(cfg: Partial<ReplicationConfig> = {}) {
  const clock = new ManualClock();
  const config: ReplicationConfig = { ...structuredClone(DEFAULT_REPLICATION_CONFIG), replDisklessSync: false, ...cfg };
  const queued: (() => void)[] = [];
  const snaps: { aux: { offset: number }; sink: ChunkSink; finish: () => void }[] = [];
  let paused = 0;
  const svc = new ReplicationService({
    clock,
    random: seededRandom(5),
    log: () => {},
    config: () => config,
    databases: 16,
    ownPort: () => 6379,
    snapshots: {
      start: (aux, sink): RunningSnapshot => {
        let finish!: () => void;
        const done = new Promise<void>((r) => (finish = r));
        snaps.push({ aux, sink, finish });
        return { done, abort: () => {} };
      },
    },
    dial: () => {
      throw new Error('no dialing in unit tests');
    },
    installDataset: () => {},
    openMasterClient: () => ({ id: -1, db: 0, run: () => {}, close: () => {} }),
    pauseWrites: () => void paused++,
    unpauseWrites: () => void paused--,
    writesPaused: () => paused > 0,
    schedule: (fn) => queued.push(fn),
  });
  const sent = new Map<number, Buffer[]>();
  const noReply = new Set<CommandContext>();
  const raw: RawConnectionPort = { noReply: (ctx) => void noReply.add(ctx), close: () => {}, backpressure: () => null };
  const specs = new Map<string, CommandSpec>(replicationCommands(svc, raw).map((s) => [s.name, s]));
  const session = (id: number): Session => {
    const s = fakeSession(id);
    (s as { send: (b: Buffer) => void }).send = (b) => {
      const l = sent.get(id) ?? [];
      l.push(Buffer.from(b));
      sent.set(id, l);
    };
    return s;
  };
  const run = async (s: Session, ...argv: string[]): Promise<string> => {
    const w = new RespWriter();
    const spec = specs.get(argv[0]!.toLowerCase())!;
    const ctx: CommandContext = { session: s, reply: w, command: spec };
    await spec.handler!(ctx, argv);
    return w.take()?.toString('latin1') ?? '';
  };
  const rawText = (id: number): string => Buffer.concat(sent.get(id) ?? []).toString('latin1');
  return { svc, clock, config, run, session, rawText, snaps, flush: () => queued.splice(0).forEach((f) => f()), paused: () => paused };
}

describe('REPLCONF', () => {
  it('stores listening-port/ip-address/capa and answers +OK; errors as replconfCommand', async () => {
    const t = setup();
    const s = t.session(1);
    expect(await t.run(s, 'REPLCONF', 'listening-port', '6380', 'capa', 'eof', 'capa', 'psync2', 'capa', 'whatever')).toBe('+OK\r\n');
    expect(await t.run(s, 'REPLCONF', 'listening-port')).toBe('-ERR syntax error\r\n');
    expect(await t.run(s, 'REPLCONF', 'listening-port', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await t.run(s, 'REPLCONF', 'foo', 'bar')).toBe('-ERR Unrecognized REPLCONF option: foo\r\n');
    expect(await t.run(s, 'REPLCONF', 'ip-address', 'x'.repeat(256))).toBe(
      '-ERR REPLCONF ip-address provided by replica instance is too long: 256 bytes\r\n',
    );
    expect(await t.run(s, 'REPLCONF', 'ip-address', '10.1.1.1')).toBe('+OK\r\n');
    // ACK and GETACK never get a reply, even from a client that is not a replica
    expect(await t.run(s, 'REPLCONF', 'ACK', '100')).toBe('');
    expect(await t.run(s, 'REPLCONF', 'GETACK', '*')).toBe('');
  });
});

describe('PSYNC / SYNC on a master', () => {
  it('first replica: backlog created with a new id, +FULLRESYNC then $len payload; partial resync later', async () => {
    const t = setup();
    const before = t.svc.history.replid;
    const r = t.session(1);
    await t.run(r, 'REPLCONF', 'listening-port', '6380', 'capa', 'psync2');
    expect(await t.run(r, 'PSYNC', '?', '-1')).toBe('');
    expect(r.kind).toBe('replica');
    const id = t.svc.history.replid;
    expect(id).not.toBe(before);
    expect(t.rawText(1)).toBe(`+FULLRESYNC ${id} 0\r\n`);
    t.snaps[0]!.sink.write(Buffer.from('RDB!'));
    t.snaps[0]!.finish();
    await new Promise((res) => setImmediate(res));
    expect(t.rawText(1)).toBe(`+FULLRESYNC ${id} 0\r\n$4\r\nRDB!`);
    expect(t.svc.view().replicas).toEqual([{ ip: '127.0.0.1', port: 6380, state: 'online', ackOffset: 0, lagSeconds: 0 }]);
    // a write reaches the stream with a SELECT first
    t.svc.propagate([{ db: 0, argv: ['SET', 'a', '1'] }]);
    t.flush();
    expect(t.rawText(1).endsWith('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n')).toBe(true);
    expect(t.svc.history.masterReplOffset).toBe(23 + 27);
    // the replica acks; a second connection continues from offset 24 (the SET)
    expect(await t.run(r, 'REPLCONF', 'ACK', '50')).toBe('');
    expect(t.svc.view().replicas[0]!.ackOffset).toBe(50);
    const r2 = t.session(2);
    await t.run(r2, 'REPLCONF', 'capa', 'psync2');
    await t.run(r2, 'PSYNC', id, '24');
    expect(t.rawText(2)).toBe(`+CONTINUE ${id}\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n`);
    // without capa psync2 the id is not sent
    const r3 = t.session(3);
    await t.run(r3, 'PSYNC', id, '51');
    expect(t.rawText(3)).toBe('+CONTINUE\r\n');
    // a connection that is already a replica: PSYNC ignored
    expect(await t.run(r3, 'PSYNC', '?', '-1')).toBe('');
    expect(await t.run(t.session(4), 'PSYNC', id, 'abc')).toBe('-ERR value is not an integer or out of range\r\n');
  });

  it('SYNC gets no +FULLRESYNC line; PSYNC … FAILOVER to a master is refused', async () => {
    const t = setup();
    const s = t.session(1);
    await t.run(s, 'SYNC');
    expect(t.rawText(1)).toBe('');
    t.snaps[0]!.finish();
    await new Promise((res) => setImmediate(res));
    expect(t.rawText(1)).toBe('$0\r\n');
    expect(await t.run(t.session(2), 'PSYNC', t.svc.history.replid, '1', 'FAILOVER')).toBe(
      "-ERR PSYNC FAILOVER can't be sent to a master.\r\n",
    );
  });
});

describe('WAIT, ROLE, FAILOVER', () => {
  it('WAIT answers at once when enough replicas acked, else blocks until the ACK arrives', async () => {
    const t = setup();
    const c = t.session(9);
    expect(await t.run(c, 'WAIT', '0', '0')).toBe(':0\r\n');
    const r = t.session(1);
    await t.run(r, 'PSYNC', '?', '-1');
    t.snaps[0]!.finish();
    await new Promise((res) => setImmediate(res));
    t.svc.propagate([{ db: 0, argv: ['SET', 'a', '1'] }]);
    t.svc.noteClientCommand(9);
    const waiting = t.run(c, 'WAIT', '1', '0');
    t.flush(); // the GETACK is appended…
    t.flush(); // …and delivered
    expect(t.rawText(1).endsWith('*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n')).toBe(true);
    await t.run(r, 'REPLCONF', 'ACK', '50');
    expect(await waiting).toBe(':1\r\n');
    expect(await t.run(c, 'ROLE')).toBe('*3\r\n$6\r\nmaster\r\n:87\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$1\r\n0\r\n$2\r\n50\r\n');
  });

  it('FAILOVER pauses writes until it ends; ABORT unpauses; REPLICAOF is refused meanwhile', async () => {
    const t = setup();
    const c = t.session(9);
    const r = t.session(1);
    await t.run(r, 'REPLCONF', 'listening-port', '7000');
    await t.run(r, 'PSYNC', '?', '-1');
    t.snaps[0]!.finish();
    await new Promise((res) => setImmediate(res));
    expect(await t.run(c, 'FAILOVER', 'TO', '127.0.0.1', '7000')).toBe('+OK\r\n');
    expect(t.paused()).toBe(1);
    expect(t.svc.view().failoverState).toBe('waiting-for-sync');
    expect(await t.run(c, 'REPLICAOF', 'NO', 'ONE')).toBe('-ERR REPLICAOF not allowed while failing over.\r\n');
    expect(await t.run(t.session(3), 'PSYNC', '?', '-1')).toBe("-NOMASTERLINK Can't SYNC while failing over\r\n");
    expect(await t.run(c, 'FAILOVER', 'ABORT')).toBe('+OK\r\n');
    expect(t.paused()).toBe(0);
    expect(t.svc.view().failoverState).toBe('no-failover');
  });
});

describe('service state', () => {
  it('nothing is recorded without a backlog; a replica does not propagate its own commands', () => {
    const t = setup();
    t.svc.propagate([{ db: 0, argv: ['SET', 'a', '1'] }]);
    expect(t.svc.history.masterReplOffset).toBe(0);
    expect(t.svc.replInfo()).toBeUndefined();
  });

  it('replInfo and a master restart from an RDB that carries repl info: former replicas continue', async () => {
    const t = setup();
    t.svc.restoreFromRdb({ replId: 'a'.repeat(40), offset: 500, streamDb: 3 });
    expect(t.svc.history.replid2).toBe('a'.repeat(40));
    expect(t.svc.history.secondReplOffset).toBe(501);
    expect(t.svc.replInfo()).toEqual({ streamDb: 0, replId: t.svc.history.replid, offset: 500 });
    const r = t.session(1);
    await t.run(r, 'REPLCONF', 'capa', 'psync2');
    await t.run(r, 'PSYNC', 'a'.repeat(40), '501');
    expect(t.rawText(1)).toBe(`+CONTINUE ${t.svc.history.replid}\r\n`);
  });
});

describe('the per-command gate state', () => {
  it('is written into the caller\'s object (no allocation per command) and follows min-replicas-to-write', async () => {
    const t = setup({ minReplicasToWrite: 1, minReplicasMaxLag: 10 });
    const into = { isReplica: true, linkUp: true, readOnly: false, serveStaleData: false, notEnoughGoodReplicas: false };
    expect(t.svc.gateState(into)).toBe(into);
    expect(into).toEqual({ isReplica: false, linkUp: false, readOnly: true, serveStaleData: true, notEnoughGoodReplicas: true });
    // a replica comes online and acknowledges: enough good replicas until its ACK is older than the max lag
    const r = t.session(1);
    await t.run(r, 'REPLCONF', 'listening-port', '6380', 'capa', 'psync2');
    await t.run(r, 'PSYNC', '?', '-1');
    t.snaps[0]!.finish();
    await new Promise((res) => setImmediate(res));
    await t.run(r, 'REPLCONF', 'ACK', '0');
    expect(t.svc.gateState(into).notEnoughGoodReplicas).toBe(false);
    t.clock.advance(11_000);
    expect(t.svc.gateState(into).notEnoughGoodReplicas).toBe(true);
  });
});
