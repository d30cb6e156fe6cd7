/**
 * Connection-level protection over real sockets: client output-buffer limits (a slow subscriber is closed),
 * the query-buffer limit, maxclients, idle timeout, protected mode, the unix socket and optional bind addresses.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { allocPort } from '../helpers/ports.js';
import { has, tempDir } from '../helpers/processes.js';
import { exchange, RawClient, startCoreServer, type CoreServer } from '../helpers/core-server.js';
import { until } from '../helpers/wait.js';

const run = promisify(execFile);
const servers: CoreServer[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(...args: Parameters<typeof startCoreServer>): Promise<CoreServer> {
  const s = await startCoreServer(...args);
  servers.push(s);
  return s;
}

async function connect(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

/** A pino logger whose lines are kept for assertions. */
function captureLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString('utf8')).msg as string);
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe('client output buffer limits', () => {
  it('a subscriber that stops reading is closed at the pubsub hard limit; the publisher carries on', async () => {
    const log = captureLogger();
    const core = await start({
      logger: log.logger,
      settings: { clientOutputBufferLimit: { normal: { hardBytes: 0, softBytes: 0, softSeconds: 0 }, replica: { hardBytes: 0, softBytes: 0, softSeconds: 0 }, pubsub: { hardBytes: 1024 * 1024, softBytes: 0, softSeconds: 0 } } },
    });
    const sub = await connect(core.port);
    sub.send('subscribe firehose\r\n');
    await sub.until((d) => d.includes(':1\r\n'));
    sub.socket.pause(); // stop reading: the kernel buffers fill, then the server's pending output grows
    const pub = await connect(core.port);
    const msg = 'x'.repeat(64 * 1024);
    let sent = 0;
    while (core.server.connectedClients === 2 && sent < 4000) {
      pub.send(`*3\r\n$7\r\npublish\r\n$8\r\nfirehose\r\n$${msg.length}\r\n${msg}\r\n`);
      sent++;
      if (sent % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await until(() => core.server.connectedClients === 1);
    expect(core.server.stats.obufLimitDisconnections).toBe(1);
    expect(log.lines.some((l) => /^Client id=\d+ .* scheduled to be closed ASAP for overcoming of output buffer limits\.$/.test(l))).toBe(true);
    sub.socket.resume();
    await sub.closed();
    expect(await exchange(core.port, 'publish firehose x\r\n')).toBe(':0\r\n');
  });

  it('the soft limit closes a client that stays above it for longer than its seconds', async () => {
    const core = await start({
      settings: {
        hz: 50,
        clientOutputBufferLimit: {
          normal: { hardBytes: 0, softBytes: 0, softSeconds: 0 },
          replica: { hardBytes: 0, softBytes: 0, softSeconds: 0 },
          pubsub: { hardBytes: 0, softBytes: 256 * 1024, softSeconds: 1 },
        },
      },
    });
    const sub = await connect(core.port);
    sub.send('subscribe c\r\n');
    await sub.until((d) => d.includes(':1\r\n'));
    sub.socket.pause();
    const big = 'y'.repeat(1024 * 1024);
    const pub = await connect(core.port);
    for (let i = 0; i < 24 && core.server.connectedClients === 2; i++) pub.send(`*3\r\n$7\r\npublish\r\n$1\r\nc\r\n$${big.length}\r\n${big}\r\n`);
    const t0 = Date.now();
    await until(() => core.server.connectedClients === 1, 15_000);
    // over the soft limit for at least its second before being dropped
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(core.server.stats.obufLimitDisconnections).toBe(1);
    sub.socket.resume();
    await sub.closed();
    expect(pub.ended).toBe(false);
  });

  it('normal clients have no limit by default (replies stay queued for a client that does not read)', async () => {
    const core = await start();
    core.data.set('big', 'z'.repeat(1024 * 1024));
    const c = await connect(core.port);
    c.socket.pause();
    for (let i = 0; i < 16; i++) c.send('get big\r\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(core.server.connectedClients).toBe(1);
    c.socket.resume();
    await c.until((d) => d.length >= 16 * (1024 * 1024 + 11));
  });
});

describe('query buffer limit', () => {
  it('closes a client whose unparsed input exceeds client-query-buffer-limit, with Redis log line', async () => {
    const log = captureLogger();
    const core = await start({ logger: log.logger, settings: { clientQueryBufferLimit: 1024 * 1024 } });
    const c = await connect(core.port);
    c.send(`*3\r\n$3\r\nset\r\n$1\r\nk\r\n$${4 * 1024 * 1024}\r\n`);
    for (let i = 0; i < 40 && !c.ended; i++) {
      c.send('v'.repeat(64 * 1024));
      await new Promise((r) => setImmediate(r));
    }
    expect(await c.closed()).toBe('');
    expect(core.server.stats.qbufLimitDisconnections).toBe(1);
    expect(log.lines.some((l) => l.startsWith('Closing client that reached max query buffer length: id='))).toBe(true);
  });
});

describe('maxclients', () => {
  it('refuses the connection past maxclients with Redis error text', async () => {
    const core = await start({ settings: { maxclients: 2 } });
    await connect(core.port);
    await connect(core.port);
    await until(() => core.server.connectedClients === 2);
    const third = await connect(core.port);
    expect(await third.closed()).toBe('-ERR max number of clients reached\r\n');
    expect(core.server.stats.rejectedConnections).toBe(1);
    core.server.settings.maxclients = 3; // CONFIG SET maxclients takes effect at once
    const fourth = await connect(core.port);
    fourth.send('ping\r\n');
    expect(await fourth.until((d) => d.includes('\r\n'))).toBe('+PONG\r\n');
  });
});

describe('idle timeout', () => {
  it('closes idle normal clients but never subscribers or blocked clients', async () => {
    const core = await start({ settings: { timeout: 1, hz: 50 } });
    const idle = await connect(core.port);
    const sub = await connect(core.port);
    const blocked = await connect(core.port);
    idle.send('ping\r\n');
    sub.send('subscribe c\r\n');
    blocked.send('blockwait 4000\r\n');
    await until(() => core.server.blockedClients === 1 && core.server.pubsub.numsub('c') === 1);
    await idle.closed(5000);
    expect(idle.data).toBe('+PONG\r\n');
    expect(sub.ended).toBe(false);
    expect(blocked.ended).toBe(false);
    expect(await blocked.until((d) => d.includes('WOKE'))).toBe('+WOKE\r\n');
  });
});

describe('protected mode', () => {
  it('refuses non-local peers while the default user has no password, with the DENIED text', async () => {
    // every test connection comes from loopback: declare loopback "remote" to exercise the refusal
    const core = await start({ options: { isLocalAddress: () => false } });
    const c = await connect(core.port);
    const text = await c.closed();
    expect(text.startsWith('-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user.')).toBe(true);
    expect(text.endsWith("NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n")).toBe(true);
    expect(core.server.stats.rejectedConnections).toBe(1);
    // a password, or protected-mode no, lets them in
    core.server.reconfigure({ requirepass: 'pw' });
    expect(await exchange(core.port, 'auth pw\r\n')).toBe('+OK\r\n');
    core.server.reconfigure({ requirepass: '' });
    core.server.settings.protectedMode = false;
    expect(await exchange(core.port, 'ping\r\n')).toBe('+PONG\r\n');
  });

  it('loopback peers are always accepted', async () => {
    const core = await start();
    expect(await exchange(core.port, 'ping\r\n')).toBe('+PONG\r\n');
  });
});

describe('listeners', () => {
  it('serves a unix socket (redis-cli -s), shown as flags=U and path:0 in CLIENT LIST', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.dir, 'core.sock');
      const core = await start({ settings: { unixsocket: path, unixsocketperm: 0o700 } });
      expect(core.server.listeners.some((l) => l.unix && l.address === path)).toBe(true);
      if (!has('redis-cli')) {
        console.warn('[skip] redis-cli not installed: unix socket checked without it');
        return;
      }
      const { stdout } = await run('redis-cli', ['-s', path, 'client', 'info']);
      expect(stdout).toMatch(new RegExp(`^id=\\d+ addr=${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:0 laddr=.* flags=U `));
    } finally {
      dir.cleanup();
    }
  });

  it('listens on IPv4 and IPv6 loopback on one port; IPv6 peers show as [addr]:port', async () => {
    const core = await start({ settings: { bind: ['127.0.0.1', '-::1'] } });
    const v6 = core.server.listeners.find((l) => l.address === '::1');
    if (v6 === undefined) {
      console.warn('[skip] no IPv6 loopback on this host: IPv6 listener not checked');
      return;
    }
    expect(v6.port).toBe(core.port);
    const c = await RawClient.connect(core.port, '::1');
    clients.push(c);
    c.send('client info\r\n');
    const info = await c.until((d) => d.endsWith('\n\r\n'));
    expect(info).toMatch(new RegExp(`id=\\d+ addr=\\[::1\\]:\\d+ laddr=\\[::1\\]:${core.port} `));
  });

  it('rebind() moves the listener to a new port (CONFIG SET port) and restores the old one when that fails', async () => {
    const core = await start();
    const before = core.server.port;
    const c = await connect(before); // connected clients survive a rebind
    const port = allocPort();
    core.server.settings.port = port;
    await core.server.rebind();
    expect(core.server.port).toBe(port);
    expect(await exchange(port, 'ping\r\n')).toBe('+PONG\r\n');
    await expect(RawClient.connect(before)).rejects.toThrow(/ECONNREFUSED/);
    core.server.settings.bind = ['192.0.2.123'];
    await expect(core.server.rebind()).rejects.toThrow(/Could not create server TCP listening socket 192\.0\.2\.123/);
    expect(await exchange(port, 'ping\r\n')).toBe('+PONG\r\n');
    c.send('ping\r\n');
    expect(await c.until((d) => d.includes('\r\n'))).toBe('+PONG\r\n');
  });

  it('skips optional (-) bind addresses that cannot be bound and fails on mandatory ones', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never configured on a host, so binding it fails with EADDRNOTAVAIL
    const core = await start({ settings: { bind: ['127.0.0.1', '-192.0.2.123'] } });
    expect(core.server.listeners.map((l) => l.address)).toEqual(['127.0.0.1']);
    await expect(startCoreServer({ settings: { bind: ['192.0.2.123'] } })).rejects.toThrow(
      /^Could not create server TCP listening socket 192\.0\.2\.123:0: bind: Cannot assign requested address$/,
    );
  });
});

describe('CLIENT KILL over sockets', () => {
  it('TYPE normal disconnects other normal clients, not the caller nor subscribers', async () => {
    const core = await start();
    const victim = await connect(core.port);
    const sub = await connect(core.port);
    victim.send('ping\r\n');
    sub.send('subscribe c\r\n');
    await victim.until((d) => d.includes('PONG'));
    await sub.until((d) => d.includes(':1\r\n'));
    expect(await exchange(core.port, 'client kill type normal\r\n')).toBe(':1\r\n');
    await victim.closed();
    expect(sub.ended).toBe(false);
    expect(await exchange(core.port, 'client kill type pubsub\r\n')).toBe(':1\r\n');
    await sub.closed();
  });
});

describe('statistics over sockets', () => {
  it('counts connections, bytes in and out, commands and blocked clients', async () => {
    const core = await start();
    const st = core.server.stats;
    const c = await connect(core.port);
    const input = 'ping\r\nset k v\r\nget k\r\nnosuch\r\n';
    c.send(input);
    const out = await c.until((d) => d.includes('unknown command'));
    expect(st.totalConnectionsReceived).toBe(1);
    expect(st.totalNetInputBytes).toBe(input.length);
    expect(st.totalNetOutputBytes).toBe(out.length);
    expect(st.totalCommandsProcessed).toBe(3);
    expect(core.server.connectedClients).toBe(1);
    c.send('blockwait 50\r\n');
    await until(() => core.server.blockedClients === 1);
    await c.until((d) => d.includes('WOKE'));
    expect(core.server.blockedClients).toBe(0);
    expect(core.server.registry.lookup('blockwait')!.stats.calls).toBe(1);
  });
});
