/**
 * The replica side end to end without sockets: a real 7.0.15 master session (fixture) goes through the link
 * protocol, the payload through persistence's loader into a fresh dataset, and every stream command through
 * tredis's own command families as the master client. The result must be the master's keyspace.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/common/clock.js';
import type { Value } from '../../../../src/node/keyspace/types.js';
import { RdbLoader } from '../../../../src/node/persistence/rdb-loader.js';
import type { PsyncOutcome } from '../../../../src/node/replication/replica/handshake.js';
import { ReplicaLinkProtocol, type ReplicaLinkSink } from '../../../../src/node/replication/replica/link-protocol.js';
import { ALL_FAMILIES } from '../families.js';
import { fakeSession, Harness } from '../harness.js';
import { fixture } from './fixtures.js';

interface ExpectedKey {
  db: number;
  key: string;
  type: string;
  value: unknown;
  expiry_ms: number | null;
}

/** The master client for this test: SELECT and MULTI/EXEC framing, PUBLISH delivered to nobody, the rest run. */
async function replay(sessionFile: string): Promise<{ h: Harness; offset: number; replid: string | null }> {
  const clock = new ManualClock(1795254726728);
  const h = new Harness({ clock, families: ALL_FAMILIES });
  h.ks.deletesExpired = false; // a replica never expires keys itself
  const master = fakeSession(99);
  master.kind = 'master';
  const commands: string[][] = [];
  let loader: RdbLoader | null = null;
  let full: PsyncOutcome | null = null;
  const proto: ReplicaLinkProtocol = new ReplicaLinkProtocol(
    { listeningPort: 1, announceIp: null, masterUser: null, masterAuth: null, cached: null, failover: false },
    {
      send: () => {},
      psyncOutcome: (o) => (full = o),
      payloadStart: () => (loader = new RdbLoader({ databases: 16, dropExpiredBefore: null })),
      payloadData: (c) => void loader!.push(c),
      payloadEnd: () => {
        const r = loader!.finish();
        h.ks.replaceAll(r.dbs);
        master.db = r.repl.streamDb ?? 0;
        proto.payloadLoaded();
      },
      command: (argv) => commands.push(argv),
      applied: () => {},
      error: (e) => {
        throw new Error(e);
      },
      abort: (e) => {
        throw new Error(e);
      },
    } satisfies ReplicaLinkSink,
  );
  proto.start();
  proto.feed(fixture(sessionFile));
  let queue: string[][] | null = null;
  for (const argv of commands) {
    const name = argv[0]!.toLowerCase();
    if (name === 'select') master.db = Number(argv[1]);
    else if (name === 'multi') queue = [];
    else if (name === 'exec') {
      h.ks.fromMaster = true;
      for (const q of queue!) await h.run(q, master);
      h.ks.fromMaster = false;
      queue = null;
    } else if (name === 'ping' || name === 'publish') continue;
    else if (queue !== null) queue.push(argv);
    else {
      h.ks.fromMaster = true;
      const reply = await h.run(argv, master);
      h.ks.fromMaster = false;
      expect(reply.startsWith('-'), `${argv.join(' ')} → ${reply}`).toBe(false);
    }
  }
  const f = full as PsyncOutcome | null;
  return { h, offset: proto.stream!.appliedOffset, replid: f !== null && f.kind === 'full' ? f.replid : null };
}

function plain(v: Value): unknown {
  if (typeof v === 'string') return v;
  if (v instanceof Map) return Object.fromEntries(v);
  if (v instanceof Set) return [...v].sort();
  const items = [...(v as Iterable<unknown>)];
  if (items.length > 0 && Array.isArray(items[0])) {
    return (items as [string, number][]).map(([m, s]) => [m, String(s)]);
  }
  return items;
}

describe('replica applies a real master session (fixtures) into the expected keyspace', () => {
  it('session-diskless.bin → expected-dataset.json, offset 837, replid from +FULLRESYNC', async () => {
    const { h, offset, replid } = await replay('stream/session-diskless.bin');
    expect(offset).toBe(837);
    expect(replid).toBe('087a3c3cf4a8edf832dbe9947e2a82edf8734169');
    const expected = (JSON.parse(fixture('stream/expected-dataset.json').toString('utf8')) as { keys: ExpectedKey[] }).keys;
    let total = 0;
    for (const d of h.ks.dbs) total += d.size;
    expect(total).toBe(expected.length);
    for (const e of expected) {
      const db = h.ks.db(e.db);
      const v = db.peek(e.key);
      expect(v, `${e.db}/${e.key}`).toBeDefined();
      const want = e.type === 'set' ? [...(e.value as string[])].sort() : e.value;
      expect(plain(v!), `${e.db}/${e.key}`).toEqual(want);
      expect(db.getExpire(e.key) ?? null, `${e.key} expiry`).toBe(e.expiry_ms);
    }
  });

  it('session-disk.bin ($len framing) loads the payload and applies SET after-sync', async () => {
    const { h, offset } = await replay('stream/session-disk.bin');
    expect(offset).toBe(60);
    expect(h.ks.db(0).peek('after-sync')).toBe('1');
    expect(h.ks.db(0).peek('preexisting')).toBe('1');
  });
});
