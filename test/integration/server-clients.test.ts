/**
 * Real clients against the in-process server core: redis-cli (RESP2 and -3), ioredis 6 (RESP3 by default, and
 * RESP2), node-redis 6 (RESP3 by default). Each connects, handshakes (HELLO 3, CLIENT SETINFO), pings, and does
 * pub/sub including PSUBSCRIBE with a glob class like node-redis's sentinel watcher (`[-+]sdown`).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allocPort } from '../helpers/ports.js';
import { has, missing, startProcess, startRedisServer, stopAll, tempDir, type Proc } from '../helpers/processes.js';
import { exchange, startCoreServer, type CoreServer } from '../helpers/core-server.js';
import { until } from '../helpers/wait.js';

const run = promisify(execFile);

let core: CoreServer;
beforeAll(async () => {
  core = await startCoreServer();
});
afterAll(async () => {
  await core?.close();
});

describe.skipIf(missing('redis-cli', 'redis-server'))('redis-cli', () => {
  const dir = tempDir();
  let redisPort = 0;
  beforeAll(async () => {
    redisPort = allocPort();
    await startRedisServer(redisPort, dir.dir);
  });
  afterEach(async () => {
    for (const p of cliProcs.splice(0)) await p.kill();
  });
  afterAll(async () => {
    await stopAll();
    dir.cleanup();
  });
  const cliProcs: Proc[] = [];

  const cli = async (port: number, ...args: string[]): Promise<string> => (await run('redis-cli', ['-p', String(port), ...args])).stdout;
  /** The same redis-cli invocation against redis-server and the core, client ids and ports masked. */
  const both = async (...args: string[]): Promise<[string, string]> => {
    const mask = (s: string): string =>
      s
        .replace(/id( |=|\n)\d+/g, 'id$1N')
        .replace(/"id" => \(integer\) \d+/g, '"id" => (integer) N')
        .replace(/127\.0\.0\.1:\d+/g, 'ADDR');
    const [theirs, ours] = await Promise.all([cli(redisPort, ...args), cli(core.port, ...args)]);
    return [mask(theirs), mask(ours)];
  };

  it('PING, HELLO 3 and errors print as with redis-server, in RESP2 and RESP3 mode', async () => {
    for (const args of [['ping'], ['-3', 'ping'], ['hello', '3'], ['-3', 'hello', '3'], ['hello', '2'], ['foo', 'bar'], ['-3', 'client', 'getname'], ['echo', 'a\nb'], ['--no-raw', 'hello', '3'], ['--no-raw', 'foo']]) {
      const [theirs, ours] = await both(...args);
      expect(ours, args.join(' ')).toBe(theirs);
    }
  });

  it('CLIENT LIST prints one line per client with the fields of redis-server', async () => {
    const [theirs, ours] = await both('client', 'list');
    const keys = (s: string): string[] => s.trim().split(' ').map((kv) => kv.split('=')[0]!);
    expect(keys(ours)).toEqual(keys(theirs));
    expect(ours).toMatch(/cmd=client\|list user=default redir=-1 resp=2\n$/);
    const [, ours3] = await both('-3', 'client', 'list');
    expect(ours3).toMatch(/resp=3\n$/);
  });

  it('SUBSCRIBE receives PUBLISH messages; PSUBSCRIBE with [-+]sdown receives both events', async () => {
    const sub = startProcess('redis-cli', ['-p', String(core.port), 'subscribe', 'news']);
    const psub = startProcess('redis-cli', ['-p', String(core.port), '-3', 'psubscribe', '[-+]sdown']);
    cliProcs.push(sub, psub);
    await until(() => core.server.pubsub.numsub('news') === 1 && core.server.pubsub.patternCount === 1);
    const pub = (...a: string[]): Promise<string> => cli(core.port, 'publish', ...a);
    expect(await pub('news', 'hello')).toBe('1\n');
    expect(await pub('+sdown', 'master mymaster 127.0.0.1 6379')).toBe('1\n');
    expect(await pub('-sdown', 'x')).toBe('1\n');
    expect(await pub('+odown', 'x')).toBe('0\n');
    await until(() => sub.output().includes('hello') && psub.output().includes('-sdown'));
    expect(sub.output()).toBe('subscribe\nnews\n1\nmessage\nnews\nhello\n');
    expect(psub.output()).toBe('psubscribe\n[-+]sdown\n1\npmessage\n[-+]sdown\n+sdown\nmaster mymaster 127.0.0.1 6379\npmessage\n[-+]sdown\n-sdown\nx\n');
  });

  it('pipes inline commands, QUIT included (as HAProxy health checks do)', async () => {
    expect(await exchange(core.port, 'PING\r\nECHO "role:master"\r\nQUIT\r\n', { marker: false })).toBe(
      '+PONG\r\n$11\r\nrole:master\r\n+OK\r\n<EOF>',
    );
  });
});

describe('ioredis 6', () => {
  const clients: Redis[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
  });
  const connect = async (opts: { protocol?: 2 | 3 } = {}): Promise<Redis> => {
    const c = new Redis({ port: core.port, host: '127.0.0.1', lazyConnect: true, ...opts });
    clients.push(c);
    await c.connect();
    return c;
  };

  it('connects with RESP3 by default, sends CLIENT SETINFO, and PINGs', async () => {
    const c = await connect();
    expect(await c.ping()).toBe('PONG');
    await until(() => [...core.server.clients()].some((s) => s.libName !== ''));
    const me = [...core.server.clients()].find((s) => s.libName !== '')!;
    expect(me.proto).toBe(3);
    expect(me.libName).toMatch(/ioredis/);
    expect(me.libVer).not.toBe('');
    expect(await c.set('k', 'v')).toBe('OK');
    expect(await c.get('k')).toBe('v');
  });

  it('RESP2 when asked', async () => {
    const c = await connect({ protocol: 2 });
    expect(await c.ping()).toBe('PONG');
    expect(await c.call('client', 'info')).toMatch(/resp=2/);
  });

  for (const protocol of [3, 2] as const) {
    it(`pub/sub (RESP${protocol}): SUBSCRIBE and PSUBSCRIBE [-+]sdown`, async () => {
      const sub = await connect({ protocol });
      const pub = await connect({ protocol });
      const got: string[] = [];
      sub.on('message', (ch: string, msg: string) => got.push(`${ch}:${msg}`));
      sub.on('pmessage', (p: string, ch: string, msg: string) => got.push(`${p}|${ch}:${msg}`));
      await sub.subscribe('news');
      await sub.psubscribe('[-+]sdown');
      expect(await pub.publish('news', 'a')).toBe(1);
      expect(await pub.publish('-sdown', 'b')).toBe(1);
      expect(await pub.publish('+sdown', 'c')).toBe(1);
      await until(() => got.length === 3);
      expect(got).toEqual(['news:a', '[-+]sdown|-sdown:b', '[-+]sdown|+sdown:c']);
    });
  }
});

describe('node-redis 6', () => {
  it('createClient (RESP3 by default): connect, PING, CLIENT SETINFO, pub/sub with pSubscribe', async () => {
    const client = createClient({ socket: { port: core.port, host: '127.0.0.1', reconnectStrategy: false } });
    client.on('error', () => {});
    await client.connect();
    try {
      expect(await client.ping()).toBe('PONG');
      await until(() => [...core.server.clients()].some((s) => s.libName.startsWith('node-redis')));
      expect([...core.server.clients()].find((s) => s.libName.startsWith('node-redis'))!.proto).toBe(3);
      const sub = client.duplicate();
      sub.on('error', () => {});
      await sub.connect();
      const got: string[] = [];
      await sub.subscribe('news', (msg, ch) => got.push(`${ch}:${msg}`));
      await sub.pSubscribe('[-+]sdown', (msg, ch) => got.push(`p ${ch}:${msg}`));
      expect(await client.publish('news', 'hello')).toBe(1);
      expect(await client.publish('+sdown', 'master m 127.0.0.1 1')).toBe(1);
      await until(() => got.length === 2);
      expect(got).toEqual(['news:hello', 'p +sdown:master m 127.0.0.1 1']);
      await sub.close();
    } finally {
      await client.close();
    }
  });
});

if (!has('redis-cli')) console.warn('[skip] redis-cli not installed: its client tests are skipped');
