/**
 * CONFIG SET port / bind move a running node's listeners (config.c updatePort / updateBind → changeListenPort /
 * changeBindAddr): connected clients stay, the old address stops accepting, and a port or address that cannot be
 * bound leaves the previous listeners and settings in place with config.c's reply. `unixsocket` stays immutable
 * as in 7.0.15. The refusals are compared with a real redis-server when it is installed.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocPort } from '../helpers/ports.js';
import { acceptsConnections as accepts, has, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { RawClient } from './node-raw-client.js';
import { startTestNode, type TestNode } from './node-start.js';

const hasRedis = has('redis-server');
if (!hasRedis) console.warn('[skip] redis-server not installed: CONFIG SET port/bind refusals are not compared with redis-server');

/** A port held by a plain listener of ours, so a CONFIG SET port to it fails with EADDRINUSE. */
async function occupy(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  const port = allocPort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve());
  });
  return { port, server };
}

const bulk = (s: string): string => `$${s.length}\r\n${s}\r\n`;
const configGet = (name: string, value: string): string => `*2\r\n${bulk(name)}${bulk(value)}`;

/** CONFIG SETs that must be refused, with the state they leave: the same on tredis and redis-server. */
async function refusals(c: RawClient, busy: number, otherPort: number): Promise<string[]> {
  return [
    await c.call(['CONFIG', 'SET', 'port', String(busy)]),
    await c.call(['CONFIG', 'SET', 'bind', '192.0.2.123']),
    // all or nothing: the port change is undone when the bind fails
    await c.call(['CONFIG', 'SET', 'port', String(otherPort), 'bind', '192.0.2.123']),
    await c.call(['CONFIG', 'SET', 'unixsocket', '/tmp/tredis-never.sock']),
    await c.call(['CONFIG', 'GET', 'bind']),
  ];
}

describe('CONFIG SET port / bind on a running tredis', () => {
  let node: TestNode;
  let busy: { port: number; server: Server };
  beforeAll(async () => {
    node = await startTestNode();
    busy = await occupy();
  });
  afterAll(async () => {
    await node?.stop();
    busy?.server.close();
    await stopAll();
  });

  let port = 0;
  let ours: string[] = [];

  it('port: the new port serves, the old one stops accepting, connected clients stay', async () => {
    const old = node.port;
    const c = await RawClient.open(old);
    port = allocPort();
    expect(await c.call(['CONFIG', 'SET', 'port', String(port)])).toBe('+OK\r\n');
    expect(await accepts(old)).toBe(false);
    const fresh = await RawClient.open(port);
    expect(await fresh.call(['PING'])).toBe('+PONG\r\n');
    expect(await c.call(['PING'])).toBe('+PONG\r\n');
    expect(await fresh.call(['CONFIG', 'GET', 'port'])).toBe(configGet('port', String(port)));
    expect(await fresh.call(['INFO', 'server'])).toContain(`\r\ntcp_port:${port}\r\n`);
    fresh.close();
    c.close();
  });

  it('a port or address that cannot be bound: the reply of config.c, the previous listener and settings stay', async () => {
    const c = await RawClient.open(port);
    const other = allocPort();
    ours = await refusals(c, busy.port, other);
    expect(ours.slice(0, 4)).toEqual([
      "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
      "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n",
      // apply functions run in argument order: port's, already on the new addresses, fails first
      "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
      "-ERR CONFIG SET failed (possibly related to argument 'unixsocket') - can't set immutable config\r\n",
    ]);
    expect(ours[4]).toBe(configGet('bind', '127.0.0.1'));
    expect(await c.call(['CONFIG', 'GET', 'port'])).toBe(configGet('port', String(port)));
    expect(await accepts(port)).toBe(true);
    expect(await accepts(other)).toBe(false);
    expect(await c.call(['PING'])).toBe('+PONG\r\n');
    c.close();
  });

  it('bind: a new address list is listened on', async () => {
    const c = await RawClient.open(port);
    expect(await c.call(['CONFIG', 'SET', 'bind', '127.0.0.1 -::1'])).toBe('+OK\r\n');
    expect(await c.call(['CONFIG', 'GET', 'bind'])).toBe(configGet('bind', '127.0.0.1 -::1'));
    expect(await accepts(port)).toBe(true);
    expect(await c.call(['PING'])).toBe('+PONG\r\n');
    c.close();
  });

  it.skipIf(!hasRedis)('redis-server 7.0.15 refuses the same changes with the same replies', async () => {
    const tmp = tempDir('tredis-listen-');
    try {
      const rport = allocPort();
      await startRedisServer(rport, tmp.dir);
      const c = await RawClient.open(rport);
      const other = allocPort();
      const theirs = await refusals(c, busy.port, other);
      expect(await c.call(['CONFIG', 'GET', 'port'])).toBe(configGet('port', String(rport)));
      expect(await accepts(other)).toBe(false);
      c.close();
      expect(ours).toEqual(theirs);
    } finally {
      await stopAll();
      tmp.cleanup();
    }
  });
});
