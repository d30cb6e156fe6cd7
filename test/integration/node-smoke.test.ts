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

describe('MONITOR', () => {
  let n: TestNode;
  beforeAll(async () => {
    n = await startTestNode();
  });
  afterAll(async () => {
    await n?.stop();
  });

  it('streams executed commands with db, client address and sdscatrepr quoting; AUTH redacted, admin commands hidden', async () => {
    const { connect } = await import('node:net');
    const mon = connect({ port: n.port, host: '127.0.0.1' });
    let text = '';
    mon.on('data', (d: Buffer) => (text += d.toString('latin1')));
    await new Promise<void>((r) => mon.once('connect', () => r()));
    mon.write('*1\r\n$7\r\nMONITOR\r\n');
    const deadline = Date.now() + 5000;
    while (!text.startsWith('+OK\r\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const c = await RawClient.open(n.port);
    await c.call(['SET', 'a b', 'x"y\n\x01']);
    await c.call(['AUTH', 'user', 'secret']);
    await c.call(['CONFIG', 'GET', 'maxmemory']);
    await c.call(['SELECT', '3']);
    while (text.split('\r\n').length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const lines = text.split('\r\n').slice(1, -1);
    expect(lines.length).toBe(3);
    expect(lines[0]).toMatch(/^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "a b" "x\\"y\\n\\x01"$/);
    expect(lines[1]).toMatch(/\] "AUTH" "\(redacted\)" "\(redacted\)"$/);
    expect(lines[2]).toMatch(/^\+\d+\.\d{6} \[3 127\.0\.0\.1:\d+\] "SELECT" "3"$/);
    c.close();
    mon.destroy();
  });
});
