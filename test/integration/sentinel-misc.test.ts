/**
 * Smaller behaviours against real redis-server: one link per peer sentinel shared across masters (link-refcount),
 * an ACL user on the nodes (auth-user + auth-pass), SHUTDOWN, TILT after a stalled event loop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { missing, stopAll } from '../helpers/processes.js';
import { Cluster, until } from './sentinel-harness.js';

const skip = missing('redis-server');

describe.skipIf(skip)('misc', () => {
  let cluster: Cluster | null = null;
  afterEach(async () => {
    await cluster?.close();
    cluster = null;
    await stopAll();
  });

  it('a peer watching two of our masters shares one link (link-refcount 2)', async () => {
    const c = new Cluster({ tsentinels: 2, replicas: 1, quorum: 1 });
    cluster = c;
    await c.start();
    await c.waitDiscovery();
    for (const s of c.sentinels) expect(await c.cmd(s.port, 'SENTINEL', 'monitor', 'second', '127.0.0.1', String(c.replicaPorts[0]), '1')).toBe('OK');
    await until(
      async () => {
        const r = await c.cmd(c.sentinels[0]!.port, 'SENTINEL', 'sentinels', 'second');
        return r.includes('"link-refcount","2"');
      },
      15_000,
      'shared link',
    );
    expect(await c.cmd(c.sentinels[0]!.port, 'SENTINEL', 'sentinels', 'mymaster')).toContain('"link-refcount","2"');
  }, 60_000);

  it('auth-user + auth-pass authenticate as an ACL user on the nodes', async () => {
    const acl = [
      'user default on nopass ~* &* +@all',
      'user sentuser on >s3cret &__sentinel__:hello +client +subscribe +publish +ping +info +multi +slaveof +config +exec',
    ];
    const c = new Cluster({ tsentinels: 0, replicas: 1, quorum: 1, nodeConf: acl });
    cluster = c;
    await c.startNodes();
    await c.startTsentinel(['sentinel auth-user mymaster sentuser', 'sentinel auth-pass mymaster s3cret']);
    await c.waitDiscovery();
    const list = await c.cmd(c.masterPort, 'CLIENT', 'LIST');
    expect(list).toMatch(/name=sentinel-[0-9a-f]{8}-cmd .* user=sentuser /);
    await c.killNode(c.masterPort);
    const addr = await c.waitNewMaster(`127.0.0.1:${c.masterPort}`);
    expect(addr).toBe(`127.0.0.1:${c.replicaPorts[0]}`);
  }, 60_000);

  it('SHUTDOWN flushes the config and ends the sentinel through the exit hook', async () => {
    const c = new Cluster({ tsentinels: 1, replicas: 0, quorum: 1 });
    cluster = c;
    await c.start();
    const s = c.sentinels[0]!;
    expect(await c.cmd(s.port, 'SHUTDOWN')).toBe('DOWN'); // no reply: the connection closes
    await until(async () => (await c.cmd(s.port, 'PING')) === 'DOWN', 5000, 'listener closed');
  });

  it('a stalled event loop enters TILT (cause logged) and leaves it after tilt-period', async () => {
    const c = new Cluster({ tsentinels: 1, replicas: 0, quorum: 1 });
    cluster = c;
    await c.start();
    const s = c.sentinels[0]!;
    expect(await c.cmd(s.port, 'SENTINEL', 'debug', 'tilt-period', '1500')).toBe('OK');
    const end = Date.now() + 2600;
    while (Date.now() < end) {
      // block the event loop (what a GC pause or a stopped VM does to the process)
    }
    await until(() => s.logs.some((l) => l.includes('+tilt #tilt mode entered')), 5000, '+tilt');
    expect(s.logs.some((l) => /TILT: \d+(\.\d+)? ms between two timer runs/.test(l))).toBe(true);
    expect(await c.cmd(s.port, 'INFO', 'sentinel')).toContain('sentinel_tilt:1');
    await until(() => s.logs.some((l) => l.includes('-tilt #tilt mode exited')), 10_000, '-tilt');
    expect(await c.cmd(s.port, 'INFO', 'sentinel')).toContain('sentinel_tilt:0');
  }, 30_000);
});
