import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './node-raw-client.js';
import { startTestNode, type TestNode } from './node-start.js';

describe('tredis node over a real socket', () => {
  let n: TestNode;
  let c: RawClient;
  beforeAll(async () => {
    n = await startTestNode();
    c = await RawClient.open(n.port);
  });
  afterAll(async () => {
    c?.close();
    await n?.stop();
  });

  it('answers data commands, transactions and INFO', async () => {
    expect(await c.call(['PING'])).toBe('+PONG\r\n');
    expect(await c.call(['SET', 'k', 'v'])).toBe('+OK\r\n');
    expect(await c.call(['GET', 'k'])).toBe('$1\r\nv\r\n');
    expect(await c.call(['MULTI'])).toBe('+OK\r\n');
    expect(await c.call(['INCR', 'n'])).toBe('+QUEUED\r\n');
    expect(await c.call(['GET', 'k'])).toBe('+QUEUED\r\n');
    expect(await c.call(['EXEC'])).toBe('*2\r\n:1\r\n$1\r\nv\r\n');
    const info = await c.call(['INFO']);
    expect(info).toContain('# Server\r\nredis_version:7.0.15\r\n');
    expect(info).toMatch(/run_id:[0-9a-f]{40}\r\n/);
    expect(info).toContain('# Replication\r\nrole:master\r\n');
    expect(info).toContain('# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n');
    expect(await c.call(['CONFIG', 'GET', 'maxmemory-policy'])).toBe('*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n');
    expect(await c.call(['SCRIPT', 'KILL'])).toBe('-NOTBUSY No scripts in execution right now.\r\n');
    expect(await c.call(['DBSIZE'])).toBe(':2\r\n');
  });
});

describe('DEBUG (enable-debug-command yes)', () => {
  let n: TestNode;
  let c: RawClient;
  beforeAll(async () => {
    n = await startTestNode(['enable-debug-command yes', 'save 3600 1']);
    c = await RawClient.open(n.port);
  });
  afterAll(async () => {
    c?.close();
    await n?.stop();
  });

  it('SET-ACTIVE-EXPIRE 0 stops background expiry; lazy expiry still hides the key', async () => {
    expect(await c.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0'])).toBe('+OK\r\n');
    await c.call(['SET', 'e', 'v', 'PX', '30']);
    await new Promise((r) => setTimeout(r, 300)); // several cron ticks at hz 10
    expect(await c.call(['DBSIZE'])).toBe(':1\r\n'); // still there: no active expiry
    expect(await c.call(['GET', 'e'])).toBe('$-1\r\n');
    expect(await c.call(['DBSIZE'])).toBe(':0\r\n');
    expect(await c.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '1'])).toBe('+OK\r\n');
    await c.call(['SET', 'e2', 'v', 'PX', '30']);
    const deadline = Date.now() + 5000;
    while ((await c.call(['DBSIZE'])) !== ':0\r\n' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await c.call(['DBSIZE'])).toBe(':0\r\n');
  });

  it('RELOAD saves and reloads the dataset; SLEEP blocks the whole server', async () => {
    await c.call(['RPUSH', 'l', 'a', 'b']);
    await c.call(['ZADD', 'z', '1.5', 'm']);
    expect(await c.call(['DEBUG', 'RELOAD'])).toBe('+OK\r\n');
    expect(await c.call(['LRANGE', 'l', '0', '-1'])).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    expect(await c.call(['ZSCORE', 'z', 'm'])).toBe('$3\r\n1.5\r\n');
    const other = await RawClient.open(n.port);
    const t0 = Date.now();
    const sleeping = c.call(['DEBUG', 'SLEEP', '0.3']);
    await new Promise((r) => setTimeout(r, 20));
    expect(await other.call(['PING'])).toBe('+PONG\r\n');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(await sleeping).toBe('+OK\r\n');
    other.close();
  });
});
