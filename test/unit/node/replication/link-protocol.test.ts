import { describe, expect, it } from 'vitest';
import type { PsyncOutcome } from '../../../../src/node/replication/replica/handshake.js';
import { ReplicaLinkProtocol, type ReplicaLinkSink } from '../../../../src/node/replication/replica/link-protocol.js';
import { commandsFixture, fixture } from './fixtures.js';

/** A sink recording everything, loading the payload synchronously as an in-memory load would. */
class Recorder implements ReplicaLinkSink {
  sent: string[] = [];
  outcomes: PsyncOutcome[] = [];
  payloadSizes: (number | null)[] = [];
  payload: Buffer[] = [];
  ended = 0;
  commands: string[][] = [];
  appliedRaw: Buffer[] = [];
  appliedOffsets: number[] = [];
  errors: string[] = [];
  aborts: string[] = [];
  proto!: ReplicaLinkProtocol;
  /** Offset seen by the handler while each command executes. */
  offsetsDuring: number[] = [];
  autoLoad = true;

  send(data: Buffer): void {
    this.sent.push(data.toString('latin1'));
  }
  psyncOutcome(o: PsyncOutcome): void {
    this.outcomes.push(o);
  }
  payloadStart(size: number | null): void {
    this.payloadSizes.push(size);
  }
  payloadData(chunk: Buffer): void {
    this.payload.push(Buffer.from(chunk));
  }
  payloadEnd(): void {
    this.ended++;
    if (this.autoLoad) this.proto.payloadLoaded();
  }
  command(argv: string[]): void {
    this.commands.push(argv);
    this.offsetsDuring.push(this.proto.stream!.appliedOffset);
  }
  applied(raw: Buffer, offset: number): void {
    this.appliedRaw.push(Buffer.from(raw));
    this.appliedOffsets.push(offset);
  }
  error(reason: string): void {
    this.errors.push(reason);
  }
  abort(reason: string): void {
    this.aborts.push(reason);
  }
}

function session(cfg: { cached?: { replid: string; offset: number } | null } = {}): { proto: ReplicaLinkProtocol; rec: Recorder } {
  const rec = new Recorder();
  const proto = new ReplicaLinkProtocol(
    { listeningPort: 23399, announceIp: null, masterUser: null, masterAuth: null, cached: cfg.cached ?? null, failover: false },
    rec,
  );
  rec.proto = proto;
  proto.start();
  return { proto, rec };
}

/** Feed `data` split by `cuts` (sorted positions). */
function feedSplit(proto: ReplicaLinkProtocol, data: Buffer, cuts: number[]): void {
  let prev = 0;
  for (const c of [...cuts, data.length]) {
    if (c > prev) proto.feed(data.subarray(prev, c));
    prev = c;
  }
}

const PSYNC_FULL = '*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n';

function checkDiskless(rec: Recorder, proto: ReplicaLinkProtocol, where: string): void {
  const cf = commandsFixture();
  expect(rec.aborts, where).toEqual([]);
  expect(rec.errors, where).toEqual([]);
  expect(rec.outcomes, where).toEqual([{ kind: 'full', replid: cf.fullresync_replid, offset: 0 }]);
  expect(rec.payloadSizes, where).toEqual([null]);
  expect(Buffer.concat(rec.payload).equals(fixture('stream/fullresync-diskless.rdb')), where).toBe(true);
  expect(rec.ended, where).toBe(1);
  expect(rec.commands, where).toEqual(cf.commands.map((c) => c.argv));
  expect(Buffer.concat(rec.appliedRaw).equals(fixture('stream/replication-stream.bin')), where).toBe(true);
  expect(proto.stream!.appliedOffset, where).toBe(cf.final_master_repl_offset);
  expect(proto.stream!.readOffset, where).toBe(837);
  expect(rec.appliedOffsets.at(-1), where).toBe(837);
  // PING, REPLCONF ×2, PSYNC, then (only after the payload) the immediate ACK of the EOF form
  expect(rec.sent.slice(-2), where).toEqual([PSYNC_FULL, '*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$1\r\n0\r\n']);
  expect(proto.ack()!.toString(), where).toBe('*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$3\r\n837\r\n');
}

describe('ReplicaLinkProtocol on a real 7.0.15 master session', () => {
  const diskless = fixture('stream/session-diskless.bin');
  const disk = fixture('stream/session-disk.bin');

  it('diskless ($EOF:) session in one piece', () => {
    const { proto, rec } = session();
    proto.feed(diskless);
    checkDiskless(rec, proto, 'one piece');
  });

  it('diskless session byte by byte', () => {
    const { proto, rec } = session();
    for (let i = 0; i < diskless.length; i++) proto.feed(diskless.subarray(i, i + 1));
    checkDiskless(rec, proto, 'byte by byte');
  });

  it('diskless session split at every offset', () => {
    for (let cut = 1; cut < diskless.length; cut++) {
      const { proto, rec } = session();
      feedSplit(proto, diskless, [cut]);
      checkDiskless(rec, proto, `cut ${cut}`);
    }
  });

  it('credits each command when it completes: offsets match commands.json, MULTI credited at EXEC', () => {
    const cf = commandsFixture();
    const { proto, rec } = session();
    // stop right before the stream so each command can be fed alone
    proto.feed(diskless.subarray(0, 389));
    const stream = fixture('stream/replication-stream.bin');
    const credited: number[] = [];
    for (const c of cf.commands) {
      proto.feed(stream.subarray(c.stream_pos, c.stream_pos + c.length));
      credited.push(proto.stream!.appliedOffset);
    }
    const expected = cf.commands.map((c) => {
      // inside MULTI (MULTI itself and the queued commands) nothing is credited until EXEC
      const multi = cf.commands.find((x) => x.argv[0] === 'MULTI')!;
      const exec = cf.commands.find((x) => x.argv[0] === 'EXEC')!;
      if (c.offset >= multi.offset && c.offset < exec.offset) return multi.offset - 1;
      return c.offset + c.length - 1;
    });
    expect(credited).toEqual(expected);
    expect(proto.stream!.readOffset).toBe(837);
    expect(rec.commands).toHaveLength(22);
  });

  it('disk ($len) session, whole, byte by byte and at every split', () => {
    const check = (rec: Recorder, proto: ReplicaLinkProtocol, where: string): void => {
      expect(rec.outcomes, where).toEqual([{ kind: 'full', replid: '4183351ccee75d3a34370e8724bd2b2640b478bc', offset: 0 }]);
      expect(rec.payloadSizes, where).toEqual([192]);
      expect(Buffer.concat(rec.payload).equals(fixture('stream/fullresync-disk.rdb')), where).toBe(true);
      expect(rec.commands, where).toEqual([
        ['SELECT', '0'],
        ['SET', 'after-sync', '1'],
      ]);
      expect(proto.stream!.appliedOffset, where).toBe(60);
      // no immediate ACK after a $len payload
      expect(rec.sent.at(-1), where).toBe(PSYNC_FULL);
    };
    const a = session();
    a.proto.feed(disk);
    check(a.rec, a.proto, 'whole');
    const b = session();
    for (let i = 0; i < disk.length; i++) b.proto.feed(disk.subarray(i, i + 1));
    check(b.rec, b.proto, 'bytewise');
    for (let cut = 1; cut < disk.length; cut++) {
      const c = session();
      feedSplit(c.proto, disk, [cut]);
      check(c.rec, c.proto, `cut ${cut}`);
    }
  });

  it('stays silent from PSYNC to the end of the payload, and holds the stream until the load is done', () => {
    const { proto, rec } = session();
    rec.autoLoad = false;
    proto.feed(diskless.subarray(0, 200)); // mid-payload
    const sentBefore = rec.sent.length;
    expect(proto.ack()).toBeNull();
    expect(proto.phase).toBe('transfer');
    expect(proto.transfer).toEqual({ totalBytes: 0, readBytes: expect.any(Number) as number });
    proto.feed(diskless.subarray(200));
    expect(proto.phase).toBe('loading');
    expect(rec.sent.length).toBe(sentBefore);
    expect(rec.commands).toEqual([]);
    expect(proto.ack()).toBeNull();
    proto.payloadLoaded();
    expect(rec.commands).toHaveLength(22);
    expect(proto.stream!.appliedOffset).toBe(837);
  });

  it('reports master_sync_total_bytes -1 before the header and the length once known', () => {
    const { proto } = session();
    proto.feed(disk.subarray(0, 73)); // through +FULLRESYNC
    expect(proto.transfer).toEqual({ totalBytes: -1, readBytes: 0 });
    proto.feed(disk.subarray(73, 100));
    expect(proto.transfer).toEqual({ totalBytes: 192, readBytes: 21 });
  });
});

describe('ReplicaLinkProtocol partial resync and stream rules', () => {
  const A = 'a'.repeat(40);
  const B = 'b'.repeat(40);

  function continued(reply: string): { proto: ReplicaLinkProtocol; rec: Recorder } {
    const s = session({ cached: { replid: A, offset: 1155 } });
    s.proto.feed(Buffer.from('+PONG\r\n+OK\r\n+OK\r\n'));
    expect(s.rec.sent.at(-1)).toBe(`*3\r\n$5\r\nPSYNC\r\n$40\r\n${A}\r\n$4\r\n1156\r\n`);
    s.proto.feed(Buffer.from(reply));
    return s;
  }

  it('+CONTINUE: stream bytes in the same chunk start at the cached offset', () => {
    const { proto, rec } = continued(`+CONTINUE ${B}\r\n*3\r\n$3\r\nSET\r\n$2\r\nk3\r\n$2\r\nv3\r\n`);
    expect(rec.outcomes).toEqual([{ kind: 'continue', newReplid: B }]);
    expect(rec.commands).toEqual([['SET', 'k3', 'v3']]);
    expect(proto.stream!.appliedOffset).toBe(1155 + 29);
    expect(rec.appliedOffsets).toEqual([1184]);
  });

  it('the immediate ACK to GETACK carries the offset before the GETACK (observed 1118 then 1155)', () => {
    const { proto, rec } = continued('+CONTINUE\r\n');
    expect(rec.outcomes).toEqual([{ kind: 'continue', newReplid: null }]);
    proto.feed(Buffer.from('*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n'));
    expect(rec.offsetsDuring).toEqual([1155]);
    expect(proto.stream!.appliedOffset).toBe(1192);
  });

  it('counts keepalive newlines in the stream but treats other inline text as corruption', () => {
    const { proto, rec } = continued('+CONTINUE\r\n\n*1\r\n$4\r\nping\r\n');
    expect(rec.commands).toEqual([['ping']]);
    expect(proto.stream!.appliedOffset).toBe(1155 + 15);
    proto.feed(Buffer.from('SET x y\r\n'));
    expect(rec.errors).toEqual(['Master using the inline protocol. Desync?']);
  });

  it('keeps an open MULTI uncredited: slave_read_repl_offset ahead of slave_repl_offset', () => {
    const { proto } = continued('+CONTINUE\r\n');
    proto.feed(Buffer.from('*1\r\n$5\r\nMULTI\r\n*2\r\n$4\r\nINCR\r\n$1\r\nx\r\n'));
    expect(proto.stream!.appliedOffset).toBe(1155);
    expect(proto.stream!.readOffset).toBe(1155 + 15 + 21);
    proto.feed(Buffer.from('*1\r\n$4\r\nEXEC\r\n'));
    expect(proto.stream!.appliedOffset).toBe(1155 + 15 + 21 + 14);
  });

  it('try-later on -LOADING / -NOMASTERLINK; abort on a refused PING; master abort during the payload', () => {
    expect(continued('-LOADING Redis is loading the dataset in memory\r\n').rec.outcomes[0]!.kind).toBe('try-later');
    const bad = session();
    bad.proto.feed(Buffer.from('-ERR unknown command\r\n'));
    expect(bad.rec.aborts).toHaveLength(1);
    const abortMid = session();
    abortMid.proto.feed(Buffer.from(`+PONG\r\n+OK\r\n+OK\r\n\n\n+FULLRESYNC ${A} 5\r\n\n-ERR BGSAVE failed\r\n`));
    expect(abortMid.rec.aborts).toEqual(['MASTER aborted replication with an error: ERR BGSAVE failed']);
  });

  it('SYNC fallback: sends inline SYNC, reads a bare payload, and never ACKs', () => {
    const { proto, rec } = session();
    proto.feed(Buffer.from('+PONG\r\n+OK\r\n+OK\r\n-ERR something\r\n'));
    expect(rec.sent.at(-1)).toBe('SYNC\r\n');
    const rdb = fixture('stream/fullresync-disk.rdb');
    proto.feed(Buffer.concat([Buffer.from(`$${rdb.length}\r\n`), rdb, Buffer.from('*1\r\n$4\r\nping\r\n')]));
    expect(rec.commands).toEqual([['ping']]);
    expect(proto.preSync).toBe(true);
    expect(proto.ack()).toBeNull();
  });
});
