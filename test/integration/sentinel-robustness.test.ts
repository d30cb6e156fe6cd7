/**
 * Bad input never takes tsentinel down: nodes answering protocol garbage or replies of the wrong shape, malformed
 * hellos, a config directory that disappears at runtime (warning, background retry, supervision continues), and
 * SENTINEL SIMULATE-FAILURE ending the process through the exit hook.
 */
import { renameSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/common/logger.js';
import { startSentinel, type SentinelHandle } from '../../src/sentinel/main.js';
import { missing, stopAll, tempDir } from '../helpers/processes.js';
import { Cluster, until } from './sentinel-harness.js';

/** A TCP server answering every request with `reply(line)`; returns its port. */
async function fakeNode(reply: (firstLine: string) => string): Promise<{ server: Server; port: number }> {
  const socks = new Set<Socket>();
  const server = createServer((s) => {
    socks.add(s);
    s.on('error', () => {});
    s.on('close', () => socks.delete(s));
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      // answer once per received command header (`*<n>`)
      const n = (buf.match(/\*\d+\r\n/g) ?? []).length;
      for (let i = 0; i < n; i++) s.write(reply(buf));
      buf = '';
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  const orig = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of socks) s.destroy();
    return orig(cb);
  }) as typeof server.close;
  return { server, port: addr.port };
}

describe('robustness', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
    await stopAll();
  });

  async function sentinelFor(port: number, extra: string[] = [], exit?: (code: number) => void): Promise<{ s: SentinelHandle; logs: string[]; dir: string; file: string }> {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'sentinel.conf');
    writeFileSync(file, ['port 0', 'bind 127.0.0.1', `sentinel monitor m 127.0.0.1 ${port} 1`, 'sentinel down-after-milliseconds m 500', ...extra, ''].join('\n'));
    const logs: string[] = [];
    const logger = createLogger({ role: 'sentinel', format: 'json', level: 'debug', sink: { write: (l) => void logs.push(l) } });
    const s = await startSentinel(file, { logger, exit: exit ?? (() => {}) });
    cleanups.push(() => s.close());
    return { s, logs, dir: t.dir, file };
  }

  it.each([
    ['protocol garbage', () => '!!! this is not RESP at all\r\n'],
    ['replies of the wrong shape', (req: string) => (req.includes('INFO') ? ':42\r\n' : req.includes('PING') ? '*1\r\n$4\r\nPONG\r\n' : '-ERR nope\r\n')],
    ['a truncated bulk reply', () => '$100\r\nshort'],
  ])('a node answering %s: the sentinel stays up, flags it down, keeps serving', async (_name, reply) => {
    const node = await fakeNode(reply);
    cleanups.push(() => new Promise<void>((r) => node.server.close(() => r())));
    const { s } = await sentinelFor(node.port);
    const m = () => s.core.state.masters.get('m')!;
    await until(() => m().sDown, 5000, 'master flagged down');
    const c = new Cluster({ tsentinels: 0 });
    cleanups.push(() => c.close());
    expect(await c.cmd(s.port, 'PING')).toBe('PONG');
    expect(await c.cmd(s.port, 'SENTINEL', 'master', 'm')).toMatch(/"flags","s_down,o_down,master/);
  });

  it.skipIf(missing('redis-server'))('malformed hellos are ignored (debug log), valid ones still work', async () => {
    const c = new Cluster({ tsentinels: 0, replicas: 0 });
    cleanups.push(() => c.close());
    await c.startNodes();
    const { s, logs } = await sentinelFor(c.masterPort);
    for (const bad of ['a,b,c', '', ',,,,,,,', `127.0.0.1,0,${'x'.repeat(40)},1,m,127.0.0.1,${c.masterPort},0`, `127.0.0.1,26379,short,1,m,127.0.0.1,1,0`]) {
      expect(await c.cmd(s.port, 'PUBLISH', '__sentinel__:hello', bad)).toBe('1');
    }
    expect(await c.cmd(s.port, 'SENTINEL', 'sentinels', 'm')).toBe('[]');
    expect(logs.some((l) => l.includes('Ignoring malformed hello'))).toBe(true);
    const good = `127.0.0.1,26999,${'a'.repeat(40)},0,m,127.0.0.1,${c.masterPort},0`;
    expect(await c.cmd(s.port, 'PUBLISH', '__sentinel__:hello', good)).toBe('1');
    expect(await c.cmd(s.port, 'SENTINEL', 'sentinels', 'm')).toContain('a'.repeat(40));
    expect(await c.cmd(s.port, 'PUBLISH', 'other', 'x')).toBe('ERR:ERR Only HELLO messages are accepted by Sentinel instances.');
  });

  it.skipIf(missing('redis-server'))('an unwritable config directory at runtime: warning, supervision continues, background retry succeeds', async () => {
    const c = new Cluster({ tsentinels: 0, replicas: 0 });
    cleanups.push(() => c.close());
    await c.startNodes();
    const { s, logs, dir, file } = await sentinelFor(c.masterPort);
    const moved = `${dir}-away`;
    renameSync(dir, moved);
    let restored = false;
    cleanups.push(() => {
      if (!restored) renameSync(moved, dir);
    });
    expect(await c.cmd(s.port, 'SENTINEL', 'flushconfig')).toBe('ERR:ERR Failed to save config file. Check server logs.');
    expect(logs.some((l) => l.includes('WARNING: Sentinel was not able to save the new configuration on disk!!!'))).toBe(true);
    // still supervising and answering
    expect(await c.cmd(s.port, 'SENTINEL', 'set', 'm', 'quorum', '1')).toBe('ERR:ERR Failed to save Sentinel new configuration on disk');
    expect(await c.cmd(s.port, 'SENTINEL', 'get-master-addr-by-name', 'm')).toBe(`["127.0.0.1","${c.masterPort}"]`);
    renameSync(moved, dir);
    restored = true;
    await until(() => logs.some((l) => l.includes('Sentinel configuration saved on disk again')), 5000, 'background retry');
    expect(readFileSync(file, 'latin1')).toContain(`sentinel myid ${s.myid}`);
  });

  it.skipIf(missing('redis-server'))('SENTINEL SIMULATE-FAILURE crash-after-election exits with 99 when elected', async () => {
    const c = new Cluster({ tsentinels: 0, replicas: 1 });
    cleanups.push(() => c.close());
    await c.startNodes();
    const codes: number[] = [];
    const { s } = await sentinelFor(c.masterPort, [], (code) => void codes.push(code));
    await until(() => s.core.state.masters.get('m')!.replicas.size === 1, 10_000, 'replica discovered');
    expect(await c.cmd(s.port, 'SENTINEL', 'simulate-failure', 'crash-after-election')).toBe('OK');
    expect(await c.cmd(s.port, 'INFO', 'sentinel')).toContain('sentinel_simulate_failure_flags:1');
    await c.killNode(c.masterPort);
    await until(() => codes.length > 0, 10_000, 'exit hook');
    expect(codes[0]).toBe(99);
  });
});
