/**
 * The admin subcommands (status, events, failover, ckquorum, probe) as network clients of a real Redis 7.0
 * deployment: redis-server master + 2 replicas, 3 redis-sentinels. Run in-process through a captured CliIo; the
 * process-level behaviour (exit codes, one-line errors) is covered in ops-cli.test.ts.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCkquorum } from '../../src/cli/commands/ckquorum.js';
import { runEvents } from '../../src/cli/commands/events.js';
import { runFailover } from '../../src/cli/commands/failover.js';
import { runProbe } from '../../src/cli/commands/probe.js';
import { runStatus } from '../../src/cli/commands/status.js';
import { allocPort } from '../helpers/ports.js';
import { missing, stopAll, tempDir } from '../helpers/processes.js';
import { captureIo, startRealCluster, waitFor, type RealCluster } from './ops-support.js';

const skip = missing('redis-server', 'redis-sentinel');

function conn(port: number, extra: Record<string, string> = {}) {
  return { host: '127.0.0.1', port: String(port), timeout: '2000', ...extra };
}

async function masterAddr(sentinelPort: number): Promise<string> {
  const c = new Redis({ port: sentinelPort, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
  await c.connect();
  const r = (await c.call('SENTINEL', ['GET-MASTER-ADDR-BY-NAME', 'mymaster'])) as string[];
  c.disconnect();
  return `${r[0]}:${r[1]}`;
}

describe.skipIf(skip)('ops admin commands against real redis-sentinel 7.0', () => {
  const tmp = tempDir('tsentinel-ops-admin-');
  let cl: RealCluster;
  let s1: number;

  beforeAll(async () => {
    cl = await startRealCluster(tmp.dir);
    s1 = cl.sentinelPorts[0] ?? 0;
  }, 60_000);

  afterAll(async () => {
    await stopAll();
    tmp.cleanup();
  });

  it('status shows the master, both replicas, the other sentinels and a reachable quorum', async () => {
    const io = captureIo();
    expect(await runStatus({ ...conn(s1), interval: '1000' }, io)).toBe(0);
    const text = io.stdout();
    expect(text).toContain(`sentinel 127.0.0.1:${s1}`);
    expect(text).toMatch(new RegExp(`master mymaster\\s+127\\.0\\.0\\.1:${cl.masterPort}\\s+ok\\s+epoch 0`));
    expect(text).toContain('quorum 2 of 3 sentinels: OK, 3 usable');
    for (const p of cl.replicaPorts) expect(text).toMatch(new RegExp(`127\\.0\\.0\\.1:${p}\\s+up\\s+100\\s+\\d+`));
    for (const p of cl.sentinelPorts.slice(1)) expect(text).toContain(`127.0.0.1:${p}`);
    expect(text).not.toContain('\x1b['); // no colour when not a TTY
    expect(io.stderr()).toBe('');
  });

  it('status --json is one stable document', async () => {
    const io = captureIo();
    expect(await runStatus({ ...conn(s1), json: true, interval: '1000' }, io)).toBe(0);
    const doc = JSON.parse(io.stdout()) as {
      schema: string;
      sentinel: { address: string; id: string; tilt: boolean };
      masters: {
        name: string;
        port: number;
        health: string;
        configEpoch: number;
        quorumCheck: { ok: boolean; usable: number };
        replicas: { port: number; link: string; priority: number; lagBytes: number | null }[];
        sentinels: { port: number; id: string; lastHelloMs: number }[];
      }[];
    };
    expect(doc.schema).toBe('tsentinel.status/v1');
    expect(doc.sentinel.id).toMatch(/^[0-9a-f]{40}$/);
    expect(doc.sentinel.tilt).toBe(false);
    const [m] = doc.masters;
    expect(m).toMatchObject({ name: 'mymaster', port: cl.masterPort, health: 'ok', configEpoch: 0, quorumCheck: { ok: true, usable: 3 } });
    expect(m?.replicas.map((r) => r.port).sort()).toEqual([...cl.replicaPorts].sort());
    for (const r of m?.replicas ?? []) expect(r).toMatchObject({ link: 'ok', priority: 100 });
    expect(m?.sentinels.map((s) => s.port).sort()).toEqual(cl.sentinelPorts.slice(1).sort());
    for (const s of m?.sentinels ?? []) expect(s.lastHelloMs).toBeLessThan(10_000);
  });

  it('status says clearly when the target is a data node or nothing listens', async () => {
    const io = captureIo();
    expect(await runStatus({ ...conn(cl.masterPort), interval: '1000' }, io)).toBe(1);
    expect(io.stderr()).toMatch(new RegExp(`^tsentinel status: 127\\.0\\.0\\.1:${cl.masterPort} is not a sentinel .*\\n$`));
    const dead = allocPort();
    const io2 = captureIo();
    expect(await runStatus({ ...conn(dead), interval: '1000' }, io2)).toBe(1);
    expect(io2.stderr()).toBe(`tsentinel status: cannot connect to 127.0.0.1:${dead}: connection refused\n`);
    expect(io2.stdout()).toBe('');
  });

  it('ckquorum exits 0 with the sentinel sentence, 1 for an unknown master', async () => {
    const io = captureIo();
    expect(await runCkquorum('mymaster', conn(s1), io)).toBe(0);
    expect(io.stdout()).toBe('OK 3 usable Sentinels. Quorum and failover authorization can be reached\n');
    const io2 = captureIo();
    expect(await runCkquorum('nosuch', conn(s1), io2)).toBe(1);
    expect(io2.stderr()).toBe('tsentinel ckquorum: ERR No such master with that name\n');
  });

  it('probe liveness answers for sentinels and data nodes, fails for a closed port', async () => {
    for (const port of [s1, cl.masterPort, cl.replicaPorts[0] ?? 0]) {
      const io = captureIo();
      expect(await runProbe('liveness', conn(port), io)).toBe(0);
      expect(io.stdout()).toBe('alive (PONG)\n');
    }
    const io = captureIo();
    expect(await runProbe('liveness', conn(allocPort()), io)).toBe(1);
    expect(io.stderr()).toMatch(/^tsentinel probe liveness: cannot connect to .*connection refused\n$/);
  });

  it('probe readiness: sentinel with confirmed master and quorum, master, linked replica; placeholder rejected', async () => {
    const io = captureIo();
    expect(await runProbe('readiness', conn(s1), io)).toBe(0);
    expect(io.stdout()).toBe('ready: 1 master known, quorum reachable\n');
    const io2 = captureIo();
    expect(await runProbe('readiness', { ...conn(s1), placeholder: '127.0.0.1' }, io2)).toBe(1);
    expect(io2.stderr()).toBe(
      `tsentinel probe readiness: not ready: mymaster: still at the placeholder address 127.0.0.1:${cl.masterPort}\n`,
    );
    const io3 = captureIo();
    expect(await runProbe('readiness', conn(cl.masterPort), io3)).toBe(0);
    expect(io3.stdout()).toBe('ready: master\n');
    const io4 = captureIo();
    expect(await runProbe('readiness', conn(cl.replicaPorts[0] ?? 0), io4)).toBe(0);
    expect(io4.stdout()).toBe(`ready: replica of 127.0.0.1:${cl.masterPort}, link up\n`);
  });

  it('events prints what the sentinel publishes (+set from SENTINEL SET)', async () => {
    const io = captureIo();
    const running = runEvents({ ...conn(s1), pattern: '*', json: true, count: '1' }, io);
    // the subscription is in place once the server counts a pattern subscriber
    const admin = new Redis({ port: s1, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
    await admin.connect();
    await waitFor('the events subscription', async () => {
      const list = String(await admin.call('CLIENT', ['LIST']));
      return / psub=1 /.test(list);
    });
    await admin.call('SENTINEL', ['SET', 'mymaster', 'parallel-syncs', '2']);
    expect(await running).toBe(0);
    admin.disconnect();
    const ev = JSON.parse(io.stdout().trim()) as Record<string, unknown>;
    expect(ev).toMatchObject({
      event: '+set',
      message: `master mymaster 127.0.0.1 ${cl.masterPort} parallel-syncs 2`,
      master: 'mymaster',
      instance: { type: 'master', name: 'mymaster', ip: '127.0.0.1', port: cl.masterPort },
      detail: 'parallel-syncs 2',
    });
  });

  it('status --watch redraws and lists events seen while watching, until aborted', async () => {
    const io = captureIo();
    const running = runStatus({ ...conn(s1), watch: true, interval: '200' }, io);
    const admin = new Redis({ port: s1, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
    await admin.connect();
    await waitFor('a first frame', () => io.stdout().includes('recent events'));
    await waitFor('the watch subscription', async () => / psub=1 /.test(String(await admin.call('CLIENT', ['LIST']))));
    await admin.call('SENTINEL', ['SET', 'mymaster', 'parallel-syncs', '1']);
    await waitFor('the +set event in a frame', () => /recent events\n.*\+set master mymaster .* parallel-syncs 1/.test(io.stdout()));
    admin.disconnect();
    io.abort();
    expect(await running).toBe(0);
    expect(io.stdout().split('recent events').length).toBeGreaterThan(2); // several frames
  }, 120_000);

  it('failover --coordinated is refused by Redis 7.0 with its own error, in one line', async () => {
    const io = captureIo();
    expect(await runFailover('mymaster', { ...conn(s1), coordinated: true, wait: '5' }, io)).toBe(1);
    expect(io.stderr()).toMatch(/^tsentinel failover: ERR .*\n$/);
    expect(await masterAddr(s1)).toBe(`127.0.0.1:${cl.masterPort}`);
  });

  it('failover of an unknown master fails in one line', async () => {
    const io = captureIo();
    expect(await runFailover('nosuch', { ...conn(s1), wait: '5' }, io)).toBe(1);
    expect(io.stderr()).toBe(`tsentinel failover: no master named 'nosuch' on 127.0.0.1:${s1}\n`);
  });

  it('failover follows the switch to a replica and reports the new address', async () => {
    const io = captureIo();
    expect(await runFailover('mymaster', { ...conn(s1), wait: '30' }, io)).toBe(0);
    const out = io.stdout();
    expect(out).toContain(`failover of mymaster started (master was 127.0.0.1:${cl.masterPort})`);
    const m = /mymaster failed over: 127\.0\.0\.1:(\d+) -> 127\.0\.0\.1:(\d+) in [\d.]+s/.exec(out);
    expect(m?.[1]).toBe(String(cl.masterPort));
    expect(cl.replicaPorts.map(String)).toContain(m?.[2]);
    expect(out).toContain('+try-failover master mymaster');
    expect(await masterAddr(s1)).toBe(`127.0.0.1:${m?.[2]}`);
    // the status view follows: new master, epoch bumped
    const st = captureIo();
    await waitFor('status to show the new master', async () => {
      await runStatus({ ...conn(s1), interval: '1000' }, st);
      return new RegExp(`master mymaster\\s+127\\.0\\.0\\.1:${m?.[2]}\\s+\\S+\\s+epoch [1-9]`).test(st.stdout());
    });
    // and the sentinel becomes ready again once it has confirmed the promoted master
    await waitFor('readiness after the failover', async () => (await runProbe('readiness', { ...conn(s1), quiet: true }, captureIo())) === 0);
  }, 120_000);

  it('readiness fails once the quorum cannot be reached', async () => {
    for (const p of cl.sentinelPorts.slice(1)) await cl.sentinels.get(p)?.kill();
    // the survivor counts its peers out once they are subjectively down (down-after 1 s)
    let io = captureIo();
    await waitFor('readiness to fail', async () => {
      io = captureIo();
      return (await runProbe('readiness', conn(s1), io)) === 1;
    });
    expect(io.stderr()).toMatch(/^tsentinel probe readiness: not ready: mymaster: NOQUORUM 1 usable Sentinels/);
    const io2 = captureIo();
    expect(await runCkquorum('mymaster', conn(s1), io2)).toBe(1);
    expect(io2.stderr()).toMatch(
      /^tsentinel ckquorum: NOQUORUM 1 usable Sentinels\. Not enough available Sentinels to reach the specified quorum for this master\. Not enough available Sentinels to reach the majority and authorize a failover\n$/,
    );
  }, 120_000);
});
