/**
 * Unmodified clients follow a failover driven by three tsentinels: ioredis 6 in sentinel mode, node-redis 6
 * createSentinel, redis-py's Sentinel (Debian python3-redis) and redis-cli when the master dies; ioredis with
 * failoverDetector when the master hangs (the case that option exists for: the connection never closes, only the
 * sentinels' +switch-master tells the client).
 *
 * The detector is not in the crash scenario on purpose: when the master's connection has already dropped and
 * ioredis is re-resolving through the sentinels, a +switch-master arriving mid-resolve makes ioredis 5/6 end the
 * client for good ("Connection is closed", SentinelConnector.disconnect while connectToNext runs). That is the
 * client's race, whichever sentinel publishes the message; README "Clients" says so.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { createSentinel } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { has, missing, stopAll, type Proc } from '../helpers/processes.js';
import { Cluster, until } from './sentinel-harness.js';

const exec = promisify(execFile);
const skip = missing('redis-server', 'redis-cli');
const PY = '/usr/bin/python3';

/** redis-py (python3-redis) is installed for the system Python; check it imports. */
async function havePyRedis(): Promise<boolean> {
  if (!existsSync(PY)) return false;
  try {
    await exec(PY, ['-c', 'import redis.sentinel']);
    return true;
  } catch {
    return false;
  }
}

const PY_SCRIPT = `
import sys, time
from redis.sentinel import Sentinel
ports = [int(p) for p in sys.argv[1].split(',')]
s = Sentinel([('127.0.0.1', p) for p in ports], socket_timeout=1.0)
deadline = time.time() + 20
while True:
    try:
        m = s.master_for('mymaster', socket_timeout=1.0)
        m.set(sys.argv[2], sys.argv[3])
        print('%s:%d' % s.discover_master('mymaster'))
        break
    except Exception as e:
        if time.time() > deadline:
            print('FAIL', repr(e))
            sys.exit(1)
        time.sleep(0.1)
`;

describe.skipIf(skip)('clients follow a tsentinel failover', () => {
  let cluster: Cluster | null = null;
  const closers: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const f of closers.splice(0)) await f();
    await cluster?.close();
    cluster = null;
    await stopAll();
  });

  // every client writes again (retrying through its own reconnect logic), and the writes land on the new master
  const retry = (f: () => Promise<unknown>, what: string): Promise<void> =>
    until(
      async () => {
        try {
          await f();
          return true;
        } catch {
          return false;
        }
      },
      20_000,
      what,
    );

  it('ioredis, node-redis createSentinel, redis-py Sentinel and redis-cli follow a crash failover', async () => {
    const c = new Cluster({ tsentinels: 3 });
    cluster = c;
    await c.start();
    await c.waitDiscovery();
    const sentinels = c.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port }));

    const ioPlain = new Redis({ sentinels, name: 'mymaster', maxRetriesPerRequest: 50 });
    ioPlain.on('error', () => {});
    closers.push(() => ioPlain.disconnect());
    const nr = createSentinel({ name: 'mymaster', sentinelRootNodes: sentinels });
    nr.on('error', () => {});
    await nr.connect();
    closers.push(() => nr.close().catch(() => {}));

    await ioPlain.set('before', 'io');
    await nr.set('before-nr', 'nr');
    const cli = await exec('redis-cli', ['-p', String(c.sentinels[0]!.port), 'SENTINEL', 'get-master-addr-by-name', 'mymaster']);
    expect(cli.stdout).toBe(`127.0.0.1\n${c.masterPort}\n`);
    const py = await havePyRedis();
    if (!py) console.warn('[skip] python3-redis not importable from /usr/bin/python3: redis-py part skipped');
    if (py) {
      const out = await exec(PY, ['-c', PY_SCRIPT, c.sentinels.map((s) => s.port).join(','), 'py-before', '1']);
      expect(out.stdout.trim()).toBe(`127.0.0.1:${c.masterPort}`);
    }

    await c.killNode(c.masterPort);
    const addr = await c.waitNewMaster(`127.0.0.1:${c.masterPort}`);
    const np = Number(addr.split(':')[1]);

    await retry(() => ioPlain.set('after', 'io'), 'ioredis write after failover');
    await retry(() => nr.set('after-nr', 'nr'), 'node-redis write after failover');
    expect(await c.cmd(np, 'GET', 'after')).toBe('io');
    expect(await c.cmd(np, 'GET', 'after-nr')).toBe('nr');
    expect(await c.cmd(np, 'GET', 'before')).toBe('io');

    const cli2 = await exec('redis-cli', ['-p', String(c.sentinels[1]!.port), 'SENTINEL', 'get-master-addr-by-name', 'mymaster']);
    expect(cli2.stdout).toBe(`127.0.0.1\n${np}\n`);
    if (py) {
      const out = await exec(PY, ['-c', PY_SCRIPT, c.sentinels.map((s) => s.port).join(','), 'py-after', '2']);
      expect(out.stdout.trim()).toBe(addr);
      expect(await c.cmd(np, 'GET', 'py-after')).toBe('2');
    }
    expect(has('redis-cli')).toBe(true);
  }, 90_000);

  it('ioredis with failoverDetector leaves a hung (SIGSTOPped) master on +switch-master', async () => {
    const c = new Cluster({ tsentinels: 3 });
    cluster = c;
    await c.start();
    await c.waitDiscovery();
    const sentinels = c.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port }));
    const ioDetect = new Redis({ sentinels, name: 'mymaster', failoverDetector: true, maxRetriesPerRequest: 50 });
    ioDetect.on('error', () => {});
    closers.push(() => ioDetect.disconnect());
    await ioDetect.set('before-d', 'io');

    // the master hangs: its sockets stay open, so nothing but the sentinels can tell the client
    const master = c.nodes.get(c.masterPort) as Proc;
    process.kill(master.pid, 'SIGSTOP');
    closers.push(() => master.kill('SIGKILL')); // a stopped process still dies on SIGKILL
    const addr = await c.waitNewMaster(`127.0.0.1:${c.masterPort}`);
    const np = Number(addr.split(':')[1]);
    await retry(() => ioDetect.set('after-d', 'io'), 'ioredis (failoverDetector) write after failover');
    expect(await c.cmd(np, 'GET', 'after-d')).toBe('io');
    expect(await c.cmd(np, 'GET', 'before-d')).toBe('io');
    expect(master.child.signalCode).toBe(null); // the old master was still hung throughout, not dead
  }, 90_000);
});
